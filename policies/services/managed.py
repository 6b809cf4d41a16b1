"""Managed policies: create, read, list, delete, versions, entities, tags.

One function per IAM API operation (https://docs.aws.amazon.com/IAM/latest/APIReference/),
acting Caller first. Each authorizes the `iam:` action on the policy ARN, validates with the
API's rules and wording, writes in one transaction (`operation`) and raises typed errors.

`ManagedPolicy.document` and `default_version_id` always mirror the default PolicyVersion:
they are what `policies.authz` reads when it gathers a principal's policies.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts import rules
from accounts.activity import operation
from accounts.errors import (
    AccessDenied,
    DeleteConflict,
    EntityAlreadyExists,
    InvalidInput,
    LimitExceeded,
    NoSuchEntity,
)
from accounts.models import Account, Group, Role, User, iam_arn
from accounts.principal import Caller
from accounts.tags import tag_context, validate_tags
from policies import authz
from policies.models import ManagedPolicy, PolicyAttachment, PolicyVersion

from .documents import check_managed_policy

POLICY_ARN = re.compile(r"^arn:aws:iam::(?P<owner>aws|\d{12}):policy(?P<path>/(?:[\u0021-\u007E]*/)?)(?P<name>[\w+=,.@-]+)$")
VERSION_ID = re.compile(r"^v[1-9][0-9]*(\.[A-Za-z0-9-]*)?$")
SCOPES = ("All", "AWS", "Local")
USAGE_FILTERS = ("PermissionsPolicy", "PermissionsBoundary")


# ---------------------------------------------------------------------- lookups


def policy_arn(account: Account | None, path: str, name: str) -> str:
    return iam_arn("aws" if account is None else account.account_id, "policy", path, name)


def parse_policy_arn(arn: str) -> tuple[str, str, str]:
    """(owner, path, name) of a policy ARN; owner is "aws" or a 12-digit account ID."""
    match = POLICY_ARN.match(arn or "")
    if match is None:
        raise InvalidInput(f"ARN {arn} is not valid.")
    return match["owner"], match["path"], match["name"]


def find_policy(account: Account, arn: str, *, for_update: bool = False) -> ManagedPolicy | None:
    """The managed policy an ARN names as seen from `account`: an AWS managed policy or one of
    the account's own. Another account's policy does not exist here."""
    owner, path, name = parse_policy_arn(arn)
    # No join to the account: the query pins it (none for AWS managed policies, else `account`),
    # so the policy gets that account attached instead.
    queryset = ManagedPolicy.objects.all()
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    if owner == "aws":
        policy = queryset.filter(account__isnull=True, path=path, name=name).first()
        owner_account = None
    elif owner != account.account_id:
        return None
    else:
        policy = queryset.filter(account=account, path=path, name=name).first()
        owner_account = account
    if policy is not None:
        policy.account = owner_account
    return policy


def get_managed_policy(account: Account, arn: str, *, for_update: bool = False) -> ManagedPolicy:
    policy = find_policy(account, arn, for_update=for_update)
    if policy is None:
        raise NoSuchEntity(f"Policy {arn} was not found.")
    return policy


def tag_dict(tags: Iterable[Mapping[str, str]]) -> dict[str, str]:
    return {tag["Key"]: tag["Value"] for tag in tags}


def _require_on_policy(caller: Caller, action: str, arn: str, policy: ManagedPolicy | None = None, **kwargs: Any) -> None:
    tags = tag_dict(policy.tags) if policy is not None else None
    authz.require(caller, action, arn, resource_tags=tags, **kwargs)


def _require_customer_managed(caller: Caller, action: str, policy: ManagedPolicy) -> None:
    """AWS managed policies belong to AWS, not to the caller's account: nobody here may change them."""
    if policy.is_aws_managed:
        raise AccessDenied(
            f"User: {caller.arn} is not authorized to perform: {action} on resource: policy {policy.arn}"
            " because AWS managed policies are read-only",
            action=action,
            resource=policy.arn,
        )


# ---------------------------------------------------------------------- tags


def normalize_tags(tags: Iterable[Mapping[str, str]] | Mapping[str, str] | None) -> list[dict[str, str]]:
    """Tags as [{"Key", "Value"}], validated with the one rule set (accounts.tags)."""
    return validate_tags(tags)


_tag_context = tag_context


@operation("CreatePolicy")
def create_policy(
    caller: Caller,
    policy_name: str,
    policy_document: str,
    path: str = "/",
    description: str = "",
    tags: Iterable[Mapping[str, str]] | Mapping[str, str] | None = None,
) -> ManagedPolicy:
    """CreatePolicy: a customer managed policy with version v1 as its default."""
    account = caller.account
    path = path or "/"
    arn = policy_arn(account, path, policy_name or "")
    tag_list = normalize_tags(tags)
    authz.require(caller, "iam:CreatePolicy", arn, context=_tag_context(tag_list))
    rules.check_name(policy_name, "policyName", 128, rules.POLICY_NAME_PATTERN)
    rules.check_path(path, "path")
    rules.check_length(description or "", "description", 0, 1000)
    check_managed_policy(policy_document)
    if ManagedPolicy.objects.filter(account=account, name__iexact=policy_name).exists():
        raise EntityAlreadyExists(f"A policy called {policy_name} already exists. Duplicate names are not allowed.")
    if ManagedPolicy.objects.filter(account=account).count() >= rules.MAX_CUSTOMER_POLICIES_PER_ACCOUNT:
        raise LimitExceeded(f"Cannot exceed quota for PoliciesPerAccount: {rules.MAX_CUSTOMER_POLICIES_PER_ACCOUNT}")
    now = timezone.now()
    try:
        policy = ManagedPolicy.objects.create(
            account=account, name=policy_name, path=path, description=description or "", document=policy_document,
            default_version_id="v1", next_version_number=2, created=now, updated=now, tags=tag_list,
        )
    except IntegrityError as error:  # a concurrent CreatePolicy with the same name
        raise EntityAlreadyExists(f"A policy called {policy_name} already exists. Duplicate names are not allowed.") from error
    PolicyVersion.objects.create(policy=policy, version_id="v1", document=policy_document, is_default=True, created=now)
    return policy


def _usage_annotations(account: Account) -> dict[str, Any]:
    """AttachmentCount and PermissionsBoundaryUsageCount as this account sees them: attachments
    of an AWS managed policy in other accounts are not counted."""
    in_account = Q(user__account=account) | Q(group__account=account) | Q(role__account=account)

    def count_of(kind: str) -> Any:
        rows = (
            PolicyAttachment.objects.filter(in_account, policy=OuterRef("pk"), kind=kind)
            .order_by()
            .values("policy")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))

    return {
        "attachment_count": count_of(PolicyAttachment.Kind.PERMISSIONS),
        "boundary_usage_count": count_of(PolicyAttachment.Kind.BOUNDARY),
    }


def policies_visible_to(account: Account) -> QuerySet[ManagedPolicy]:
    """AWS managed policies and the account's own, with their usage counts (no N+1)."""
    return (
        ManagedPolicy.objects.filter(Q(account__isnull=True) | Q(account=account))
        .select_related("account")
        .annotate(**_usage_annotations(account))
    )


@operation("ListPolicies", read_only=True)
def list_policies(
    caller: Caller,
    scope: str = "All",
    only_attached: bool = False,
    path_prefix: str = "/",
    policy_usage_filter: str | None = None,
) -> QuerySet[ManagedPolicy]:
    """ListPolicies: a lazy queryset (ordered by name) annotated with `attachment_count` and
    `boundary_usage_count`, so the console can filter and page it in a constant number of queries."""
    authz.require(caller, "iam:ListPolicies", "*")
    if scope not in SCOPES:
        raise rules.constraint_error(scope, "scope", "Member must satisfy enum value set: [All, AWS, Local]")
    if policy_usage_filter and policy_usage_filter not in USAGE_FILTERS:
        raise rules.constraint_error(
            policy_usage_filter, "policyUsageFilter", "Member must satisfy enum value set: [PermissionsPolicy, PermissionsBoundary]"
        )
    queryset = policies_visible_to(caller.account)
    if scope == "AWS":
        queryset = queryset.filter(account__isnull=True)
    elif scope == "Local":
        queryset = queryset.filter(account=caller.account)
    if path_prefix and path_prefix != "/":
        queryset = queryset.filter(path__startswith=path_prefix)
    if only_attached:
        queryset = queryset.filter(attachment_count__gt=0)
    if policy_usage_filter == "PermissionsPolicy":
        queryset = queryset.filter(attachment_count__gt=0)
    elif policy_usage_filter == "PermissionsBoundary":
        queryset = queryset.filter(boundary_usage_count__gt=0)
    return queryset.order_by("name", "path")


@operation("GetPolicy", read_only=True)
def get_policy(caller: Caller, policy_arn: str) -> ManagedPolicy:
    policy = find_policy(caller.account, policy_arn)
    _require_on_policy(caller, "iam:GetPolicy", policy_arn, policy)
    if policy is None:
        raise NoSuchEntity(f"Policy {policy_arn} was not found.")
    return policies_visible_to(caller.account).get(pk=policy.pk)


@operation("DeletePolicy")
def delete_policy(caller: Caller, policy_arn: str) -> None:
    policy = find_policy(caller.account, policy_arn, for_update=True)
    _require_on_policy(caller, "iam:DeletePolicy", policy_arn, policy)
    if policy is None:
        raise NoSuchEntity(f"Policy {policy_arn} was not found.")
    _require_customer_managed(caller, "iam:DeletePolicy", policy)
    if policy.attachments.exists():
        raise DeleteConflict("Cannot delete a policy attached to entities.")
    if policy.versions.filter(is_default=False).exists():
        raise DeleteConflict(
            "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. "
            "The default version is deleted with the policy."
        )
    policy.versions.all().delete()
    policy.delete()


# ---------------------------------------------------------------------- versions


def _get_version(policy: ManagedPolicy, policy_arn: str, version_id: str) -> PolicyVersion:
    if not VERSION_ID.match(version_id or ""):
        raise rules.constraint_error(version_id, "versionId", "Member must satisfy regular expression pattern: v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?")
    version = policy.versions.filter(version_id=version_id).first()
    if version is None:
        raise NoSuchEntity(f"Policy {policy_arn} version {version_id} does not exist or is not attachable.")
    return version


def _make_default(policy: ManagedPolicy, version: PolicyVersion) -> None:
    policy.versions.exclude(pk=version.pk).filter(is_default=True).update(is_default=False)
    if not version.is_default:
        version.is_default = True
        version.save(update_fields=["is_default"])
    policy.default_version_id = version.version_id
    policy.document = version.document
    policy.updated = timezone.now()
    policy.save(update_fields=["default_version_id", "document", "updated"])


@operation("CreatePolicyVersion")
def create_policy_version(caller: Caller, policy_arn: str, policy_document: str, set_as_default: bool = False) -> PolicyVersion:
    """CreatePolicyVersion: version IDs keep counting after deletions (v1, v2, v4...)."""
    policy = find_policy(caller.account, policy_arn, for_update=True)
    _require_on_policy(caller, "iam:CreatePolicyVersion", policy_arn, policy)
    if policy is None:
        raise NoSuchEntity(f"Policy {policy_arn} was not found.")
    _require_customer_managed(caller, "iam:CreatePolicyVersion", policy)
    check_managed_policy(policy_document)
    if policy.versions.count() >= rules.MAX_POLICY_VERSIONS:
        raise LimitExceeded(
            "A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version."
        )
    version_id = f"v{policy.next_version_number}"
    version = PolicyVersion.objects.create(policy=policy, version_id=version_id, document=policy_document)
    policy.next_version_number += 1
    policy.updated = timezone.now()
    policy.save(update_fields=["next_version_number", "updated"])
    if set_as_default:
        _make_default(policy, version)
    return version


@operation("GetPolicyVersion", read_only=True)
def get_policy_version(caller: Caller, policy_arn: str, version_id: str) -> PolicyVersion:
    policy = find_policy(caller.account, policy_arn)
    _require_on_policy(caller, "iam:GetPolicyVersion", policy_arn, policy)
    if policy is None:
        raise NoSuchEntity(f"Policy {policy_arn} was not found.")
    return _get_version(policy, policy_arn, version_id)


@operation("ListPolicyVersions", read_only=True)
def list_policy_versions(caller: Caller, policy_arn: str) -> list[PolicyVersion]:
    """Newest first, as the API and the console list them."""
    policy = find_policy(caller.account, policy_arn)
    _require_on_policy(caller, "iam:ListPolicyVersions", policy_arn, policy)
    if policy is None:
        raise NoSuchEntity(f"Policy {policy_arn} was not found.")
    return list(policy.versions.order_by("-created", "-id"))


@operation("DeletePolicyVersion")
def delete_policy_version(caller: Caller, policy_arn: str, version_id: str) -> None:
    policy = find_policy(caller.account, policy_arn, for_update=True)
    _require_on_policy(caller, "iam:DeletePolicyVersion", policy_arn, policy)
    if policy is None:
        raise NoSuchEntity(f"Policy {policy_arn} was not found.")
    _require_customer_managed(caller, "iam:DeletePolicyVersion", policy)
    version = _get_version(policy, policy_arn, version_id)
    if version.is_default:
        raise DeleteConflict("Cannot delete the default version of a policy.")
    version.delete()


@operation("SetDefaultPolicyVersion")
def set_default_policy_version(caller: Caller, policy_arn: str, version_id: str) -> ManagedPolicy:
    policy = find_policy(caller.account, policy_arn, for_update=True)
    _require_on_policy(caller, "iam:SetDefaultPolicyVersion", policy_arn, policy)
    if policy is None:
        raise NoSuchEntity(f"Policy {policy_arn} was not found.")
    _require_customer_managed(caller, "iam:SetDefaultPolicyVersion", policy)
    _make_default(policy, _get_version(policy, policy_arn, version_id))
    return policy


# ---------------------------------------------------------------------- entities


@dataclass
class PolicyEntities:
    """ListEntitiesForPolicy: the account's users, groups and roles the policy is attached to."""

    users: list[User]
    groups: list[Group]
    roles: list[Role]
    boundary_users: list[User]
    boundary_roles: list[Role]


def attachments_in_account(policy: ManagedPolicy, account: Account) -> QuerySet[PolicyAttachment]:
    return policy.attachments.filter(Q(user__account=account) | Q(group__account=account) | Q(role__account=account))


@operation("ListEntitiesForPolicy", read_only=True)
def list_entities_for_policy(
    caller: Caller, policy_arn: str, entity_filter: str | None = None, policy_usage_filter: str | None = None
) -> PolicyEntities:
    policy = find_policy(caller.account, policy_arn)
    _require_on_policy(caller, "iam:ListEntitiesForPolicy", policy_arn, policy)
    if policy is None:
        raise NoSuchEntity(f"Policy {policy_arn} was not found.")
    rows = attachments_in_account(policy, caller.account).select_related("user__account", "group__account", "role__account")
    entities = PolicyEntities([], [], [], [], [])
    for row in rows.order_by("id"):
        boundary = row.kind == PolicyAttachment.Kind.BOUNDARY
        if policy_usage_filter == "PermissionsPolicy" and boundary:
            continue
        if policy_usage_filter == "PermissionsBoundary" and not boundary:
            continue
        if row.user_id and entity_filter in (None, "User"):
            (entities.boundary_users if boundary else entities.users).append(row.user)
        elif row.group_id and entity_filter in (None, "Group"):
            entities.groups.append(row.group)
        elif row.role_id and entity_filter in (None, "Role"):
            (entities.boundary_roles if boundary else entities.roles).append(row.role)
    return entities


# ---------------------------------------------------------------------- tags


@operation("TagPolicy")
def tag_policy(caller: Caller, policy_arn: str, tags: Iterable[Mapping[str, str]] | Mapping[str, str]) -> ManagedPolicy:
    """TagPolicy: adds tags or overwrites the value of an existing key (keys case-insensitive)."""
    policy = find_policy(caller.account, policy_arn, for_update=True)
    new_tags = normalize_tags(tags)
    _require_on_policy(caller, "iam:TagPolicy", policy_arn, policy, context=_tag_context(new_tags))
    if policy is None:
        raise NoSuchEntity(f"Policy {policy_arn} was not found.")
    _require_customer_managed(caller, "iam:TagPolicy", policy)
    merged = {t["Key"].lower(): t for t in policy.tags}
    for tag in new_tags:
        merged[tag["Key"].lower()] = tag
    if len(merged) > rules.MAX_TAGS:
        raise LimitExceeded(f"The number of tags has reached the maximum limit of {rules.MAX_TAGS}.")
    policy.tags = list(merged.values())
    policy.save(update_fields=["tags"])
    return policy


@operation("UntagPolicy")
def untag_policy(caller: Caller, policy_arn: str, tag_keys: Iterable[str]) -> ManagedPolicy:
    policy = find_policy(caller.account, policy_arn, for_update=True)
    keys = list(tag_keys)
    _require_on_policy(caller, "iam:UntagPolicy", policy_arn, policy, context={"aws:TagKeys": keys} if keys else None)
    if policy is None:
        raise NoSuchEntity(f"Policy {policy_arn} was not found.")
    _require_customer_managed(caller, "iam:UntagPolicy", policy)
    lowered = {k.lower() for k in keys}
    policy.tags = [t for t in policy.tags if t["Key"].lower() not in lowered]
    policy.save(update_fields=["tags"])
    return policy


@operation("ListPolicyTags", read_only=True)
def list_policy_tags(caller: Caller, policy_arn: str) -> list[dict[str, str]]:
    policy = find_policy(caller.account, policy_arn)
    _require_on_policy(caller, "iam:ListPolicyTags", policy_arn, policy)
    if policy is None:
        raise NoSuchEntity(f"Policy {policy_arn} was not found.")
    return list(policy.tags)

