from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

# Pages a user who must change their password may still reach.
_ALLOWED_PREFIXES = ("/signin", "/signout", "/static/", "/admin/")


class PasswordResetRequiredMiddleware:
    """An IAM user whose password must be reset sees the change-password page before anything else.

    A password that expires during a console session (the account password policy's
    expiration, noted in the session at sign-in so this costs no query) is treated as at
    sign-in: change it now, or, with "expiration requires administrator reset", the session ends.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user: Any = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(user, "is_iam_user", False):
            response = self._expired(request, user)
            if response is not None:
                return response
        if user is not None and user.is_authenticated and getattr(user, "password_reset_required", False):
            target = reverse("accounts:password_change_required")
            if request.path != target and not request.path.startswith(_ALLOWED_PREFIXES):
                return redirect(target)
        return self.get_response(request)

    def _expired(self, request: HttpRequest, user: Any) -> HttpResponse | None:
        noted = request.session.get("password_expires_at")
        if not noted or datetime.fromisoformat(noted) > timezone.now():
            return None
        # The note may be stale (the password was changed since): ask the database.
        from .passwords import EffectivePolicy, password_expires_at

        policy = EffectivePolicy.for_account(user.account)
        expires = password_expires_at(user, policy)
        if expires is None or expires > timezone.now():
            if expires is None:
                request.session.pop("password_expires_at", None)
            else:
                request.session["password_expires_at"] = expires.isoformat()
            return None
        if policy.hard_expiry:
            logout(request)
            messages.error(request, "Your password has expired. Contact your administrator to reset it.")
            return redirect("accounts:signin")
        if not user.password_reset_required:
            user.password_reset_required = True
            user.save(update_fields=["password_reset_required"])
        return None
