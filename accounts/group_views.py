"""Console pages of IAM user groups: list, create, detail (Users and Permissions tabs), delete.

Every view calls the services in accounts.services.groups (the API calls the same ones);
IAM errors become flash bars or inline form errors, as on AWS's console.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .errors import AccessDenied, IAMError, NoSuchEntity
from .http import ConsoleRequest, flash_error, principal_required
from .listing import filter_and_page
from .models import Group, User
from .services import groups as group_services

POLICY_PICKER_LIMIT = 50


def _denial(error: AccessDenied) -> dict[str, Any]:
    return {"message": error.message, "decision": error.decision.to_dict() if error.decision is not None else None}


def permissions_tab(caller, kind: str, entity) -> dict[str, Any] | None:
    """The policies area's Permissions tab context, or None while it is not available."""
    try:
        from policies.permissions_tab import permissions_tab_context
    except ImportError:
        return None
    return permissions_tab_context(caller, kind, entity)


def attachable_policies(account, query: str = ""):
    """Managed policies the console offers in its "Attach permissions policies" pickers."""
    from policies.models import ManagedPolicy

    queryset = (
        ManagedPolicy.objects.filter(Q(account=account) | Q(account__isnull=True))
        .exclude(path="/aws-service-role/")
        .select_related("account")
        .order_by("name")
    )
    if query:
        queryset = queryset.filter(name__icontains=query)
    return queryset


def picker_rows(account, query: str, selected: set[str]) -> list:
    """The policy picker's rows: the ticked policies first (whatever the filter), then the
    filter's matches, at most POLICY_PICKER_LIMIT of them. Two queries."""
    chosen = [p for p in attachable_policies(account).filter(name__in=[a.rsplit("/", 1)[-1] for a in selected])
              if p.arn in selected] if selected else []
    chosen_ids = {p.pk for p in chosen}
    matches = [p for p in attachable_policies(account, query)[:POLICY_PICKER_LIMIT] if p.pk not in chosen_ids]
    return chosen + matches


# ----------------------------------------------------------------------------- list


@require_GET
@principal_required
def group_list(request: ConsoleRequest) -> HttpResponse:
    caller = request.caller
    context: dict[str, Any] = {"nav": "user_groups"}
    try:
        queryset = group_services.list_groups(caller)
    except AccessDenied as error:
        context["denial"] = _denial(error)
    else:
        context["table"] = filter_and_page(request, queryset, ["name"])
    template = "groups/group_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#group-table"
    return render(request, template, context)


@require_POST
@principal_required
def group_delete(request: ConsoleRequest) -> HttpResponse:
    """Delete the selected groups after the confirm-by-typing step (the group's name for one
    group, "delete" for several, as the console asks)."""
    caller = request.caller
    names = request.POST.getlist("names") or ([request.POST["name"]] if request.POST.get("name") else [])
    expected = names[0] if len(names) == 1 else "delete"
    if not names:
        messages.error(request, "Select a user group to delete.")
        return redirect("groups:list")
    if request.POST.get("confirm", "").strip() != expected:
        messages.error(request, f"To confirm deletion, enter {expected} in the text input field.")
        return redirect(request.POST.get("next") or "groups:list")
    deleted = []
    for name in names:
        try:
            group_services.delete_group_from_console(caller, name)
            deleted.append(name)
        except IAMError as error:
            flash_error(request, f"Failed to delete user group {name}.", error)
    if deleted:
        messages.success(request, f"User group {', '.join(deleted)} deleted." if len(deleted) == 1
                         else f"{len(deleted)} user groups deleted.")
    return redirect("groups:list")


# ----------------------------------------------------------------------------- create


@require_http_methods(["GET", "POST"])
@principal_required
def group_create(request: ConsoleRequest) -> HttpResponse:
    caller = request.caller
    account = caller.account
    form = {"group_name": "", "users": [], "policies": []}
    error_message = ""
    if request.method == "POST":
        form = {
            "group_name": request.POST.get("group_name", "").strip(),
            "users": request.POST.getlist("users"),
            "policies": request.POST.getlist("policies"),
        }
        try:
            group = group_services.create_group_with_permissions(
                caller, form["group_name"], user_names=form["users"], policy_arns=form["policies"]
            )
        except IAMError as error:
            error_message = str(error)
        else:
            messages.success(request, f"{group.name} user group created.")
            return redirect("groups:detail", group_name=group.name)
    policy_query = request.GET.get("pq", "").strip()
    users = User.objects.filter(account=account, kind=User.Kind.IAM).order_by("name")
    # A search keeps the policies already ticked (htmx sends them along) at the top.
    selected_policies = set(form["policies"] or request.GET.getlist("policies"))
    policies = picker_rows(account, policy_query, selected_policies)
    context = {
        "nav": "user_groups",
        "form": form,
        "error_message": error_message,
        "users": users,
        "policies": policies,
        "selected_policies": selected_policies,
        "policy_query": policy_query,
    }
    template = "groups/group_create.html"
    if request.htmx and request.method == "GET" and "pq" in request.GET:
        template += "#policy-rows"
    return render(request, template, context)


# ----------------------------------------------------------------------------- detail


def _load_group(request: ConsoleRequest, group_name: str) -> tuple[Group | None, list[User], dict | None]:
    try:
        group, users = group_services.get_group(request.caller, group_name)
    except NoSuchEntity:
        raise Http404(f"The group with name {group_name} cannot be found.") from None
    except AccessDenied as error:
        return None, [], _denial(error)
    return group, users, None


def _detail_context(request: ConsoleRequest, group: Group, users: list[User], tab: str) -> dict[str, Any]:
    caller = request.caller
    base = reverse("groups:detail", args=[group.name])
    context: dict[str, Any] = {
        "nav": "user_groups",
        "group": group,
        "group_name": group.name,
        "members": users,
        "tab": tab,
        "tabs": [("users", f"Users ({len(users)})", f"{base}?tab=users"),
                 ("permissions", "Permissions", f"{base}?tab=permissions")],
    }
    if tab == "users":
        member_ids = {user.pk for user in users}
        context["candidates"] = [user for user in User.objects.filter(account=caller.account, kind=User.Kind.IAM).order_by("name")
                                 if user.pk not in member_ids]
    else:
        tab_context = permissions_tab(caller, "group", group)
        context["permissions_available"] = tab_context is not None
        context.update(tab_context or {})
    return context


@require_GET
@principal_required
def group_detail(request: ConsoleRequest, group_name: str) -> HttpResponse:
    group, users, denial = _load_group(request, group_name)
    if group is None:
        return render(request, "groups/group_detail.html", {"nav": "user_groups", "denial": denial, "group_name": group_name})
    tab = request.GET.get("tab", "users")
    if tab not in ("users", "permissions"):
        tab = "users"
    context = _detail_context(request, group, users, tab)
    template = "groups/group_detail.html"
    if request.htmx and not request.htmx.boosted and request.htmx.target == "group-tab":
        template += "#group-tab"
    return render(request, template, context)


def _users_tab_response(request: ConsoleRequest, group_name: str) -> HttpResponse:
    """After an add/remove: the Users tab fragment for htmx, or a redirect to the page."""
    if request.htmx:
        group, users, denial = _load_group(request, group_name)
        if group is None:
            return render(request, "groups/group_detail.html", {"nav": "user_groups", "denial": denial, "group_name": group_name})
        return render(request, "groups/group_detail.html#group-tab", _detail_context(request, group, users, "users"))
    return redirect(f"{reverse('groups:detail', args=[group_name])}?tab=users")


def _change_members(request: ConsoleRequest, group_name: str, operation: Any, verb: str) -> HttpResponse:
    """Add or remove the posted users, one operation each; a failure for one user is shown and
    the others still proceed, as the console does."""
    changed = []
    for name in request.POST.getlist("users"):
        try:
            operation(request.caller, group_name, name)
            changed.append(name)
        except NoSuchEntity as error:
            # A missing group is a missing page; a missing user is an error on this page.
            if error.message.startswith("The group with name"):
                raise Http404(error.message) from None
            flash_error(request, f"Failed to {verb} user {name}.", error)
        except IAMError as error:
            flash_error(request, f"Failed to {verb} user {name}.", error)
    if changed:
        done = "added to" if verb == "add" else "removed from"
        messages.success(request, f"{', '.join(changed)} {done} this group." if len(changed) == 1
                         else f"{len(changed)} users {done} this group.")
    return _users_tab_response(request, group_name)


@require_POST
@principal_required
def group_add_users(request: ConsoleRequest, group_name: str) -> HttpResponse:
    return _change_members(request, group_name, group_services.add_user_to_group, "add")


@require_POST
@principal_required
def group_remove_users(request: ConsoleRequest, group_name: str) -> HttpResponse:
    return _change_members(request, group_name, group_services.remove_user_from_group, "remove")


@require_POST
@principal_required
def group_edit(request: ConsoleRequest, group_name: str) -> HttpResponse:
    """Edit the group's name (UpdateGroup)."""
    new_name = request.POST.get("new_group_name", "").strip()
    try:
        group = group_services.update_group(request.caller, group_name, new_group_name=new_name)
    except NoSuchEntity as error:
        if new_name and "cannot be found" in error.message:
            raise Http404(error.message) from None
        flash_error(request, f"Failed to edit user group {group_name}.", error)
        return redirect("groups:detail", group_name=group_name)
    except IAMError as error:
        flash_error(request, f"Failed to edit user group {group_name}.", error)
        return redirect("groups:detail", group_name=group_name)
    messages.success(request, f"User group {group.name} updated.")
    return redirect("groups:detail", group_name=group.name)


@require_POST
@principal_required
def group_delete_one(request: ConsoleRequest, group_name: str) -> HttpResponse:
    caller = request.caller
    if request.POST.get("confirm", "").strip() != group_name:
        messages.error(request, f"To confirm deletion, enter {group_name} in the text input field.")
        return redirect("groups:detail", group_name=group_name)
    try:
        done = group_services.delete_group_from_console(caller, group_name)
    except NoSuchEntity:
        raise Http404(f"The group with name {group_name} cannot be found.") from None
    except IAMError as error:
        flash_error(request, f"Failed to delete user group {group_name}.", error)
        return redirect("groups:detail", group_name=group_name)
    notes = []
    if done["users"]:
        notes.append(f"removed {len(done['users'])} user(s)")
    if done["detached"]:
        notes.append(f"detached {len(done['detached'])} managed policy(ies)")
    if done["inline"]:
        notes.append(f"deleted {len(done['inline'])} inline policy(ies)")
    suffix = f" (first {', '.join(notes)})" if notes else ""
    messages.success(request, f"User group {group_name} deleted{suffix}.")
    return redirect("groups:list")
