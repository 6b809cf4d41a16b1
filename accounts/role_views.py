"""Console pages of IAM roles: list, the create-role wizard, detail (Permissions, Trust
relationships, Tags), edit trust policy, delete.

Every view calls the services in accounts.services.roles (the API calls the same ones); IAM
errors become flash bars or inline form errors, as on AWS's console.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .errors import AccessDenied, IAMError, NoSuchEntity, ValidationError
from .group_views import attachable_policies, permissions_tab, picker_rows
from .http import ConsoleRequest, flash_error, principal_required
from .listing import filter_and_page
from .models import InstanceProfile, Role
from .services import roles as role_services

WIZARD_SESSION_KEY = "role_wizard"
WIZARD_STEPS = ("Select trusted entity", "Add permissions", "Name, review, and create")
TAG_ROWS = 3


def _denial(error: AccessDenied) -> dict[str, Any]:
    return {"message": error.message, "decision": error.decision.to_dict() if error.decision is not None else None}


def _editor(text: str) -> dict[str, Any]:
    """Context for the shared policy editor (policies/includes/policy_editor.html) showing a
    trust policy and its validation findings."""
    from policies.editor_views import findings_context

    return {**findings_context(text, "trust"), "editor_id": "trust", "mode": "json", "policy_document": text}


def _trusted(role: Role) -> list[str]:
    """The "Trusted entities" column; the console marks service-linked roles."""
    entities = role_services.trusted_entities(role.trust_policy)
    if role.is_service_linked:
        entities = [f"{entity} (Service-Linked Role)" for entity in entities]
    return entities


def switch_role_url(role: Role) -> str:
    """The console's "Link to switch roles in console" (the path, without its leading slash,
    is part of roleName)."""
    return "https://signin.aws.amazon.com/switchrole?" + urlencode(
        {"roleName": role.path.lstrip("/") + role.name, "account": role.account.signin_id}, safe="/"
    )


# ----------------------------------------------------------------------------- list


@require_GET
@principal_required
def role_list(request: ConsoleRequest) -> HttpResponse:
    caller = request.caller
    context: dict[str, Any] = {"nav": "roles"}
    try:
        queryset = role_services.list_roles(caller)
    except AccessDenied as error:
        context["denial"] = _denial(error)
    else:
        table = filter_and_page(request, queryset, ["name"])
        for role in table.rows:  # only the page's rows are parsed
            role.trusted = _trusted(role)
        context["table"] = table
    template = "roles/role_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#role-table"
    return render(request, template, context)


def _deleted_note(name: str, cleanup: role_services.RoleCleanup) -> str:
    notes = []
    if cleanup.detached:
        notes.append(f"detached {', '.join(cleanup.detached)}")
    if cleanup.inline_deleted:
        notes.append(f"deleted inline policies {', '.join(cleanup.inline_deleted)}")
    if cleanup.instance_profiles:
        notes.append(f"removed it from and deleted instance profile {', '.join(cleanup.instance_profiles)}")
    return f"Role {name} deleted" + (f" (first {'; '.join(notes)})." if notes else ".")


@require_POST
@principal_required
def role_delete(request: ConsoleRequest) -> HttpResponse:
    """Delete the roles selected in the list after the confirm-by-typing step."""
    caller = request.caller
    names = request.POST.getlist("names")
    if not names:
        messages.error(request, "Select a role to delete.")
        return redirect("roles:list")
    expected = names[0] if len(names) == 1 else "delete"
    if request.POST.get("confirm", "").strip() != expected:
        messages.error(request, f"To confirm deletion, enter {expected} in the text input field.")
        return redirect("roles:list")
    for name in names:
        try:
            cleanup = role_services.delete_role_from_console(caller, name)
        except IAMError as error:
            flash_error(request, f"Failed to delete role {name}.", error)
        else:
            messages.success(request, _deleted_note(name, cleanup))
    return redirect("roles:list")


# ----------------------------------------------------------------------------- create wizard


def _draft(request: ConsoleRequest) -> dict[str, Any]:
    return dict(request.session.get(WIZARD_SESSION_KEY) or {
        "entity_type": "service", "service": "ec2", "account_choice": "this", "account_id": "",
        "require_external_id": False, "external_id": "", "require_mfa": False,
        "policy_document": "", "trust_policy": "", "policy_arns": [], "use_boundary": False,
        "boundary_arn": "", "role_name": "", "description": "", "max_session_hours": 1, "tags": [],
    })


def _save_draft(request: ConsoleRequest, draft: dict[str, Any]) -> None:
    request.session[WIZARD_SESSION_KEY] = draft


def _default_custom_policy(account_id: str) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": [{"Sid": "Statement1", "Effect": "Allow", "Principal": {},
                                                               "Action": "sts:AssumeRole"}]}, indent=4)


def build_trust_policy(draft: dict[str, Any], own_account_id: str) -> str:
    """The trust policy for step 1's choices (raises the IAM error to show on the step)."""
    entity_type = draft["entity_type"]
    if entity_type == "service":
        service = role_services.TRUSTED_SERVICES_BY_KEY.get(draft["service"])
        if service is None:
            raise ValidationError("Choose a service or use case.")
        return role_services.service_trust_policy(service.principal)
    if entity_type == "account":
        account_id = own_account_id
        if draft["account_choice"] == "another":
            account_id = role_services.check_account_id(draft["account_id"].replace("-", "").strip())
        external_id = ""
        if draft["require_external_id"]:
            external_id = role_services.check_external_id(draft["external_id"])
        return role_services.account_trust_policy(account_id, external_id=external_id, require_mfa=draft["require_mfa"])
    if entity_type == "custom":
        return role_services.check_trust_policy(draft["policy_document"])
    raise ValidationError("Choose a trusted entity type.")


def _wizard_context(request: ConsoleRequest, draft: dict[str, Any], step: int, **extra: Any) -> dict[str, Any]:
    caller = request.caller
    context: dict[str, Any] = {
        "nav": "roles",
        "draft": draft,
        "step": step,
        "steps": [(index + 1, label) for index, label in enumerate(WIZARD_STEPS)],
        "services": role_services.TRUSTED_SERVICES,
        "account_id": caller.account.account_id,
        "error_message": "",
    }
    if step == 1:
        document = draft["policy_document"] or _default_custom_policy(caller.account.account_id)
        context.update(_editor(document))
        if not extra.get("show_findings"):
            context["findings"] = None  # no findings until the learner submits the custom policy
    if step == 2:
        query = request.GET.get("pq", "").strip()
        context["policy_query"] = query
        if "pq" in request.GET:  # a search: htmx sends the ticked policies along
            draft["policy_arns"] = request.GET.getlist("policies")
        context["policies"] = picker_rows(caller.account, query, set(draft["policy_arns"]))
        context["boundary_policies"] = list(attachable_policies(caller.account)[:200])
    if step == 3:
        context["hours"] = list(range(1, 13))
        context["tag_rows"] = draft["tags"] + [{"Key": "", "Value": ""}] * TAG_ROWS
        context["selected_policies"] = picker_rows(caller.account, "", set(draft["policy_arns"]))[:len(draft["policy_arns"])] \
            if draft["policy_arns"] else []
    context.update(extra)
    return context


def _read_step(request: ConsoleRequest, draft: dict[str, Any], step: int) -> None:
    post = request.POST
    if step == 1:
        draft["entity_type"] = post.get("entity_type", "service")
        draft["service"] = post.get("service", draft["service"])
        draft["account_choice"] = post.get("account_choice", "this")
        draft["account_id"] = post.get("account_id", "").strip()
        draft["require_external_id"] = post.get("require_external_id") == "on"
        draft["external_id"] = post.get("external_id", "").strip()
        draft["require_mfa"] = post.get("require_mfa") == "on"
        if "policy_document" in post:
            draft["policy_document"] = post.get("policy_document", "")
    elif step == 2:
        draft["policy_arns"] = post.getlist("policies")
        draft["use_boundary"] = post.get("use_boundary") == "on"
        draft["boundary_arn"] = post.get("boundary_arn", "") if draft["use_boundary"] else ""
    elif step == 3:
        draft["role_name"] = post.get("role_name", "").strip()
        draft["description"] = post.get("description", "")
        try:
            draft["max_session_hours"] = int(post.get("max_session_hours", "1"))
        except ValueError:
            draft["max_session_hours"] = 1
        keys, values = post.getlist("tag_key"), post.getlist("tag_value")
        draft["tags"] = [{"Key": k.strip(), "Value": v.strip()} for k, v in zip(keys, values, strict=False) if k.strip()]


@require_http_methods(["GET", "POST"])
@principal_required
def role_create(request: ConsoleRequest) -> HttpResponse:
    caller = request.caller
    template = "roles/role_create.html"
    if request.method == "GET":
        step = request.GET.get("step", "")
        if step not in ("1", "2", "3"):
            request.session.pop(WIZARD_SESSION_KEY, None)  # a fresh wizard
            step = "1"
        draft = _draft(request)
        if int(step) > 1 and not draft.get("trust_policy"):
            return redirect("roles:create")
        context = _wizard_context(request, draft, int(step))
        if request.htmx and "pq" in request.GET:
            template += "#policy-rows"
        return render(request, template, context)

    draft = _draft(request)
    try:
        step = int(request.POST.get("step", "1"))
    except ValueError:
        step = 1
    step = min(max(step, 1), 3)
    go = request.POST.get("go", "next")
    _read_step(request, draft, step)
    _save_draft(request, draft)
    if go == "previous":
        return redirect(f"{reverse('roles:create')}?step={max(step - 1, 1)}")
    if go == "add_tag":  # keeps what was typed and offers fresh empty rows
        return redirect(f"{reverse('roles:create')}?step=3")
    if step == 1:
        try:
            draft["trust_policy"] = build_trust_policy(draft, caller.account.account_id)
        except IAMError as error:
            context = _wizard_context(request, draft, 1, error_message=str(error),
                                      show_findings=draft["entity_type"] == "custom")
            return render(request, template, context)
        _save_draft(request, draft)
        return redirect(f"{reverse('roles:create')}?step=2")
    if step == 2:
        return redirect(f"{reverse('roles:create')}?step=3")
    if not draft.get("trust_policy"):
        return redirect("roles:create")
    service = role_services.TRUSTED_SERVICES_BY_KEY.get(draft["service"]) if draft["entity_type"] == "service" else None
    role_draft = role_services.RoleDraft(
        role_name=draft["role_name"],
        trust_policy=draft["trust_policy"],
        description=draft["description"],
        max_session_duration=draft["max_session_hours"] * 3600,
        policy_arns=draft["policy_arns"],
        permissions_boundary=draft["boundary_arn"] or None,
        tags=draft["tags"],
        # The console creates an instance profile of the same name for an EC2 role.
        create_instance_profile=service is not None and service.key == "ec2",
    )
    try:
        role = role_services.create_role_from_console(caller, role_draft)
    except IAMError as error:
        return render(request, template, _wizard_context(request, draft, 3, error_message=str(error)))
    request.session.pop(WIZARD_SESSION_KEY, None)
    messages.success(request, f"Role {role.name} created.")
    return redirect("roles:detail", role_name=role.name)


# ----------------------------------------------------------------------------- detail


def _load_role(request: ConsoleRequest, role_name: str) -> tuple[Role | None, dict | None]:
    try:
        return role_services.get_role(request.caller, role_name), None
    except NoSuchEntity:
        raise Http404(f"The role with name {role_name} cannot be found.") from None
    except AccessDenied as error:
        return None, _denial(error)


@require_GET
@principal_required
def role_detail(request: ConsoleRequest, role_name: str) -> HttpResponse:
    caller = request.caller
    role, denial = _load_role(request, role_name)
    if role is None:
        return render(request, "roles/role_detail.html", {"nav": "roles", "denial": denial, "role_name": role_name})
    tab = request.GET.get("tab", "permissions")
    if tab not in ("permissions", "trust", "tags"):
        tab = "permissions"
    base = reverse("roles:detail", args=[role.name])
    context: dict[str, Any] = {
        "nav": "roles",
        "role": role,
        "role_name": role.name,
        "tab": tab,
        "tabs": [("permissions", "Permissions", f"{base}?tab=permissions"),
                 ("trust", "Trust relationships", f"{base}?tab=trust"),
                 ("tags", f"Tags ({len(role.tags)})", f"{base}?tab=tags")],
        "instance_profiles": list(InstanceProfile.objects.filter(account=caller.account, role=role).select_related("account")),
        "switch_role_url": switch_role_url(role),
        "hours": list(range(1, 13)),
        "session_hours": role.max_session_duration // 3600,
        "trusted": _trusted(role),
        "trust_policy_pretty": _pretty(role.trust_policy),
        "tag_rows": list(role.tags) + [{"Key": "", "Value": ""}] * TAG_ROWS,
    }
    if tab == "permissions":
        tab_context = permissions_tab(caller, "role", role)
        context["permissions_available"] = tab_context is not None
        context.update(tab_context or {})
    template = "roles/role_detail.html"
    if request.htmx and not request.htmx.boosted and request.htmx.target == "role-tab":
        template += "#role-tab"
    return render(request, template, context)


def _pretty(text: str) -> str:
    try:
        return json.dumps(json.loads(text), indent=4)
    except ValueError:
        return text


def _back(role_name: str, tab: str = "") -> HttpResponse:
    url = reverse("roles:detail", args=[role_name])
    return redirect(f"{url}?tab={tab}" if tab else url)


@require_POST
@principal_required
def role_update(request: ConsoleRequest, role_name: str) -> HttpResponse:
    """Edit the summary: maximum session duration (hours) and description (UpdateRole)."""
    kwargs: dict[str, Any] = {}
    if "max_session_hours" in request.POST:
        try:
            kwargs["max_session_duration"] = int(request.POST["max_session_hours"]) * 3600
        except ValueError:
            kwargs["max_session_duration"] = request.POST["max_session_hours"]
    if "description" in request.POST:
        kwargs["description"] = request.POST["description"]
    try:
        role = role_services.update_role(request.caller, role_name, **kwargs)
    except NoSuchEntity:
        raise Http404(f"The role with name {role_name} cannot be found.") from None
    except IAMError as error:
        flash_error(request, f"Failed to edit role {role_name}.", error)
        return _back(role_name)
    messages.success(request, f"Role {role.name} updated.")
    return _back(role.name)


@require_http_methods(["GET", "POST"])
@principal_required
def role_edit_trust(request: ConsoleRequest, role_name: str) -> HttpResponse:
    role, denial = _load_role(request, role_name)
    if role is None:
        return render(request, "roles/role_detail.html", {"nav": "roles", "denial": denial, "role_name": role_name})
    if role.is_service_linked:
        messages.error(request, f"Cannot perform the operation on the protected role '{role.name}' - this role is only modifiable by AWS")
        return _back(role.name, "trust")
    document = role.trust_policy
    error_message = ""
    if request.method == "POST":
        document = request.POST.get("policy_document", "")
        try:
            role_services.update_assume_role_policy(request.caller, role.name, document)
        except IAMError as error:
            error_message = str(error)
        else:
            messages.success(request, f"Trust policy updated for {role.name}.")
            return _back(role.name, "trust")
    context = {
        "nav": "roles",
        "role": role,
        "role_name": role.name,
        **_editor(_pretty(document) if request.method == "GET" else document),
        "error_message": error_message,
    }
    return render(request, "roles/role_edit_trust.html", context)


@require_POST
@principal_required
def role_tags(request: ConsoleRequest, role_name: str) -> HttpResponse:
    """Manage tags: the submitted rows become the role's tags (UntagRole for removed keys,
    TagRole for new or changed ones)."""
    caller = request.caller
    keys, values = request.POST.getlist("tag_key"), request.POST.getlist("tag_value")
    removed = {key.lower() for key in request.POST.getlist("remove")}
    wanted = [{"Key": k.strip(), "Value": v.strip()} for k, v in zip(keys, values, strict=False)
              if k.strip() and k.strip().lower() not in removed]
    try:
        role = role_services.get_role(caller, role_name)
        current = {tag["Key"].lower(): tag for tag in role.tags}
        wanted_keys = {tag["Key"].lower() for tag in wanted}
        to_remove = [tag["Key"] for key, tag in current.items() if key not in wanted_keys]
        to_set = [tag for tag in wanted if current.get(tag["Key"].lower()) != tag]
        if to_remove:
            role_services.untag_role(caller, role.name, to_remove)
        if to_set:
            role_services.tag_role(caller, role.name, to_set)
    except NoSuchEntity:
        raise Http404(f"The role with name {role_name} cannot be found.") from None
    except IAMError as error:
        flash_error(request, f"Failed to update the tags of role {role_name}.", error)
        return _back(role_name, "tags")
    messages.success(request, f"Tags of role {role.name} saved.")
    return _back(role.name, "tags")


@require_POST
@principal_required
def role_delete_one(request: ConsoleRequest, role_name: str) -> HttpResponse:
    if request.POST.get("confirm", "").strip() != role_name:
        messages.error(request, f"To confirm deletion, enter {role_name} in the text input field.")
        return _back(role_name)
    try:
        cleanup = role_services.delete_role_from_console(request.caller, role_name)
    except NoSuchEntity:
        raise Http404(f"The role with name {role_name} cannot be found.") from None
    except IAMError as error:
        flash_error(request, f"Failed to delete role {role_name}.", error)
        return _back(role_name)
    messages.success(request, _deleted_note(role_name, cleanup))
    return redirect("roles:list")
