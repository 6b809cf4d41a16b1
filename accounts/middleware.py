from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

# Pages a user who must change their password may still reach.
_ALLOWED_PREFIXES = ("/signin", "/signout", "/static/", "/admin/")


class PasswordResetRequiredMiddleware:
    """An IAM user whose password must be reset sees the change-password page before anything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user: Any = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(user, "password_reset_required", False):
            target = reverse("accounts:password_change_required")
            if request.path != target and not request.path.startswith(_ALLOWED_PREFIXES):
                return redirect(target)
        return self.get_response(request)
