"""Account password policy, credential report and the dashboard's security recommendations.

Password policy operations act on "*" (the Service Authorization Reference lists no resource
type for them). The rules themselves live in accounts.passwords (AWS's default policy, the
custom checks, reuse prevention and expiry); this module only reads and writes the policy.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from policies import authz

from .. import rules
from ..activity import operation
from ..errors import AccessDenied, NoSuchEntity, ReportNotPresent
from ..models import AccessKey, Account, CredentialReport, PasswordPolicy, User
from ..passwords import EffectivePolicy, may_change_own_password, password_expires_at
from ..principal import Caller

# The console's suggested values when a custom policy is first edited (its form defaults).
CONSOLE_DEFAULTS = {"minimum_password_length": 8}
REPORT_MAX_AGE = timedelta(hours=4)
UNUSED_DAYS = 90

CREDENTIAL_REPORT_COLUMNS = (
    "user", "arn", "user_creation_time", "password_enabled", "password_last_used", "password_last_changed",
    "password_next_rotation", "mfa_active",
    "access_key_1_active", "access_key_1_last_rotated", "access_key_1_last_used_date",
    "access_key_1_last_used_region", "access_key_1_last_used_service",
    "access_key_2_active", "access_key_2_last_rotated", "access_key_2_last_used_date",
    "access_key_2_last_used_region", "access_key_2_last_used_service",
    "cert_1_active", "cert_1_last_rotated", "cert_2_active", "cert_2_last_rotated",
)


# ------------------------------------------------------------------------ password policy


@operation("GetAccountPasswordPolicy", read_only=True)
def get_account_password_policy(caller: Caller) -> PasswordPolicy:
    """The custom policy; NoSuchEntity when the account uses AWS's default policy."""
    authz.require(caller, "iam:GetAccountPasswordPolicy", "*")
    policy = PasswordPolicy.objects.filter(account=caller.account).first()
    if policy is None:
        raise NoSuchEntity(f"The Password Policy with domain name {caller.account.account_id} cannot be found.")
    return policy


def _check_range(value: int | None, field: str, low: int, high: int) -> None:
    if value is None:
        return
    if value < low:
        raise rules.constraint_error(value, field, f"Member must have value greater than or equal to {low}")
    if value > high:
        raise rules.constraint_error(value, field, f"Member must have value less than or equal to {high}")


@operation("UpdateAccountPasswordPolicy")
def update_account_password_policy(
    caller: Caller,
    *,
    minimum_password_length: int | None = None,
    require_symbols: bool = False,
    require_numbers: bool = False,
    require_uppercase_characters: bool = False,
    require_lowercase_characters: bool = False,
    allow_users_to_change_password: bool = False,
    max_password_age: int | None = None,
    password_reuse_prevention: int | None = None,
    hard_expiry: bool = False,
) -> PasswordPolicy:
    """UpdateAccountPasswordPolicy: replaces the whole policy; an omitted parameter takes
    AWS's API default (minimum length 6, everything else off), as the API reference says."""
    authz.require(caller, "iam:UpdateAccountPasswordPolicy", "*")
    _check_range(minimum_password_length, "minimumPasswordLength", 6, 128)
    _check_range(max_password_age, "maxPasswordAge", 1, 1095)
    _check_range(password_reuse_prevention, "passwordReusePrevention", 1, 24)
    values = {
        "minimum_password_length": minimum_password_length or 6,
        "require_symbols": bool(require_symbols),
        "require_numbers": bool(require_numbers),
        "require_uppercase_characters": bool(require_uppercase_characters),
        "require_lowercase_characters": bool(require_lowercase_characters),
        "allow_users_to_change_password": bool(allow_users_to_change_password),
        "max_password_age": max_password_age or None,
        "password_reuse_prevention": password_reuse_prevention or None,
        "hard_expiry": bool(hard_expiry),
    }
    policy, _ = PasswordPolicy.objects.update_or_create(account=caller.account, defaults=values)
    _forget_cached_policy(caller.account)
    return policy


@operation("DeleteAccountPasswordPolicy")
def delete_account_password_policy(caller: Caller) -> None:
    """Back to AWS's default policy."""
    authz.require(caller, "iam:DeleteAccountPasswordPolicy", "*")
    deleted, _ = PasswordPolicy.objects.filter(account=caller.account).delete()
    if not deleted:
        raise NoSuchEntity("The account policy with name PasswordPolicy cannot be found.")
    _forget_cached_policy(caller.account)


def _forget_cached_policy(account: Account) -> None:
    # Django caches a reverse one-to-one on the instance; the next read must see the change.
    try:
        del account._state.fields_cache["password_policy"]
    except KeyError:
        pass


def effective_policy(account: Account) -> EffectivePolicy:
    return EffectivePolicy.for_account(account)


def authorize_change_password(caller: Caller, user: User) -> None:
    """iam:ChangePassword on the user's own ARN, where the account policy's "Allow users to
    change their own password" counts as an allow: an explicit deny still wins, an implicit
    deny does not (docs: id_credentials_passwords_enable-user-change.html)."""
    decision = authz.check(caller, "iam:ChangePassword", user.arn, resource_tags=user.tag_dict())
    if decision is None or decision.allowed:
        return
    if decision.decision != "explicitDeny" and may_change_own_password(user):
        return
    raise AccessDenied(
        authz.access_denied_message(caller, "iam:ChangePassword", user.arn, decision),
        decision=decision,
        action="iam:ChangePassword",
        resource=user.arn,
    )


# ---------------------------------------------------------------------- credential report


def _aws_time(moment: datetime | None) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00") if moment else ""


def _or(moment: datetime | None, sentinel: str) -> str:
    return _aws_time(moment) if moment else sentinel


def _key_columns(key: AccessKey | None) -> list[str]:
    if key is None:
        return ["false", "N/A", "N/A", "N/A", "N/A"]
    used = key.last_used_date
    return [
        "true" if key.status == AccessKey.Status.ACTIVE else "false",
        _aws_time(key.created),
        _or(used, "N/A"),
        (key.last_used_region or "N/A") if used else "N/A",
        (key.last_used_service or "N/A") if used else "N/A",
    ]


def credential_report_rows(account: Account) -> list[list[str]]:
    """The report's rows: root first (as `<root_account>`), then the IAM users by name.

    Three queries whatever the number of users: the users with their MFA count, and their keys.
    Sentinels as AWS documents them (id_credentials_getting-report.html): `not_supported` for
    the root's password columns AWS does not report, `N/A` where a credential does not exist,
    `no_information` for a password never used.
    """
    policy = EffectivePolicy.for_account(account)
    users = (
        User.objects.filter(account=account, kind__in=[User.Kind.ROOT, User.Kind.IAM]).select_related("account")
        .annotate(mfa_count=Count("totpdevice", filter=Q(totpdevice__confirmed=True)))
        .prefetch_related(Prefetch("access_keys", queryset=AccessKey.objects.order_by("created", "id")))
        .order_by("kind", "name")
    )
    rows: list[list[str]] = []
    root_rows: list[list[str]] = []
    for user in users:
        keys = list(user.access_keys.all())[:2]
        keys += [None] * (2 - len(keys))
        if user.is_root:
            row = [
                "<root_account>", user.arn, _aws_time(account.created), "not_supported",
                _or(user.password_last_used, "no_information"), "not_supported", "not_supported",
            ]
        else:
            has_password = user.has_usable_password()
            expires = password_expires_at(user, policy)
            row = [
                user.name, user.arn, _aws_time(user.created), "true" if has_password else "false",
                _or(user.password_last_used, "no_information") if has_password else "N/A",
                _aws_time(user.password_last_changed or user.login_profile_created or user.created) if has_password else "N/A",
                _aws_time(expires) if expires else "N/A",
            ]
        row.append("true" if user.mfa_count else "false")
        row += _key_columns(keys[0]) + _key_columns(keys[1])
        row += ["false", "N/A", "false", "N/A"]  # X.509 signing certificates are not modelled
        (root_rows if user.is_root else rows).append(row)
    return root_rows + rows


def build_credential_report(account: Account) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CREDENTIAL_REPORT_COLUMNS)
    writer.writerows(credential_report_rows(account))
    return buffer.getvalue()


@operation("GenerateCredentialReport")
def generate_credential_report(caller: Caller) -> str:
    """GenerateCredentialReport: "STARTED" when a new report is made, "COMPLETE" when the last
    one is less than 4 hours old (AWS then returns that one instead)."""
    authz.require(caller, "iam:GenerateCredentialReport", "*")
    report = CredentialReport.objects.select_for_update().filter(account=caller.account).first()
    now = timezone.now()
    if report is not None and now - report.generated < REPORT_MAX_AGE:
        return "COMPLETE"
    content = build_credential_report(caller.account)
    CredentialReport.objects.update_or_create(account=caller.account, defaults={"generated": now, "content": content})
    return "STARTED"


@operation("GetCredentialReport", read_only=True)
def get_credential_report(caller: Caller) -> CredentialReport:
    authz.require(caller, "iam:GetCredentialReport", "*")
    report = CredentialReport.objects.filter(account=caller.account).first()
    if report is None:
        raise ReportNotPresent(
            "The request was rejected because the credential report does not exist. "
            "To generate a credential report, use GenerateCredentialReport."
        )
    return report


def parse_report(content: str) -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(content)))
    return (rows[0], rows[1:]) if rows else (list(CREDENTIAL_REPORT_COLUMNS), [])


# ------------------------------------------------------------- dashboard recommendations


@dataclass(frozen=True)
class Recommendation:
    key: str
    title: str
    detail: str
    url_name: str
    action: str


def security_recommendations(account: Account, *, now: datetime | None = None) -> list[Recommendation]:
    """What the IAM dashboard's "Security recommendations" panel lists: only what still needs
    fixing, each with the page that fixes it. A constant number of queries."""
    now = now or timezone.now()
    stale = now - timedelta(days=UNUSED_DAYS)
    found: list[Recommendation] = []
    root = User.objects.filter(account=account, kind=User.Kind.ROOT).first()
    if root is not None and not TOTPDevice.objects.filter(user=root, confirmed=True).exists():
        found.append(Recommendation(
            "root-mfa", "Add MFA for root user",
            "Add MFA for the root user to improve security for this account.",
            "credentials:my_security_credentials", "Add MFA",
        ))
    if root is not None and AccessKey.objects.filter(user=root, status=AccessKey.Status.ACTIVE).exists():
        found.append(Recommendation(
            "root-keys", "Root user has active access keys",
            "Deactivate or delete the root user's access keys; use IAM users or roles for programmatic access.",
            "credentials:my_security_credentials", "Manage access keys",
        ))
    iam_users = User.objects.filter(account=account, kind=User.Kind.IAM)
    without_mfa = (
        iam_users.exclude(password__startswith="!")
        .annotate(mfa=Count("totpdevice", filter=Q(totpdevice__confirmed=True)))
        .filter(mfa=0)
        .count()
    )
    if without_mfa:
        found.append(Recommendation(
            "users-mfa", f"{without_mfa} IAM user{'s' if without_mfa != 1 else ''} with console access without MFA",
            "Assign an MFA device to each IAM user who signs in to the console.",
            "users:list", "View users",
        ))
    keys = AccessKey.objects.filter(user__account=account, user__kind=User.Kind.IAM, status=AccessKey.Status.ACTIVE)
    old_keys = keys.filter(created__lt=stale).filter(Q(last_used_date__isnull=True) | Q(last_used_date__lt=stale)).count()
    unrotated = keys.filter(created__lt=stale).count()
    if unrotated:
        found.append(Recommendation(
            "keys-unrotated",
            f"{unrotated} active access key{'s' if unrotated != 1 else ''} not rotated for {UNUSED_DAYS} days or more"
            + (f" ({old_keys} also unused)" if old_keys else ""),
            "Rotate access keys regularly, and delete keys that are no longer used.",
            "credentials:credential_report", "View credential report",
        ))
    unused_passwords = (
        iam_users.exclude(password__startswith="!")
        .filter(Q(password_last_used__lt=stale) | Q(password_last_used__isnull=True, created__lt=stale))
        .count()
    )
    if unused_passwords:
        found.append(Recommendation(
            "passwords-unused",
            f"{unused_passwords} console password{'s' if unused_passwords != 1 else ''} unused for {UNUSED_DAYS} days or more",
            "Remove console access from IAM users who no longer sign in.",
            "credentials:credential_report", "View credential report",
        ))
    return found


def report_age(report: CredentialReport, now: datetime | None = None) -> timedelta:
    return (now or timezone.now()) - report.generated


__all__: list[Any] = [
    "CREDENTIAL_REPORT_COLUMNS",
    "authorize_change_password",
    "build_credential_report",
    "delete_account_password_policy",
    "generate_credential_report",
    "get_account_password_policy",
    "get_credential_report",
    "security_recommendations",
    "update_account_password_policy",
]
