"""IAM users: CreateUser, GetUser, ListUsers, UpdateUser, DeleteUser, user tags and login profiles.

One function per AWS operation, acting Caller first, decorated with `operation` (one
transaction + an activity event). Each authorizes with the IAM action AWS uses for the API call
(Service Authorization Reference: every user action but ListUsers names the `user` resource;
ListUsers has no resource type, so it is authorized on "*"), validates with AWS's rules and
wording, and raises the typed errors of accounts.errors.

`create_user_console` and `delete_user_console` do what the console's create-user wizard and
Delete button do: several of these operations (and the groups/policies helpers' ones), each
authorized on its own, inside one transaction.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from policies import authz

from .. import rules
from ..activity import operation, record_event
from ..errors import (
    DeleteConflict,
    EntityAlreadyExists,
    IAMError,
    InvalidInput,
    LimitExceeded,
    NoSuchEntity,
    ValidationError,
)
from ..models import AccessKey, Account, User, iam_arn, new_unique_id
from ..passwords import check_password, generate_password
from ..principal import Caller
from ..tags import tag_context, validate_tags  # noqa: F401 (re-exported for callers of this module)
from .account import iam_login

CHANGE_PASSWORD_POLICY = "IAMUserChangePassword"


# ----------------------------------------------------------------------------------- helpers


def user_arn(account: Account, path: str, name: str) -> str:
    return iam_arn(account.account_id, "user", path or "/", name)


def _find_user(caller: Caller, user_name: str, *, for_update: bool = False) -> User | None:
    queryset = User.objects.all()
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    user = queryset.filter(account=caller.account, kind=User.Kind.IAM, name__iexact=user_name or "").first()
    if user is not None:
        user.account = caller.account  # the account the query is scoped by: no join needed
    return user


def _no_such_user(user_name: str) -> NoSuchEntity:
    return NoSuchEntity(f"The user with name {user_name} cannot be found.")


def _authorized_user(
    caller: Caller,
    action: str,
    user_name: str,
    *,
    context: Mapping[str, Any] | None = None,
    for_update: bool = False,
) -> User:
    """Find the caller's account's user and authorize `action` on it.

    Authorization comes first, as on AWS: a caller without permission learns nothing about
    whether the user exists (a missing user is authorized on its path-less ARN, then reported
    as NoSuchEntity). Another account's user is simply not found.
    """
    user = _find_user(caller, user_name, for_update=for_update)
    if user is None:
        authz.require(caller, action, user_arn(caller.account, "/", user_name or ""), context=context)
        raise _no_such_user(user_name)
    authz.require(caller, action, user.arn, resource_tags=user.tag_dict(), context=context)
    return user


def _validate_user_name(user_name: str, field_name: str = "userName") -> str:
    return rules.check_name(user_name, field_name, 64, rules.USER_NAME_PATTERN)


def _managed_policy_by_arn(account: Account, policy_arn: str):
    """The managed policy an ARN names, visible from this account (its own or AWS managed)."""
    from policies.models import ManagedPolicy

    match = re.fullmatch(r"arn:aws:iam::(aws|\d{12}):policy(/(?:.*/)?)([^/]+)", policy_arn or "")
    if match is None:
        raise InvalidInput(f"ARN {policy_arn} is not valid.")
    owner, path, name = match.groups()
    if owner == "aws":
        policy = ManagedPolicy.objects.filter(account__isnull=True, path=path, name=name).first()
    elif owner == account.account_id:
        policy = ManagedPolicy.objects.select_related("account").filter(account=account, path=path, name=name).first()
    else:
        policy = None
    if policy is None or not policy.attachable:
        raise NoSuchEntity(f"Policy {policy_arn} does not exist or is not attachable.")
    return policy


def _mfa_device_count(user: User) -> int:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    # Only assigned (confirmed) devices block DeleteUser; an unassigned virtual device is the
    # account's, merely held by the user who created it.
    return TOTPDevice.objects.filter(user=user, confirmed=True).count()


# ---------------------------------------------------------------------------------- users


@operation("CreateUser")
def create_user(
    caller: Caller,
    user_name: str,
    path: str = "/",
    tags: Sequence[Mapping[str, str]] | None = None,
    permissions_boundary: str | None = None,
) -> User:
    """CreateUser (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateUser.html)."""
    user_name = _validate_user_name(user_name)
    path = rules.check_path(path)
    cleaned_tags = validate_tags(tags)
    if permissions_boundary is not None:
        rules.check_length(permissions_boundary, "permissionsBoundary", 20, 2048)
    arn = user_arn(caller.account, path, user_name)
    context = tag_context(cleaned_tags) if cleaned_tags else {}
    if permissions_boundary:
        context["iam:PermissionsBoundary"] = permissions_boundary
    authz.require(caller, "iam:CreateUser", arn, context=context)
    if cleaned_tags:
        # Tagging on create needs iam:TagUser as well (id_tags_users.html#id_tags_access-control).
        authz.require(caller, "iam:TagUser", arn, context=tag_context(cleaned_tags))
        caller.last_resource = arn
    # Lock the account row: the uniqueness and quota checks must see concurrent creations.
    # (SQLite has no row locks: its BEGIN IMMEDIATE write transactions are serialized already.)
    if connection.features.has_select_for_update:
        Account.objects.select_for_update().filter(pk=caller.account.pk).first()
    if _find_user(caller, user_name) is not None:
        raise EntityAlreadyExists(f"User with name {user_name} already exists.")
    count = User.objects.filter(account=caller.account, kind=User.Kind.IAM).count()
    if count >= rules.MAX_USERS_PER_ACCOUNT:
        raise LimitExceeded(f"Cannot exceed quota for UsersPerAccount: {rules.MAX_USERS_PER_ACCOUNT}.")
    boundary = _managed_policy_by_arn(caller.account, permissions_boundary) if permissions_boundary else None
    user = User(
        login=iam_login(caller.account, user_name),
        kind=User.Kind.IAM,
        account=caller.account,
        name=user_name,
        path=path,
        unique_id=new_unique_id("AIDA"),
        tags=cleaned_tags,
    )
    user.set_unusable_password()
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as error:
        raise EntityAlreadyExists(f"User with name {user_name} already exists.") from error
    if boundary is not None:
        from policies.models import PolicyAttachment

        PolicyAttachment.objects.create(policy=boundary, kind=PolicyAttachment.Kind.BOUNDARY, user=user)
    caller.last_resource = arn
    return user


@operation("GetUser", read_only=True)
def get_user(caller: Caller, user_name: str | None = None) -> User:
    """GetUser; without a name, the calling IAM user itself (as AWS does)."""
    if not user_name:
        if caller.user is None or not caller.user.is_iam_user:
            raise ValidationError("Must specify userName when calling with non-User credentials")
        user_name = caller.user.name
    return _authorized_user(caller, "iam:GetUser", user_name)


@operation("ListUsers", read_only=True)
def list_users(caller: Caller, path_prefix: str = "/") -> QuerySet[User]:
    """ListUsers: a lazy queryset (ordered by name) that views annotate and page."""
    path_prefix = path_prefix or "/"
    rules.check_length(path_prefix, "pathPrefix", 1, 512)
    authz.require(caller, "iam:ListUsers", "*")
    return (
        User.objects.filter(account=caller.account, kind=User.Kind.IAM, path__startswith=path_prefix)
        .select_related("account")
        .order_by("name")
    )


@operation("UpdateUser")
def update_user(caller: Caller, user_name: str, new_user_name: str | None = None, new_path: str | None = None) -> User:
    """UpdateUser: renaming needs permission on the user under both its old and its new name."""
    if new_user_name is not None:
        new_user_name = _validate_user_name(new_user_name, "newUserName")
    if new_path is not None:
        new_path = rules.check_path(new_path, "newPath")
    user = _authorized_user(caller, "iam:UpdateUser", user_name, for_update=True)
    target_name = new_user_name or user.name
    target_path = new_path or user.path
    new_arn = user_arn(caller.account, target_path, target_name)
    if new_arn != user.arn:
        authz.require(caller, "iam:UpdateUser", new_arn, resource_tags=user.tag_dict())
    if target_name.lower() != user.name.lower() and _find_user(caller, target_name) is not None:
        raise EntityAlreadyExists(f"User with name {target_name} already exists.")
    user.name = target_name
    user.path = target_path
    user.login = iam_login(caller.account, target_name)
    try:
        with transaction.atomic():
            user.save(update_fields=["name", "path", "login"])
    except IntegrityError as error:
        raise EntityAlreadyExists(f"User with name {target_name} already exists.") from error
    return user


def delete_conflicts(user: User) -> list[str]:
    """What still hangs off a user, in the order AWS's DeleteUser reports it (each its own message)."""
    from policies.models import InlinePolicy, PolicyAttachment

    conflicts = []
    if user.has_login_profile:
        conflicts.append("Cannot delete entity, must delete login profile first.")
    if AccessKey.objects.filter(user=user).exists():
        conflicts.append("Cannot delete entity, must delete access keys first.")
    if _mfa_device_count(user):
        conflicts.append("Cannot delete entity, must delete MFA device first.")
    if PolicyAttachment.objects.filter(user=user, kind=PolicyAttachment.Kind.PERMISSIONS).exists():
        conflicts.append("Cannot delete entity, must detach all policies first.")
    if InlinePolicy.objects.filter(user=user).exists():
        conflicts.append("Cannot delete entity, must delete policies first.")
    if user.memberships.exists():
        conflicts.append("Cannot delete entity, must remove users from group first.")
    return conflicts


@operation("DeleteUser")
def delete_user(caller: Caller, user_name: str) -> None:
    """DeleteUser: refuses (DeleteConflict) while the user still has a password, access keys,
    MFA devices, policies or group memberships (API_DeleteUser.html)."""
    user = _authorized_user(caller, "iam:DeleteUser", user_name, for_update=True)
    conflicts = delete_conflicts(user)
    if conflicts:
        raise DeleteConflict(conflicts[0])
    user.delete()


# ----------------------------------------------------------------------------------- tags


@operation("TagUser")
def tag_user(caller: Caller, user_name: str, tags: Sequence[Mapping[str, str]]) -> User:
    """TagUser: adds tags; a key that exists already gets the new value."""
    cleaned = validate_tags(tags)
    if not cleaned:
        raise rules.constraint_error([], "tags", "Member must have length greater than or equal to 1")
    user = _authorized_user(caller, "iam:TagUser", user_name, context=tag_context(cleaned), for_update=True)
    merged = {tag["Key"].lower(): tag for tag in user.tags}
    for tag in cleaned:
        merged[tag["Key"].lower()] = tag
    if len(merged) > rules.MAX_TAGS:
        raise LimitExceeded(f"The number of tags has reached the maximum limit of {rules.MAX_TAGS}.")
    user.tags = list(merged.values())
    user.save(update_fields=["tags"])
    return user


@operation("UntagUser")
def untag_user(caller: Caller, user_name: str, tag_keys: Sequence[str]) -> User:
    keys = list(tag_keys)
    if len(keys) > rules.MAX_TAGS:
        raise rules.constraint_error(keys, "tagKeys", f"Member must have length less than or equal to {rules.MAX_TAGS}")
    for key in keys:
        rules.check_length(key, "tagKeys", 1, rules.MAX_TAG_KEY)
    user = _authorized_user(caller, "iam:UntagUser", user_name, context={"aws:TagKeys": keys}, for_update=True)
    removed = {key.lower() for key in keys}
    user.tags = [tag for tag in user.tags if tag["Key"].lower() not in removed]
    user.save(update_fields=["tags"])
    return user


@operation("ListUserTags", read_only=True)
def list_user_tags(caller: Caller, user_name: str) -> list[dict[str, str]]:
    user = _authorized_user(caller, "iam:ListUserTags", user_name)
    return sorted(user.tags, key=lambda tag: tag["Key"].lower())


# -------------------------------------------------------------------------- login profiles


def _login_profile_missing(user_name: str) -> NoSuchEntity:
    return NoSuchEntity(f"Login Profile for User {user_name} cannot be found.")


def _set_console_password(caller: Caller, user: User, password: str, field_name: str = "password") -> None:
    rules.check_length(password or "", field_name, 1, 128)
    check_password(password, caller.account)
    user.set_password(password)
    user.password_last_changed = timezone.now()


@operation("CreateLoginProfile")
def create_login_profile(caller: Caller, user_name: str, password: str, password_reset_required: bool = False) -> User:
    """CreateLoginProfile: console access for the user; the password must meet the account's
    password policy (PasswordPolicyViolation otherwise)."""
    user = _authorized_user(caller, "iam:CreateLoginProfile", user_name, for_update=True)
    if user.has_login_profile:
        raise EntityAlreadyExists(f"Login Profile for user {user.name} already exists.")
    _set_console_password(caller, user, password)
    user.password_reset_required = bool(password_reset_required)
    user.login_profile_created = timezone.now()
    user.save(update_fields=["password", "password_last_changed", "password_reset_required", "login_profile_created"])
    return user


@dataclass(frozen=True)
class LoginProfile:
    user_name: str
    create_date: Any
    password_reset_required: bool


@operation("GetLoginProfile", read_only=True)
def get_login_profile(caller: Caller, user_name: str) -> LoginProfile:
    user = _authorized_user(caller, "iam:GetLoginProfile", user_name)
    if not user.has_login_profile:
        raise _login_profile_missing(user.name)
    return LoginProfile(user.name, user.login_profile_created or user.created, user.password_reset_required)


@operation("UpdateLoginProfile")
def update_login_profile(
    caller: Caller, user_name: str, password: str | None = None, password_reset_required: bool | None = None
) -> User:
    user = _authorized_user(caller, "iam:UpdateLoginProfile", user_name, for_update=True)
    if not user.has_login_profile:
        raise _login_profile_missing(user.name)
    fields = []
    if password is not None:
        _set_console_password(caller, user, password)
        fields += ["password", "password_last_changed"]
    if password_reset_required is not None:
        user.password_reset_required = bool(password_reset_required)
        fields.append("password_reset_required")
    if fields:
        user.save(update_fields=fields)
    return user


@operation("DeleteLoginProfile")
def delete_login_profile(caller: Caller, user_name: str) -> User:
    """DeleteLoginProfile: no more console sign-in. The password hash changes, so the user's
    open console sessions end too (Django ties sessions to it)."""
    user = _authorized_user(caller, "iam:DeleteLoginProfile", user_name, for_update=True)
    if not user.has_login_profile:
        raise _login_profile_missing(user.name)
    user.set_unusable_password()
    user.password_reset_required = False
    user.login_profile_created = None
    user.save(update_fields=["password", "password_reset_required", "login_profile_created"])
    return user


# ------------------------------------------------------------- the console's composite flows


def _service(module: str, name: str) -> Any:
    """A service function another area owns, or None while it is not built yet."""
    import importlib

    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return None


@dataclass
class NewUserSpec:
    """What the create-user wizard collected (plain values, so the API or a lab can use it too)."""

    user_name: str
    path: str = "/"
    tags: list[dict[str, str]] = field(default_factory=list)
    permissions_boundary: str = ""
    console_access: bool = False
    autogenerate_password: bool = True
    custom_password: str = ""
    password_reset_required: bool = True
    group_names: list[str] = field(default_factory=list)
    policy_arns: list[str] = field(default_factory=list)
    copy_from_user: str = ""


@dataclass
class CreatedUser:
    user: User
    password: str = ""
    steps: list[str] = field(default_factory=list)


def change_password_policy_arn() -> str | None:
    from policies.models import ManagedPolicy

    policy = ManagedPolicy.objects.filter(account__isnull=True, name=CHANGE_PASSWORD_POLICY).first()
    return policy.arn if policy else None


def users_may_change_own_password(account: Account) -> bool:
    from ..models import PasswordPolicy

    policy = PasswordPolicy.objects.filter(account=account).first()
    return bool(policy and policy.allow_users_to_change_password)


def create_user_console(caller: Caller, spec: NewUserSpec) -> CreatedUser:
    """The create-user wizard's "Create user": every operation authorized on its own, all in
    one transaction, so a failure leaves no half-created user. The failure is recorded after
    the rollback under the name of the operation that failed."""
    try:
        with transaction.atomic():
            return _create_user_console(caller, spec)
    except IAMError as error:
        record_event(caller.account, "CreateUser", caller=caller, resource=caller.last_resource, error=error)
        raise


def _create_user_console(caller: Caller, spec: NewUserSpec) -> CreatedUser:
    user = create_user(caller, spec.user_name, spec.path or "/", spec.tags or None, spec.permissions_boundary or None)
    created = CreatedUser(user=user, steps=[f"Created user {user.name}"])
    group_names = list(spec.group_names)
    policy_arns = list(spec.policy_arns)
    inline: list[tuple[str, str]] = []
    if spec.copy_from_user:
        copied = _permissions_of(caller, spec.copy_from_user)
        group_names += [name for name in copied["groups"] if name not in group_names]
        policy_arns += [arn for arn in copied["policies"] if arn not in policy_arns]
        inline = copied["inline"]
        if copied["boundary"] and not spec.permissions_boundary:
            _put_boundary(caller, user.name, copied["boundary"])
    if spec.console_access:
        password = generate_password(caller.account) if spec.autogenerate_password else spec.custom_password
        create_login_profile(caller, user.name, password, spec.password_reset_required)
        created.password = password
        created.steps.append("Enabled console access")
        if spec.password_reset_required and not users_may_change_own_password(caller.account):
            # AWS's wizard: users who must set a new password get IAMUserChangePassword when
            # the account's password policy does not already let them change it.
            arn = change_password_policy_arn()
            if arn and arn not in policy_arns:
                policy_arns.append(arn)
    add_user_to_group = _service("accounts.services.groups", "add_user_to_group")
    for group_name in group_names:
        if add_user_to_group is None:
            raise NoSuchEntity(f"The group with name {group_name} cannot be found.")
        add_user_to_group(caller, group_name, user.name)
        created.steps.append(f"Added to group {group_name}")
    attach = _service("policies.services.attachments", "attach_user_policy")
    for arn in policy_arns:
        if attach is None:
            raise NoSuchEntity(f"Policy {arn} does not exist or is not attachable.")
        attach(caller, user.name, arn)
        created.steps.append(f"Attached policy {arn.rsplit('/', 1)[-1]}")
    put_user_policy = _service("policies.services.inline", "put_user_policy")
    for name, document in inline:
        if put_user_policy is None:
            raise NoSuchEntity(f"The user policy with name {name} cannot be found.")
        put_user_policy(caller, user.name, name, document)
        created.steps.append(f"Copied inline policy {name}")
    user.refresh_from_db()
    created.user = user
    return created


def _put_boundary(caller: Caller, user_name: str, policy_arn: str) -> None:
    put = _service("policies.services.attachments", "put_user_permissions_boundary")
    if put is None:
        raise NoSuchEntity(f"Policy {policy_arn} does not exist or is not attachable.")
    put(caller, user_name, policy_arn)


def _names(items: Iterable[Any], *attributes: str) -> list[str]:
    """Names out of whatever the other helpers' list functions return (models, dicts or strings)."""
    names = []
    for item in items:
        if isinstance(item, str):
            names.append(item)
            continue
        for attribute in attributes:
            value = item.get(attribute) if isinstance(item, Mapping) else getattr(item, attribute, None)
            if value:
                names.append(value)
                break
    return names


def _permissions_of(caller: Caller, user_name: str) -> dict[str, Any]:
    """A user's groups, attached managed policies, inline policies and boundary, read through
    the List*/Get* operations (each authorized), for "Copy permissions"."""
    source = get_user(caller, user_name)
    result: dict[str, Any] = {"groups": [], "policies": [], "inline": [], "boundary": ""}
    list_groups = _service("accounts.services.groups", "list_groups_for_user")
    if list_groups is not None:
        result["groups"] = _names(list_groups(caller, source.name), "name", "GroupName")
    list_attached = _service("policies.services.attachments", "list_attached_user_policies")
    if list_attached is not None:
        result["policies"] = _names(list_attached(caller, source.name), "arn", "PolicyArn")
    list_inline = _service("policies.services.inline", "list_user_policies")
    get_inline = _service("policies.services.inline", "get_user_policy")
    if list_inline is not None and get_inline is not None:
        for name in _names(list_inline(caller, source.name), "name", "PolicyName"):
            policy = get_inline(caller, source.name, name)
            document = policy.get("PolicyDocument") if isinstance(policy, Mapping) else getattr(policy, "document", policy)
            result["inline"].append((name, document))
    from policies.models import PolicyAttachment

    boundary = PolicyAttachment.objects.filter(user=source, kind=PolicyAttachment.Kind.BOUNDARY).select_related(
        "policy", "policy__account"
    ).first()
    if boundary is not None:
        result["boundary"] = boundary.policy.arn
    return result


def delete_user_console(caller: Caller, user_name: str) -> list[str]:
    """What the console's Delete does: remove everything that blocks DeleteUser, then delete
    the user, each step through its own (authorized) operation, all in one transaction.
    Returns what it removed, for the success message."""
    try:
        with transaction.atomic():
            return _delete_user_console(caller, user_name)
    except IAMError as error:
        record_event(caller.account, "DeleteUser", caller=caller, resource=caller.last_resource, error=error)
        raise


def _delete_user_console(caller: Caller, user_name: str) -> list[str]:
    from policies.models import InlinePolicy, PolicyAttachment

    user = _authorized_user(caller, "iam:DeleteUser", user_name)
    removed: list[str] = []
    memberships = list(user.memberships.select_related("group").order_by("group__name"))
    if memberships:
        remove = _service("accounts.services.groups", "remove_user_from_group")
        for membership in memberships:
            if remove is not None:
                remove(caller, membership.group.name, user.name)
            else:  # the groups area is not built yet: the same authorization, the same write
                authz.require(caller, "iam:RemoveUserFromGroup", membership.group.arn)
                membership.delete()
            removed.append(f"group membership {membership.group.name}")
    attachments = list(PolicyAttachment.objects.filter(user=user).select_related("policy", "policy__account").order_by("kind", "policy__name"))
    for attachment in attachments:
        if attachment.kind == PolicyAttachment.Kind.BOUNDARY:
            function = _service("policies.services.attachments", "delete_user_permissions_boundary")
            args: tuple = (caller, user.name)
            action, label = "iam:DeleteUserPermissionsBoundary", f"permissions boundary {attachment.policy.name}"
        else:
            function = _service("policies.services.attachments", "detach_user_policy")
            args = (caller, user.name, attachment.policy.arn)
            action, label = "iam:DetachUserPolicy", f"attached policy {attachment.policy.name}"
        if function is not None:
            function(*args)
        else:
            authz.require(caller, action, user.arn, resource_tags=user.tag_dict(), context={"iam:PolicyARN": attachment.policy.arn})
            attachment.delete()
        removed.append(label)
    for policy in InlinePolicy.objects.filter(user=user).order_by("name"):
        function = _service("policies.services.inline", "delete_user_policy")
        if function is not None:
            function(caller, user.name, policy.name)
        else:
            authz.require(caller, "iam:DeleteUserPolicy", user.arn, resource_tags=user.tag_dict())
            policy.delete()
        removed.append(f"inline policy {policy.name}")
    user.refresh_from_db()
    if user.has_login_profile:
        delete_login_profile(caller, user.name)
        removed.append("console password")
    # Access keys and MFA devices: the credentials area will own DeleteAccessKey and
    # DeactivateMFADevice/DeleteVirtualMFADevice; until then, the same authorization here.
    delete_access_key = _service("accounts.services.credentials", "delete_access_key")
    for key in AccessKey.objects.filter(user=user):
        if delete_access_key is not None:
            delete_access_key(caller, key.access_key_id, user.name)
        else:
            authz.require(caller, "iam:DeleteAccessKey", user.arn, resource_tags=user.tag_dict())
            key.delete()
        removed.append(f"access key {key.access_key_id}")
    from django_otp.plugins.otp_totp.models import TOTPDevice

    deactivate = _service("accounts.services.credentials", "deactivate_mfa_device")
    delete_virtual = _service("accounts.services.credentials", "delete_virtual_mfa_device")
    serial_of = _service("accounts.services.credentials", "device_serial")
    for device in TOTPDevice.objects.select_related("user__account").filter(user=user, confirmed=True):
        if deactivate is not None and delete_virtual is not None and serial_of is not None:
            serial = serial_of(device)
            deactivate(caller, user.name, serial)
            delete_virtual(caller, serial)
        else:
            authz.require(caller, "iam:DeactivateMFADevice", user.arn, resource_tags=user.tag_dict())
            device.delete()
        removed.append(f"MFA device {device.name}")
    delete_user(caller, user.name)
    return removed
