"""Attaching managed policies to users, groups and roles, and permissions boundaries.

Attach/Detach<Entity>Policy put `iam:PolicyARN` into the request context, and (users, roles)
the entity's current `iam:PermissionsBoundary`; Put<Entity>PermissionsBoundary puts the new
boundary's ARN into `iam:PermissionsBoundary` (Service Authorization Reference, IAM).
"""

from __future__ import annotations

from accounts import rules
from accounts.activity import operation
from accounts.errors import LimitExceeded, NoSuchEntity
from accounts.principal import Caller
from policies.models import ManagedPolicy, PolicyAttachment

from .entities import TITLE, Entity, Kind, lookup_entity, refuse_service_linked, require_on_entity
from .managed import find_policy, parse_policy_arn

PERMISSIONS = PolicyAttachment.Kind.PERMISSIONS
BOUNDARY = PolicyAttachment.Kind.BOUNDARY


def _attachable(caller: Caller, policy_arn: str) -> ManagedPolicy:
    parse_policy_arn(policy_arn)
    policy = find_policy(caller.account, policy_arn)
    if policy is None or not policy.attachable:
        raise NoSuchEntity(f"Policy {policy_arn} does not exist or is not attachable.")
    return policy


def _attach(caller: Caller, kind: Kind, name: str, policy_arn: str) -> None:
    action = f"iam:Attach{TITLE[kind]}Policy"
    context = {"iam:PolicyARN": policy_arn}
    entity = lookup_entity(caller, kind, name, action, context=context)
    require_on_entity(caller, action, kind, entity, context)
    refuse_service_linked(kind, entity)
    policy = _attachable(caller, policy_arn)
    # One query for both checks: the entity's attached policies (at most the quota's few).
    attached = list(PolicyAttachment.objects.filter(kind=PERMISSIONS, **{kind: entity}).values_list("policy_id", flat=True))
    if policy.pk in attached:
        return  # attaching twice is a no-op on AWS
    if len(attached) >= rules.MAX_MANAGED_POLICIES_PER_ENTITY:
        raise LimitExceeded(f"Cannot exceed quota for PoliciesPer{TITLE[kind]}: {rules.MAX_MANAGED_POLICIES_PER_ENTITY}")
    PolicyAttachment.objects.create(policy=policy, kind=PERMISSIONS, **{kind: entity})


def _detach(caller: Caller, kind: Kind, name: str, policy_arn: str) -> None:
    action = f"iam:Detach{TITLE[kind]}Policy"
    context = {"iam:PolicyARN": policy_arn}
    entity = lookup_entity(caller, kind, name, action, context=context)
    require_on_entity(caller, action, kind, entity, context)
    refuse_service_linked(kind, entity)
    parse_policy_arn(policy_arn)
    policy = find_policy(caller.account, policy_arn)
    deleted = 0
    if policy is not None:
        deleted, _ = PolicyAttachment.objects.filter(kind=PERMISSIONS, policy=policy, **{kind: entity}).delete()
    if not deleted:
        raise NoSuchEntity(f"Policy {policy_arn} was not found.")


def _list_attached(caller: Caller, kind: Kind, name: str, path_prefix: str = "/") -> list[ManagedPolicy]:
    action = f"iam:ListAttached{TITLE[kind]}Policies"
    entity = lookup_entity(caller, kind, name, action, lock=False)
    require_on_entity(caller, action, kind, entity)
    queryset = ManagedPolicy.objects.filter(
        attachments__kind=PERMISSIONS, **{f"attachments__{kind}": entity}
    ).select_related("account")
    if path_prefix and path_prefix != "/":
        queryset = queryset.filter(path__startswith=path_prefix)
    return list(queryset.order_by("name"))


# ---------------------------------------------------------------------- users


@operation("AttachUserPolicy")
def attach_user_policy(caller: Caller, user_name: str, policy_arn: str) -> None:
    _attach(caller, "user", user_name, policy_arn)


@operation("DetachUserPolicy")
def detach_user_policy(caller: Caller, user_name: str, policy_arn: str) -> None:
    _detach(caller, "user", user_name, policy_arn)


@operation("ListAttachedUserPolicies", read_only=True)
def list_attached_user_policies(caller: Caller, user_name: str, path_prefix: str = "/") -> list[ManagedPolicy]:
    return _list_attached(caller, "user", user_name, path_prefix)


# ---------------------------------------------------------------------- groups


@operation("AttachGroupPolicy")
def attach_group_policy(caller: Caller, group_name: str, policy_arn: str) -> None:
    _attach(caller, "group", group_name, policy_arn)


@operation("DetachGroupPolicy")
def detach_group_policy(caller: Caller, group_name: str, policy_arn: str) -> None:
    _detach(caller, "group", group_name, policy_arn)


@operation("ListAttachedGroupPolicies", read_only=True)
def list_attached_group_policies(caller: Caller, group_name: str, path_prefix: str = "/") -> list[ManagedPolicy]:
    return _list_attached(caller, "group", group_name, path_prefix)


# ---------------------------------------------------------------------- roles


@operation("AttachRolePolicy")
def attach_role_policy(caller: Caller, role_name: str, policy_arn: str) -> None:
    _attach(caller, "role", role_name, policy_arn)


@operation("DetachRolePolicy")
def detach_role_policy(caller: Caller, role_name: str, policy_arn: str) -> None:
    _detach(caller, "role", role_name, policy_arn)


@operation("ListAttachedRolePolicies", read_only=True)
def list_attached_role_policies(caller: Caller, role_name: str, path_prefix: str = "/") -> list[ManagedPolicy]:
    return _list_attached(caller, "role", role_name, path_prefix)


# ---------------------------------------------------------------------- permissions boundaries


def _put_boundary(caller: Caller, kind: Kind, name: str, policy_arn: str) -> None:
    action = f"iam:Put{TITLE[kind]}PermissionsBoundary"
    context = {"iam:PermissionsBoundary": policy_arn}
    entity = lookup_entity(caller, kind, name, action, context=context)
    require_on_entity(caller, action, kind, entity, context)
    refuse_service_linked(kind, entity)
    parse_policy_arn(policy_arn)
    policy = find_policy(caller.account, policy_arn)
    if policy is None or not policy.attachable:
        raise NoSuchEntity(f"Scope ARN: {policy_arn} does not exist or is not attachable.")
    updated = PolicyAttachment.objects.filter(kind=BOUNDARY, **{kind: entity}).update(policy=policy)
    if not updated:
        PolicyAttachment.objects.create(policy=policy, kind=BOUNDARY, **{kind: entity})


def _delete_boundary(caller: Caller, kind: Kind, name: str) -> None:
    action = f"iam:Delete{TITLE[kind]}PermissionsBoundary"
    entity = lookup_entity(caller, kind, name, action)
    require_on_entity(caller, action, kind, entity)
    refuse_service_linked(kind, entity)
    PolicyAttachment.objects.filter(kind=BOUNDARY, **{kind: entity}).delete()


def get_permissions_boundary(kind: Kind, entity: Entity) -> ManagedPolicy | None:
    """The entity's boundary policy (read by GetUser/GetRole, which authorize themselves)."""
    attachment = PolicyAttachment.objects.filter(kind=BOUNDARY, **{kind: entity}).select_related("policy__account").first()
    return attachment.policy if attachment else None


@operation("PutUserPermissionsBoundary")
def put_user_permissions_boundary(caller: Caller, user_name: str, policy_arn: str) -> None:
    _put_boundary(caller, "user", user_name, policy_arn)


@operation("DeleteUserPermissionsBoundary")
def delete_user_permissions_boundary(caller: Caller, user_name: str) -> None:
    _delete_boundary(caller, "user", user_name)


@operation("PutRolePermissionsBoundary")
def put_role_permissions_boundary(caller: Caller, role_name: str, policy_arn: str) -> None:
    _put_boundary(caller, "role", role_name, policy_arn)


@operation("DeleteRolePermissionsBoundary")
def delete_role_permissions_boundary(caller: Caller, role_name: str) -> None:
    _delete_boundary(caller, "role", role_name)
