"""AWS's naming rules and quotas, with AWS's validation wording.

Patterns and lengths come from the IAM API model (botocore `iam/2010-05-08` shapes) and the
IAM quotas page (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html).
"""

from __future__ import annotations

import re

from .errors import ValidationError

USER_NAME_PATTERN = r"[\w+=,.@-]+"
ROLE_NAME_PATTERN = r"[\w+=,.@-]+"
GROUP_NAME_PATTERN = r"[\w+=,.@-]+"
POLICY_NAME_PATTERN = r"[\w+=,.@-]+"
PATH_PATTERN = r"(\u002F)|(\u002F[\u0021-\u007E]+\u002F)"
ACCOUNT_ALIAS_PATTERN = r"^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$"

# Quotas (defaults; reference_iam-quotas.html).
MAX_USERS_PER_ACCOUNT = 5000
MAX_GROUPS_PER_ACCOUNT = 300
MAX_ROLES_PER_ACCOUNT = 1000
MAX_CUSTOMER_POLICIES_PER_ACCOUNT = 1500
MAX_INSTANCE_PROFILES_PER_ACCOUNT = 1000
MAX_GROUPS_PER_USER = 10
MAX_MANAGED_POLICIES_PER_ENTITY = 10
MAX_POLICY_VERSIONS = 5
MAX_TAGS = 50
MAX_TAG_KEY = 128
MAX_TAG_VALUE = 256
MAX_ACCESS_KEYS_PER_USER = 2
MAX_MFA_DEVICES = 8


def constraint_error(value: object, field: str, constraint: str) -> ValidationError:
    """AWS's wording for a parameter that fails its API model constraint."""
    return ValidationError(f"1 validation error detected: Value '{value}' at '{field}' failed to satisfy constraint: {constraint}")


def check_length(value: str, field: str, minimum: int, maximum: int) -> None:
    if len(value) < minimum:
        raise constraint_error(value, field, f"Member must have length greater than or equal to {minimum}")
    if len(value) > maximum:
        raise constraint_error(value, field, f"Member must have length less than or equal to {maximum}")


def check_pattern(value: str, field: str, pattern: str) -> None:
    if not re.fullmatch(pattern, value):
        raise constraint_error(value, field, f"Member must satisfy regular expression pattern: {pattern}")


def check_name(value: str, field: str, maximum: int, pattern: str = USER_NAME_PATTERN) -> str:
    value = value or ""
    check_length(value, field, 1, maximum)
    check_pattern(value, field, pattern)
    return value


def check_path(value: str | None, field: str = "path") -> str:
    value = value or "/"
    check_length(value, field, 1, 512)
    check_pattern(value, field, PATH_PATTERN)
    return value


def check_account_alias(alias: str) -> str:
    check_length(alias, "accountAlias", 3, 63)
    check_pattern(alias, "accountAlias", ACCOUNT_ALIAS_PATTERN)
    if re.fullmatch(r"\d{12}", alias):
        # An all-digit 12-character alias would be indistinguishable from an account ID in
        # the sign-in URL.
        raise ValidationError("The account alias cannot be a 12-digit number.")
    return alias
