"""Request helpers shared by the console's views."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from .errors import AccessDenied, IAMError
from .principal import Caller


class ConsoleRequest(HttpRequest):
    caller: Caller
    htmx: Any


def principal_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Only a signed-in root or IAM user reaches the console; `request.caller` is their Caller."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user: Any = request.user
        if not user.is_authenticated or not getattr(user, "is_principal", False):
            return redirect(f"{reverse('accounts:signin')}?next={request.get_full_path()}")
        request.caller = Caller.from_request(request)  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return wrapper


def flash_error(request: HttpRequest, title: str, error: IAMError) -> None:
    """A red flash bar: the title, then AWS's code and message."""
    messages.error(request, f"{title}\n{error}", extra_tags="iam-error")
    if isinstance(error, AccessDenied) and error.decision is not None:
        request.session["last_denial"] = {
            "message": error.message,
            "action": error.details.get("action", ""),
            "resource": error.details.get("resource", ""),
            "decision": error.decision.to_dict(),
        }
