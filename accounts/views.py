"""Sign-up, sign-in (root and IAM user), sign-out, the IAM dashboard and the account alias."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from policies import authz
from policies.models import ManagedPolicy

from . import mfa, services
from .credential_views import begin_mfa_sign_in
from .errors import IAMError
from .http import flash_error, principal_required
from .models import ActivityEvent, Group, Role, User
from .passwords import password_expires_at, password_locked_out

# One message for every sign-in failure, so it never tells which part was wrong.
SIGNIN_FAILED = "Your authentication information is incorrect. Please try again."
PASSWORD_EXPIRED_LOCKED = "Your password has expired. Contact your administrator to reset it."


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("accounts:dashboard")


def complete_sign_in(request: HttpRequest, user: User, *, mfa_used: bool = False) -> HttpResponse:
    """Start the console session and record ConsoleLogin."""
    login(request, user, backend="accounts.backends.PrincipalBackend")
    if mfa_used:
        request.session["mfa_authenticated_at"] = timezone.now().isoformat()
    user.password_last_used = timezone.now()
    fields = ["password_last_used"]
    expires = password_expires_at(user)
    if expires is not None:
        # The middleware compares against this without a query; an expired password must be
        # changed before anything else (hard expiry never gets this far: see signin).
        request.session["password_expires_at"] = expires.isoformat()
        if expires <= timezone.now() and not user.password_reset_required:
            user.password_reset_required = True
            fields.append("password_reset_required")
    user.save(update_fields=fields)
    services.record_console_login(
        user.account,
        user=user,
        success=True,
        source_ip=request.META.get("REMOTE_ADDR"),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
        mfa_used=mfa_used,
    )
    response = redirect(_safe_next(request))
    if user.is_iam_user:
        # AWS remembers the account on this browser for the next IAM user sign-in.
        response.set_cookie("iam_signin_account", user.account.signin_id, max_age=90 * 86400, samesite="Lax")
    return response


@require_http_methods(["GET", "POST"])
def signin(request: HttpRequest, account_id_or_alias: str = "") -> HttpResponse:
    """AWS's sign-in: the root user by email, or an IAM user by account (ID or alias) and name."""
    remembered = account_id_or_alias or request.COOKIES.get("iam_signin_account", "")
    form: dict[str, Any] = {
        "signin_type": "iam" if account_id_or_alias else request.POST.get("signin_type", "root"),
        "account": request.POST.get("account", remembered),
        "user_name": request.POST.get("user_name", ""),
        "email": request.POST.get("email", ""),
    }
    error = ""
    if request.method == "POST":
        password = request.POST.get("password", "")
        account = None
        if form["signin_type"] == "root":
            login_key = services.root_login(form["email"]) if form["email"].strip() else ""
        else:
            account = services.find_account(form["account"])
            login_key = services.iam_login(account, form["user_name"].strip()) if account and form["user_name"].strip() else ""
        user = authenticate(request, login=login_key, principal_password=password) if login_key else None
        if user is None:
            error = SIGNIN_FAILED
            failed_account = account
            if failed_account is None and form["signin_type"] == "root" and login_key:
                known = User.objects.filter(login=login_key).select_related("account").first()
                failed_account = known.account if known else None
            if failed_account is not None:
                known_user = User.objects.filter(login=login_key).first() if login_key else None
                services.record_console_login(
                    failed_account,
                    user=known_user,
                    success=False,
                    source_ip=request.META.get("REMOTE_ADDR"),
                    failure_reason="Failed authentication",
                )
        elif password_locked_out(user):
            # "Expiration requires administrator reset": no sign-in until an administrator resets it.
            error = PASSWORD_EXPIRED_LOCKED
            services.record_console_login(
                user.account, user=user, success=False, source_ip=request.META.get("REMOTE_ADDR"),
                failure_reason="Password expired",
            )
        elif mfa.confirmed_devices(user).exists():
            # The password was right; the MFA step completes the sign-in (credentials:signin_mfa).
            return begin_mfa_sign_in(request, user, request.POST.get("next") or request.GET.get("next", ""))
        else:
            return complete_sign_in(request, user)
    return render(
        request,
        "accounts/signin.html",
        {"form": form, "error": error, "next": request.GET.get("next", request.POST.get("next", "")), "fixed_account": account_id_or_alias},
        status=200,
    )


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    form = {key: request.POST.get(key, "") for key in ("email", "account_name")}
    error = ""
    if request.method == "POST":
        if request.POST.get("password", "") != request.POST.get("confirm_password", ""):
            error = "Passwords do not match."
        else:
            try:
                root = services.create_account(form["email"], form["account_name"], request.POST.get("password", ""))
            except IAMError as failure:
                error = failure.message
            else:
                return complete_sign_in(request, root)
    return render(request, "accounts/signup.html", {"form": form, "error": error})


@require_POST
def signout(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("accounts:signin")


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if user.is_authenticated and getattr(user, "is_principal", False):
        return redirect("accounts:dashboard")
    return redirect("accounts:signin")


@require_GET
@principal_required
def dashboard(request: HttpRequest) -> HttpResponse:
    caller = request.caller  # type: ignore[attr-defined]
    account = caller.account
    counts = None
    denial = None
    decision = authz.check(caller, "iam:GetAccountSummary", "*")
    if decision is None or decision.allowed:
        counts = {
            "user_groups": Group.objects.filter(account=account).count(),
            "users": User.objects.filter(account=account, kind=User.Kind.IAM).count(),
            "roles": Role.objects.filter(account=account).count(),
            "policies": ManagedPolicy.objects.filter(account=account).count(),
            "identity_providers": 0,
        }
    else:
        denial = {"message": authz.access_denied_message(caller, "iam:GetAccountSummary", "*", decision), "decision": decision.to_dict()}
    signin_url = request.build_absolute_uri(reverse("accounts:signin_account", args=[account.signin_id]))
    return render(
        request,
        "accounts/dashboard.html",
        {"counts": counts, "denial": denial, "signin_url": signin_url, "nav": "dashboard"},
    )


@require_POST
@principal_required
def account_alias(request: HttpRequest) -> HttpResponse:
    caller = request.caller  # type: ignore[attr-defined]
    try:
        if request.POST.get("op") == "delete":
            services.delete_account_alias(caller, caller.account.alias or "")
            messages.success(request, "Account alias deleted.")
        else:
            alias = request.POST.get("alias", "").strip()
            services.create_account_alias(caller, alias)
            messages.success(request, f"Account alias {alias} saved.")
    except IAMError as error:
        flash_error(request, "Failed to update the account alias.", error)
    return redirect("accounts:dashboard")


@require_http_methods(["GET", "POST"])
@principal_required
def password_change(request: HttpRequest) -> HttpResponse:
    """Change one's own password; forced here when an administrator required a reset."""
    caller = request.caller  # type: ignore[attr-defined]
    forced = caller.user.password_reset_required
    error = ""
    if request.method == "POST":
        if request.POST.get("new_password", "") != request.POST.get("confirm_password", ""):
            error = "The new passwords do not match."
        else:
            try:
                services.change_password(caller, request.POST.get("old_password", ""), request.POST.get("new_password", ""))
            except IAMError as failure:
                error = str(failure)
            else:
                # Changing the password changes the session hash: keep this session signed in.
                update_session_auth_hash(request, caller.user)
                messages.success(request, "Your password has been changed.")
                return redirect("accounts:dashboard")
    template = "accounts/password_change_required.html" if forced else "accounts/password_change.html"
    return render(request, template, {"error": error, "nav": "security_credentials"})


@require_GET
@principal_required
def activity(request: HttpRequest) -> HttpResponse:
    """The account's event history, in the style of CloudTrail's: newest first, filterable."""
    caller = request.caller  # type: ignore[attr-defined]
    context: dict[str, Any] = {"nav": "activity", "filters": {}}
    decision = authz.check(caller, "cloudtrail:LookupEvents", "*")
    if decision is not None and not decision.allowed:
        context["denial"] = {
            "message": authz.access_denied_message(caller, "cloudtrail:LookupEvents", "*", decision),
            "decision": decision.to_dict(),
        }
        return render(request, "accounts/activity.html", context)
    events = ActivityEvent.objects.filter(account=caller.account)
    filters = {key: request.GET.get(key, "").strip() for key in ("user", "event_name", "result")}
    if filters["user"]:
        events = events.filter(actor_name__icontains=filters["user"])
    if filters["event_name"]:
        events = events.filter(event_name__iexact=filters["event_name"])
    if filters["result"] in ("Success", "Failure"):
        events = events.filter(result=filters["result"])
    paginator = Paginator(events.order_by("-time", "-id"), 50)
    context.update(page=paginator.get_page(request.GET.get("page")), filters=filters, total=paginator.count)
    template = "accounts/activity.html#events" if request.htmx else "accounts/activity.html"
    return render(request, template, context)
