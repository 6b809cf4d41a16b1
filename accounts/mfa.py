"""Helpers around django-otp's TOTP devices: AWS serial numbers, QR codes, code pairs.

MFA devices are django-otp's own `TOTPDevice` (no home-made TOTP). A virtual MFA device is
"assigned" (enabled for a user, AWS's EnableMFADevice) when `confirmed` is true; an unconfirmed
device is a created but unassigned virtual device, held by the principal that created it.
The device's `name` is the AWS device name; its serial number is its ARN
`arn:aws:iam::ACCOUNT:mfa/NAME` (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_enable_virtual.html).
"""

from __future__ import annotations

import base64
import time
from typing import Any

import segno
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

# django-otp's tolerance is one step each way; a pair of codes may start one step earlier
# still (the learner read the first code, waited for the next, then submitted both).
PAIR_WINDOW = 2
# Resynchronisation looks further, as AWS's does for a device whose clock has drifted.
RESYNC_WINDOW = 20


def serial_number(account_id: str, name: str) -> str:
    return f"arn:aws:iam::{account_id}:mfa/{name}"


def device_name_from_serial(serial: str, account_id: str) -> str | None:
    """The device name a serial number (ARN) names in this account, or None."""
    prefix = f"arn:aws:iam::{account_id}:mfa/"
    if not serial.startswith(prefix):
        return None
    name = serial[len(prefix):]
    return name or None


def secret_base32(device: TOTPDevice) -> str:
    """The secret as authenticator apps take it for manual entry (base32, no padding)."""
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def qr_svg(device: TOTPDevice) -> SafeString:
    """The device's otpauth:// URI as an inline SVG QR code, rendered on the server (segno)."""
    qr = segno.make(device.config_url, error="m")
    svg = qr.svg_inline(scale=4, border=2, dark="#000000", light="#ffffff", omitsize=False)
    return mark_safe(svg)  # segno's own SVG markup, built from our URI


def _totp(device: TOTPDevice, at: float | None) -> TOTP:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() if at is None else at
    return totp


def _as_int(code: Any) -> int | None:
    code = str(code or "").strip()
    return int(code) if code.isdigit() else None


def find_consecutive_pair(device: TOTPDevice, code1: Any, code2: Any, *, window: int = PAIR_WINDOW,
                          at: float | None = None) -> int | None:
    """The time step t (relative drift included) at which code1 is the device's code and
    code2 the code of step t+1, searched `window` steps around now, never at or before the
    device's last accepted step (`last_t`, so no code is accepted twice). None when no pair matches."""
    first, second = _as_int(code1), _as_int(code2)
    if first is None or second is None:
        return None
    totp = _totp(device, at)
    base_drift = totp.drift
    # Nearest steps first, so the smallest drift that explains the pair wins.
    offsets = sorted(range(-window - 1, window + 1), key=abs)
    for offset in offsets:
        totp.drift = base_drift + offset
        t = totp.t()
        if t <= device.last_t:
            continue
        if totp.token() != first:
            continue
        totp.drift = base_drift + offset + 1
        if totp.token() == second:
            return t
    return None


def accept_pair(device: TOTPDevice, t: int, *, at: float | None = None) -> None:
    """Record that the codes of steps t and t+1 were used: later codes must be newer, and the
    device's drift becomes what the pair showed (django-otp's own fields)."""
    current = _totp(device, at)
    current.drift = 0
    device.last_t = t + 1
    device.drift = (t + 1) - current.t()
    device.throttle_reset(commit=False)


def verify_is_allowed(device: TOTPDevice) -> tuple[bool, int]:
    """Whether django-otp's throttling lets this device verify now, and the seconds to wait."""
    allowed, info = device.verify_is_allowed()
    if allowed:
        return True, 0
    locked_until = (info or {}).get("locked_until")
    if locked_until is None:
        return False, 1
    return False, max(1, int((locked_until - timezone.now()).total_seconds()) + 1)


def confirmed_devices(user: Any):
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("created_at", "id")


def hex_key_from_base32(secret: str) -> bytes:
    """For tests and tools: the raw key of a base32 secret as shown for manual entry."""
    padded = secret + "=" * (-len(secret) % 8)
    return base64.b32decode(padded)
