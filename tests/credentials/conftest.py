"""Fixtures and helpers for the security credentials tests: real TOTP codes computed from a
device's key with django-otp's own `totp`, as an authenticator app would."""

from __future__ import annotations

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import mfa, services
from accounts.principal import Caller


def code(key: bytes, offset: int = 0) -> str:
    """The 6-digit code an authenticator shows `offset` steps from now."""
    return f"{totp(key, drift=offset):06d}"


def pair(key: bytes, offset: int = -1) -> tuple[str, str]:
    """Two consecutive codes as a learner types them: the previous code, then the current one
    (offset -1); the device's next sign-in code is then `code(key, 1)`."""
    return code(key, offset), code(key, offset + 1)


def enrol(caller: Caller, name: str, user_name: str | None = None) -> TOTPDevice:
    """Create and enable a virtual MFA device the way the console does."""
    device = services.create_virtual_mfa_device(caller, name)
    first, second = pair(device.bin_key)
    return services.enable_mfa_device(caller, user_name, mfa.serial_number(caller.account.account_id, name), first, second)


@pytest.fixture
def admin_policy() -> dict:
    return {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
