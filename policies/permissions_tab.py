"""The "Permissions" tab of a user, group or role detail page.

The users, groups and roles pages render `templates/policies/includes/permissions_tab.html`
with `permissions_tab_context(request.caller, "user", user)`; the actions (attach, detach,
inline create/edit/delete, boundary) are served by `policies.views`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.urls import reverse

from accounts.principal import Caller
from policies import authz
from policies.evaluation import ALLOWED
from policies.models import InlinePolicy, ManagedPolicy, PolicyAttachment

from .services.entities import TITLE, Entity, Kind, current_boundary_arn


@dataclass
class PermissionRow:
    name: str
    policy_type: str  # AWS managed / AWS managed - job function / Customer managed / Customer inline
    attached_via: str  # "Directly" or "Group <name>"
    document: str
    arn: str = ""
    detail_url: str = ""
    remove_url: str = ""  # empty when the row is inherited through a group
    edit_url: str = ""
    key: str = ""

    @property
    def is_inline(self) -> bool:
        return self.policy_type == "Customer inline"


def _denial(caller: Caller, action: str, resource: str) -> dict[str, Any] | None:
    decision = authz.check(caller, action, resource)
    if decision is None or decision.decision == ALLOWED:
        return None
    return {
        "message": authz.access_denied_message(caller, action, resource, decision),
        "decision": decision.to_dict(),
    }


def _managed_row(policy: ManagedPolicy, kind: Kind, entity: Entity, via: str) -> PermissionRow:
    direct = via == "Directly"
    return PermissionRow(
        name=policy.name,
        policy_type=policy.policy_type,
        attached_via=via,
        document=policy.document,
        arn=policy.arn,
        detail_url=reverse("policies:detail", args=[policy.arn]),
        remove_url=reverse("policies:entity_detach", args=[kind, entity.name]) if direct else "",
        key=f"managed-{policy.pk}-{via}",
    )


def _inline_row(policy: InlinePolicy, kind: Kind, entity: Entity, via: str) -> PermissionRow:
    if via == "Directly":
        edit_url = reverse("policies:inline_edit", args=[kind, entity.name, policy.name])
        remove_url = reverse("policies:inline_delete", args=[kind, entity.name, policy.name])
    else:
        edit_url = reverse("policies:inline_edit", args=["group", policy.group.name, policy.name])
        remove_url = ""
    return PermissionRow(
        name=policy.name, policy_type="Customer inline", attached_via=via, document=policy.document,
        detail_url=edit_url, edit_url=edit_url, remove_url=remove_url, key=f"inline-{policy.pk}",
    )


def permission_rows(kind: Kind, entity: Entity) -> list[PermissionRow]:
    """Every permissions policy of the entity; a user's include those of its groups. Two queries."""
    if kind == "user":
        owner = Q(user=entity) | Q(group__memberships__user=entity)
    else:
        owner = Q(**{kind: entity})
    rows: list[PermissionRow] = []
    attachments = (
        PolicyAttachment.objects.filter(owner, kind=PolicyAttachment.Kind.PERMISSIONS)
        .select_related("policy__account", "group")
        .order_by("policy__name", "id")
    )
    for attachment in attachments:
        via = f"Group {attachment.group.name}" if kind == "user" and attachment.group_id else "Directly"
        rows.append(_managed_row(attachment.policy, kind, entity, via))
    for policy in InlinePolicy.objects.filter(owner).select_related("group").order_by("name", "id"):
        via = f"Group {policy.group.name}" if kind == "user" and policy.group_id else "Directly"
        rows.append(_inline_row(policy, kind, entity, via))
    rows.sort(key=lambda row: (row.name.lower(), row.attached_via))
    return rows


def permissions_tab_context(caller: Caller, kind: Kind, entity: Entity) -> dict[str, Any]:
    """Context for `policies/includes/permissions_tab.html` (its variable: `permissions`)."""
    title = TITLE[kind]
    denial = _denial(caller, f"iam:ListAttached{title}Policies", entity.arn) or _denial(
        caller, f"iam:List{title}Policies", entity.arn
    )
    rows = [] if denial else permission_rows(kind, entity)
    boundary = None
    boundary_denial = None
    if kind != "group":
        boundary_denial = _denial(caller, f"iam:Get{title}", entity.arn)
        if boundary_denial is None:
            boundary_arn = current_boundary_arn(kind, entity)
            if boundary_arn:
                boundary = ManagedPolicy.objects.filter(
                    attachments__kind=PolicyAttachment.Kind.BOUNDARY, **{f"attachments__{kind}": entity}
                ).select_related("account").first()
    return {
        "permissions": {
            "kind": kind,
            "entity_name": entity.name,
            "entity_label": {"user": "user", "group": "user group", "role": "role"}[kind],
            "rows": rows,
            "count": len(rows),
            "denial": denial,
            "has_boundary_section": kind != "group",
            "boundary": boundary,
            "boundary_denial": boundary_denial,
            "attach_url": reverse("policies:entity_attach", args=[kind, entity.name]),
            "create_inline_url": reverse("policies:inline_create", args=[kind, entity.name]),
            "detach_url": reverse("policies:entity_detach", args=[kind, entity.name]),
            "boundary_url": reverse("policies:boundary_set", args=[kind, entity.name]) if kind != "group" else "",
            "boundary_delete_url": reverse("policies:boundary_delete", args=[kind, entity.name]) if kind != "group" else "",
            "tab_url": reverse("policies:permissions_tab", args=[kind, entity.name]),
        }
    }
