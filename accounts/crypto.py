"""Encryption at rest of secret access keys.

Request signing (SigV4) needs the plain secret back, so the secret is encrypted, not hashed.
The key comes from the deployment, never from the code:

- `ACCESS_KEY_ENCRYPTION_KEY` (Django setting, else environment variable): any string; a
  Fernet key (32 url-safe base64 bytes) is used as is, anything else is stretched with HKDF.
  Several keys separated by commas allow rotation: the first encrypts, all decrypt.
- when unset: a key derived from SECRET_KEY with HKDF-SHA256 and a purpose label, so the
  ciphertexts do not share a key with Django's signing.

Changing SECRET_KEY without setting ACCESS_KEY_ENCRYPTION_KEY makes existing secrets
unreadable (the keys then have to be recreated, as after a leak on AWS).
"""

from __future__ import annotations

import base64
import binascii
import functools
import os

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

_PURPOSE = b"iamconsole access key secrets v1"


def _derive(material: str) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_PURPOSE)
    return base64.urlsafe_b64encode(hkdf.derive(material.encode()))


def _as_fernet_key(value: str) -> bytes:
    value = value.strip()
    try:
        if len(base64.urlsafe_b64decode(value.encode())) == 32:
            return value.encode()
    except (binascii.Error, ValueError):
        pass
    return _derive(value)


def configured_keys() -> list[str]:
    raw = getattr(settings, "ACCESS_KEY_ENCRYPTION_KEY", None) or os.environ.get("ACCESS_KEY_ENCRYPTION_KEY", "")
    return [part for part in raw.split(",") if part.strip()]


@functools.cache
def _fernet(keys: tuple[str, ...], secret_key: str) -> MultiFernet:
    material = [_as_fernet_key(key) for key in keys] or [_derive(secret_key)]
    return MultiFernet([Fernet(key) for key in material])


def fernet() -> MultiFernet:
    return _fernet(tuple(configured_keys()), settings.SECRET_KEY)


def encrypt_text(plain: str) -> str:
    return fernet().encrypt(plain.encode()).decode()


def decrypt_text(token: str) -> str:
    """The plain text; raises ValueError when the token was made with another key."""
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise ValueError("The secret cannot be decrypted with the configured key.") from error


def decrypt_secret(access_key) -> str:  # noqa: ANN001 - accounts.models.AccessKey
    """The plain secret access key of an AccessKey (for the SigV4 verifier)."""
    return decrypt_text(access_key.secret_encrypted)
