"""One handler per API operation: parsed input (botocore member names) in, the service
function's result shaped with botocore's output member names out. No IAM logic here: every
authorization, validation and write happens in the service function called.

A list the operation pages (Marker/MaxItems) is returned as `Rows(items, convert)`; the
dispatcher slices it (querysets are sliced in SQL) and converts only the page.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import segno

from accounts import mfa
from accounts import services as acc
from accounts.errors import ValidationError
from accounts.models import Group, InstanceProfile, Role, User
from accounts.principal import Caller
from accounts.services import last_accessed, providers, summary
from accounts.services import sts as sts_services
from policies import services as pol
from policies import simulator
from policies.models import ManagedPolicy, PolicyAttachment, PolicyVersion

READ_ONLY_PREFIXES = ("Get", "List", "Simulate")

Handler = Callable[[Caller, dict[str, Any]], dict[str, Any] | None]


@dataclass
class Rows:
    items: Any  # a list or a queryset
    convert: Callable[[Any], Any]


def rows(items: Any, convert: Callable[[Any], Any]) -> Rows:
    return Rows(items, convert)


# ----------------------------------------------------------------------------- shapes


def _tags(tags: Iterable[dict[str, str]]) -> list[dict[str, str]]:
    return [{"Key": t["Key"], "Value": t["Value"]} for t in tags]


def _boundary(kind: str, entity: Any) -> dict[str, str] | None:
    policy = pol.attachments.get_permissions_boundary(kind, entity)
    if policy is None:
        return None
    return {"PermissionsBoundaryType": "PermissionsBoundaryPolicy", "PermissionsBoundaryArn": policy.arn}


def user_shape(user: User, *, full: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "Path": user.path, "UserName": user.name, "UserId": user.unique_id, "Arn": user.arn,
        "CreateDate": user.created, "PasswordLastUsed": user.password_last_used,
    }
    if user.is_root:
        out.update({"Path": None, "UserName": None, "UserId": user.account.account_id})
    if full and user.is_iam_user:
        out["PermissionsBoundary"] = _boundary("user", user)
        out["Tags"] = _tags(user.tags) or None
    return out


def group_shape(group: Group) -> dict[str, Any]:
    return {"Path": group.path, "GroupName": group.name, "GroupId": group.unique_id, "Arn": group.arn,
            "CreateDate": group.created}


def role_shape(role: Role, *, full: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "Path": role.path, "RoleName": role.name, "RoleId": role.unique_id, "Arn": role.arn, "CreateDate": role.created,
        "AssumeRolePolicyDocument": role.trust_policy, "Description": role.description or None,
        "MaxSessionDuration": role.max_session_duration,
    }
    if full:
        out["PermissionsBoundary"] = _boundary("role", role)
        out["Tags"] = _tags(role.tags) or None
        last = {}
        if role.last_used:
            last = {"LastUsedDate": role.last_used, "Region": role.last_used_region or None}
        out["RoleLastUsed"] = last
    return out


def profile_shape(profile: InstanceProfile) -> dict[str, Any]:
    return {"Path": profile.path, "InstanceProfileName": profile.name, "InstanceProfileId": profile.unique_id,
            "Arn": profile.arn, "CreateDate": profile.created,
            "Roles": [role_shape(profile.role)] if profile.role_id else [], "Tags": _tags(profile.tags) or None}


def _usage_counts(policy: ManagedPolicy) -> tuple[int, int]:
    if hasattr(policy, "attachment_count") and hasattr(policy, "boundary_usage_count"):
        return policy.attachment_count, policy.boundary_usage_count
    kinds = list(PolicyAttachment.objects.filter(policy=policy).values_list("kind", flat=True))
    boundary = sum(1 for k in kinds if k == PolicyAttachment.Kind.BOUNDARY)
    return len(kinds) - boundary, boundary


def policy_shape(policy: ManagedPolicy, *, tags: bool = True) -> dict[str, Any]:
    attached, boundary = _usage_counts(policy)
    return {
        "PolicyName": policy.name, "PolicyId": policy.unique_id, "Arn": policy.arn, "Path": policy.path,
        "DefaultVersionId": policy.default_version_id, "AttachmentCount": attached,
        "PermissionsBoundaryUsageCount": boundary, "IsAttachable": policy.attachable,
        "Description": policy.description or None, "CreateDate": policy.created, "UpdateDate": policy.updated,
        "Tags": (_tags(policy.tags) or None) if tags else None,
    }


def version_shape(version: PolicyVersion, *, document: bool = True) -> dict[str, Any]:
    return {"Document": version.document if document else None, "VersionId": version.version_id,
            "IsDefaultVersion": version.is_default, "CreateDate": version.created}


def attached_shape(policy: ManagedPolicy) -> dict[str, str]:
    return {"PolicyName": policy.name, "PolicyArn": policy.arn}


def key_metadata(key: Any) -> dict[str, Any]:
    return {"UserName": key.user.name if key.user.is_iam_user else None, "AccessKeyId": key.access_key_id,
            "Status": key.status, "CreateDate": key.created}


def mfa_shape(device: Any) -> dict[str, Any]:
    return {"UserName": device.user.name if device.user.is_iam_user else None,
            "SerialNumber": mfa.serial_number(device.user.account.account_id, device.name),
            "EnableDate": getattr(device, "created_at", None)}


def virtual_mfa_shape(device: Any, *, secret: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {"SerialNumber": mfa.serial_number(device.user.account.account_id, device.name)}
    if device.confirmed:
        out["User"] = user_shape(device.user)
        out["EnableDate"] = getattr(device, "created_at", None)
    if secret:
        seed = mfa.secret_base32(device)
        out["Base32StringSeed"] = seed.encode()
        buffer = io.BytesIO()
        segno.make(device.config_url, error="m").save(buffer, kind="png", scale=4)
        out["QRCodePNG"] = buffer.getvalue()
    return out


def _me(caller: Caller, p: dict[str, Any]) -> str | None:
    """UserName, or the caller's own user; role sessions must name the user (AWS)."""
    name = p.get("UserName")
    if name is None and caller.user is None:
        raise ValidationError("Must specify userName when calling with non-User credentials")
    return name


def _policy_doc(p: dict[str, Any]) -> str:
    return p["PolicyDocument"]


# --------------------------------------------------------------------------- users


def create_user(c: Caller, p: dict[str, Any]) -> dict[str, Any]:
    user = acc.create_user(c, p["UserName"], p.get("Path", "/"), tags=p.get("Tags"),
                           permissions_boundary=p.get("PermissionsBoundary"))
    return {"User": {**user_shape(user), **_created_extras(user, p)}}


def _created_extras(entity: Any, p: dict[str, Any]) -> dict[str, Any]:
    """Tags and boundary of an entity just created, from what the request set (no query)."""
    boundary = p.get("PermissionsBoundary")
    return {"Tags": _tags(entity.tags) or None,
            "PermissionsBoundary": {"PermissionsBoundaryType": "PermissionsBoundaryPolicy",
                                    "PermissionsBoundaryArn": boundary} if boundary else None}


def get_user(c: Caller, p: dict[str, Any]) -> dict[str, Any]:
    if not p.get("UserName") and c.is_root and c.session is None:
        # AWS answers GetUser without a name for root credentials with the root user itself
        # (the service function serves IAM users; root may do anything in its account).
        c.last_resource = c.arn
        return {"User": user_shape(c.user)}
    return {"User": user_shape(acc.get_user(c, _me(c, p)), full=True)}


def list_users(c: Caller, p: dict[str, Any]) -> dict[str, Any]:
    return {"Users": rows(acc.list_users(c, p.get("PathPrefix", "/")), user_shape)}


def update_user(c: Caller, p: dict[str, Any]) -> None:
    acc.update_user(c, p["UserName"], p.get("NewUserName"), p.get("NewPath"))


def delete_user(c: Caller, p: dict[str, Any]) -> None:
    acc.delete_user(c, p["UserName"])


def tag_user(c: Caller, p: dict[str, Any]) -> None:
    acc.tag_user(c, p["UserName"], p["Tags"])


def untag_user(c: Caller, p: dict[str, Any]) -> None:
    acc.untag_user(c, p["UserName"], p["TagKeys"])


def list_user_tags(c: Caller, p: dict[str, Any]) -> dict[str, Any]:
    return {"Tags": rows(acc.list_user_tags(c, p["UserName"]), dict)}


# ---------------------------------------------------------------------- login profiles


def _login_profile(user: User) -> dict[str, Any]:
    return {"LoginProfile": {"UserName": user.name, "CreateDate": user.login_profile_created or user.created,
                             "PasswordResetRequired": user.password_reset_required}}


def create_login_profile(c: Caller, p: dict[str, Any]) -> dict[str, Any]:
    user = acc.create_login_profile(c, _me(c, p) or c.user.name, p.get("Password", ""),
                                    p.get("PasswordResetRequired", False))
    return _login_profile(user)


def get_login_profile(c: Caller, p: dict[str, Any]) -> dict[str, Any]:
    profile = acc.get_login_profile(c, _me(c, p) or c.user.name)
    return {"LoginProfile": {"UserName": profile.user_name, "CreateDate": profile.create_date,
                             "PasswordResetRequired": profile.password_reset_required}}


def update_login_profile(c: Caller, p: dict[str, Any]) -> None:
    acc.update_login_profile(c, _me(c, p) or c.user.name, p.get("Password"), p.get("PasswordResetRequired"))


def delete_login_profile(c: Caller, p: dict[str, Any]) -> None:
    acc.delete_login_profile(c, _me(c, p) or c.user.name)


def change_password(c: Caller, p: dict[str, Any]) -> None:
    acc.change_password(c, p["OldPassword"], p["NewPassword"])


# ------------------------------------------------------------------------ access keys


def create_access_key(c: Caller, p: dict[str, Any]) -> dict[str, Any]:
    key, secret = acc.create_access_key(c, _me(c, p))
    return {"AccessKey": {**key_metadata(key), "UserName": key.user.name if key.user.is_iam_user else None,
                          "SecretAccessKey": secret}}


def list_access_keys(c: Caller, p: dict[str, Any]) -> dict[str, Any]:
    return {"AccessKeyMetadata": rows(acc.list_access_keys(c, _me(c, p)), key_metadata)}


def update_access_key(c: Caller, p: dict[str, Any]) -> None:
    acc.update_access_key(c, p["AccessKeyId"], p["Status"], _me(c, p))


def delete_access_key(c: Caller, p: dict[str, Any]) -> None:
    acc.delete_access_key(c, p["AccessKeyId"], _me(c, p))


def get_access_key_last_used(c: Caller, p: dict[str, Any]) -> dict[str, Any]:
    key = acc.get_access_key_last_used(c, p["AccessKeyId"])
    last = {"ServiceName": key.last_used_service or "N/A", "Region": key.last_used_region or "N/A"}
    if key.last_used_date:
        last["LastUsedDate"] = key.last_used_date
    return {"UserName": key.user.name if key.user.is_iam_user else None, "AccessKeyLastUsed": last}


# ------------------------------------------------------------------------ MFA devices


def create_virtual_mfa_device(c: Caller, p: dict[str, Any]) -> dict[str, Any]:
    device = acc.create_virtual_mfa_device(c, p["VirtualMFADeviceName"])
    return {"VirtualMFADevice": virtual_mfa_shape(device, secret=True)}


def enable_mfa_device(c: Caller, p: dict[str, Any]) -> None:
    acc.enable_mfa_device(c, _me(c, p), p["SerialNumber"], p["AuthenticationCode1"], p["AuthenticationCode2"])


def resync_mfa_device(c: Caller, p: dict[str, Any]) -> None:
    acc.resync_mfa_device(c, _me(c, p), p["SerialNumber"], p["AuthenticationCode1"], p["AuthenticationCode2"])


def deactivate_mfa_device(c: Caller, p: dict[str, Any]) -> None:
    acc.deactivate_mfa_device(c, p.get("UserName"), p["SerialNumber"])


def delete_virtual_mfa_device(c: Caller, p: dict[str, Any]) -> None:
    acc.delete_virtual_mfa_device(c, p["SerialNumber"])


def list_mfa_devices(c: Caller, p: dict[str, Any]) -> dict[str, Any]:
    return {"MFADevices": rows(acc.list_mfa_devices(c, _me(c, p)), mfa_shape)}


def list_virtual_mfa_devices(c: Caller, p: dict[str, Any]) -> dict[str, Any]:
    devices = acc.list_virtual_mfa_devices(c, p.get("AssignmentStatus", "Any"))
    return {"VirtualMFADevices": rows(devices, virtual_mfa_shape)}


# ----------------------------------------------------------------------------- groups


def create_group(c: Caller, p: dict[str, Any]) -> dict[str, Any]:
    return {"Group": group_shape(acc.create_group(c, p["GroupName"], p.get("Path", "/")))}


def get_group(c: Caller, p: dict[str, Any]) -> dict[str, Any]:
    group, users = acc.get_group(c, p["GroupName"])
    return {"Group": group_shape(group), "Users": rows(users, user_shape)}


def list_groups(c: Caller, p: dict[str, Any]) -> dict[str, Any]:
    return {"Groups": rows(acc.list_groups(c, p.get("PathPrefix", "/")), group_shape)}


def update_group(c: Caller, p: dict[str, Any]) -> None:
    acc.update_group(c, p["GroupName"], p.get("NewGroupName"), p.get("NewPath"))


def delete_group(c: Caller, p: dict[str, Any]) -> None:
    acc.delete_group(c, p["GroupName"])


def add_user_to_group(c: Caller, p: dict[str, Any]) -> None:
    acc.add_user_to_group(c, p["GroupName"], p["UserName"])


def remove_user_from_group(c: Caller, p: dict[str, Any]) -> None:
    acc.remove_user_from_group(c, p["GroupName"], p["UserName"])


def list_groups_for_user(c: Caller, p: dict[str, Any]) -> dict[str, Any]:
    return {"Groups": rows(acc.list_groups_for_user(c, p["UserName"]), group_shape)}


# ------------------------------------------------------------------------------ roles


def create_role(c: Caller, p: dict[str, Any]) -> dict[str, Any]:
    kwargs = {"path": p.get("Path", "/"), "description": p.get("Description", ""), "tags": p.get("Tags"),
              "permissions_boundary": p.get("PermissionsBoundary")}
    if "MaxSessionDuration" in p:
        kwargs["max_session_duration"] = p["MaxSessionDuration"]
    role = acc.create_role(c, p["RoleName"], p["AssumeRolePolicyDocument"], **kwargs)
    return {"Role": {**role_shape(role), **_created_extras(role, p)}}


def create_service_linked_role(c: Caller, p: dict[str, Any]) -> dict[str, Any]:
    role = acc.create_service_linked_role(c, p["AWSServiceName"], p.get("Description", ""), p.get("CustomSuffix", ""))
    return {"Role": role_shape(role)}


def get_role(c: Caller, p: dict[str, Any]) -> dict[str, Any]:
    return {"Role": role_shape(acc.get_role(c, p["RoleName"]), full=True)}


def list_roles(c: Caller, p: dict[str, Any]) -> dict[str, Any]:
    return {"Roles": rows(acc.list_roles(c, p.get("PathPrefix", "/")), role_shape)}


def update_role(c: Caller, p: dict[str, Any]) -> None:
    acc.update_role(c, p["RoleName"], p.get("Description"), p.get("MaxSessionDuration"))


def update_role_description(c: Caller, p: dict[str, Any]) -> dict[str, Any]:
    return {"Role": role_shape(acc.update_role_description(c, p["RoleName"], p["Description"]), full=True)}


def update_assume_role_policy(c: Caller, p: dict[str, Any]) -> None:
    acc.update_assume_role_policy(c, p["RoleName"], _policy_doc(p))


def delete_role(c: Caller, p: dict[str, Any]) -> None:
    acc.delete_role(c, p["RoleName"])


def tag_role(c: Caller, p: dict[str, Any]) -> None:
    acc.tag_role(c, p["RoleName"], p["Tags"])


def untag_role(c: Caller, p: dict[str, Any]) -> None:
    acc.untag_role(c, p["RoleName"], p["TagKeys"])


def list_role_tags(c: Caller, p: dict[str, Any]) -> dict[str, Any]:
    return {"Tags": rows(acc.list_role_tags(c, p["RoleName"]), dict)}


# -------------------------------------------------------------------- instance profiles


def create_instance_profile(c: Caller, p: dict[str, Any]) -> dict[str, Any]:
    profile = acc.create_instance_profile(c, p["InstanceProfileName"], p.get("Path", "/"), p.get("Tags"))
    return {"InstanceProfile": profile_shape(profile)}


def get_instance_profile(c: Caller, p: dict[str, Any]) -> dict[str, Any]:
    return {"InstanceProfile": profile_shape(acc.get_instance_profile(c, p["InstanceProfileName"]))}


def list_instance_profiles(c: Caller, p: dict[str, Any]) -> dict[str, Any]:
    profiles = acc.list_instance_profiles(c, p.get("PathPrefix", "/"))
    return {"InstanceProfiles": rows(profiles, profile_shape)}


def list_instance_profiles_for_role(c: Caller, p: dict[str, Any]) -> dict[str, Any]:
    return {"InstanceProfiles": rows(acc.list_instance_profiles_for_role(c, p["RoleName"]), profile_shape)}


def add_role_to_instance_profile(c: Caller, p: dict[str, Any]) -> None:
    acc.add_role_to_instance_profile(c, p["InstanceProfileName"], p["RoleName"])


def remove_role_from_instance_profile(c: Caller, p: dict[str, Any]) -> None:
    acc.remove_role_from_instance_profile(c, p["InstanceProfileName"], p["RoleName"])


def delete_instance_profile(c: Caller, p: dict[str, Any]) -> None:
    acc.delete_instance_profile(c, p["InstanceProfileName"])


# ------------------------------------------------------------------- managed policies


def create_policy(c: Caller, p: dict[str, Any]) -> dict[str, Any]:
    policy = pol.create_policy(c, p["PolicyName"], _policy_doc(p), p.get("Path", "/"), p.get("Description", ""),
                               p.get("Tags"))
    return {"Policy": policy_shape(policy)}


def get_policy(c: Caller, p: dict[str, Any]) -> dict[str, Any]:
    return {"Policy": policy_shape(pol.get_policy(c, p["PolicyArn"]))}


def list_policies(c: Caller, p: dict[str, Any]) -> dict[str, Any]:
    policies = pol.list_policies(c, p.get("Scope", "All"), p.get("OnlyAttached", False), p.get("PathPrefix", "/"),
                                 p.get("PolicyUsageFilter"))
    return {"Policies": rows(policies, lambda policy: policy_shape(policy, tags=False))}


def delete_policy(c: Caller, p: dict[str, Any]) -> None:
    pol.delete_policy(c, p["PolicyArn"])


def create_policy_version(c: Caller, p: dict[str, Any]) -> dict[str, Any]:
    version = pol.create_policy_version(c, p["PolicyArn"], _policy_doc(p), p.get("SetAsDefault", False))
    return {"PolicyVersion": version_shape(version, document=False)}


def get_policy_version(c: Caller, p: dict[str, Any]) -> dict[str, Any]:
    return {"PolicyVersion": version_shape(pol.get_policy_version(c, p["PolicyArn"], p["VersionId"]))}


def list_policy_versions(c: Caller, p: dict[str, Any]) -> dict[str, Any]:
    versions = pol.list_policy_versions(c, p["PolicyArn"])
    return {"Versions": rows(versions, lambda v: version_shape(v, document=False))}


def delete_policy_version(c: Caller, p: dict[str, Any]) -> None:
    pol.delete_policy_version(c, p["PolicyArn"], p["VersionId"])


def set_default_policy_version(c: Caller, p: dict[str, Any]) -> None:
    pol.set_default_policy_version(c, p["PolicyArn"], p["VersionId"])


def list_entities_for_policy(c: Caller, p: dict[str, Any]) -> dict[str, Any]:
    entities = pol.list_entities_for_policy(c, p["PolicyArn"], p.get("EntityFilter"), p.get("PolicyUsageFilter"))
    users = entities.users + [u for u in entities.boundary_users if u not in entities.users]
    roles = entities.roles + [r for r in entities.boundary_roles if r not in entities.roles]
    return {
        "PolicyGroups": [{"GroupName": g.name, "GroupId": g.unique_id} for g in entities.groups],
        "PolicyUsers": [{"UserName": u.name, "UserId": u.unique_id} for u in users],
        "PolicyRoles": [{"RoleName": r.name, "RoleId": r.unique_id} for r in roles],
        "IsTruncated": False,
    }


def tag_policy(c: Caller, p: dict[str, Any]) -> None:
    pol.tag_policy(c, p["PolicyArn"], p["Tags"])


def untag_policy(c: Caller, p: dict[str, Any]) -> None:
    pol.untag_policy(c, p["PolicyArn"], p["TagKeys"])


def list_policy_tags(c: Caller, p: dict[str, Any]) -> dict[str, Any]:
    return {"Tags": rows(pol.list_policy_tags(c, p["PolicyArn"]), dict)}


# ---------------------------------------------------------------- attachments, boundaries


def _attach(function: Callable[..., Any], name_key: str) -> Handler:
    def handler(c: Caller, p: dict[str, Any]) -> None:
        function(c, p[name_key], p["PolicyArn"])

    return handler


def _list_attached(function: Callable[..., Any], name_key: str) -> Handler:
    def handler(c: Caller, p: dict[str, Any]) -> dict[str, Any]:
        policies = function(c, p[name_key], p.get("PathPrefix", "/"))
        return {"AttachedPolicies": rows(policies, attached_shape)}

    return handler


def put_user_permissions_boundary(c: Caller, p: dict[str, Any]) -> None:
    pol.put_user_permissions_boundary(c, p["UserName"], p["PermissionsBoundary"])


def put_role_permissions_boundary(c: Caller, p: dict[str, Any]) -> None:
    pol.put_role_permissions_boundary(c, p["RoleName"], p["PermissionsBoundary"])


def delete_user_permissions_boundary(c: Caller, p: dict[str, Any]) -> None:
    pol.delete_user_permissions_boundary(c, p["UserName"])


def delete_role_permissions_boundary(c: Caller, p: dict[str, Any]) -> None:
    pol.delete_role_permissions_boundary(c, p["RoleName"])


# --------------------------------------------------------------------- inline policies


def _put_inline(function: Callable[..., Any], name_key: str) -> Handler:
    def handler(c: Caller, p: dict[str, Any]) -> None:
        function(c, p[name_key], p["PolicyName"], _policy_doc(p))

    return handler


def _get_inline(function: Callable[..., Any], name_key: str) -> Handler:
    def handler(c: Caller, p: dict[str, Any]) -> dict[str, Any]:
        policy = function(c, p[name_key], p["PolicyName"])
        return {name_key: p[name_key], "PolicyName": policy.name, "PolicyDocument": policy.document,
                **_owner_name(policy, name_key)}

    return handler


def _owner_name(policy: Any, name_key: str) -> dict[str, str]:
    owner = policy.user or policy.group or policy.role
    return {name_key: owner.name} if owner is not None else {}


def _list_inline(function: Callable[..., Any], name_key: str) -> Handler:
    def handler(c: Caller, p: dict[str, Any]) -> dict[str, Any]:
        return {"PolicyNames": rows(function(c, p[name_key]), lambda policy: policy.name)}

    return handler


def _delete_inline(function: Callable[..., Any], name_key: str) -> Handler:
    def handler(c: Caller, p: dict[str, Any]) -> None:
        function(c, p[name_key], p["PolicyName"])

    return handler


# --------------------------------------------------------------------- account settings


def create_account_alias(c: Caller, p: dict[str, Any]) -> None:
    acc.create_account_alias(c, p["AccountAlias"])


def delete_account_alias(c: Caller, p: dict[str, Any]) -> None:
    acc.delete_account_alias(c, p["AccountAlias"])


def list_account_aliases(c: Caller, p: dict[str, Any]) -> dict[str, Any]:
    return {"AccountAliases": rows(summary.list_account_aliases(c), str)}


def get_account_password_policy(c: Caller, p: dict[str, Any]) -> dict[str, Any]:
    policy = acc.get_account_password_policy(c)
    return {"PasswordPolicy": {
        "MinimumPasswordLength": policy.minimum_password_length,
        "RequireSymbols": policy.require_symbols,
        "RequireNumbers": policy.require_numbers,
        "RequireUppercaseCharacters": policy.require_uppercase_characters,
        "RequireLowercaseCharacters": policy.require_lowercase_characters,
        "AllowUsersToChangePassword": policy.allow_users_to_change_password,
        "ExpirePasswords": bool(policy.max_password_age),
        "MaxPasswordAge": policy.max_password_age,
        "PasswordReusePrevention": policy.password_reuse_prevention,
        "HardExpiry": policy.hard_expiry if policy.max_password_age else None,
    }}


def update_account_password_policy(c: Caller, p: dict[str, Any]) -> None:
    names = {
        "MinimumPasswordLength": "minimum_password_length", "RequireSymbols": "require_symbols",
        "RequireNumbers": "require_numbers", "RequireUppercaseCharacters": "require_uppercase_characters",
        "RequireLowercaseCharacters": "require_lowercase_characters",
        "AllowUsersToChangePassword": "allow_users_to_change_password", "MaxPasswordAge": "max_password_age",
        "PasswordReusePrevention": "password_reuse_prevention", "HardExpiry": "hard_expiry",
    }
    acc.update_account_password_policy(c, **{python: p[aws] for aws, python in names.items() if aws in p})


def delete_account_password_policy(c: Caller, p: dict[str, Any]) -> None:
    acc.delete_account_password_policy(c)


def get_account_summary(c: Caller, p: dict[str, Any]) -> dict[str, Any]:
    return {"SummaryMap": summary.get_account_summary(c)}


def get_account_authorization_details(c: Caller, p: dict[str, Any]) -> dict[str, Any]:
    details = summary.get_account_authorization_details(c, p.get("Filter") or ())
    return {**details, "IsTruncated": False}


def generate_credential_report(c: Caller, p: dict[str, Any]) -> dict[str, Any]:
    state = acc.generate_credential_report(c)
    description = ("No report exists. Starting a new report generation task" if state == "STARTED"
                   else None)
    return {"State": state, "Description": description}


def get_credential_report(c: Caller, p: dict[str, Any]) -> dict[str, Any]:
    report = acc.get_credential_report(c)
    return {"Content": report.content.encode(), "ReportFormat": "text/csv", "GeneratedTime": report.generated}


# ------------------------------------------------------------------ identity providers


def create_oidc_provider(c: Caller, p: dict[str, Any]) -> dict[str, Any]:
    provider = providers.create_open_id_connect_provider(c, p["Url"], p.get("ClientIDList") or [],
                                                         p.get("ThumbprintList") or [], p.get("Tags"))
    return {"OpenIDConnectProviderArn": provider.arn, "Tags": _tags(provider.tags) or None}


def get_oidc_provider(c: Caller, p: dict[str, Any]) -> dict[str, Any]:
    provider = providers.get_open_id_connect_provider(c, p["OpenIDConnectProviderArn"])
    return {"Url": provider.url, "ClientIDList": provider.client_ids, "ThumbprintList": provider.thumbprints,
            "CreateDate": provider.created, "Tags": _tags(provider.tags) or None}


def list_oidc_providers(c: Caller, p: dict[str, Any]) -> dict[str, Any]:
    return {"OpenIDConnectProviderList": [{"Arn": x.arn} for x in providers.list_open_id_connect_providers(c)]}


def delete_oidc_provider(c: Caller, p: dict[str, Any]) -> None:
    providers.delete_open_id_connect_provider(c, p["OpenIDConnectProviderArn"])


def update_oidc_thumbprint(c: Caller, p: dict[str, Any]) -> None:
    providers.update_open_id_connect_provider_thumbprint(c, p["OpenIDConnectProviderArn"], p["ThumbprintList"])


def add_client_id(c: Caller, p: dict[str, Any]) -> None:
    providers.add_client_id_to_open_id_connect_provider(c, p["OpenIDConnectProviderArn"], p["ClientID"])


def remove_client_id(c: Caller, p: dict[str, Any]) -> None:
    providers.remove_client_id_from_open_id_connect_provider(c, p["OpenIDConnectProviderArn"], p["ClientID"])


def _provider_tags(tag: Callable[..., Any], untag: Callable[..., Any], list_tags: Callable[..., Any],
                   arn_key: str) -> tuple[Handler, Handler, Handler]:
    def tag_handler(c: Caller, p: dict[str, Any]) -> None:
        tag(c, p[arn_key], p["Tags"])

    def untag_handler(c: Caller, p: dict[str, Any]) -> None:
        untag(c, p[arn_key], p["TagKeys"])

    def list_handler(c: Caller, p: dict[str, Any]) -> dict[str, Any]:
        return {"Tags": rows(list_tags(c, p[arn_key]), dict)}

    return tag_handler, untag_handler, list_handler


TAG_OIDC, UNTAG_OIDC, LIST_OIDC_TAGS = _provider_tags(
    providers.tag_open_id_connect_provider, providers.untag_open_id_connect_provider,
    providers.list_open_id_connect_provider_tags, "OpenIDConnectProviderArn")
TAG_SAML, UNTAG_SAML, LIST_SAML_TAGS = _provider_tags(
    providers.tag_saml_provider, providers.untag_saml_provider, providers.list_saml_provider_tags, "SAMLProviderArn")


def create_saml_provider(c: Caller, p: dict[str, Any]) -> dict[str, Any]:
    provider = providers.create_saml_provider(c, p["SAMLMetadataDocument"], p["Name"], p.get("Tags"))
    return {"SAMLProviderArn": provider.arn, "Tags": _tags(provider.tags) or None}


def get_saml_provider(c: Caller, p: dict[str, Any]) -> dict[str, Any]:
    provider = providers.get_saml_provider(c, p["SAMLProviderArn"])
    return {"SAMLProviderUUID": provider.saml_provider_uuid or None, "SAMLMetadataDocument": provider.metadata_document,
            "CreateDate": provider.created, "ValidUntil": provider.valid_until, "Tags": _tags(provider.tags) or None}


def list_saml_providers(c: Caller, p: dict[str, Any]) -> dict[str, Any]:
    return {"SAMLProviderList": [{"Arn": x.arn, "ValidUntil": x.valid_until, "CreateDate": x.created}
                                 for x in providers.list_saml_providers(c)]}


def update_saml_provider(c: Caller, p: dict[str, Any]) -> dict[str, Any]:
    provider = providers.update_saml_provider(c, p["SAMLProviderArn"], p.get("SAMLMetadataDocument"))
    return {"SAMLProviderArn": provider.arn}


def delete_saml_provider(c: Caller, p: dict[str, Any]) -> None:
    providers.delete_saml_provider(c, p["SAMLProviderArn"])


# ------------------------------------------------------------- Access Advisor, STS preferences


def generate_service_last_accessed_details(c: Caller, p: dict[str, Any]) -> dict[str, Any]:
    job_id = last_accessed.generate_service_last_accessed_details(c, p["Arn"], p.get("Granularity", "SERVICE_LEVEL"))
    return {"JobId": job_id}


def get_service_last_accessed_details(c: Caller, p: dict[str, Any]) -> dict[str, Any]:
    report = last_accessed.get_service_last_accessed_details(c, p["JobId"])

    def service(use: Any) -> dict[str, Any]:
        return {"ServiceName": use.name, "ServiceNamespace": use.namespace, "LastAuthenticated": use.last_authenticated,
                "LastAuthenticatedEntity": use.last_entity, "TotalAuthenticatedEntities": use.total_entities}

    return {"JobStatus": "COMPLETED", "JobType": report.job.granularity, "JobCreationDate": report.job.created,
            "JobCompletionDate": report.job.created, "ServicesLastAccessed": rows(report.services, service)}


def get_service_last_accessed_details_with_entities(c: Caller, p: dict[str, Any]) -> dict[str, Any]:
    job, entities = last_accessed.get_service_last_accessed_details_with_entities(c, p["JobId"], p["ServiceNamespace"])

    def detail(item: Any) -> dict[str, Any]:
        kind, entity, when = item
        return {"EntityInfo": {"Arn": entity.arn, "Name": entity.name, "Type": kind.upper(), "Id": entity.unique_id,
                               "Path": entity.path}, "LastAuthenticated": when}

    return {"JobStatus": "COMPLETED", "JobCreationDate": job.created, "JobCompletionDate": job.created,
            "EntityDetailsList": rows(entities, detail)}


def list_policies_granting_service_access(c: Caller, p: dict[str, Any]) -> dict[str, Any]:
    granted = last_accessed.list_policies_granting_service_access(c, p["Arn"], p["ServiceNamespaces"])

    def policy(document: tuple) -> dict[str, Any]:
        name, policy_type, arn, owner_kind, owner_name, _text = document
        out = {"PolicyName": name, "PolicyType": policy_type, "PolicyArn": arn or None}
        if policy_type == "INLINE":
            out.update({"EntityType": owner_kind.upper(), "EntityName": owner_name})
        return out

    return {"PoliciesGrantingServiceAccess": rows(
        list(granted.items()), lambda item: {"ServiceNamespace": item[0], "Policies": [policy(d) for d in item[1]]})}


def set_security_token_service_preferences(c: Caller, p: dict[str, Any]) -> None:
    last_accessed.set_security_token_service_preferences(c, p["GlobalEndpointTokenVersion"])


# ---------------------------------------------------------------------- policy simulator


def _context_entries(p: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"ContextKeyName": e.get("ContextKeyName"), "ContextKeyValues": e.get("ContextKeyValues") or [],
             "ContextKeyType": e.get("ContextKeyType", "string")} for e in p.get("ContextEntries") or []]


def _eval_result(result: Any) -> dict[str, Any]:
    out = result.to_dict()
    out["MatchedStatements"] = [
        {k: v for k, v in statement.items() if k in ("SourcePolicyId", "SourcePolicyType", "StartPosition", "EndPosition")}
        for statement in out.get("MatchedStatements", [])
    ]
    return out


def simulate_principal_policy(c: Caller, p: dict[str, Any]) -> dict[str, Any]:
    results = simulator.simulate_principal_policy(
        c, p["PolicySourceArn"], p["ActionNames"], p.get("ResourceArns"), _context_entries(p),
        resource_policy=p.get("ResourcePolicy"), resource_owner=p.get("ResourceOwner"), caller_arn=p.get("CallerArn"),
        permissions_boundary_policies=p.get("PermissionsBoundaryPolicyInputList"),
        policy_input_list=p.get("PolicyInputList"),
    )
    return {"EvaluationResults": rows(results, _eval_result)}


def simulate_custom_policy(c: Caller, p: dict[str, Any]) -> dict[str, Any]:
    results = simulator.simulate_custom_policy(
        c, p["PolicyInputList"], p["ActionNames"], p.get("ResourceArns"), _context_entries(p),
        resource_policy=p.get("ResourcePolicy"), resource_owner=p.get("ResourceOwner"), caller_arn=p.get("CallerArn"),
        permissions_boundary_policies=p.get("PermissionsBoundaryPolicyInputList"),
    )
    return {"EvaluationResults": rows(results, _eval_result)}


def get_context_keys_for_principal_policy(c: Caller, p: dict[str, Any]) -> dict[str, Any]:
    keys = simulator.get_context_keys_for_principal_policy(c, p["PolicySourceArn"], p.get("PolicyInputList"))
    return {"ContextKeyNames": keys}


def get_context_keys_for_custom_policy(c: Caller, p: dict[str, Any]) -> dict[str, Any]:
    return {"ContextKeyNames": simulator.get_context_keys_for_custom_policy(c, p["PolicyInputList"])}


# --------------------------------------------------------------------------------- STS


def _credentials(issued: Any) -> dict[str, Any]:
    return {"AccessKeyId": issued.session.access_key_id, "SecretAccessKey": issued.secret_access_key,
            "SessionToken": issued.session_token, "Expiration": issued.session.expiration}


def assume_role(c: Caller, p: dict[str, Any]) -> dict[str, Any]:
    issued = sts_services.assume_role(
        c, p["RoleArn"], p["RoleSessionName"], policy=p.get("Policy"), policy_arns=p.get("PolicyArns"),
        duration_seconds=p.get("DurationSeconds"), external_id=p.get("ExternalId"), serial_number=p.get("SerialNumber"),
        token_code=p.get("TokenCode"), tags=p.get("Tags"), transitive_tag_keys=p.get("TransitiveTagKeys"),
        source_identity=p.get("SourceIdentity"), region=p.get("_region", ""),
    )
    session = issued.session
    return {"Credentials": _credentials(issued),
            "AssumedRoleUser": {"AssumedRoleId": session.assumed_role_id, "Arn": session.arn},
            "PackedPolicySize": issued.packed_policy_size, "SourceIdentity": session.source_identity or None}


def get_session_token(c: Caller, p: dict[str, Any]) -> dict[str, Any]:
    issued = sts_services.get_session_token(c, duration_seconds=p.get("DurationSeconds"),
                                            serial_number=p.get("SerialNumber"), token_code=p.get("TokenCode"))
    return {"Credentials": _credentials(issued)}


def get_caller_identity(c: Caller, p: dict[str, Any]) -> dict[str, Any]:
    identity = sts_services.get_caller_identity(c)
    return {"UserId": identity.user_id, "Account": identity.account, "Arn": identity.arn}


def get_access_key_info(c: Caller, p: dict[str, Any]) -> dict[str, Any]:
    return {"Account": sts_services.get_access_key_info(c, p["AccessKeyId"])}


HANDLERS: dict[str, dict[str, Handler]] = {
    "iam": {
        "CreateUser": create_user, "GetUser": get_user, "ListUsers": list_users, "UpdateUser": update_user,
        "DeleteUser": delete_user, "TagUser": tag_user, "UntagUser": untag_user, "ListUserTags": list_user_tags,
        "CreateLoginProfile": create_login_profile, "GetLoginProfile": get_login_profile,
        "UpdateLoginProfile": update_login_profile, "DeleteLoginProfile": delete_login_profile,
        "ChangePassword": change_password,
        "CreateAccessKey": create_access_key, "ListAccessKeys": list_access_keys, "UpdateAccessKey": update_access_key,
        "DeleteAccessKey": delete_access_key, "GetAccessKeyLastUsed": get_access_key_last_used,
        "CreateVirtualMFADevice": create_virtual_mfa_device, "EnableMFADevice": enable_mfa_device,
        "ResyncMFADevice": resync_mfa_device, "DeactivateMFADevice": deactivate_mfa_device,
        "DeleteVirtualMFADevice": delete_virtual_mfa_device, "ListMFADevices": list_mfa_devices,
        "ListVirtualMFADevices": list_virtual_mfa_devices,
        "CreateGroup": create_group, "GetGroup": get_group, "ListGroups": list_groups, "UpdateGroup": update_group,
        "DeleteGroup": delete_group, "AddUserToGroup": add_user_to_group, "RemoveUserFromGroup": remove_user_from_group,
        "ListGroupsForUser": list_groups_for_user,
        "CreateRole": create_role, "GetRole": get_role, "ListRoles": list_roles, "UpdateRole": update_role,
        "UpdateRoleDescription": update_role_description, "UpdateAssumeRolePolicy": update_assume_role_policy,
        "DeleteRole": delete_role, "TagRole": tag_role, "UntagRole": untag_role, "ListRoleTags": list_role_tags,
        "CreateServiceLinkedRole": create_service_linked_role,
        "CreateInstanceProfile": create_instance_profile, "GetInstanceProfile": get_instance_profile,
        "ListInstanceProfiles": list_instance_profiles, "ListInstanceProfilesForRole": list_instance_profiles_for_role,
        "AddRoleToInstanceProfile": add_role_to_instance_profile,
        "RemoveRoleFromInstanceProfile": remove_role_from_instance_profile,
        "DeleteInstanceProfile": delete_instance_profile,
        "CreatePolicy": create_policy, "GetPolicy": get_policy, "ListPolicies": list_policies,
        "DeletePolicy": delete_policy, "CreatePolicyVersion": create_policy_version,
        "GetPolicyVersion": get_policy_version, "ListPolicyVersions": list_policy_versions,
        "DeletePolicyVersion": delete_policy_version, "SetDefaultPolicyVersion": set_default_policy_version,
        "ListEntitiesForPolicy": list_entities_for_policy, "TagPolicy": tag_policy, "UntagPolicy": untag_policy,
        "ListPolicyTags": list_policy_tags,
        "AttachUserPolicy": _attach(pol.attach_user_policy, "UserName"),
        "DetachUserPolicy": _attach(pol.detach_user_policy, "UserName"),
        "ListAttachedUserPolicies": _list_attached(pol.list_attached_user_policies, "UserName"),
        "AttachGroupPolicy": _attach(pol.attach_group_policy, "GroupName"),
        "DetachGroupPolicy": _attach(pol.detach_group_policy, "GroupName"),
        "ListAttachedGroupPolicies": _list_attached(pol.list_attached_group_policies, "GroupName"),
        "AttachRolePolicy": _attach(pol.attach_role_policy, "RoleName"),
        "DetachRolePolicy": _attach(pol.detach_role_policy, "RoleName"),
        "ListAttachedRolePolicies": _list_attached(pol.list_attached_role_policies, "RoleName"),
        "PutUserPermissionsBoundary": put_user_permissions_boundary,
        "DeleteUserPermissionsBoundary": delete_user_permissions_boundary,
        "PutRolePermissionsBoundary": put_role_permissions_boundary,
        "DeleteRolePermissionsBoundary": delete_role_permissions_boundary,
        "PutUserPolicy": _put_inline(pol.put_user_policy, "UserName"),
        "GetUserPolicy": _get_inline(pol.get_user_policy, "UserName"),
        "ListUserPolicies": _list_inline(pol.list_user_policies, "UserName"),
        "DeleteUserPolicy": _delete_inline(pol.delete_user_policy, "UserName"),
        "PutGroupPolicy": _put_inline(pol.put_group_policy, "GroupName"),
        "GetGroupPolicy": _get_inline(pol.get_group_policy, "GroupName"),
        "ListGroupPolicies": _list_inline(pol.list_group_policies, "GroupName"),
        "DeleteGroupPolicy": _delete_inline(pol.delete_group_policy, "GroupName"),
        "PutRolePolicy": _put_inline(pol.put_role_policy, "RoleName"),
        "GetRolePolicy": _get_inline(pol.get_role_policy, "RoleName"),
        "ListRolePolicies": _list_inline(pol.list_role_policies, "RoleName"),
        "DeleteRolePolicy": _delete_inline(pol.delete_role_policy, "RoleName"),
        "CreateAccountAlias": create_account_alias, "DeleteAccountAlias": delete_account_alias,
        "ListAccountAliases": list_account_aliases,
        "GetAccountPasswordPolicy": get_account_password_policy,
        "UpdateAccountPasswordPolicy": update_account_password_policy,
        "DeleteAccountPasswordPolicy": delete_account_password_policy,
        "GetAccountSummary": get_account_summary, "GetAccountAuthorizationDetails": get_account_authorization_details,
        "GenerateCredentialReport": generate_credential_report, "GetCredentialReport": get_credential_report,
        "CreateOpenIDConnectProvider": create_oidc_provider, "GetOpenIDConnectProvider": get_oidc_provider,
        "ListOpenIDConnectProviders": list_oidc_providers, "DeleteOpenIDConnectProvider": delete_oidc_provider,
        "UpdateOpenIDConnectProviderThumbprint": update_oidc_thumbprint,
        "AddClientIDToOpenIDConnectProvider": add_client_id,
        "RemoveClientIDFromOpenIDConnectProvider": remove_client_id,
        "TagOpenIDConnectProvider": TAG_OIDC, "UntagOpenIDConnectProvider": UNTAG_OIDC,
        "ListOpenIDConnectProviderTags": LIST_OIDC_TAGS,
        "TagSAMLProvider": TAG_SAML, "UntagSAMLProvider": UNTAG_SAML, "ListSAMLProviderTags": LIST_SAML_TAGS,
        "CreateSAMLProvider": create_saml_provider, "GetSAMLProvider": get_saml_provider,
        "ListSAMLProviders": list_saml_providers, "UpdateSAMLProvider": update_saml_provider,
        "DeleteSAMLProvider": delete_saml_provider,
        "GenerateServiceLastAccessedDetails": generate_service_last_accessed_details,
        "GetServiceLastAccessedDetails": get_service_last_accessed_details,
        "GetServiceLastAccessedDetailsWithEntities": get_service_last_accessed_details_with_entities,
        "ListPoliciesGrantingServiceAccess": list_policies_granting_service_access,
        "SetSecurityTokenServicePreferences": set_security_token_service_preferences,
        "SimulatePrincipalPolicy": simulate_principal_policy, "SimulateCustomPolicy": simulate_custom_policy,
        "GetContextKeysForPrincipalPolicy": get_context_keys_for_principal_policy,
        "GetContextKeysForCustomPolicy": get_context_keys_for_custom_policy,
    },
    "sts": {
        "AssumeRole": assume_role, "GetSessionToken": get_session_token, "GetCallerIdentity": get_caller_identity,
        "GetAccessKeyInfo": get_access_key_info,
    },
}

