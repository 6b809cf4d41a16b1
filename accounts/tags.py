"""Tags on IAM entities (users, roles, policies, providers...): one rule set, AWS's wording.

https://docs.aws.amazon.com/IAM/latest/UserGuide/id_tags.html#id_tags_rules_creating
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from . import rules
from .errors import InvalidInput

# botocore's TagKeyType / TagValueType patterns (\p{L}\p{Z}\p{N}_.:/=+\-@), in Python's terms.
TAG_KEY_PATTERN = r"[\w\s.:/=+\-@]+"
TAG_VALUE_PATTERN = r"[\w\s.:/=+\-@]*"
TAG_KEY_PATTERN_AWS = r"[\p{L}\p{Z}\p{N}_.:/=+\-@]+"
TAG_VALUE_PATTERN_AWS = r"[\p{L}\p{Z}\p{N}_.:/=+\-@]*"


def tag_context(tags: Sequence[Mapping[str, str]]) -> dict[str, Any]:
    """aws:RequestTag/<key> per tag and aws:TagKeys (multi-valued) for a tagging request."""
    if not tags:
        return {}
    context: dict[str, Any] = {f"aws:RequestTag/{tag['Key']}": tag["Value"] for tag in tags}
    context["aws:TagKeys"] = [tag["Key"] for tag in tags]
    return context


def validate_tags(tags: Iterable[Mapping[str, Any]] | Mapping[str, str] | None, field_name: str = "tags") -> list[dict[str, str]]:
    """AWS's Tag constraints: at most 50, key 1-128 characters, value 0-256, botocore's
    patterns, no duplicate keys (case-insensitive), no `aws:` prefix (reserved for AWS).
    Accepts [{"Key", "Value"}, ...] or a {key: value} mapping; returns the list form."""
    if isinstance(tags, Mapping):
        tags = [{"Key": key, "Value": value} for key, value in tags.items()]
    cleaned = [{"Key": str(tag.get("Key", "")), "Value": str(tag.get("Value", "") or "")} for tag in (tags or [])]
    if len(cleaned) > rules.MAX_TAGS:
        raise rules.constraint_error(cleaned, field_name, f"Member must have length less than or equal to {rules.MAX_TAGS}")
    seen: set[str] = set()
    for number, tag in enumerate(cleaned, start=1):
        key_field, value_field = f"{field_name}.{number}.member.key", f"{field_name}.{number}.member.value"
        rules.check_length(tag["Key"], key_field, 1, rules.MAX_TAG_KEY)
        if not re.fullmatch(TAG_KEY_PATTERN, tag["Key"]):
            raise rules.constraint_error(tag["Key"], key_field, f"Member must satisfy regular expression pattern: {TAG_KEY_PATTERN_AWS}")
        rules.check_length(tag["Value"], value_field, 0, rules.MAX_TAG_VALUE)
        if not re.fullmatch(TAG_VALUE_PATTERN, tag["Value"]):
            raise rules.constraint_error(tag["Value"], value_field, f"Member must satisfy regular expression pattern: {TAG_VALUE_PATTERN_AWS}")
        if tag["Key"].lower().startswith("aws:"):
            raise InvalidInput("Tag keys starting with 'aws:' are reserved for internal use.")
        if tag["Key"].lower() in seen:
            raise InvalidInput("Duplicate tag keys found. Please note that Tag keys are case insensitive.")
        seen.add(tag["Key"].lower())
    return cleaned
