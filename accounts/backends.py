"""Authentication of root users (email) and IAM users (account + user name)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import BaseBackend

from .models import User


class PrincipalBackend(BaseBackend):
    """Authenticates AWS principals; the operator signs in to /admin/ through ModelBackend."""

    def authenticate(
        self,
        request: Any,
        *,
        login: str | None = None,
        principal_password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if login is None or principal_password is None:
            return None
        user = User.objects.select_related("account").filter(login=login).exclude(kind=User.Kind.OPERATOR).first()
        if user is None:
            # Hash anyway so an unknown name takes as long as a wrong password.
            User().set_password(principal_password)
            return None
        if not user.is_active or not user.has_usable_password() or not user.check_password(principal_password):
            return None
        return user

    def get_user(self, user_id: int) -> User | None:
        return User.objects.select_related("account").filter(pk=user_id, is_active=True).first()

