"""Lab sandbox accounts: creation (management command `create_sandbox`) and the instructor's
reset (`POST /api/sandbox/<account id>/reset` with `Authorization: Bearer <token>`).

A reset returns the account to empty (no users, groups, roles, instance profiles, customer
managed policies, identity providers, alias, password policy, credential report, MFA devices,
temporary credentials) and keeps the account ID, the root user and its sign-in, the lab's
root access key and the AWS managed policies (they belong to no account). It deletes in bulk
inside one transaction, so it takes a constant number of queries and is idempotent.
"""

from __future__ import annotations

import hmac
import secrets

from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.models import (
    AccessKey,
    Account,
    ActivityEvent,
    CredentialReport,
    Group,
    InstanceProfile,
    PasswordPolicy,
    Role,
    User,
)
from accounts.principal import Caller
from policies.models import InlinePolicy, ManagedPolicy, PolicyAttachment

from .models import (
    AccessReportJob,
    AccountPreferences,
    OpenIDConnectProvider,
    RoleSession,
    SAMLProvider,
    SandboxAccount,
    token_digest,
)


def create_sandbox(*, email: str, name: str, password: str, account_id: str | None = None) -> tuple[User, AccessKey, str, str]:
    """(root user, root access key, its secret, reset token). The account ID is kept when given."""
    with transaction.atomic():
        root = services.create_account(email, name, password)
        account = root.account
        if account_id:
            if Account.objects.filter(account_id=account_id).exclude(pk=account.pk).exists():
                raise ValueError(f"Account {account_id} already exists.")
            account.account_id = account_id
            account.save(update_fields=["account_id"])
            root.refresh_from_db()
        key, secret = services.create_access_key(Caller(account=account, user=root, console=False))
        token = secrets.token_urlsafe(32)
        SandboxAccount.objects.create(account=account, reset_token_sha256=token_digest(token),
                                      lab_access_key_id=key.access_key_id)
    return root, key, secret, token


def new_reset_token(account: Account) -> str:
    token = secrets.token_urlsafe(32)
    SandboxAccount.objects.update_or_create(account=account, defaults={"reset_token_sha256": token_digest(token)})
    return token


def reset_account(account: Account, *, keep_access_key_id: str = "") -> dict[str, int]:
    """Empty the account (see the module docstring). Returns counts of what was removed."""
    counts: dict[str, int] = {}
    with transaction.atomic():
        iam_users = User.objects.filter(account=account, kind=User.Kind.IAM)
        counts["sessions"] = RoleSession.objects.filter(account=account).delete()[0]
        PolicyAttachment.objects.filter(user__account=account).delete()
        PolicyAttachment.objects.filter(group__account=account).delete()
        PolicyAttachment.objects.filter(role__account=account).delete()
        InlinePolicy.objects.filter(user__account=account).delete()
        InlinePolicy.objects.filter(group__account=account).delete()
        InlinePolicy.objects.filter(role__account=account).delete()
        counts["instance_profiles"] = InstanceProfile.objects.filter(account=account).delete()[0]
        counts["groups"] = Group.objects.filter(account=account).delete()[0]
        counts["roles"] = Role.objects.filter(account=account).delete()[0]
        TOTPDevice.objects.filter(user__account=account).delete()
        keys = AccessKey.objects.filter(user__account=account)
        if keep_access_key_id:
            keys = keys.exclude(access_key_id=keep_access_key_id, user__kind=User.Kind.ROOT)
        keys.delete()
        counts["users"] = iam_users.delete()[0]
        counts["policies"] = ManagedPolicy.objects.filter(account=account).delete()[0]
        OpenIDConnectProvider.objects.filter(account=account).delete()
        SAMLProvider.objects.filter(account=account).delete()
        AccessReportJob.objects.filter(account=account).delete()
        AccountPreferences.objects.filter(account=account).delete()
        PasswordPolicy.objects.filter(account=account).delete()
        CredentialReport.objects.filter(account=account).delete()
        ActivityEvent.objects.filter(account=account).delete()
        Account.objects.filter(pk=account.pk).update(alias=None)
        SandboxAccount.objects.filter(account=account).update(last_reset=timezone.now())
    return counts


def reset_view(request: HttpRequest, account_id: str) -> HttpResponse:
    if request.method != "POST":
        return JsonResponse({"error": "Use POST."}, status=405, headers={"Allow": "POST"})
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return JsonResponse({"error": "Authorization: Bearer <token> required."}, status=401,
                            headers={"WWW-Authenticate": "Bearer"})
    sandbox = SandboxAccount.objects.select_related("account").filter(account__account_id=account_id).first()
    if sandbox is None or not hmac.compare_digest(sandbox.reset_token_sha256, token_digest(token.strip())):
        return JsonResponse({"error": "Invalid token for this account."}, status=403)
    counts = reset_account(sandbox.account, keep_access_key_id=sandbox.lab_access_key_id)
    return JsonResponse({"account_id": account_id, "reset": True, "removed": counts})
