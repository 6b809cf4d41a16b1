"""Security credentials pages: the principal's own "Security credentials", the MFA and access key
flows (also used from a user's Security credentials tab), Account settings (password policy),
the credential report, and the MFA step of sign-in.

Every change goes through a service function (accounts.services), so the console and the API
can never disagree. Pages work as plain forms; the panel is also served as a fragment.
"""

from __future__ import annotations

import base64
from datetime import datetime, timedelta
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import mfa, services
from .errors import AccessDenied, EntityAlreadyExists, IAMError, ValidationError
from .http import flash_error, principal_required
from .models import AccessKey, User
from .passwords import EffectivePolicy, password_expires_at
from .services import password_policy as policy_service
from .services.password_policy import CREDENTIAL_REPORT_COLUMNS, parse_report

# How long the MFA step of sign-in waits after the correct password.
MFA_STEP_TIMEOUT = timedelta(minutes=5)
PASSWORD_EXPIRY_WARNING = timedelta(days=14)
SIGNIN_FAILED = "Your authentication information is incorrect. Please try again."

ACCESS_KEY_USE_CASES = [
    ("cli", "Command Line Interface (CLI)",
     "You plan to use this access key to enable the AWS CLI to access your AWS account."),
    ("local_code", "Local code",
     "You plan to use this access key to enable application code in a local development environment to access your AWS account."),
    ("aws_compute", "Application running on an AWS compute service",
     "You plan to use this access key to enable application code running on an AWS compute service like Amazon EC2, Amazon ECS, or AWS Lambda to access your AWS account."),
    ("third_party", "Third-party service",
     "You plan to use this access key to enable access for a third-party application or service that monitors or manages your AWS resources."),
    ("outside_aws", "Application running outside AWS",
     "You plan to use this access key to authenticate workloads running in your data center or other infrastructure outside of AWS that needs to access your AWS resources."),
    ("other", "Other", "Your use case is not listed here."),
]
ALTERNATIVES = {
    "cli": "Use AWS CloudShell, a browser-based CLI, or the AWS CLI V2 with authentication through a user in IAM Identity Center.",
    "local_code": "Use an integrated development environment (IDE) which supports the AWS Toolkit, enabling authentication through IAM Identity Center.",
    "aws_compute": "Assign an IAM role to compute resources like EC2 instances or Lambda functions to automatically provide temporary credentials.",
    "third_party": "Use temporary security credentials (IAM roles) instead of long-term access keys.",
    "outside_aws": "Use IAM Roles Anywhere to generate temporary security credentials for non-AWS workloads.",
    "other": "Use temporary credentials where you can, and rotate long-term access keys regularly.",
}


# ------------------------------------------------------------------------------ helpers


def _next_url(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def _subject(request: HttpRequest) -> tuple[str | None, str]:
    """The IAM user a credentials page acts on (`user` parameter), or None for the caller itself,
    and the page to go back to."""
    user_name = (request.POST.get("user") or request.GET.get("user") or "").strip() or None
    if user_name:
        default = _user_page(user_name)
    else:
        default = reverse("credentials:my_security_credentials")
    return user_name, _next_url(request, default)


def _user_page(user_name: str) -> str:
    try:
        return reverse("users:detail", args=[user_name]) + "?tab=security_credentials"
    except Exception:  # noqa: BLE001 - the users area may not be built yet
        return reverse("credentials:user_credentials_fragment", args=[user_name])


def _denial(error: AccessDenied) -> dict[str, Any]:
    return {"message": error.message, "decision": error.decision.to_dict() if error.decision is not None else None}


def _who(caller: Any, user_name: str | None) -> str:
    if user_name:
        return user_name
    return "root user" if caller.is_root else caller.user.name


def credentials_panel_context(request: HttpRequest, user_name: str | None, *, back: str = "") -> dict[str, Any]:
    """What the MFA and access keys panel shows for a principal: each list, or the AccessDenied
    panel when the caller may not list it (as AWS's console does)."""
    caller = request.caller  # type: ignore[attr-defined]
    context: dict[str, Any] = {
        "subject_name": user_name or "",
        "is_self": not user_name,
        "is_root": not user_name and caller.is_root,
        "back": back or (request.get_full_path() if user_name is None else _user_page(user_name)),
        "max_keys": 2,
        "max_devices": 8,
    }
    try:
        devices = services.list_mfa_devices(caller, user_name)
        context["devices"] = [
            {"device": device, "serial": mfa.serial_number(caller.account.account_id, device.name)} for device in devices
        ]
    except AccessDenied as error:
        context["devices_denied"] = _denial(error)
    except IAMError as error:
        raise Http404(error.message) from error
    try:
        keys = services.list_access_keys(caller, user_name)
    except AccessDenied as error:
        context["keys_denied"] = _denial(error)
    else:
        # The console's optional description is a user tag keyed by the access key ID.
        owner = keys[0].user if keys else None
        descriptions = owner.tag_dict() if owner is not None and owner.is_iam_user else {}
        context["keys"] = [{"key": key, "description": descriptions.get(key.access_key_id, "")} for key in keys]
        context["keys_full"] = len(keys) >= context["max_keys"]
    context["devices_full"] = len(context.get("devices", [])) >= context["max_devices"]
    return context


def _after_action(request: HttpRequest, user_name: str | None, back: str, *, success: str = "", title: str = "",
                  error: IAMError | None = None) -> HttpResponse:
    """After a panel action: for htmx the updated panel with its message in place (the page's
    flash bar is not swapped), otherwise the flash bar and a redirect back."""
    if request.headers.get("HX-Request"):
        context = credentials_panel_context(request, user_name, back=back)
        context["panel_message"] = {"level": "error", "title": title, "text": str(error)} if error else {"level": "success", "title": success}
        return render(request, "credentials/includes/credentials_panel.html", context)
    if error is not None:
        flash_error(request, title, error)
    elif success:
        messages.success(request, success)
    return redirect(back)


# ----------------------------------------------------------------- own credentials page


@require_GET
@principal_required
def my_security_credentials(request: HttpRequest) -> HttpResponse:
    """Account menu -> Security credentials: the signed-in principal's own credentials."""
    caller = request.caller  # type: ignore[attr-defined]
    user = caller.user
    policy = EffectivePolicy.for_account(caller.account)
    context = credentials_panel_context(request, None)
    expires = password_expires_at(user, policy)
    context.update({
        "nav": "security_credentials",
        "password_expires_at": expires,
        # The console warns when the password expires soon (AWS shows a banner in that window).
        "password_expires_soon": expires is not None and expires - timezone.now() <= PASSWORD_EXPIRY_WARNING,
        "hard_expiry": policy.hard_expiry,
    })
    return render(request, "credentials/my_security_credentials.html", context)


@require_GET
@principal_required
def user_credentials_fragment(request: HttpRequest, user_name: str) -> HttpResponse:
    """The MFA + access keys panel of an IAM user (the user detail page's Security credentials
    tab includes it; htmx may fetch it alone)."""
    context = credentials_panel_context(request, user_name)
    template = "credentials/includes/credentials_panel.html"
    if not request.headers.get("HX-Request"):
        context["nav"] = "users"
        template = "credentials/user_credentials_page.html"
    return render(request, template, context)


# ------------------------------------------------------------------------------- MFA


def _held_device(caller: Any, serial: str) -> TOTPDevice | None:
    name = mfa.device_name_from_serial(serial, caller.account.account_id)
    if not name or caller.user is None:
        return None
    return TOTPDevice.objects.filter(user__account=caller.account, user=caller.user, name=name, confirmed=False).first()


def _device_context(device: TOTPDevice, account_id: str, owner: User | None = None) -> dict[str, Any]:
    if owner is not None:
        # Until EnableMFADevice the device is held by whoever created it; the authenticator
        # app should still name the principal it will protect (the otpauth label).
        device.user = owner
    return {
        "device": device,
        "serial": mfa.serial_number(account_id, device.name),
        "qr_svg": mfa.qr_svg(device),
        "secret": mfa.secret_base32(device),
    }


def _future_owner(caller: Any, user_name: str | None) -> User | None:
    if not user_name:
        return caller.user
    return User.objects.filter(account=caller.account, kind=User.Kind.IAM, name__iexact=user_name).first()


@never_cache
@require_http_methods(["GET", "POST"])
@principal_required
def mfa_assign(request: HttpRequest) -> HttpResponse:
    """"Assign MFA device": name and type, then the QR code / secret and two consecutive codes."""
    caller = request.caller  # type: ignore[attr-defined]
    user_name, back = _subject(request)
    context: dict[str, Any] = {"subject_name": user_name or "", "who": _who(caller, user_name), "next": back,
                               "nav": "users" if user_name else "security_credentials", "step": "name",
                               "device_name": request.POST.get("device_name", "")}
    if request.method == "POST" and request.POST.get("step") == "name":
        name = context["device_name"].strip()
        device = None
        try:
            device = services.create_virtual_mfa_device(caller, name)
        except EntityAlreadyExists as error:
            # An interrupted assignment left this principal's unassigned device: offer it again.
            device = services.credentials.unassigned_device_held_by(caller, name)
            if device is None:
                context["error"] = str(error)
        except IAMError as error:
            context["error"] = str(error)
        if device is not None:
            context.update(_device_context(device, caller.account.account_id, _future_owner(caller, user_name)), step="codes")
    elif request.method == "POST" and request.POST.get("step") == "codes":
        serial = request.POST.get("serial", "")
        device = _held_device(caller, serial)
        if device is None:
            messages.error(request, "The MFA device to activate no longer exists. Start again.")
            return redirect(f"{reverse('credentials:mfa_assign')}?user={user_name or ''}&next={back}")
        try:
            services.enable_mfa_device(caller, user_name, serial, request.POST.get("code1", ""), request.POST.get("code2", ""))
        except IAMError as error:
            device.refresh_from_db()
            context.update(_device_context(device, caller.account.account_id, _future_owner(caller, user_name)), step="codes",
                           error=str(error))
        else:
            messages.success(request, f"MFA device assigned. {serial} now protects sign-in of {context['who']}.")
            return redirect(back)
    return render(request, "credentials/mfa_assign.html", context)


@require_POST
@principal_required
def mfa_remove(request: HttpRequest) -> HttpResponse:
    """The console's Remove: DeactivateMFADevice, then DeleteVirtualMFADevice."""
    caller = request.caller  # type: ignore[attr-defined]
    user_name, back = _subject(request)
    serial = request.POST.get("serial", "")
    try:
        services.deactivate_mfa_device(caller, user_name, serial)
    except IAMError as error:
        return _after_action(request, user_name, back, title=f"Failed to remove MFA device {serial}.", error=error)
    try:
        services.delete_virtual_mfa_device(caller, serial)
    except IAMError as error:
        return _after_action(request, user_name, back, title=f"MFA device {serial} was deactivated but not deleted.", error=error)
    return _after_action(request, user_name, back, success=f"MFA device {serial} removed.")


@require_http_methods(["GET", "POST"])
@principal_required
def mfa_resync(request: HttpRequest) -> HttpResponse:
    caller = request.caller  # type: ignore[attr-defined]
    user_name, back = _subject(request)
    serial = request.POST.get("serial") or request.GET.get("serial", "")
    context = {"subject_name": user_name or "", "serial": serial, "next": back, "who": _who(caller, user_name),
               "nav": "users" if user_name else "security_credentials"}
    if request.method == "POST":
        try:
            services.resync_mfa_device(caller, user_name, serial, request.POST.get("code1", ""), request.POST.get("code2", ""))
        except IAMError as error:
            context["error"] = str(error)
        else:
            messages.success(request, f"MFA device {serial} resynchronized.")
            return redirect(back)
    return render(request, "credentials/mfa_resync.html", context)


# ------------------------------------------------------------------------ access keys


def _csv_data_url(key: AccessKey, secret: str) -> str:
    """The .csv AWS offers on "Retrieve access keys", inlined in the page: the secret never
    travels again and is never stored in plain text."""
    content = f"Access key ID,Secret access key\r\n{key.access_key_id},{secret}\r\n"
    return "data:text/csv;base64," + base64.b64encode(content.encode()).decode()


@never_cache
@require_http_methods(["GET", "POST"])
@principal_required
def access_key_create(request: HttpRequest) -> HttpResponse:
    """Create access key: best practices & alternatives (use case), optional description tag,
    then Retrieve access keys (the secret, shown once, and its .csv)."""
    caller = request.caller  # type: ignore[attr-defined]
    user_name, back = _subject(request)
    is_root = not user_name and caller.is_root
    use_case = request.POST.get("use_case", "")
    context: dict[str, Any] = {
        "subject_name": user_name or "", "who": _who(caller, user_name), "next": back, "is_root": is_root,
        "nav": "users" if user_name else "security_credentials", "use_cases": ACCESS_KEY_USE_CASES,
        "use_case": use_case, "alternative": ALTERNATIVES.get(use_case, ""), "step": "use_case",
        "description": request.POST.get("description", ""),
    }
    step = request.POST.get("step") if request.method == "POST" else None
    if step == "use_case":
        if use_case not in ALTERNATIVES:
            context["error"] = "Choose a use case."
        elif is_root and not request.POST.get("confirm_root"):
            context["error"] = "Confirm that you understand that creating a root access key is not a best practice."
        elif not request.POST.get("confirm_alternative") and not is_root:
            context["error"] = "Confirm that you understand the recommendation and want to proceed to create an access key."
        else:
            context["step"] = "description"
    elif step == "create":
        description = context["description"].strip()
        try:
            key, secret = services.create_access_key(caller, user_name)
        except IAMError as error:
            context.update(step="description", error=str(error))
        else:
            tag_error = None
            if description and not is_root:
                try:
                    services.tag_user(caller, user_name or caller.user.name, [{"Key": key.access_key_id, "Value": description}])
                except IAMError as error:
                    tag_error = str(error)
            context.update(step="retrieve", key=key, secret=secret, csv_url=_csv_data_url(key, secret),
                           csv_name=f"{(user_name or ('rootkey' if is_root else caller.user.name))}_accessKeys.csv",
                           tag_error=tag_error)
            response = render(request, "credentials/access_key_create.html", context)
            response["Cache-Control"] = "no-store"
            return response
    return render(request, "credentials/access_key_create.html", context)


@require_POST
@principal_required
def access_key_update(request: HttpRequest) -> HttpResponse:
    caller = request.caller  # type: ignore[attr-defined]
    user_name, back = _subject(request)
    key_id = request.POST.get("access_key_id", "")
    status = request.POST.get("status", "")
    verb = "activate" if status == "Active" else "deactivate"
    try:
        services.update_access_key(caller, key_id, status, user_name)
    except IAMError as error:
        return _after_action(request, user_name, back, title=f"Failed to {verb} access key {key_id}.", error=error)
    return _after_action(request, user_name, back, success=f"Access key {key_id} {verb}d.")


@require_POST
@principal_required
def access_key_delete(request: HttpRequest) -> HttpResponse:
    """Delete, after typing the key ID, as the console asks; its description tag goes too."""
    caller = request.caller  # type: ignore[attr-defined]
    user_name, back = _subject(request)
    key_id = request.POST.get("access_key_id", "")
    if request.POST.get("confirm", "").strip() != key_id:
        return _after_action(request, user_name, back, title=f"Failed to delete access key {key_id}.",
                             error=ValidationError("To confirm deletion, enter the access key ID."))
    try:
        services.delete_access_key(caller, key_id, user_name)
    except IAMError as error:
        return _after_action(request, user_name, back, title=f"Failed to delete access key {key_id}.", error=error)
    subject = User.objects.filter(account=caller.account, kind=User.Kind.IAM, name__iexact=user_name).first() if user_name else caller.user
    if subject is not None and subject.is_iam_user and key_id in subject.tag_dict():
        try:
            services.untag_user(caller, subject.name, [key_id])
        except IAMError:
            pass  # the key is gone; a leftover description tag is harmless
    return _after_action(request, user_name, back, success=f"Access key {key_id} deleted.")


# --------------------------------------------------------------------- account settings


POLICY_FIELDS = ("require_uppercase_characters", "require_lowercase_characters", "require_numbers", "require_symbols",
                 "allow_users_to_change_password", "hard_expiry")


@require_GET
@principal_required
def account_settings(request: HttpRequest) -> HttpResponse:
    caller = request.caller  # type: ignore[attr-defined]
    context: dict[str, Any] = {"nav": "account_settings", "symbols": "! @ # $ % ^ & * ( ) _ + - = [ ] { } | '"}
    try:
        context["policy"] = services.get_account_password_policy(caller)
    except AccessDenied as error:
        context["denial"] = _denial(error)
    except IAMError:
        context["policy"] = None  # AWS's default applies
    return render(request, "credentials/account_settings.html", context)


def _int_or_none(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.lstrip("-").isdigit() else None


@require_http_methods(["GET", "POST"])
@principal_required
def password_policy_edit(request: HttpRequest) -> HttpResponse:
    caller = request.caller  # type: ignore[attr-defined]
    current = None
    context: dict[str, Any] = {"nav": "account_settings"}
    try:
        current = services.get_account_password_policy(caller)
    except AccessDenied as error:
        context["denial"] = _denial(error)
    except IAMError:
        current = None
    if request.method == "POST":
        data = request.POST
        try:
            if data.get("mode") == "default":
                if current is not None:
                    services.delete_account_password_policy(caller)
            else:
                services.update_account_password_policy(
                    caller,
                    minimum_password_length=_int_or_none(data.get("minimum_password_length")),
                    require_uppercase_characters=bool(data.get("require_uppercase_characters")),
                    require_lowercase_characters=bool(data.get("require_lowercase_characters")),
                    require_numbers=bool(data.get("require_numbers")),
                    require_symbols=bool(data.get("require_symbols")),
                    allow_users_to_change_password=bool(data.get("allow_users_to_change_password")),
                    max_password_age=_int_or_none(data.get("max_password_age")) if data.get("expire") else None,
                    password_reuse_prevention=_int_or_none(data.get("password_reuse_prevention")) if data.get("prevent_reuse") else None,
                    hard_expiry=bool(data.get("hard_expiry")) and bool(data.get("expire")),
                )
        except IAMError as error:
            context["error"] = str(error)
            context["form"] = data
        else:
            messages.success(request, "Password policy updated.")
            return redirect("credentials:account_settings")
    if "form" not in context:
        context["form"] = _policy_form(current)
    context["mode"] = context["form"].get("mode", "custom")
    return render(request, "credentials/password_policy_edit.html", context)


def _policy_form(policy: Any) -> dict[str, Any]:
    if policy is None:
        return {"mode": "default", "minimum_password_length": 8, "max_password_age": 90, "password_reuse_prevention": 5}
    form: dict[str, Any] = {"mode": "custom", "minimum_password_length": policy.minimum_password_length}
    for field in POLICY_FIELDS:
        form[field] = "on" if getattr(policy, field) else ""
    form["expire"] = "on" if policy.max_password_age else ""
    form["max_password_age"] = policy.max_password_age or 90
    form["prevent_reuse"] = "on" if policy.password_reuse_prevention else ""
    form["password_reuse_prevention"] = policy.password_reuse_prevention or 5
    return form


# -------------------------------------------------------------------- credential report


@require_GET
@principal_required
def credential_report(request: HttpRequest) -> HttpResponse:
    """Credential report: download, and the last report as a table."""
    caller = request.caller  # type: ignore[attr-defined]
    context: dict[str, Any] = {"nav": "credential_report", "columns": CREDENTIAL_REPORT_COLUMNS}
    try:
        report = services.get_credential_report(caller)
    except AccessDenied as error:
        context["denial"] = _denial(error)
    except IAMError:
        context["report"] = None
    else:
        header, rows = parse_report(report.content)
        context.update(report=report, columns=header, rows=rows,
                       fresh=policy_service.report_age(report) < policy_service.REPORT_MAX_AGE)
    return render(request, "credentials/credential_report.html", context)


@require_POST
@principal_required
def credential_report_generate(request: HttpRequest) -> HttpResponse:
    """Generate (at most every 4 hours) then get: the CSV as a download, or back to the table."""
    caller = request.caller  # type: ignore[attr-defined]
    try:
        state = services.generate_credential_report(caller)
        report = services.get_credential_report(caller)
    except IAMError as error:
        flash_error(request, "Failed to generate the credential report.", error)
        return redirect("credentials:credential_report")
    if request.POST.get("download"):
        response = HttpResponse(report.content, content_type="text/csv")
        stamp = report.generated.strftime("%Y-%m-%dT%H_%M_%S")
        response["Content-Disposition"] = f'attachment; filename="status_reports_{stamp}.csv"'
        return response
    if state == "COMPLETE":
        messages.info(request, "The credential report is less than 4 hours old; it was not regenerated.")
    else:
        messages.success(request, "Credential report generated.")
    return redirect("credentials:credential_report")


# ------------------------------------------------------------------- sign-in with MFA


def begin_mfa_sign_in(request: HttpRequest, user: User, next_url: str) -> HttpResponse:
    """After a correct password for a principal with MFA devices: remember who is half signed
    in (not yet logged in) and ask for a code."""
    request.session["mfa_pending"] = {"user": user.pk, "next": next_url, "at": timezone.now().isoformat()}
    return redirect("credentials:signin_mfa")


def _pending_user(request: HttpRequest) -> tuple[User | None, dict[str, Any]]:
    pending = request.session.get("mfa_pending") or {}
    started = pending.get("at")
    if not pending or not started or timezone.now() - datetime.fromisoformat(started) > MFA_STEP_TIMEOUT:
        return None, {}
    user = User.objects.select_related("account").filter(pk=pending.get("user"), is_active=True).first()
    return user, pending


@never_cache
@require_http_methods(["GET", "POST"])
def signin_mfa(request: HttpRequest) -> HttpResponse:
    """The MFA step: pick a device when there are several, enter its code. Wrong codes are
    throttled by django-otp (the wait doubles each time) and a code is never accepted twice."""
    from .views import complete_sign_in

    user, pending = _pending_user(request)
    if user is None:
        request.session.pop("mfa_pending", None)
        messages.error(request, "Your sign-in session expired. Sign in again.")
        return redirect("accounts:signin")
    devices = list(mfa.confirmed_devices(user))
    if not devices:
        request.session.pop("mfa_pending", None)
        return complete_sign_in(request, user)
    chosen_pk = request.POST.get("device") or request.GET.get("device") or str(devices[0].pk)
    device = next((d for d in devices if str(d.pk) == str(chosen_pk)), devices[0])
    error = ""
    if request.method == "POST":
        allowed, wait = mfa.verify_is_allowed(device)
        if not allowed:
            error = f"Too many invalid codes. Wait {wait} seconds, then try again. If your codes keep failing, resync your MFA device."
        elif device.verify_token(request.POST.get("code", "").strip()):
            request.session.pop("mfa_pending", None)
            request.POST = request.POST.copy()  # complete_sign_in reads `next` from the request
            request.POST["next"] = pending.get("next", "")
            return complete_sign_in(request, user, mfa_used=True)
        else:
            error = SIGNIN_FAILED
            services.record_console_login(
                user.account, user=user, success=False, source_ip=request.META.get("REMOTE_ADDR"),
                user_agent=request.META.get("HTTP_USER_AGENT", "")[:300], mfa_used=True,
                failure_reason="Failed authentication (MFA code)",
            )
    return render(request, "credentials/signin_mfa.html", {
        "devices": [{"device": d, "serial": mfa.serial_number(user.account.account_id, d.name)} for d in devices],
        "device": device, "error": error, "is_root": user.is_root,
        "who": user.email if user.is_root else user.name,
    })
