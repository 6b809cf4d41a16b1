"""Finding the user, group or role a policy operation names, and the facts its authorization needs."""

from __future__ import annotations

from typing import Any, Literal

from django.db import connection

from accounts.errors import NoSuchEntity, UnmodifiableEntity
from accounts.lookups import get_group, get_iam_user, get_role
from accounts.models import Group, Role, User, iam_arn
from accounts.principal import Caller
from policies import authz
from policies.models import PolicyAttachment

Kind = Literal["user", "group", "role"]
Entity = User | Group | Role

TITLE = {"user": "User", "group": "Group", "role": "Role"}
_LOOKUP = {"user": get_iam_user, "group": get_group, "role": get_role}


def lookup_entity(
    caller: Caller, kind: Kind, name: str, action: str, *, context: dict[str, Any] | None = None, lock: bool = True
) -> Entity:
    """The named entity of the caller's account, locked for the write unless `lock` is false.

    A missing entity is reported only after the caller was authorized on the ARN the name
    would have, so a caller without permission learns nothing about which names exist."""
    try:
        entity = _LOOKUP[kind](caller.account, name)
    except NoSuchEntity:
        authz.require(caller, action, iam_arn(caller.account.account_id, kind, "/", name or ""), context=context)
        raise
    # Serialize concurrent writes to one entity (the 10-policies quota, the inline size quota).
    # Locked without joins: PostgreSQL refuses FOR UPDATE on the nullable side of an outer join.
    # SQLite has no row locks (Django drops FOR UPDATE there and the SELECT would lock nothing):
    # its write transactions start with BEGIN IMMEDIATE, which already serializes the writers.
    if lock and connection.features.has_select_for_update:
        type(entity).objects.select_for_update().filter(pk=entity.pk).values_list("pk", flat=True).first()
    return entity


def entity_tags(entity: Entity) -> dict[str, str] | None:
    return entity.tag_dict() if hasattr(entity, "tag_dict") else None


def filter_kwargs(kind: Kind, entity: Entity) -> dict[str, Entity]:
    return {kind: entity}


def current_boundary_arn(kind: Kind, entity: Entity) -> str | None:
    if kind == "group":
        return None
    attachment = (
        PolicyAttachment.objects.filter(kind=PolicyAttachment.Kind.BOUNDARY, **{kind: entity})
        .select_related("policy__account")
        .first()
    )
    return attachment.policy.arn if attachment else None


def require_on_entity(caller: Caller, action: str, kind: Kind, entity: Entity, context: dict[str, Any] | None = None) -> None:
    """Authorize `action` on the entity, adding iam:PermissionsBoundary (the entity's current
    boundary) where the Service Authorization Reference lists it for the action."""
    full_context = dict(context or {})
    if kind != "group" and "iam:PermissionsBoundary" not in full_context and authz.evaluates(caller):
        boundary = current_boundary_arn(kind, entity)
        if boundary:
            full_context["iam:PermissionsBoundary"] = boundary
    authz.require(caller, action, entity.arn, resource_tags=entity_tags(entity), context=full_context or None)


def refuse_service_linked(kind: Kind, entity: Entity) -> None:
    """Service-linked roles are managed by their AWS service (using-service-linked-roles.html)."""
    if kind == "role" and entity.is_service_linked:  # type: ignore[union-attr]
        raise UnmodifiableEntity(
            f"Cannot perform the operation on the protected role '{entity.name}' - this role is only modifiable by AWS"
        )
