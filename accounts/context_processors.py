from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def console(request: HttpRequest) -> dict[str, Any]:
    """The signed-in principal and account for the console chrome (top bar, account menu)."""
    user: Any = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not getattr(user, "is_principal", False):
        return {"principal": None, "aws_account": None}
    return {"principal": user, "aws_account": user.account}
