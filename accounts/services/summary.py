"""Account-wide read operations: ListAccountAliases, GetAccountSummary and
GetAccountAuthorizationDetails (https://docs.aws.amazon.com/IAM/latest/APIReference/).

GetAccountAuthorizationDetails returns AWS's member names directly (it is a report, used by
the API and by nothing in the console); it reads every entity in a constant number of
queries whatever the account's size.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Q
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import rules
from accounts.activity import operation
from accounts.errors import ValidationError
from accounts.models import AccessKey, Group, GroupMembership, InstanceProfile, Role, User
from accounts.principal import Caller

FILTERS = ("User", "Role", "Group", "LocalManagedPolicy", "AWSManagedPolicy")


@operation("ListAccountAliases", read_only=True)
def list_account_aliases(caller: Caller) -> list[str]:
    from policies import authz  # noqa: PLC0415 - policies depends on accounts

    authz.require(caller, "iam:ListAccountAliases", "*")
    return [caller.account.alias] if caller.account.alias else []


@operation("GetAccountSummary", read_only=True)
def get_account_summary(caller: Caller) -> dict[str, int]:
    """The SummaryMap: usage and quotas (quota values as AWS documents them, reference_iam-quotas.html)."""
    from api.models import OpenIDConnectProvider, SAMLProvider  # noqa: PLC0415
    from policies import authz  # noqa: PLC0415
    from policies.models import ManagedPolicy, PolicyVersion  # noqa: PLC0415

    from .last_accessed import global_endpoint_token_version  # noqa: PLC0415

    authz.require(caller, "iam:GetAccountSummary", "*")
    account = caller.account
    root = User.objects.filter(account=account, kind=User.Kind.ROOT).first()
    devices = TOTPDevice.objects.filter(user__account=account)
    return {
        "Users": User.objects.filter(account=account, kind=User.Kind.IAM).count(),
        "UsersQuota": rules.MAX_USERS_PER_ACCOUNT,
        "Groups": Group.objects.filter(account=account).count(),
        "GroupsQuota": rules.MAX_GROUPS_PER_ACCOUNT,
        "Roles": Role.objects.filter(account=account).count(),
        "RolesQuota": rules.MAX_ROLES_PER_ACCOUNT,
        "InstanceProfiles": InstanceProfile.objects.filter(account=account).count(),
        "InstanceProfilesQuota": rules.MAX_INSTANCE_PROFILES_PER_ACCOUNT,
        "Policies": ManagedPolicy.objects.filter(account=account).count(),
        "PoliciesQuota": rules.MAX_CUSTOMER_POLICIES_PER_ACCOUNT,
        "PolicyVersionsInUse": PolicyVersion.objects.filter(policy__account=account).count(),
        "PolicyVersionsInUseQuota": 10000,
        "VersionsPerPolicyQuota": rules.MAX_POLICY_VERSIONS,
        "PolicySizeQuota": 6144,
        "UserPolicySizeQuota": 2048,
        "GroupPolicySizeQuota": 5120,
        "RolePolicySizeQuota": 10240,
        "AssumeRolePolicySizeQuota": 2048,
        "GroupsPerUserQuota": rules.MAX_GROUPS_PER_USER,
        "AttachedPoliciesPerUserQuota": rules.MAX_MANAGED_POLICIES_PER_ENTITY,
        "AttachedPoliciesPerGroupQuota": rules.MAX_MANAGED_POLICIES_PER_ENTITY,
        "AttachedPoliciesPerRoleQuota": rules.MAX_MANAGED_POLICIES_PER_ENTITY,
        "AccessKeysPerUserQuota": rules.MAX_ACCESS_KEYS_PER_USER,
        "SigningCertificatesPerUserQuota": 2,
        "ServerCertificates": 0,
        "ServerCertificatesQuota": 20,
        "MFADevices": devices.count(),
        "MFADevicesInUse": devices.filter(confirmed=True).count(),
        "AccountMFAEnabled": int(root is not None and devices.filter(user=root, confirmed=True).exists()),
        "AccountAccessKeysPresent": int(root is not None and AccessKey.objects.filter(user=root).exists()),
        "AccountSigningCertificatesPresent": 0,
        "Providers": OpenIDConnectProvider.objects.filter(account=account).count()
        + SAMLProvider.objects.filter(account=account).count(),
        "GlobalEndpointTokenVersion": global_endpoint_token_version(account),
    }


def _tags(tags: Iterable[dict[str, str]]) -> list[dict[str, str]] | None:
    return [{"Key": t["Key"], "Value": t["Value"]} for t in tags] or None


@operation("GetAccountAuthorizationDetails", read_only=True)
def get_account_authorization_details(caller: Caller, filters: Iterable[str] = ()) -> dict[str, Any]:
    """Every user, group, role and (attached or customer) managed policy of the account with
    its policies, in AWS's UserDetailList/GroupDetailList/RoleDetailList/Policies shape."""
    from policies import authz  # noqa: PLC0415
    from policies.models import InlinePolicy, ManagedPolicy, PolicyAttachment  # noqa: PLC0415

    filters = list(filters or ())
    for item in filters:
        if item not in FILTERS:
            raise ValidationError(f"1 validation error detected: Value '[{', '.join(filters)}]' at 'filter' failed to "
                                  "satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: "
                                  "[Role, AWSManagedPolicy, User, Group, LocalManagedPolicy]]")
    wanted = set(filters or FILTERS)
    authz.require(caller, "iam:GetAccountAuthorizationDetails", "*")
    account = caller.account

    inline: dict[tuple[str, int], list[dict[str, str]]] = defaultdict(list)
    for policy in InlinePolicy.objects.filter(
        Q(user__account=account) | Q(group__account=account) | Q(role__account=account)
    ).order_by("name"):
        owner = ("user", policy.user_id) if policy.user_id else ("group", policy.group_id) if policy.group_id else (
            "role", policy.role_id)
        inline[owner].append({"PolicyName": policy.name, "PolicyDocument": policy.document})
    attached: dict[tuple[str, int], list[dict[str, str]]] = defaultdict(list)
    boundaries: dict[tuple[str, int], dict[str, str]] = {}
    used_policy_ids: set[int] = set()
    for row in PolicyAttachment.objects.filter(
        Q(user__account=account) | Q(group__account=account) | Q(role__account=account)
    ).select_related("policy", "policy__account"):
        owner = ("user", row.user_id) if row.user_id else ("group", row.group_id) if row.group_id else ("role", row.role_id)
        used_policy_ids.add(row.policy_id)
        if row.kind == PolicyAttachment.Kind.BOUNDARY:
            boundaries[owner] = {"PermissionsBoundaryType": "PermissionsBoundaryPolicy",
                                 "PermissionsBoundaryArn": row.policy.arn}
        else:
            attached[owner].append({"PolicyName": row.policy.name, "PolicyArn": row.policy.arn})

    out: dict[str, Any] = {}
    if "User" in wanted:
        groups_of: dict[int, list[str]] = defaultdict(list)
        for membership in GroupMembership.objects.filter(group__account=account).select_related("group"):
            groups_of[membership.user_id].append(membership.group.name)
        out["UserDetailList"] = [
            {"Path": u.path, "UserName": u.name, "UserId": u.unique_id, "Arn": u.arn, "CreateDate": u.created,
             "UserPolicyList": inline[("user", u.pk)] or None, "GroupList": groups_of[u.pk],
             "AttachedManagedPolicies": attached[("user", u.pk)], "PermissionsBoundary": boundaries.get(("user", u.pk)),
             "Tags": _tags(u.tags)}
            for u in User.objects.filter(account=account, kind=User.Kind.IAM).select_related("account").order_by("name")
        ]
    if "Group" in wanted:
        out["GroupDetailList"] = [
            {"Path": g.path, "GroupName": g.name, "GroupId": g.unique_id, "Arn": g.arn, "CreateDate": g.created,
             "GroupPolicyList": inline[("group", g.pk)], "AttachedManagedPolicies": attached[("group", g.pk)]}
            for g in Group.objects.filter(account=account).select_related("account").order_by("name")
        ]
    if "Role" in wanted:
        profiles: dict[int, list[InstanceProfile]] = defaultdict(list)
        for profile in InstanceProfile.objects.filter(account=account, role__isnull=False).select_related("account"):
            profiles[profile.role_id].append(profile)
        roles = list(Role.objects.filter(account=account).select_related("account").order_by("name"))

        def role_item(r: Role) -> dict[str, Any]:
            return {"Path": r.path, "RoleName": r.name, "RoleId": r.unique_id, "Arn": r.arn, "CreateDate": r.created,
                    "AssumeRolePolicyDocument": r.trust_policy, "Description": r.description or None,
                    "MaxSessionDuration": r.max_session_duration}

        out["RoleDetailList"] = [
            {**role_item(r),
             "InstanceProfileList": [
                 {"Path": p.path, "InstanceProfileName": p.name, "InstanceProfileId": p.unique_id, "Arn": p.arn,
                  "CreateDate": p.created, "Roles": [role_item(r)]} for p in profiles[r.pk]],
             "RolePolicyList": inline[("role", r.pk)], "AttachedManagedPolicies": attached[("role", r.pk)],
             "PermissionsBoundary": boundaries.get(("role", r.pk)), "Tags": _tags(r.tags),
             "RoleLastUsed": {"LastUsedDate": r.last_used, "Region": r.last_used_region or None} if r.last_used else {}}
            for r in roles
        ]
    if wanted & {"LocalManagedPolicy", "AWSManagedPolicy"}:
        scope = Q(pk__in=[])
        if "LocalManagedPolicy" in wanted:
            scope |= Q(account=account)
        if "AWSManagedPolicy" in wanted:
            scope |= Q(account__isnull=True, pk__in=used_policy_ids)
        in_account = Q(attachments__user__account=account) | Q(attachments__group__account=account) | Q(
            attachments__role__account=account)
        policies = (
            ManagedPolicy.objects.filter(scope).select_related("account")
            .annotate(
                n_attached=Count("attachments", filter=in_account & Q(attachments__kind=PolicyAttachment.Kind.PERMISSIONS),
                                 distinct=True),
                n_boundary=Count("attachments", filter=in_account & Q(attachments__kind=PolicyAttachment.Kind.BOUNDARY),
                                 distinct=True),
            )
            .prefetch_related("versions").order_by("name")
        )
        out["Policies"] = [
            {"PolicyName": p.name, "PolicyId": p.unique_id, "Arn": p.arn, "Path": p.path,
             "DefaultVersionId": p.default_version_id, "AttachmentCount": p.n_attached,
             "PermissionsBoundaryUsageCount": p.n_boundary, "IsAttachable": p.attachable,
             "Description": p.description or None, "CreateDate": p.created, "UpdateDate": p.updated,
             "PolicyVersionList": [
                 {"Document": v.document, "VersionId": v.version_id, "IsDefaultVersion": v.is_default,
                  "CreateDate": v.created} for v in sorted(p.versions.all(), key=lambda v: v.created, reverse=True)]}
            for p in policies
        ]
    return out
