"""STS operations: AssumeRole, GetSessionToken, GetCallerIdentity, GetAccessKeyInfo
(https://docs.aws.amazon.com/STS/latest/APIReference/), and the lookup of temporary
credentials for the request verifier.

Temporary credentials are `api.models.RoleSession` rows: an `ASIA...` key ID, the secret kept
encrypted like long-term secrets (accounts/crypto.py), the session token stored as its SHA-256.
"""

from __future__ import annotations

import functools
import json
import re
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import mfa, rules
from accounts.activity import record_event
from accounts.crypto import encrypt_text
from accounts.errors import AccessDenied, IAMError, MalformedPolicyDocument, ValidationError
from accounts.models import AccessKey, Role
from accounts.principal import Caller

from .credentials import new_secret_access_key

F = TypeVar("F", bound=Callable[..., Any])

STS_SOURCE = "sts.amazonaws.com"
SESSION_NAME_PATTERN = r"[\w+=,.@-]*"
ROLE_ARN = re.compile(r"^arn:aws:iam::(\d{12}):role/(?:[\u0021-\u007E]*/)?([\w+=,.@-]+)$")
MAX_SESSION_POLICY_CHARS = 2048  # the Policy member of AssumeRole (botocore sessionPolicyDocumentType)
MAX_POLICY_ARNS = 10
MAX_SESSION_TAGS = 50
CHAINED_MAX_SECONDS = 3600
EMPTY_SESSION_POLICY = '{"Version": "2012-10-17", "Statement": []}'


def sts_operation(event_name: str) -> Callable[[F], F]:
    """Like accounts.activity.operation (one transaction, an activity event for success and
    failure), with STS as the event source."""

    def decorate(function: F) -> F:
        @functools.wraps(function)
        def wrapper(caller: Caller, *args: Any, **kwargs: Any) -> Any:
            try:
                with transaction.atomic():
                    result = function(caller, *args, **kwargs)
                    record_event(caller.account, event_name, caller=caller, resource=caller.last_resource,
                                 event_source=STS_SOURCE)
                    return result
            except IAMError as error:
                record_event(caller.account, event_name, caller=caller, resource=caller.last_resource, error=error,
                             event_source=STS_SOURCE)
                raise

        wrapper.event_name = event_name  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate


@dataclass
class IssuedCredentials:
    session: Any  # api.models.RoleSession
    secret_access_key: str
    session_token: str
    packed_policy_size: int | None = None


def _new_session_token() -> str:
    # Opaque; AWS's are long base64 strings. Only the digest is stored.
    return "IQoJb3JpZ2luX2VjE" + secrets.token_urlsafe(150)


def _issue(caller: Caller, *, duration: int, **fields: Any) -> IssuedCredentials:
    from api.models import RoleSession, token_digest  # noqa: PLC0415 - api depends on accounts, not the reverse at import

    secret = new_secret_access_key()
    token = _new_session_token()
    now = timezone.now()
    session = RoleSession.objects.create(
        secret_encrypted=encrypt_text(secret),
        token_sha256=token_digest(token),
        created=now,
        expiration=now + timedelta(seconds=duration),
        **fields,
    )
    return IssuedCredentials(session, secret, token)


def _duration(value: Any, *, minimum: int, maximum: int, default: int) -> int:
    if value is None:
        return min(default, maximum)
    seconds = int(value)
    if seconds < minimum:
        raise rules.constraint_error(seconds, "durationSeconds", f"Member must have value greater than or equal to {minimum}")
    return seconds


def _check_mfa(caller: Caller, serial_number: str | None, token_code: str | None) -> bool:
    """True when a correct MFA code of the caller's own assigned device was given."""
    if not serial_number and not token_code:
        return False
    if token_code is not None and not re.fullmatch(r"\d{6}", str(token_code)):
        raise rules.constraint_error(token_code, "tokenCode", "Member must satisfy regular expression pattern: [\\d]*")
    if not serial_number or not token_code:
        raise AccessDenied("MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA "
                           "serial number is valid and associated with this user.")
    user = caller.user
    name = mfa.device_name_from_serial(serial_number, caller.account.account_id)
    device = None
    if user is not None and name:
        device = TOTPDevice.objects.filter(user=user, name__iexact=name, confirmed=True).first()
    if device is None:
        raise AccessDenied("MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA "
                           "serial number is valid and associated with this user.")
    if not device.verify_token(str(token_code)):
        raise AccessDenied("MultiFactorAuthentication failed with invalid MFA one time pass code. ")
    return True


def _clean_session_tags(tags: Sequence[Mapping[str, str]] | None, transitive: Sequence[str] | None) -> tuple[list, list]:
    clean = []
    for tag in tags or ():
        key, value = str(tag.get("Key", "")), str(tag.get("Value", ""))
        rules.check_length(key, "tags.member.key", 1, rules.MAX_TAG_KEY)
        rules.check_length(value, "tags.member.value", 0, rules.MAX_TAG_VALUE)
        clean.append({"Key": key, "Value": value})
    if len(clean) > MAX_SESSION_TAGS:
        raise rules.constraint_error(clean, "tags", f"Member must have length less than or equal to {MAX_SESSION_TAGS}")
    keys = {t["Key"].lower() for t in clean}
    if len(keys) != len(clean):
        raise ValidationError("Duplicate tag keys found. Please note that Tag keys are case insensitive.")
    transitive = list(transitive or ())
    for key in transitive:
        if key.lower() not in keys:
            raise ValidationError("The specified transitive tag key must be included in the requested tags.")
    return clean, transitive


def _session_policy(policy: str | None, policy_arns: Sequence[Any] | None) -> tuple[str, list[str], int | None]:
    from policies.evaluation import PolicyParseError, parse_policy  # noqa: PLC0415

    text = policy or ""
    if text:
        rules.check_length(text, "policy", 1, MAX_SESSION_POLICY_CHARS)
        try:
            parse_policy(text)
        except PolicyParseError:
            raise MalformedPolicyDocument("Syntax errors in policy.") from None
    arns = [item["arn"] if isinstance(item, Mapping) else str(item) for item in policy_arns or ()]
    if len(arns) > MAX_POLICY_ARNS:
        raise rules.constraint_error(arns, "policyArns", f"Member must have length less than or equal to {MAX_POLICY_ARNS}")
    for arn in arns:
        rules.check_length(arn, "policyArns.member.arn", 20, 2048)
    packed = None
    if text or arns:
        compact = json.dumps(json.loads(text), separators=(",", ":")) if text else ""
        packed = max(1, round(100 * (len(compact) + 50 * len(arns)) / MAX_SESSION_POLICY_CHARS))
    return text, arns, packed


@sts_operation("AssumeRole")
def assume_role(
    caller: Caller,
    role_arn: str,
    role_session_name: str,
    *,
    policy: str | None = None,
    policy_arns: Sequence[Any] | None = None,
    duration_seconds: int | None = None,
    external_id: str | None = None,
    serial_number: str | None = None,
    token_code: str | None = None,
    tags: Sequence[Mapping[str, str]] | None = None,
    transitive_tag_keys: Sequence[str] | None = None,
    source_identity: str | None = None,
    region: str = "",
) -> IssuedCredentials:
    """AssumeRole: the role's trust policy (a resource-based policy) and the caller's identity
    policies are evaluated together by the engine (same account: either may allow; another
    account: both must), with sts:ExternalId, sts:RoleSessionName, aws:MultiFactorAuthPresent,
    session tags and source identity in the request context."""
    from policies import authz  # noqa: PLC0415 - policies depends on accounts
    from policies.evaluation import PolicyParseError, parse_policy  # noqa: PLC0415

    rules.check_length(role_arn or "", "roleArn", 20, 2048)
    rules.check_length(role_session_name or "", "roleSessionName", 2, 64)
    rules.check_pattern(role_session_name, "roleSessionName", SESSION_NAME_PATTERN)
    if external_id is not None:
        rules.check_length(external_id, "externalId", 2, 1224)
        rules.check_pattern(external_id, "externalId", r"[\w+=,.@:/-]*")
    if source_identity is not None:
        rules.check_length(source_identity, "sourceIdentity", 2, 64)
        if source_identity.lower().startswith("aws:"):
            raise ValidationError("SourceIdentity cannot be prefixed with 'aws:'.")
    if caller.is_root:
        caller.last_resource = role_arn
        raise AccessDenied("Roles may not be assumed by root accounts.")
    text, arns, packed = _session_policy(policy, policy_arns)
    clean_tags, transitive = _clean_session_tags(tags, transitive_tag_keys)
    tags_given = bool(clean_tags or transitive)
    parent = caller.session
    chained = caller.role_session is not None
    if chained and parent.transitive_tag_keys:
        inherited = [t for t in parent.tags if t["Key"] in parent.transitive_tag_keys]
        given = {t["Key"].lower() for t in clean_tags}
        clean_tags = [t for t in inherited if t["Key"].lower() not in given] + clean_tags
        transitive = sorted(set(transitive) | set(parent.transitive_tag_keys))
    if chained and parent.source_identity:
        if source_identity and source_identity != parent.source_identity:
            raise AccessDenied("SourceIdentity cannot be changed in a role chain.")
        source_identity = parent.source_identity

    match = ROLE_ARN.match(role_arn)
    role = None
    if match:
        role = Role.objects.select_related("account").filter(
            account__account_id=match.group(1), name__iexact=match.group(2)
        ).first()
    if role is None or role.arn != role_arn:
        caller.last_resource = role_arn
        raise AccessDenied(f"User: {caller.arn} is not authorized to perform: sts:AssumeRole on resource: {role_arn}")
    mfa_present = _check_mfa(caller, serial_number, token_code) or caller.mfa_authenticated_at is not None
    context: dict[str, Any] = {"sts:RoleSessionName": role_session_name}
    if external_id is not None:
        context["sts:ExternalId"] = external_id
    if mfa_present:
        context["aws:MultiFactorAuthPresent"] = "true"
        context.setdefault("aws:MultiFactorAuthAge", "0")
    if source_identity:
        context["sts:SourceIdentity"] = source_identity
    if clean_tags:
        for tag in clean_tags:
            context[f"aws:RequestTag/{tag['Key']}"] = tag["Value"]
        context["aws:TagKeys"] = [t["Key"] for t in clean_tags]
    if transitive:
        context["sts:TransitiveTagKeys"] = transitive
    try:
        trust = ("trust policy", parse_policy(role.trust_policy))
    except PolicyParseError:
        trust = None
    kwargs = {"resource_tags": role.tag_dict(), "context": context, "resource_policy": trust,
              "resource_account": role.account.account_id}
    authz.require(caller, "sts:AssumeRole", role.arn, **kwargs)
    if tags_given:  # tags passed on explicitly; inherited transitive tags need no sts:TagSession
        authz.require(caller, "sts:TagSession", role.arn, **kwargs)
    if source_identity and not (chained and parent.source_identity):
        authz.require(caller, "sts:SetSourceIdentity", role.arn, **kwargs)
    caller.last_resource = role.arn

    maximum = CHAINED_MAX_SECONDS if chained else role.max_session_duration
    duration = _duration(duration_seconds, minimum=900, maximum=maximum, default=3600)
    if duration > maximum:
        if chained:
            raise ValidationError("The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by "
                                  "role chaining.")
        raise ValidationError("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.")

    issued = _issue(
        caller,
        duration=duration,
        account=role.account,
        role=role,
        source_arn=caller.arn,
        session_name=role_session_name,
        session_policy=text,
        policy_arns=arns,
        mfa_authenticated=mfa_present,
        source_identity=source_identity or "",
        tags=clean_tags,
        transitive_tag_keys=transitive,
        chained=chained,
    )
    issued.packed_policy_size = packed if (packed or clean_tags) else None
    if issued.packed_policy_size is None and clean_tags:
        issued.packed_policy_size = 1
    Role.objects.filter(pk=role.pk).update(last_used=issued.session.created, last_used_region=region[:32])
    return issued


@sts_operation("GetSessionToken")
def get_session_token(
    caller: Caller,
    *,
    duration_seconds: int | None = None,
    serial_number: str | None = None,
    token_code: str | None = None,
) -> IssuedCredentials:
    """GetSessionToken: temporary credentials for the IAM user (or root) itself, with MFA when
    a serial number and code are given. 15 minutes to 36 hours (root: at most 1 hour)."""
    caller.last_resource = caller.arn
    if caller.session is not None:
        raise AccessDenied("Cannot call GetSessionToken with session credentials")
    if caller.user is None:
        raise AccessDenied("Cannot call GetSessionToken with session credentials")
    maximum = 3600 if caller.is_root else 129600
    duration = _duration(duration_seconds, minimum=900, maximum=maximum, default=3600 if caller.is_root else 43200)
    if duration > maximum:
        raise rules.constraint_error(duration, "durationSeconds", f"Member must have value less than or equal to {maximum}")
    mfa_present = _check_mfa(caller, serial_number, token_code)
    return _issue(caller, duration=min(duration, maximum), account=caller.account, user=caller.user,
                  source_arn=caller.arn, mfa_authenticated=mfa_present)


@dataclass(frozen=True)
class CallerIdentity:
    user_id: str
    account: str
    arn: str


@sts_operation("GetCallerIdentity")
def get_caller_identity(caller: Caller) -> CallerIdentity:
    """GetCallerIdentity: needs no permission; an explicit deny cannot stop it (AWS)."""
    caller.last_resource = caller.arn
    session = caller.role_session
    if session is not None:
        user_id = session.assumed_role_id
    elif caller.is_root:
        user_id = caller.account.account_id
    else:
        user_id = caller.user.unique_id if caller.user else ""
    return CallerIdentity(user_id, caller.account.account_id, caller.arn)


@sts_operation("GetAccessKeyInfo")
def get_access_key_info(caller: Caller, access_key_id: str) -> str:
    """GetAccessKeyInfo: the account that owns a key ID (long-term or temporary)."""
    from api.models import RoleSession  # noqa: PLC0415

    rules.check_length(access_key_id or "", "accessKeyId", 16, 128)
    key = AccessKey.objects.select_related("user__account").filter(access_key_id=access_key_id).first()
    if key is not None:
        return key.user.account.account_id
    session = RoleSession.objects.select_related("account").filter(access_key_id=access_key_id).first()
    if session is not None:
        return session.account.account_id
    raise ValidationError(f"The access key ID {access_key_id} is not valid.")


def expire_sessions(account: Any) -> int:
    """Delete every temporary credential of an account (instructor reset); returns how many."""
    from api.models import RoleSession  # noqa: PLC0415

    deleted, _ = RoleSession.objects.filter(account=account).delete()
    return deleted


def purge_expired(before: datetime | None = None) -> int:
    from api.models import RoleSession  # noqa: PLC0415

    deleted, _ = RoleSession.objects.filter(expiration__lt=before or timezone.now()).delete()
    return deleted
