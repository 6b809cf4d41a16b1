"""Console pages for IAM users: the list, the create-user wizard, the user detail page and its tabs.

Every page and action goes through the service functions of accounts.services.users (and the
groups / policies areas' ones), so each is authorized with the IAM action AWS uses for the
equivalent API call. Pages work without JavaScript; htmx swaps tables and tabs in place.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from policies import authz

from . import rules
from .errors import AccessDenied, IAMError, NoSuchEntity
from .http import flash_error, principal_required
from .listing import filter_and_page
from .models import AccessKey, Group, User
from .passwords import check_password
from .services import users as user_services

WIZARD = "user_wizard"
RESULT = "user_wizard_result"
STEPS = [
    ("details", "Specify user details", "users:create"),
    ("permissions", "Set permissions", "users:create_permissions"),
    ("review", "Review and create", "users:create_review"),
    ("retrieve", "Retrieve password", "users:create_retrieve"),
]
TABS = [
    ("permissions", "Permissions"),
    ("groups", "Groups"),
    ("tags", "Tags"),
    ("security_credentials", "Security credentials"),
]
CHOICE_LIMIT = 50  # rows shown at once in the wizard's filterable choice tables
CREDENTIALS_INCLUDE = "credentials/includes/user_mfa_and_keys.html"


# ------------------------------------------------------------------------------ helpers


def _encrypt(plain: str) -> str:
    """Passwords the wizard must carry between requests live in the session encrypted, never plain."""
    try:
        from .crypto import encrypt_text
    except ImportError:  # pragma: no cover - accounts.crypto belongs to the credentials area
        return _fallback_fernet().encrypt(plain.encode()).decode()
    return encrypt_text(plain)


def _decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        from .crypto import decrypt_text
    except ImportError:  # pragma: no cover
        return _fallback_fernet().decrypt(token.encode()).decode()
    try:
        return decrypt_text(token)
    except ValueError:
        return ""


def _fallback_fernet():  # pragma: no cover
    from cryptography.fernet import Fernet

    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(settings.SECRET_KEY.encode()).digest()))


def _denial(error: AccessDenied) -> dict[str, Any]:
    return {"message": error.message, "decision": error.decision.to_dict() if error.decision is not None else None}


def _forget_wizard_result(request: HttpRequest) -> None:
    """The new user's password is shown once: leaving the Retrieve password page forgets it."""
    request.session.pop(RESULT, None)


def signin_url(request: HttpRequest, account) -> str:
    return request.build_absolute_uri(reverse("accounts:signin_account", args=[account.signin_id]))


def _tags_from_post(request: HttpRequest) -> list[dict[str, str]]:
    keys = request.POST.getlist("tag_key")
    values = request.POST.getlist("tag_value")
    removed = set(request.POST.getlist("tag_remove"))
    tags = []
    for index, key in enumerate(keys):
        value = values[index] if index < len(values) else ""
        if str(index) in removed or (not key.strip() and not value.strip()):
            continue
        tags.append({"Key": key.strip(), "Value": value.strip()})
    return tags


# ------------------------------------------------------------------------------ the list


def _users_table_queryset(queryset):
    """The list's columns for any number of rows in a constant number of queries: groups and
    access keys prefetched, MFA as an EXISTS subquery."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return queryset.annotate(has_mfa=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))).prefetch_related(
        Prefetch("iam_groups", queryset=Group.objects.order_by("name").only("id", "name")),
        Prefetch("access_keys", queryset=AccessKey.objects.order_by("created").only("id", "user_id", "access_key_id", "status", "created")),
    )


@require_GET
@principal_required
def user_list(request: HttpRequest) -> HttpResponse:
    caller = request.caller  # type: ignore[attr-defined]
    _forget_wizard_result(request)
    context: dict[str, Any] = {"nav": "users", "denial": None, "table": None}
    try:
        queryset = user_services.list_users(caller)
    except AccessDenied as error:
        context["denial"] = _denial(error)
    else:
        table = filter_and_page(request, _users_table_queryset(queryset), ["name", "path"])
        now = timezone.now()
        for row in table.rows:
            # AWS shows the password's age in days ("Today", "14 days").
            changed = row.password_last_changed if row.has_usable_password() else None
            row.password_age_days = (now - changed).days if changed else None
        context["table"] = table
    template = "users/user_list.html"
    if getattr(request, "htmx", False) and not request.htmx.boosted and context["table"] is not None:
        template += "#users-table"
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
@principal_required
def user_delete_many(request: HttpRequest) -> HttpResponse:
    """The list's Delete: confirm (type the name, or "confirm" for several users), then the
    console-style delete of each user. GET shows the confirmation, POST deletes."""
    caller = request.caller  # type: ignore[attr-defined]
    names = [name for name in (request.POST.getlist("user") if request.method == "POST" else request.GET.getlist("user")) if name]
    htmx = bool(getattr(request, "htmx", False))
    if not names:
        if htmx:
            return HttpResponse('<div class="alert alert--info" role="alert" data-testid="select-users-first">Select one or more users to delete.</div>')
        messages.info(request, "Select one or more users to delete.")
        return redirect("users:list")
    expected = names[0] if len(names) == 1 else "confirm"
    if htmx and request.method == "GET":
        return render(request, "users/includes/delete_users_modal.html", {"names": names, "expected": expected})
    error = ""
    if request.method == "POST":
        if request.POST.get("confirm", "").strip() != expected:
            error = f"Enter {expected} to confirm deletion."
        else:
            deleted = []
            for name in names:
                try:
                    removed = user_services.delete_user_console(caller, name)
                except IAMError as failure:
                    flash_error(request, f"Failed to delete user {name}.", failure)
                else:
                    deleted.append(name)
                    _flash_deleted(request, name, removed)
            return redirect("users:list")
    return render(
        request,
        "users/user_delete_confirm.html",
        {"nav": "users", "names": names, "expected": expected, "error": error},
    )


def _flash_deleted(request: HttpRequest, name: str, removed: list[str]) -> None:
    lines = [f"User {name} deleted."]
    if removed:
        lines.append("Also removed: " + ", ".join(removed) + ".")
    messages.success(request, "\n".join(lines))


# ----------------------------------------------------------------------------- the wizard


def _wizard(request: HttpRequest) -> dict[str, Any]:
    return request.session.get(WIZARD) or {}


def _save_wizard(request: HttpRequest, data: dict[str, Any]) -> None:
    request.session[WIZARD] = data
    request.session.modified = True


def _steps(current: str, reached: int) -> list[dict[str, Any]]:
    keys = [key for key, _, _ in STEPS]
    position = keys.index(current)
    return [
        {"key": key, "label": label, "url": reverse(url_name), "current": key == current,
         "done": index < position, "linkable": index < position and index <= reached and key != "retrieve"}
        for index, (key, label, url_name) in enumerate(STEPS)
    ]


@require_http_methods(["GET", "POST"])
@principal_required
def user_create(request: HttpRequest) -> HttpResponse:
    """Step 1, Specify user details."""
    caller = request.caller  # type: ignore[attr-defined]
    _forget_wizard_result(request)
    data = _wizard(request)
    if request.method == "GET" and request.GET.get("new"):
        data = {}
        _save_wizard(request, data)
    errors: dict[str, str] = {}
    form = {
        "user_name": data.get("user_name", ""),
        "console_access": data.get("console_access", False),
        "password_type": data.get("password_type", "autogenerated"),
        "password_reset_required": data.get("password_reset_required", True),
        "has_custom_password": bool(data.get("custom_password")),
    }
    if request.method == "POST":
        form.update(
            user_name=request.POST.get("user_name", "").strip(),
            console_access=request.POST.get("console_access") == "on",
            password_type=request.POST.get("password_type", "autogenerated"),
            password_reset_required=request.POST.get("password_reset_required") == "on",
        )
        try:
            rules.check_name(form["user_name"], "userName", 64, rules.USER_NAME_PATTERN)
        except IAMError:
            errors["user_name"] = (
                "The user name can have up to 64 characters. Valid characters: A-Z, a-z, 0-9, and + = , . @ _ - (hyphen)"
            )
        custom = request.POST.get("custom_password", "")
        encrypted = data.get("custom_password", "")
        if form["console_access"] and form["password_type"] == "custom":
            if custom:
                try:
                    rules.check_length(custom, "password", 1, 128)
                    check_password(custom, caller.account)
                except IAMError as failure:
                    errors["custom_password"] = failure.message
                else:
                    encrypted = _encrypt(custom)
            elif not encrypted:
                errors["custom_password"] = "Enter a custom password."
        else:
            encrypted = ""
        if not errors:
            data.update(
                user_name=form["user_name"],
                console_access=form["console_access"],
                password_type=form["password_type"] if form["console_access"] else "autogenerated",
                password_reset_required=form["password_reset_required"] and form["console_access"],
                custom_password=encrypted,
                reached=max(data.get("reached", 0), 1),
            )
            _save_wizard(request, data)
            return redirect("users:create_permissions")
    return render(
        request,
        "users/create_details.html",
        {
            "nav": "users",
            "steps": _steps("details", data.get("reached", 0)),
            "form": form,
            "errors": errors,
            "may_change_own_password": user_services.users_may_change_own_password(caller.account),
        },
    )


def _wizard_required(request: HttpRequest) -> dict[str, Any] | None:
    data = _wizard(request)
    return data if data.get("user_name") else None


def _choice_tables(request: HttpRequest, caller, data: dict[str, Any]) -> dict[str, Any]:
    """The groups, users and policies the Set permissions step offers (each list authorized
    with its List* action; a denied list shows the AccessDenied panel in its place)."""
    from accounts.services import groups as group_services
    from policies.services import managed

    tables: dict[str, Any] = {}
    try:
        tables["groups"] = list(group_services.list_groups(caller))
    except AccessDenied as error:
        tables["groups_denial"] = _denial(error)
    user_query = request.GET.get("user_q", "").strip()
    try:
        users = user_services.list_users(caller)
        if user_query:
            users = users.filter(name__icontains=user_query)
        tables["users"] = list(users[:CHOICE_LIMIT])
    except AccessDenied as error:
        tables["users_denial"] = _denial(error)
    policy_query = request.GET.get("policy_q", "").strip()
    try:
        policies = managed.list_policies(caller).exclude(path="/aws-service-role/")
        if policy_query:
            policies = policies.filter(name__icontains=policy_query)
        selected = set(data.get("policy_arns", []))
        rows = list(policies[:CHOICE_LIMIT])
        tables["policies"] = rows
        tables["policies_total"] = policies.count()
        shown = {policy.arn for policy in rows}
        tables["selected_elsewhere"] = sorted(selected - shown)
    except AccessDenied as error:
        tables["policies_denial"] = _denial(error)
    tables["user_q"] = user_query
    tables["policy_q"] = policy_query
    return tables


@require_http_methods(["GET", "POST"])
@principal_required
def user_create_permissions(request: HttpRequest) -> HttpResponse:
    """Step 2, Set permissions: Add user to group / Copy permissions / Attach policies directly,
    and an optional permissions boundary."""
    caller = request.caller  # type: ignore[attr-defined]
    data = _wizard_required(request)
    if data is None:
        return redirect("users:create")
    if request.method == "POST":
        option = request.POST.get("permissions_option", "groups")
        if option not in ("groups", "copy", "policies"):
            option = "groups"
        shown = set(request.POST.getlist("shown_policy"))
        kept = [arn for arn in data.get("policy_arns", []) if arn not in shown]
        data.update(
            permissions_option=option,
            group_names=request.POST.getlist("group") if option == "groups" else [],
            copy_from_user=request.POST.get("copy_from", "") if option == "copy" else "",
            policy_arns=(kept + [arn for arn in request.POST.getlist("policy") if arn not in kept]) if option == "policies" else [],
            use_boundary=request.POST.get("use_boundary") == "on",
            permissions_boundary=request.POST.get("boundary", "") if request.POST.get("use_boundary") == "on" else "",
            reached=max(data.get("reached", 0), 2),
        )
        _save_wizard(request, data)
        if request.POST.get("go") == "back":
            return redirect("users:create")
        if request.POST.get("go") == "filter":
            query = urlencode({"option": option, "user_q": request.POST.get("user_q", ""), "policy_q": request.POST.get("policy_q", "")})
            return redirect(f"{reverse('users:create_permissions')}?{query}")
        return redirect("users:create_review")
    context = {
        "nav": "users",
        "steps": _steps("permissions", data.get("reached", 0)),
        "data": data,
        "option": request.GET.get("option") or data.get("permissions_option", "groups"),
        "selected_groups": set(data.get("group_names", [])),
        "selected_policies": set(data.get("policy_arns", [])),
    }
    context.update(_choice_tables(request, caller, data))
    return render(request, "users/create_permissions.html", context)


def _spec(data: dict[str, Any]) -> user_services.NewUserSpec:
    return user_services.NewUserSpec(
        user_name=data["user_name"],
        tags=data.get("tags", []),
        permissions_boundary=data.get("permissions_boundary", ""),
        console_access=data.get("console_access", False),
        autogenerate_password=data.get("password_type", "autogenerated") != "custom",
        custom_password=_decrypt(data.get("custom_password", "")),
        password_reset_required=data.get("password_reset_required", False),
        group_names=data.get("group_names", []),
        policy_arns=data.get("policy_arns", []),
        copy_from_user=data.get("copy_from_user", ""),
    )


@require_http_methods(["GET", "POST"])
@principal_required
def user_create_review(request: HttpRequest) -> HttpResponse:
    """Step 3, Review and create: the summary, Tags, and the Create user button (one
    transaction over every operation; a failure shows AWS's error here and creates nothing)."""
    caller = request.caller  # type: ignore[attr-defined]
    data = _wizard_required(request)
    if data is None:
        return redirect("users:create")
    error = None
    tags = data.get("tags", [])
    blank_rows = 0
    if request.method == "POST":
        tags = _tags_from_post(request)
        data["tags"] = tags
        data["reached"] = max(data.get("reached", 0), 3)
        _save_wizard(request, data)
        action = "remove_tag" if "tag_remove" in request.POST else request.POST.get("go", "create")
        if action == "back":
            return redirect("users:create_permissions")
        if action == "add_tag":
            blank_rows = 1
        elif action in ("remove_tag", "save"):
            pass
        else:
            try:
                user_services.validate_tags(tags)
                created = user_services.create_user_console(caller, _spec(data))
            except IAMError as failure:
                error = failure
            else:
                request.session.pop(WIZARD, None)
                request.session[RESULT] = {
                    "user_name": created.user.name,
                    "password": _encrypt(created.password) if created.password else "",
                    "reset_required": created.user.password_reset_required,
                }
                if not created.password:
                    messages.success(request, f"User {created.user.name} created successfully.")
                    return redirect("users:detail", user_name=created.user.name)
                return redirect("users:create_retrieve")
    return render(
        request,
        "users/create_review.html",
        {
            "nav": "users",
            "steps": _steps("review", data.get("reached", 0)),
            "data": data,
            "tags": tags,
            "blank_rows": range(blank_rows),
            "tag_slots_left": rules.MAX_TAGS - len(tags),
            "error": error,
            "change_password_policy": bool(
                data.get("console_access")
                and data.get("password_reset_required")
                and not user_services.users_may_change_own_password(caller.account)
                and user_services.change_password_policy_arn()
            ),
        },
        status=200,
    )


@require_GET
@principal_required
def user_create_retrieve(request: HttpRequest) -> HttpResponse:
    """Step 4, Retrieve password: shown once; leaving the page forgets it."""
    result = request.session.get(RESULT)
    if not result:
        messages.info(request, "The password of a new user is shown only once, right after it is created.")
        return redirect("users:list")
    return _no_store(render(
        request,
        "users/create_retrieve.html",
        {
            "nav": "users",
            "steps": _steps("retrieve", 4),
            "result": result,
            "password": _decrypt(result.get("password", "")),
            "signin_url": signin_url(request, request.caller.account),  # type: ignore[attr-defined]
        },
    ))


def _no_store(response: HttpResponse) -> HttpResponse:
    """A page that shows a password once must not be kept by the browser or a proxy."""
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@principal_required
def user_create_csv(request: HttpRequest) -> HttpResponse:
    """Download .csv: AWS's columns (User name,Password,Console sign-in URL)."""
    result = request.session.get(RESULT)
    if not result:
        raise Http404("Nothing to download.")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["User name", "Password", "Console sign-in URL"])
    writer.writerow([result["user_name"], _decrypt(result.get("password", "")), signin_url(request, request.caller.account)])  # type: ignore[attr-defined]
    response = HttpResponse(buffer.getvalue(), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{result["user_name"]}_credentials.csv"'
    response["Cache-Control"] = "no-store"
    return response


# -------------------------------------------------------------------------- the detail page


def _user_or_404(caller, user_name: str) -> tuple[User | None, dict[str, Any] | None]:
    """GetUser: another account's (or a missing) user is a 404; a denial is shown as a panel."""
    try:
        return user_services.get_user(caller, user_name), None
    except NoSuchEntity as error:
        raise Http404(error.message) from error
    except AccessDenied as error:
        return None, _denial(error)


def _tab_context(request: HttpRequest, caller, user: User, tab: str) -> dict[str, Any]:
    context: dict[str, Any] = {}
    if tab == "permissions":
        from policies.permissions_tab import permissions_tab_context

        context.update(permissions_tab_context(caller, "user", user))
    elif tab == "groups":
        from accounts.services import groups as group_services

        try:
            context["user_groups"] = group_services.list_groups_for_user(caller, user.name)
        except AccessDenied as error:
            context["groups_denial"] = _denial(error)
        else:
            member_of = {group.pk for group in context["user_groups"]}
            if authz.is_allowed(caller, "iam:ListGroups", f"arn:aws:iam::{caller.account.account_id}:group/"):
                context["addable_groups"] = [group for group in group_services.groups_with_counts(caller.account) if group.pk not in member_of]
    elif tab == "tags":
        try:
            context["tags"] = user_services.list_user_tags(caller, user.name)
        except AccessDenied as error:
            context["tags_denial"] = _denial(error)
        context["max_tags"] = rules.MAX_TAGS
    elif tab == "security_credentials":
        try:
            context["login_profile"] = user_services.get_login_profile(caller, user.name)
        except NoSuchEntity:
            context["login_profile"] = None
        except AccessDenied as error:
            context["login_profile_denial"] = _denial(error)
        context["signin_url"] = signin_url(request, caller.account)
        try:
            get_template(CREDENTIALS_INCLUDE)
        except TemplateDoesNotExist:
            context["credentials_include"] = None
        else:
            context["credentials_include"] = CREDENTIALS_INCLUDE
    return context


@require_GET
@principal_required
def user_detail(request: HttpRequest, user_name: str) -> HttpResponse:
    caller = request.caller  # type: ignore[attr-defined]
    _forget_wizard_result(request)
    user, denial = _user_or_404(caller, user_name)
    tab = request.GET.get("tab", "permissions")
    if tab not in dict(TABS):
        tab = "permissions"
    context: dict[str, Any] = {"nav": "users", "user_name": user_name, "denial": denial, "subject": user, "tab": tab}
    if user is not None:
        base = reverse("users:detail", args=[user.name])
        context["tabs"] = [(key, label, f"{base}?tab={key}") for key, label in TABS]
        context["access_key_count"] = AccessKey.objects.filter(user=user).count()
        context["active_key_count"] = AccessKey.objects.filter(user=user, status=AccessKey.Status.ACTIVE).count()
        context.update(_tab_context(request, caller, user, tab))
    template = "users/user_detail.html"
    if getattr(request, "htmx", False) and request.htmx.target == "user-tab" and user is not None:
        template += "#tab-content"
    return render(request, template, context)


def _back_to(user_name: str, tab: str) -> HttpResponse:
    return redirect(f"{reverse('users:detail', args=[user_name])}?tab={tab}")


def _tab_response(request: HttpRequest, user_name: str, tab: str) -> HttpResponse:
    """After a tab's action: the updated tab fragment for htmx, a redirect otherwise."""
    if getattr(request, "htmx", False):
        caller = request.caller  # type: ignore[attr-defined]
        user, denial = _user_or_404(caller, user_name)
        if user is None:
            return render(request, "users/user_detail.html#tab-content", {"denial": denial, "tab": tab, "fragment": True})
        base = reverse("users:detail", args=[user.name])
        context = {
            "subject": user,
            "tab": tab,
            "fragment": True,
            "tabs": [(key, label, f"{base}?tab={key}") for key, label in TABS],
            "access_key_count": AccessKey.objects.filter(user=user).count(),
        }
        context.update(_tab_context(request, caller, user, tab))
        return render(request, "users/user_detail.html#tab-content", context)
    return _back_to(user_name, tab)


@require_POST
@principal_required
def user_delete(request: HttpRequest, user_name: str) -> HttpResponse:
    """The detail page's Delete: confirm by typing the name, then the console-style delete."""
    caller = request.caller  # type: ignore[attr-defined]
    if request.POST.get("confirm", "").strip() != user_name:
        messages.error(request, f"Failed to delete user {user_name}.\nEnter {user_name} to confirm deletion.")
        return redirect("users:detail", user_name=user_name)
    try:
        removed = user_services.delete_user_console(caller, user_name)
    except NoSuchEntity as error:
        raise Http404(error.message) from error
    except IAMError as error:
        flash_error(request, f"Failed to delete user {user_name}.", error)
        return redirect("users:detail", user_name=user_name)
    _flash_deleted(request, user_name, removed)
    return redirect("users:list")


def _change_groups(request: HttpRequest, user_name: str, operation_name: str, failure: str, success: str) -> HttpResponse:
    """Add the user to, or remove it from, the posted groups: all or nothing, one operation per group."""
    from accounts.services import groups as group_services

    caller = request.caller  # type: ignore[attr-defined]
    operation = getattr(group_services, operation_name)
    names = request.POST.getlist("group")
    try:
        with transaction.atomic():
            for name in names:
                operation(caller, name, user_name)
    except NoSuchEntity as error:
        # A missing user is a missing page; a missing group is an error on this page.
        if error.message.startswith("The user with name"):
            raise Http404(error.message) from error
        flash_error(request, failure.format(user=user_name), error)
    except IAMError as error:
        flash_error(request, failure.format(user=user_name), error)
    else:
        if names:
            messages.success(request, success.format(user=user_name, groups=", ".join(names)))
    return _tab_response(request, user_name, "groups")


@require_POST
@principal_required
def user_groups_add(request: HttpRequest, user_name: str) -> HttpResponse:
    return _change_groups(request, user_name, "add_user_to_group",
                          "Failed to add user {user} to groups.", "User {user} added to {groups}.")


@require_POST
@principal_required
def user_groups_remove(request: HttpRequest, user_name: str) -> HttpResponse:
    return _change_groups(request, user_name, "remove_user_from_group",
                          "Failed to remove user {user} from groups.", "User {user} removed from {groups}.")


@require_POST
@principal_required
def user_tags(request: HttpRequest, user_name: str) -> HttpResponse:
    """Manage tags: the submitted rows become the user's tags (UntagUser for removed keys,
    TagUser for new or changed ones, in one transaction)."""
    caller = request.caller  # type: ignore[attr-defined]
    wanted = _tags_from_post(request)
    try:
        current = {tag["Key"]: tag["Value"] for tag in user_services.list_user_tags(caller, user_name)}
        user_services.validate_tags(wanted)
        wanted_keys = {tag["Key"] for tag in wanted}
        removed = [key for key in current if key not in wanted_keys]
        changed = [tag for tag in wanted if current.get(tag["Key"]) != tag["Value"]]
        with transaction.atomic():
            if removed:
                user_services.untag_user(caller, user_name, removed)
            if changed:
                user_services.tag_user(caller, user_name, changed)
    except NoSuchEntity as error:
        raise Http404(error.message) from error
    except IAMError as error:
        flash_error(request, f"Failed to save tags for user {user_name}.", error)
    else:
        messages.success(request, f"Tags saved for user {user_name}.")
    return _tab_response(request, user_name, "tags")


@require_POST
@principal_required
def user_console_access(request: HttpRequest, user_name: str) -> HttpResponse:
    """Manage console access: enable, disable, or reset the password (autogenerated or custom,
    with or without a required reset). A new password is shown once, in this response."""
    from .passwords import generate_password

    caller = request.caller  # type: ignore[attr-defined]
    op = request.POST.get("op", "")
    autogenerate = request.POST.get("password_type", "autogenerated") != "custom"
    password = generate_password(caller.account) if autogenerate else request.POST.get("custom_password", "")
    reset_required = request.POST.get("password_reset_required") == "on"
    try:
        if op == "disable":
            user_services.delete_login_profile(caller, user_name)
            messages.success(request, f"Console access disabled for {user_name}.")
            return _back_to(user_name, "security_credentials")
        if op == "enable":
            user_services.create_login_profile(caller, user_name, password, reset_required)
        elif op == "reset":
            user_services.update_login_profile(caller, user_name, password=password, password_reset_required=reset_required)
        else:
            raise Http404("Unknown console access operation.")
    except NoSuchEntity as error:
        if error.message.startswith("The user with name"):
            raise Http404(error.message) from error
        flash_error(request, f"Failed to update console access for {user_name}.", error)
        return _back_to(user_name, "security_credentials")
    except IAMError as error:
        flash_error(request, f"Failed to update console access for {user_name}.", error)
        return _back_to(user_name, "security_credentials")
    return _no_store(render(
        request,
        "users/console_password.html",
        {
            "nav": "users",
            "user_name": user_name,
            "password": password,
            "enabled": op == "enable",
            "reset_required": reset_required,
            "signin_url": signin_url(request, caller.account),
        },
    ))
