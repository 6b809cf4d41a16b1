"""Inline policies: embedded in one user, group or role; no ARN, no versions.

Put<Entity>Policy creates or replaces; names are unique per entity; the aggregate size of
an entity's inline policies (whitespace not counted) is capped per entity type
(reference_iam-quotas.html).
"""

from __future__ import annotations

from accounts import rules
from accounts.activity import operation
from accounts.errors import LimitExceeded, NoSuchEntity
from accounts.principal import Caller
from policies.models import InlinePolicy

from .documents import MAX_INLINE_AGGREGATE, check_identity_policy, policy_size
from .entities import TITLE, Kind, lookup_entity, refuse_service_linked, require_on_entity

INLINE_NAME_PATTERN = rules.POLICY_NAME_PATTERN


def _put(caller: Caller, kind: Kind, name: str, policy_name: str, policy_document: str) -> InlinePolicy:
    action = f"iam:Put{TITLE[kind]}Policy"
    entity = lookup_entity(caller, kind, name, action)
    require_on_entity(caller, action, kind, entity)
    refuse_service_linked(kind, entity)
    rules.check_name(policy_name, "policyName", 128, INLINE_NAME_PATTERN)
    check_identity_policy(policy_document)
    existing = list(InlinePolicy.objects.filter(**{kind: entity}))
    same = next((p for p in existing if p.name.lower() == policy_name.lower()), None)
    others = sum(policy_size(p.document) for p in existing if p is not same)
    limit = MAX_INLINE_AGGREGATE[kind]
    if others + policy_size(policy_document) > limit:
        raise LimitExceeded(f"Maximum policy size of {limit} bytes exceeded for {kind} {entity.name}")
    if same is not None:
        same.name = policy_name
        same.document = policy_document
        same.save(update_fields=["name", "document"])
        return same
    return InlinePolicy.objects.create(name=policy_name, document=policy_document, **{kind: entity})


def _find(kind: Kind, entity: object, policy_name: str) -> InlinePolicy:
    policy = InlinePolicy.objects.filter(name__iexact=policy_name or "", **{kind: entity}).first()
    if policy is None:
        raise NoSuchEntity(f"The {kind} policy with name {policy_name} cannot be found.")
    return policy


def _get(caller: Caller, kind: Kind, name: str, policy_name: str) -> InlinePolicy:
    action = f"iam:Get{TITLE[kind]}Policy"
    entity = lookup_entity(caller, kind, name, action, lock=False)
    require_on_entity(caller, action, kind, entity)
    return _find(kind, entity, policy_name)


def _list(caller: Caller, kind: Kind, name: str) -> list[InlinePolicy]:
    action = f"iam:List{TITLE[kind]}Policies"
    entity = lookup_entity(caller, kind, name, action, lock=False)
    require_on_entity(caller, action, kind, entity)
    return list(InlinePolicy.objects.filter(**{kind: entity}).order_by("name"))


def _delete(caller: Caller, kind: Kind, name: str, policy_name: str) -> None:
    action = f"iam:Delete{TITLE[kind]}Policy"
    entity = lookup_entity(caller, kind, name, action)
    require_on_entity(caller, action, kind, entity)
    refuse_service_linked(kind, entity)
    _find(kind, entity, policy_name).delete()


# ---------------------------------------------------------------------- users


@operation("PutUserPolicy")
def put_user_policy(caller: Caller, user_name: str, policy_name: str, policy_document: str) -> InlinePolicy:
    return _put(caller, "user", user_name, policy_name, policy_document)


@operation("GetUserPolicy", read_only=True)
def get_user_policy(caller: Caller, user_name: str, policy_name: str) -> InlinePolicy:
    return _get(caller, "user", user_name, policy_name)


@operation("ListUserPolicies", read_only=True)
def list_user_policies(caller: Caller, user_name: str) -> list[InlinePolicy]:
    return _list(caller, "user", user_name)


@operation("DeleteUserPolicy")
def delete_user_policy(caller: Caller, user_name: str, policy_name: str) -> None:
    _delete(caller, "user", user_name, policy_name)


# ---------------------------------------------------------------------- groups


@operation("PutGroupPolicy")
def put_group_policy(caller: Caller, group_name: str, policy_name: str, policy_document: str) -> InlinePolicy:
    return _put(caller, "group", group_name, policy_name, policy_document)


@operation("GetGroupPolicy", read_only=True)
def get_group_policy(caller: Caller, group_name: str, policy_name: str) -> InlinePolicy:
    return _get(caller, "group", group_name, policy_name)


@operation("ListGroupPolicies", read_only=True)
def list_group_policies(caller: Caller, group_name: str) -> list[InlinePolicy]:
    return _list(caller, "group", group_name)


@operation("DeleteGroupPolicy")
def delete_group_policy(caller: Caller, group_name: str, policy_name: str) -> None:
    _delete(caller, "group", group_name, policy_name)


# ---------------------------------------------------------------------- roles


@operation("PutRolePolicy")
def put_role_policy(caller: Caller, role_name: str, policy_name: str, policy_document: str) -> InlinePolicy:
    return _put(caller, "role", role_name, policy_name, policy_document)


@operation("GetRolePolicy", read_only=True)
def get_role_policy(caller: Caller, role_name: str, policy_name: str) -> InlinePolicy:
    return _get(caller, "role", role_name, policy_name)


@operation("ListRolePolicies", read_only=True)
def list_role_policies(caller: Caller, role_name: str) -> list[InlinePolicy]:
    return _list(caller, "role", role_name)


@operation("DeleteRolePolicy")
def delete_role_policy(caller: Caller, role_name: str, policy_name: str) -> None:
    _delete(caller, "role", role_name, policy_name)
