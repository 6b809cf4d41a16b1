"""Account-level operations: sign-up, account alias, sign-in records, own password.

Each operation is named after the AWS operation, takes the acting Caller first, authorizes
through policies.authz, validates with AWS's rules, writes in one transaction and records an
activity event (see accounts.activity.operation).
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from policies import authz

from .. import rules
from ..activity import operation, record_event
from ..errors import AccessDenied, EntityAlreadyExists, InvalidUserType, NoSuchEntity, ValidationError
from ..models import Account, User
from ..passwords import check_password
from ..principal import Caller


def root_login(email: str) -> str:
    return f"root:{email.strip().lower()}"


def iam_login(account: Account, user_name: str) -> str:
    return f"iam:{account.account_id}:{user_name.lower()}"


def create_account(email: str, account_name: str, password: str) -> User:
    """Sign-up ("Create an AWS account"): the account and its root user, in one transaction."""
    email = email.strip()
    if not email or "@" not in email:
        raise ValidationError("Enter a valid email address.")
    account_name = account_name.strip()
    rules.check_length(account_name, "accountName", 1, 50)
    if User.objects.filter(login=root_login(email)).exists():
        raise EntityAlreadyExists("An AWS account with this email address already exists.")
    with transaction.atomic():
        account = Account.objects.create(name=account_name)
        check_password(password, account, email=email)
        root = User(login=root_login(email), kind=User.Kind.ROOT, account=account, email=email)
        root.set_password(password)
        root.password_last_changed = timezone.now()
        try:
            root.save()
        except IntegrityError as error:  # two sign-ups racing for one email
            raise EntityAlreadyExists("An AWS account with this email address already exists.") from error
        record_event(account, "CreateAccount", actor_arn=account.root_arn, actor_name="root", resource=account.root_arn,
                     event_source="signin.amazonaws.com")
    return root


def find_account(id_or_alias: str) -> Account | None:
    """The account a sign-in names, by 12-digit ID (dashes allowed, as the console shows it) or alias."""
    value = (id_or_alias or "").strip()
    digits = value.replace("-", "")
    if digits.isdigit():
        return Account.objects.filter(account_id=digits).first()
    return Account.objects.filter(alias=value.lower()).first() if value else None


def record_console_login(
    account: Account,
    *,
    user: User | None,
    success: bool,
    source_ip: str | None,
    user_agent: str = "",
    mfa_used: bool = False,
    failure_reason: str = "",
) -> None:
    """A ConsoleLogin event as CloudTrail writes it; an unknown user name is never recorded
    (CloudTrail writes HIDDEN_DUE_TO_SECURITY_REASONS)."""
    if user is not None:
        actor_arn, actor_name = user.arn, ("root" if user.is_root else user.name)
    else:
        actor_arn, actor_name = "", "HIDDEN_DUE_TO_SECURITY_REASONS"
    record_event(
        account,
        "ConsoleLogin",
        event_source="signin.amazonaws.com",
        actor_arn=actor_arn,
        actor_name=actor_name,
        resource=actor_arn,
        error=None if success else AccessDenied(failure_reason or "Failed authentication"),
        source_ip=source_ip,
        user_agent=user_agent,
        mfa_used=mfa_used,
    )


@operation("CreateAccountAlias")
def create_account_alias(caller: Caller, alias: str) -> Account:
    authz.require(caller, "iam:CreateAccountAlias", "*")
    rules.check_account_alias(alias)
    account = Account.objects.select_for_update().get(pk=caller.account.pk)
    if Account.objects.filter(alias=alias).exclude(pk=account.pk).exists():
        raise EntityAlreadyExists(f"The account alias {alias} already exists.")
    # An account has at most one alias: a new one replaces the old, as the console's Edit does.
    account.alias = alias
    try:
        with transaction.atomic():
            account.save(update_fields=["alias"])
    except IntegrityError as error:
        raise EntityAlreadyExists(f"The account alias {alias} already exists.") from error
    caller.account.alias = alias
    return account


@operation("DeleteAccountAlias")
def delete_account_alias(caller: Caller, alias: str) -> None:
    authz.require(caller, "iam:DeleteAccountAlias", "*")
    account = Account.objects.select_for_update().get(pk=caller.account.pk)
    if not alias or account.alias != alias:
        raise NoSuchEntity(f"The account alias {alias} cannot be found.")
    account.alias = None
    account.save(update_fields=["alias"])
    caller.account.alias = None


@operation("ChangePassword")
def change_password(caller: Caller, old_password: str, new_password: str) -> None:
    """The signed-in principal changes its own console password."""
    user = caller.user
    if user is None or not user.is_principal:
        raise InvalidUserType("Only IAM users and the root user can change their own password.")
    if user.is_iam_user:
        # The policy's "Allow users to change their own password" is an allow an explicit deny beats.
        from .password_policy import authorize_change_password

        authorize_change_password(caller, user)
    else:
        caller.last_resource = user.arn
    rules.check_length(new_password, "newPassword", 1, 128)
    if not user.check_password(old_password):
        raise AccessDenied("The old password is incorrect.")
    if old_password == new_password:
        raise ValidationError("The new password must be different from the old password.")
    check_password(new_password, caller.account, email=user.email, user=user)
    user.set_password(new_password)
    user.password_reset_required = False
    user.password_last_changed = timezone.now()
    user.save(update_fields=["password", "password_reset_required", "password_last_changed"])
