"""Console pages for policies: the list, create, detail (permissions, entities attached,
versions, tags), edit, delete; and the actions of the users', groups' and roles'
Permissions tab (attach, detach, inline policies, permissions boundary).

Views call the service functions only; an IAMError becomes a flash bar or an inline error.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.errors import AccessDenied, IAMError, NoSuchEntity
from accounts.http import flash_error, principal_required
from accounts.listing import filter_and_page
from accounts.lookups import get_group, get_iam_user, get_role
from accounts.models import Group, Role, User
from policies import authz
from policies.catalog.summary import policy_summary
from policies.editor_views import findings_context
from policies.models import ManagedPolicy, PolicyAttachment

from . import services
from .permissions_tab import permissions_tab_context
from .services.entities import TITLE
from .services.managed import attachments_in_account

KINDS = ("user", "group", "role")
AREA = {"user": "users", "group": "groups", "role": "roles"}
NAV = {"user": "users", "group": "user_groups", "role": "roles"}

DEFAULT_DOCUMENT = json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Sid": "Statement1", "Effect": "Allow", "Action": [], "Resource": []}]},
    indent=4,
)

TYPE_FILTERS = {
    "aws": ("AWS managed", Q(account__isnull=True) & ~Q(path="/job-function/")),
    "job_function": ("AWS managed - job function", Q(account__isnull=True, path="/job-function/")),
    "customer": ("Customer managed", Q(account__isnull=False)),
}
USED_AS_FILTERS = {
    "permissions": ("Permissions policy", Q(attachment_count__gt=0)),
    "boundary": ("Permissions boundary", Q(boundary_usage_count__gt=0)),
    "none": ("Not used", Q(attachment_count=0, boundary_usage_count=0)),
}


# ---------------------------------------------------------------------- helpers


def _denial(error: AccessDenied) -> dict[str, Any]:
    return {"message": error.message, "decision": error.decision.to_dict() if error.decision is not None else None}


def _next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


def _entity_url(kind: str, name: str) -> str:
    """The detail page of a user, group or role (owned by the accounts area)."""
    for url_name in (f"{AREA[kind]}:detail", f"{AREA[kind]}:list"):
        try:
            return reverse(url_name, args=[name]) if url_name.endswith("detail") else reverse(url_name)
        except NoReverseMatch:
            continue
    return reverse("policies:list")


def _entity(request: HttpRequest, kind: str, name: str) -> User | Group | Role:
    if kind not in KINDS:
        raise Http404("No such entity type")
    lookup = {"user": get_iam_user, "group": get_group, "role": get_role}[kind]
    try:
        return lookup(request.caller.account, name)  # type: ignore[attr-defined]
    except NoSuchEntity as error:
        raise Http404(error.message) from error


def _findings(text: str, policy_type: str) -> dict[str, Any]:
    """The shared editor's findings context (validation.validate_policy plus catalog checks):
    findings, finding_counts, has_errors, size, size_limit, policy_type."""
    return findings_context(text, policy_type)


def _pretty(document: str) -> str:
    try:
        return json.dumps(json.loads(document), indent=4)
    except ValueError:
        return document


def _policy_or_404(request: HttpRequest, arn: str) -> ManagedPolicy | dict[str, Any]:
    """The policy, or the AccessDenied panel's context; another account's ARN is a 404."""
    try:
        return services.get_policy(request.caller, arn)  # type: ignore[attr-defined]
    except AccessDenied as error:
        return _denial(error)
    except IAMError as error:
        raise Http404(error.message) from error


# ---------------------------------------------------------------------- list


def _policy_rows(request: HttpRequest) -> tuple[QuerySet[ManagedPolicy] | None, dict[str, Any] | None]:
    try:
        return services.list_policies(request.caller), None  # type: ignore[attr-defined]
    except AccessDenied as error:
        return None, _denial(error)


def _apply_filters(request: HttpRequest, queryset: QuerySet[ManagedPolicy]) -> tuple[QuerySet[ManagedPolicy], str, str]:
    type_filter = request.GET.get("type", "")
    used_as = request.GET.get("used_as", "")
    if type_filter in TYPE_FILTERS:
        queryset = queryset.filter(TYPE_FILTERS[type_filter][1])
    if used_as in USED_AS_FILTERS:
        queryset = queryset.filter(USED_AS_FILTERS[used_as][1])
    return queryset, type_filter, used_as


def _filter_query(request: HttpRequest, **overrides: Any) -> str:
    params = request.GET.copy()
    for key, value in overrides.items():
        params[key] = value
    return params.urlencode()


@require_GET
@principal_required
def policy_list(request: HttpRequest) -> HttpResponse:
    queryset, denial = _policy_rows(request)
    context: dict[str, Any] = {"nav": "policies", "denial": denial, "type_filters": TYPE_FILTERS, "used_as_filters": USED_AS_FILTERS}
    if queryset is not None:
        queryset, context["type_filter"], context["used_as"] = _apply_filters(request, queryset)
        table = filter_and_page(request, queryset, ["name", "description"])
        context["table"] = table
        context["prev_query"] = _filter_query(request, page=table.page.previous_page_number()) if table.page.has_previous() else ""
        context["next_query"] = _filter_query(request, page=table.page.next_page_number()) if table.page.has_next() else ""
    template = "policies/policy_list.html"
    if getattr(request, "htmx", False):
        template += "#policy-table"
    return render(request, template, context)


# ---------------------------------------------------------------------- create


@require_http_methods(["GET", "POST"])
@principal_required
def policy_create(request: HttpRequest) -> HttpResponse:
    """Create policy: step 1 "Specify permissions" (JSON editor with findings), step 2
    "Review and create" (name, description, tags). Errors block step 1."""
    document = request.POST.get("policy_document", DEFAULT_DOCUMENT)
    step = request.POST.get("step", "")
    context: dict[str, Any] = {"nav": "policies", "policy_document": document, "step": "edit", "error": None}
    if request.method == "POST":
        context.update(_findings(document, "identity"))
        if context["has_errors"]:
            context["blocked"] = True
        elif step in ("review", "create"):
            context["step"] = "review"
            context["policy_name"] = request.POST.get("policy_name", "")
            context["description"] = request.POST.get("description", "")
            context["tags"] = _tags_from_post(request)
            context["policy_summary"] = policy_summary(document)
            if step == "create":
                try:
                    policy = services.create_policy(
                        request.caller,  # type: ignore[attr-defined]
                        context["policy_name"].strip(),
                        document,
                        description=context["description"],
                        tags=context["tags"],
                    )
                except IAMError as error:
                    context["error"] = error
                else:
                    messages.success(request, f"Policy {policy.name} created.")
                    return redirect("policies:detail", policy.arn)
    return render(request, "policies/policy_create.html", context)


def _tags_from_post(request: HttpRequest) -> list[dict[str, str]]:
    keys = request.POST.getlist("tag_key")
    values = request.POST.getlist("tag_value")
    return [{"Key": k.strip(), "Value": v.strip()} for k, v in zip(keys, values + [""] * len(keys)) if k.strip()]


# ---------------------------------------------------------------------- detail


@require_GET
@principal_required
def policy_detail(request: HttpRequest, arn: str) -> HttpResponse:
    found = _policy_or_404(request, arn)
    if isinstance(found, dict):
        return render(request, "policies/policy_detail.html", {"nav": "policies", "denial": found, "arn": arn})
    policy = found
    tab = request.GET.get("tab", "permissions")
    if tab not in ("permissions", "entities", "versions", "tags"):
        tab = "permissions"
    base = reverse("policies:detail", args=[policy.arn])
    tabs = [
        ("permissions", "Permissions", f"{base}?tab=permissions"),
        ("entities", "Entities attached", f"{base}?tab=entities"),
        ("tags", "Tags", f"{base}?tab=tags"),
        ("versions", "Policy versions", f"{base}?tab=versions"),
    ]
    context: dict[str, Any] = {
        "nav": "policies", "policy": policy, "tabs": tabs, "active": tab, "arn": policy.arn,
        "document": _pretty(policy.document),
        "policy_summary": policy_summary(policy.document) if tab == "permissions" else None,
    }
    caller = request.caller  # type: ignore[attr-defined]
    try:
        if tab == "entities":
            entities = services.list_entities_for_policy(caller, policy.arn)
            context["entity_rows"] = _entity_rows(entities)
        elif tab == "versions":
            versions = services.list_policy_versions(caller, policy.arn)
            context["versions"] = versions
            shown = request.GET.get("version")
            context["shown_version"] = next((v for v in versions if v.version_id == shown), None)
            if context["shown_version"]:
                context["shown_document"] = _pretty(context["shown_version"].document)
        elif tab == "tags":
            context["tags"] = services.list_policy_tags(caller, policy.arn)
    except AccessDenied as error:
        context["tab_denial"] = _denial(error)
    template = "policies/policy_detail.html"
    if getattr(request, "htmx", False):
        template += "#policy-tab"
    return render(request, template, context)


def _entity_rows(entities: services.managed.PolicyEntities) -> list[dict[str, Any]]:
    rows = []
    for kind, items, used_as in (
        ("user", entities.users, "Permissions policy"),
        ("group", entities.groups, "Permissions policy"),
        ("role", entities.roles, "Permissions policy"),
        ("user", entities.boundary_users, "Permissions boundary"),
        ("role", entities.boundary_roles, "Permissions boundary"),
    ):
        for entity in items:
            rows.append({
                "kind": kind, "name": entity.name, "type": {"user": "User", "group": "Group", "role": "Role"}[kind],
                "used_as": used_as, "url": _entity_url(kind, entity.name), "value": f"{kind}:{entity.name}:{used_as}",
            })
    rows.sort(key=lambda r: (r["name"].lower(), r["type"]))
    return rows


# ---------------------------------------------------------------------- entities attached


@require_http_methods(["GET", "POST"])
@principal_required
def policy_attach_entities(request: HttpRequest, arn: str) -> HttpResponse:
    """Attach the policy to users, groups and roles (the policy's "Attach" picker)."""
    found = _policy_or_404(request, arn)
    if isinstance(found, dict):
        return render(request, "policies/policy_detail.html", {"nav": "policies", "denial": found, "arn": arn})
    policy = found
    caller = request.caller  # type: ignore[attr-defined]
    back = reverse("policies:detail", args=[policy.arn]) + "?tab=entities"
    if request.method == "POST":
        selected = request.POST.getlist("entity")
        attached = []
        for value in selected:
            kind, _, name = value.partition(":")
            if kind not in KINDS:
                continue
            attach = {"user": services.attach_user_policy, "group": services.attach_group_policy,
                      "role": services.attach_role_policy}[kind]
            try:
                attach(caller, name, policy.arn)
            except IAMError as error:
                flash_error(request, f"Failed to attach {policy.name} to {name}.", error)
            else:
                attached.append(name)
        if attached:
            messages.success(request, f"Policy {policy.name} attached to {', '.join(attached)}.")
        if not selected:
            messages.warning(request, "Select at least one entity.")
        return redirect(back)
    query = request.GET.get("q", "").strip()
    account = caller.account
    already = attachments_in_account(policy, account).filter(kind=PolicyAttachment.Kind.PERMISSIONS)
    attached_keys = set()
    for row in already.values_list("user__name", "group__name", "role__name"):
        for kind, name in zip(KINDS, row):
            if name:
                attached_keys.add(f"{kind}:{name}")
    candidates: list[dict[str, Any]] = []
    listings = (
        ("user", "iam:ListUsers", User.objects.filter(account=account, kind=User.Kind.IAM)),
        ("group", "iam:ListGroups", Group.objects.filter(account=account)),
        ("role", "iam:ListRoles", Role.objects.filter(account=account).exclude(path__startswith="/aws-service-role/")),
    )
    denials = []
    for kind, action, queryset in listings:
        if not authz.is_allowed(caller, action, "*"):
            denials.append(action)
            continue
        if query:
            queryset = queryset.filter(name__icontains=query)
        for entity in queryset.order_by("name")[:200]:
            key = f"{kind}:{entity.name}"
            candidates.append({"kind": kind, "type": TITLE[kind], "name": entity.name, "value": key,
                               "attached": key in attached_keys})
    return render(request, "policies/policy_attach_entities.html", {
        "nav": "policies", "policy": policy, "candidates": candidates, "query": query, "denials": denials, "back": back,
    })


@require_POST
@principal_required
def policy_detach_entity(request: HttpRequest, arn: str) -> HttpResponse:
    caller = request.caller  # type: ignore[attr-defined]
    back = reverse("policies:detail", args=[arn]) + "?tab=entities"
    value = request.POST.get("entity", "")
    kind, _, rest = value.partition(":")
    name, _, used_as = rest.partition(":")
    if kind not in KINDS or not name:
        return redirect(back)
    try:
        if used_as == "Permissions boundary":
            if kind == "user":
                services.delete_user_permissions_boundary(caller, name)
            elif kind == "role":
                services.delete_role_permissions_boundary(caller, name)
        else:
            detach = {"user": services.detach_user_policy, "group": services.detach_group_policy,
                      "role": services.detach_role_policy}[kind]
            detach(caller, name, arn)
    except IAMError as error:
        flash_error(request, f"Failed to detach the policy from {name}.", error)
    else:
        messages.success(request, f"Policy detached from {name}.")
    return redirect(back)


# ---------------------------------------------------------------------- edit, versions, tags, delete


@require_http_methods(["GET", "POST"])
@principal_required
def policy_edit(request: HttpRequest, arn: str) -> HttpResponse:
    """Edit policy: saving creates a new version and sets it as the default. With 5 versions
    stored, the console first asks which non-default version to delete."""
    found = _policy_or_404(request, arn)
    if isinstance(found, dict):
        return render(request, "policies/policy_detail.html", {"nav": "policies", "denial": found, "arn": arn})
    policy = found
    caller = request.caller  # type: ignore[attr-defined]
    if policy.is_aws_managed:
        messages.warning(request, "AWS managed policies cannot be edited.")
        return redirect("policies:detail", policy.arn)
    document = request.POST.get("policy_document", _pretty(policy.document))
    context: dict[str, Any] = {"nav": "policies", "policy": policy, "policy_document": document, "error": None}
    if request.method == "POST":
        context.update(_findings(document, "identity"))
        if context["has_errors"]:
            context["blocked"] = True
            return render(request, "policies/policy_edit.html", context)
        try:
            versions = services.list_policy_versions(caller, policy.arn)
        except IAMError as error:
            context["error"] = error
            return render(request, "policies/policy_edit.html", context)
        to_delete = request.POST.get("delete_version", "")
        if len(versions) >= 5:
            non_default = [v for v in versions if not v.is_default]
            if to_delete not in {v.version_id for v in non_default}:
                context["choose_version"] = sorted(non_default, key=lambda v: v.created)
                return render(request, "policies/policy_edit.html", context)
            try:
                services.delete_policy_version(caller, policy.arn, to_delete)
            except IAMError as error:
                context["error"] = error
                return render(request, "policies/policy_edit.html", context)
        try:
            version = services.create_policy_version(caller, policy.arn, document, set_as_default=True)
        except IAMError as error:
            context["error"] = error
            return render(request, "policies/policy_edit.html", context)
        messages.success(request, f"Policy {policy.name} updated. Version {version.version_id} is now the default version.")
        return redirect(reverse("policies:detail", args=[policy.arn]) + "?tab=versions")
    return render(request, "policies/policy_edit.html", context)


@require_POST
@principal_required
def policy_versions_action(request: HttpRequest, arn: str) -> HttpResponse:
    caller = request.caller  # type: ignore[attr-defined]
    version_id = request.POST.get("version_id", "")
    op = request.POST.get("op", "")
    try:
        if op == "set_default":
            services.set_default_policy_version(caller, arn, version_id)
            messages.success(request, f"Version {version_id} is now the default version.")
        elif op == "delete":
            for vid in request.POST.getlist("version_id"):
                services.delete_policy_version(caller, arn, vid)
            messages.success(request, f"Deleted {', '.join(request.POST.getlist('version_id'))}.")
    except IAMError as error:
        flash_error(request, "Failed to update the policy versions.", error)
    return redirect(reverse("policies:detail", args=[arn]) + "?tab=versions")


@require_POST
@principal_required
def policy_tags(request: HttpRequest, arn: str) -> HttpResponse:
    caller = request.caller  # type: ignore[attr-defined]
    try:
        if request.POST.get("op") == "remove":
            services.untag_policy(caller, arn, [request.POST.get("key", "")])
            messages.success(request, "Tag removed.")
        else:
            tags = _tags_from_post(request)
            if tags:
                services.tag_policy(caller, arn, tags)
                messages.success(request, "Tags saved.")
    except IAMError as error:
        flash_error(request, "Failed to update the tags.", error)
    return redirect(reverse("policies:detail", args=[arn]) + "?tab=tags")


@require_POST
@principal_required
def policy_delete(request: HttpRequest, arn: str) -> HttpResponse:
    """As the console does: detach the policy from every entity, delete its non-default
    versions, then DeletePolicy. Each step is its own API call (and activity event)."""
    found = _policy_or_404(request, arn)
    if isinstance(found, dict):
        return render(request, "policies/policy_detail.html", {"nav": "policies", "denial": found, "arn": arn})
    policy = found
    caller = request.caller  # type: ignore[attr-defined]
    back = reverse("policies:detail", args=[policy.arn])
    if request.POST.get("confirm", "").strip() != policy.name:
        messages.error(request, f"Failed to delete {policy.name}.\nTo confirm deletion, enter {policy.name}.")
        return redirect(back)
    try:
        entities = services.list_entities_for_policy(caller, policy.arn)
        for user in entities.users:
            services.detach_user_policy(caller, user.name, policy.arn)
        for group in entities.groups:
            services.detach_group_policy(caller, group.name, policy.arn)
        for role in entities.roles:
            services.detach_role_policy(caller, role.name, policy.arn)
        for user in entities.boundary_users:
            services.delete_user_permissions_boundary(caller, user.name)
        for role in entities.boundary_roles:
            services.delete_role_permissions_boundary(caller, role.name)
        for version in services.list_policy_versions(caller, policy.arn):
            if not version.is_default:
                services.delete_policy_version(caller, policy.arn, version.version_id)
        services.delete_policy(caller, policy.arn)
    except IAMError as error:
        flash_error(request, f"Failed to delete {policy.name}.", error)
        return redirect(back)
    messages.success(request, f"Policy {policy.name} deleted.")
    return redirect("policies:list")


# ---------------------------------------------------------------------- the Permissions tab's actions


def _tab_response(request: HttpRequest, kind: str, name: str) -> HttpResponse:
    """After an htmx action: the refreshed tab; otherwise back to the entity's page."""
    if getattr(request, "htmx", False):
        entity = _entity(request, kind, name)
        context = permissions_tab_context(request.caller, kind, entity)  # type: ignore[attr-defined, arg-type]
        context["permissions_next"] = _next(request, _entity_url(kind, name))
        context["permissions_flash"] = True
        return render(request, "policies/includes/permissions_tab.html", context)
    return redirect(_next(request, _entity_url(kind, name)))


@require_GET
@principal_required
def permissions_tab(request: HttpRequest, kind: str, name: str) -> HttpResponse:
    entity = _entity(request, kind, name)
    context = permissions_tab_context(request.caller, kind, entity)  # type: ignore[attr-defined, arg-type]
    context["permissions_next"] = _next(request, _entity_url(kind, name))
    return render(request, "policies/includes/permissions_tab.html", context)


def _picker(request: HttpRequest, kind: str, name: str, *, boundary: bool) -> HttpResponse:
    entity = _entity(request, kind, name)
    caller = request.caller  # type: ignore[attr-defined]
    back = _next(request, _entity_url(kind, name))
    if request.method == "POST":
        if boundary:
            arn = request.POST.get("policy_arn", "")
            put = {"user": services.put_user_permissions_boundary, "role": services.put_role_permissions_boundary}.get(kind)
            if put is None:
                raise Http404("Groups have no permissions boundary")
            try:
                put(caller, entity.name, arn)
            except IAMError as error:
                flash_error(request, "Failed to set the permissions boundary.", error)
            else:
                messages.success(request, f"Permissions boundary set for {entity.name}.")
            return redirect(back)
        attach = {"user": services.attach_user_policy, "group": services.attach_group_policy, "role": services.attach_role_policy}[kind]
        arns = request.POST.getlist("policy_arn")
        done = []
        for arn in arns:
            try:
                attach(caller, entity.name, arn)
            except IAMError as error:
                flash_error(request, f"Failed to attach {arn.rsplit('/', 1)[-1]} to {entity.name}.", error)
            else:
                done.append(arn.rsplit("/", 1)[-1])
        if done:
            messages.success(request, f"{'Policy' if len(done) == 1 else 'Policies'} {', '.join(done)} attached to {entity.name}.")
        return redirect(back)
    if boundary and kind == "group":
        raise Http404("Groups have no permissions boundary")
    queryset, denial = _policy_rows(request)
    context: dict[str, Any] = {
        "nav": NAV[kind], "kind": kind, "entity": entity, "boundary": boundary, "denial": denial, "back": back,
        "type_filters": TYPE_FILTERS, "used_as_filters": USED_AS_FILTERS,
    }
    if queryset is not None:
        queryset = queryset.exclude(path="/aws-service-role/")
        queryset, context["type_filter"], context["used_as"] = _apply_filters(request, queryset)
        table = filter_and_page(request, queryset, ["name", "description"])
        context["table"] = table
        context["prev_query"] = _filter_query(request, page=table.page.previous_page_number()) if table.page.has_previous() else ""
        context["next_query"] = _filter_query(request, page=table.page.next_page_number()) if table.page.has_next() else ""
        attached = set(
            PolicyAttachment.objects.filter(
                kind=PolicyAttachment.Kind.BOUNDARY if boundary else PolicyAttachment.Kind.PERMISSIONS, **{kind: entity}
            ).values_list("policy_id", flat=True)
        )
        context["attached_ids"] = attached
    template = "policies/entity_policy_picker.html"
    if getattr(request, "htmx", False):
        template += "#picker-table"
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
@principal_required
def entity_attach(request: HttpRequest, kind: str, name: str) -> HttpResponse:
    return _picker(request, kind, name, boundary=False)


@require_http_methods(["GET", "POST"])
@principal_required
def boundary_set(request: HttpRequest, kind: str, name: str) -> HttpResponse:
    return _picker(request, kind, name, boundary=True)


@require_POST
@principal_required
def boundary_delete(request: HttpRequest, kind: str, name: str) -> HttpResponse:
    delete = {"user": services.delete_user_permissions_boundary, "role": services.delete_role_permissions_boundary}.get(kind)
    if delete is None:
        raise Http404("Groups have no permissions boundary")
    try:
        delete(request.caller, name)  # type: ignore[attr-defined]
    except IAMError as error:
        flash_error(request, "Failed to remove the permissions boundary.", error)
    else:
        messages.success(request, f"Permissions boundary removed from {name}.")
    return _tab_response(request, kind, name)


@require_POST
@principal_required
def entity_detach(request: HttpRequest, kind: str, name: str) -> HttpResponse:
    if kind not in KINDS:
        raise Http404("No such entity type")
    detach = {"user": services.detach_user_policy, "group": services.detach_group_policy, "role": services.detach_role_policy}[kind]
    arn = request.POST.get("policy_arn", "")
    try:
        detach(request.caller, name, arn)  # type: ignore[attr-defined]
    except IAMError as error:
        flash_error(request, f"Failed to remove {arn.rsplit('/', 1)[-1]}.", error)
    else:
        messages.success(request, f"Policy {arn.rsplit('/', 1)[-1]} removed.")
    return _tab_response(request, kind, name)


def _inline_services(kind: str) -> dict[str, Any]:
    if kind not in KINDS:
        raise Http404("No such entity type")
    return {
        "put": getattr(services, f"put_{kind}_policy"),
        "get": getattr(services, f"get_{kind}_policy"),
        "delete": getattr(services, f"delete_{kind}_policy"),
    }


def _inline_form(request: HttpRequest, kind: str, name: str, policy_name: str | None) -> HttpResponse:
    calls = _inline_services(kind)
    entity = _entity(request, kind, name)
    caller = request.caller  # type: ignore[attr-defined]
    back = _next(request, _entity_url(kind, name))
    context: dict[str, Any] = {"nav": NAV[kind], "kind": kind, "entity": entity, "back": back, "editing": policy_name is not None,
                               "error": None, "policy_type": f"inline_{kind}"}
    if policy_name is not None and request.method == "GET":
        try:
            existing = calls["get"](caller, entity.name, policy_name)
        except AccessDenied as error:
            context["denial"] = _denial(error)
            return render(request, "policies/inline_policy_form.html", context)
        except IAMError as error:
            raise Http404(error.message) from error
        context["policy_name"] = existing.name
        context["policy_document"] = _pretty(existing.document)
        return render(request, "policies/inline_policy_form.html", context)
    context["policy_name"] = request.POST.get("policy_name", policy_name or "")
    context["policy_document"] = request.POST.get("policy_document", DEFAULT_DOCUMENT)
    if request.method == "POST":
        context.update(_findings(context["policy_document"], f"inline_{kind}"))
        if context["has_errors"]:
            context["blocked"] = True
        else:
            try:
                calls["put"](caller, entity.name, context["policy_name"].strip(), context["policy_document"])
            except IAMError as error:
                context["error"] = error
            else:
                verb = "updated" if policy_name else "created"
                messages.success(request, f"Policy {context['policy_name'].strip()} {verb}.")
                return redirect(back)
    return render(request, "policies/inline_policy_form.html", context)


@require_http_methods(["GET", "POST"])
@principal_required
def inline_create(request: HttpRequest, kind: str, name: str) -> HttpResponse:
    return _inline_form(request, kind, name, None)


@require_http_methods(["GET", "POST"])
@principal_required
def inline_edit(request: HttpRequest, kind: str, name: str, policy_name: str) -> HttpResponse:
    return _inline_form(request, kind, name, policy_name)


@require_POST
@principal_required
def inline_delete(request: HttpRequest, kind: str, name: str, policy_name: str) -> HttpResponse:
    calls = _inline_services(kind)
    try:
        calls["delete"](request.caller, name, policy_name)  # type: ignore[attr-defined]
    except IAMError as error:
        flash_error(request, f"Failed to remove {policy_name}.", error)
    else:
        messages.success(request, f"Policy {policy_name} removed.")
    return _tab_response(request, kind, name)
