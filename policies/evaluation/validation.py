"""Policy validation for the editor: findings in the style of IAM Access Analyzer.

Implements a subset of "IAM policy validation check reference"
(https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html):
each finding has Access Analyzer's issue code (``MISSING_EFFECT``), finding type
(``ERROR``, ``SECURITY_WARNING``, ``WARNING``, ``SUGGESTION``), its message wording with the
blanks filled in, and where it is: a path (``Statement[0].Action[1]``) and the 1-based line and
column of the offending JSON token in the text as typed.

The document goes through the engine's own parser (:func:`parse_policy`), so the editor can
never accept a policy that the engine cannot evaluate: if the parser rejects it and no check
below already reported an error, its message becomes a ``MALFORMED_POLICY_DOCUMENT`` error.

Policy types (``policy_type``), and the character quota checked for one document
("IAM and AWS STS quotas", https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html):

============== ================================================== ======================
``identity``   customer managed policy                            6,144
``boundary``   managed policy used as a permissions boundary      6,144
``inline_user`` inline policy of a user (quota is the aggregate)  2,048 (all inline)
``inline_group`` inline policy of a group (aggregate)             5,120 (all inline)
``inline_role`` inline policy of a role (aggregate)               10,240 (all inline)
``trust``      role trust policy                                  2,048
``session``    session policy passed to AssumeRole & co           2,048
``scp``        AWS Organizations service control policy           5,120
``resource``   resource-based policy (bucket policy, key policy)  not checked here
============== ================================================== ======================

Whitespace is not counted (:func:`policy_size`). Inline quotas apply to the sum of all inline
policies of one identity: the Django side checks them with :func:`check_aggregate_size`.

Deliberate differences from Access Analyzer, for a console where errors block saving:

- a size over the quota is an ``ERROR`` (Access Analyzer calls the identity one a general
  warning, but IAM refuses to save it with ``LimitExceeded``);
- ``ALLOW_WITH_NOT_ACTION`` and ``ALLOW_WITH_NOT_RESOURCE`` are security warnings of our own,
  from the cautions on the NotAction and NotResource pages of the IAM User Guide;
- ``INVALID_PRINCIPAL`` and ``DUPLICATE_KEY`` are ours too; the SCP checks that predate
  SCPs' support of the full IAM policy language (Condition, Resource and NotAction with Allow,
  NotResource, wildcards inside actions) are not reported;
- checks that need AWS's catalog of services, actions and condition keys (invalid action,
  invalid service, condition key types of services) run only when a ``catalog`` is passed:
  this module does no I/O.

Pure Python: no Django, no I/O, no clock.
"""

from __future__ import annotations

import base64
import binascii
import difflib
import ipaddress
import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Protocol

from .conditions import parse_operator
from .jsonpos import JsonPath, PositionIndex, format_path, index_positions, line_column
from .parser import PolicyParseError, find_constant, parse_policy, type_name

__all__ = [
    "ERROR",
    "SECURITY_WARNING",
    "WARNING",
    "SUGGESTION",
    "SEVERITIES",
    "POLICY_TYPES",
    "SIZE_LIMITS",
    "MANAGED_POLICY_MAX_SIZE",
    "INLINE_USER_POLICIES_MAX_SIZE",
    "INLINE_GROUP_POLICIES_MAX_SIZE",
    "INLINE_ROLE_POLICIES_MAX_SIZE",
    "TRUST_POLICY_MAX_SIZE",
    "SESSION_POLICY_MAX_SIZE",
    "SCP_MAX_SIZE",
    "ActionCatalog",
    "StaticCatalog",
    "Finding",
    "Location",
    "check_aggregate_size",
    "has_errors",
    "policy_size",
    "validate_policy",
]

# ------------------------------------------------------------------ finding types

ERROR = "ERROR"
SECURITY_WARNING = "SECURITY_WARNING"
WARNING = "WARNING"
SUGGESTION = "SUGGESTION"
# Access Analyzer's ValidatePolicy findingType values, most severe first.
SEVERITIES = (ERROR, SECURITY_WARNING, WARNING, SUGGESTION)
_RANK = {s: i for i, s in enumerate(SEVERITIES)}

# ------------------------------------------------------------------ quotas

MANAGED_POLICY_MAX_SIZE = 6144
INLINE_USER_POLICIES_MAX_SIZE = 2048
INLINE_GROUP_POLICIES_MAX_SIZE = 5120
INLINE_ROLE_POLICIES_MAX_SIZE = 10240
TRUST_POLICY_MAX_SIZE = 2048
SESSION_POLICY_MAX_SIZE = 2048
SCP_MAX_SIZE = 5120

POLICY_TYPES: dict[str, str] = {
    "identity": "customer managed policy",
    "boundary": "permissions boundary",
    "inline_user": "user inline policy",
    "inline_group": "group inline policy",
    "inline_role": "role inline policy",
    "trust": "role trust policy",
    "session": "session policy",
    "scp": "service control policy",
    "resource": "resource-based policy",
}

SIZE_LIMITS: dict[str, int] = {
    "identity": MANAGED_POLICY_MAX_SIZE,
    "boundary": MANAGED_POLICY_MAX_SIZE,
    "inline_user": INLINE_USER_POLICIES_MAX_SIZE,
    "inline_group": INLINE_GROUP_POLICIES_MAX_SIZE,
    "inline_role": INLINE_ROLE_POLICIES_MAX_SIZE,
    "trust": TRUST_POLICY_MAX_SIZE,
    "session": SESSION_POLICY_MAX_SIZE,
    "scp": SCP_MAX_SIZE,
}

_IDENTITY_TYPES = frozenset({"identity", "boundary", "inline_user", "inline_group", "inline_role", "session"})
_PRINCIPAL_TYPES = frozenset({"trust", "resource"})
# IAM itself stores these documents and insists on unique, alphanumeric Sids.
_IAM_STORED_TYPES = frozenset({"identity", "boundary", "inline_user", "inline_group", "inline_role", "trust"})
# IAM's and STS's PolicyDocument parameters accept only these characters
# (pattern [\u0009\u000A\u000D\u0020-\u00FF]+ in CreatePolicy, PutUserPolicy, AssumeRole, ...).
_LATIN1_TYPES = _IAM_STORED_TYPES | {"session"}
_UNSUPPORTED_CHARACTER = re.compile(r"[^\t\n\r\u0020-\u00ff]")

_DOC = "https://docs.aws.amazon.com/IAM/latest/UserGuide/"
_CHECKS_PAGE = _DOC + "access-analyzer-reference-policy-checks.html"


def _aa(anchor: str) -> str:
    return f"{_CHECKS_PAGE}#access-analyzer-reference-policy-checks-{anchor}"


# code -> (finding type, documentation page of the check)
CHECKS: dict[str, tuple[str, str]] = {
    # errors
    "JSON_SYNTAX_ERROR": (ERROR, _aa("error-json-syntax-error")),
    "DATA_TYPE_MISMATCH": (ERROR, _aa("error-data-type-mismatch")),
    "DUPLICATE_KEYS_WITH_DIFFERENT_CASE": (ERROR, _aa("error-duplicate-keys-with-different-case")),
    "INVALID_ACTION": (ERROR, _aa("error-invalid-action")),
    "INVALID_ARN_ACCOUNT": (ERROR, _aa("error-invalid-arn-account")),
    "INVALID_ARN_PREFIX": (ERROR, _aa("error-invalid-arn-prefix")),
    "INVALID_ARN_RESOURCE": (ERROR, _aa("error-invalid-arn-resource")),
    "INVALID_ARN_SERVICE_CASE": (ERROR, _aa("error-invalid-arn-service-case")),
    "ARN_ACCOUNT_NOT_ALLOWED": (ERROR, _aa("error-arn-account-not-allowed")),
    "ARN_REGION_NOT_ALLOWED": (ERROR, _aa("error-arn-region-not-allowed")),
    "INVALID_CONDITION_KEY_FORMAT": (ERROR, _aa("error-invalid-condition-key-format")),
    "INVALID_CONDITION_MULTIPLE_BOOLEAN": (ERROR, _aa("error-invalid-condition-multiple-boolean")),
    "INVALID_CONDITION_OPERATOR": (ERROR, _aa("error-invalid-condition-operator")),
    "INVALID_EFFECT": (ERROR, _aa("error-invalid-effect")),
    "INVALID_PARTITION": (ERROR, _aa("error-invalid-partition")),
    "INVALID_POLICY_ELEMENT": (ERROR, _aa("error-invalid-policy-element")),
    "INVALID_PRINCIPAL_FORMAT": (ERROR, _aa("error-invalid-principal-format")),
    "INVALID_PRINCIPAL_KEY": (ERROR, _aa("error-invalid-principal-key")),
    "INVALID_PRINCIPAL": (ERROR, _DOC + "reference_policies_elements_principal.html"),
    "INVALID_SERVICE_IN_ACTION": (ERROR, _aa("error-invalid-service-in-action")),
    "INVALID_VARIABLE_FOR_OPERATOR": (ERROR, _aa("error-invalid-variable-for-operator")),
    "INVALID_VERSION": (ERROR, _aa("error-invalid-version")),
    "MISSING_ACTION": (ERROR, _aa("error-missing-action")),
    "MISSING_ARN_FIELD": (ERROR, _aa("error-missing-arn-field")),
    "MISSING_EFFECT": (ERROR, _aa("error-missing-effect")),
    "MISSING_PRINCIPAL": (ERROR, _aa("error-missing-principal")),
    "MISSING_QUALIFIER": (ERROR, _aa("error-missing-qualifier")),
    "MISSING_RESOURCE": (ERROR, _aa("error-missing-resource")),
    "MISSING_STATEMENT": (ERROR, _aa("error-missing-statement")),
    "MISSING_TAG_KEY_IN_CONDITION": (ERROR, _aa("error-missing-tag-key-in-condition")),
    "NULL_WITH_IF_EXISTS": (ERROR, _aa("error-null-with-if-exists")),
    "SCP_SYNTAX_ERROR_PRINCIPAL": (ERROR, _aa("error-scp-syntax-error-principal")),
    "UNIQUE_SIDS_REQUIRED": (ERROR, _aa("error-unique-sids-required")),
    "UNSUPPORTED_ELEMENT_COMBINATION": (ERROR, _aa("error-unsupported-element-combination")),
    "UNSUPPORTED_GLOBAL_CONDITION_KEY": (ERROR, _aa("error-unsupported-global-condition-key")),
    "UNSUPPORTED_PRINCIPAL": (ERROR, _aa("error-unsupported-principal")),
    "UNSUPPORTED_SID": (ERROR, _aa("error-unsupported-sid")),
    "UNSUPPORTED_WILDCARD_IN_PRINCIPAL": (ERROR, _aa("error-unsupported-wildcard-in-principal")),
    "MISSING_BRACE_IN_VARIABLE": (ERROR, _aa("error-missing-brace-in-variable")),
    "MISSING_QUOTE_IN_VARIABLE": (ERROR, _aa("error-missing-quote-in-variable")),
    "UNSUPPORTED_SPACE_IN_VARIABLE": (ERROR, _aa("error-unsupported-space-in-variable")),
    "EMPTY_VARIABLE": (ERROR, _aa("error-empty-variable")),
    "VARIABLE_UNSUPPORTED_IN_ELEMENT": (ERROR, _aa("error-variable-unsupported-in-element")),
    "VARIABLE_UNSUPPORTED_IN_VERSION": (ERROR, _aa("error-variable-unsupported-in-version")),
    "PRIVATE_IP_ADDRESS": (ERROR, _aa("error-private-ip-address")),
    "PRIVATE_NOT_IP_ADDRESS": (ERROR, _aa("error-private-not-ip-address")),
    "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA": (ERROR, _aa("general-warning-policy-size-exceeds-identity-policy-quota")),
    "POLICY_SIZE_EXCEEDS_SCP_QUOTA": (ERROR, _aa("error-policy-size-exceeds-scp-quota")),
    "POLICY_SIZE_EXCEEDS_ROLE_TRUST_POLICY_QUOTA": (ERROR, _DOC + "reference_iam-quotas.html"),
    "POLICY_SIZE_EXCEEDS_SESSION_POLICY_QUOTA": (ERROR, _DOC + "reference_iam-quotas.html"),
    "MALFORMED_POLICY_DOCUMENT": (ERROR, _DOC + "reference_policies_grammar.html"),
    "UNSUPPORTED_CHARACTER": (ERROR, "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreatePolicy.html"),
    # security warnings
    "ALLOW_WITH_NOT_ACTION": (SECURITY_WARNING, _DOC + "reference_policies_elements_notaction.html"),
    "ALLOW_WITH_NOT_RESOURCE": (SECURITY_WARNING, _DOC + "reference_policies_elements_notresource.html"),
    "ALLOW_WITH_NOT_PRINCIPAL": (SECURITY_WARNING, _aa("security-warning-allow-with-not-principal")),
    "FORALLVALUES_WITH_SINGLE_VALUED_KEY": (SECURITY_WARNING, _aa("security-warning-forallvalues-with-single-valued-key")),
    "PASS_ROLE_WITH_NOT_RESOURCE": (SECURITY_WARNING, _aa("security-warning-pass-role-with-not-resource")),
    "PASS_ROLE_WITH_STAR_IN_ACTION_AND_NOT_RESOURCE": (SECURITY_WARNING, _aa("security-warning-pass-role-with-star-in-action-and-not-resource")),
    "PASS_ROLE_WITH_NOT_ACTION_AND_NOT_RESOURCE": (SECURITY_WARNING, _aa("security-warning-pass-role-with-not-action-and-not-resource")),
    "PASS_ROLE_WITH_STAR_IN_RESOURCE": (SECURITY_WARNING, _aa("security-warning-pass-role-with-star-in-resource")),
    "PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE": (SECURITY_WARNING, _aa("security-warning-pass-role-with-star-in-action-and-resource")),
    "PASS_ROLE_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION": (SECURITY_WARNING, _aa("security-warning-pass-role-with-star-in-resource-and-not-action")),
    # general warnings
    "CREATE_SLR_WITH_NOT_RESOURCE": (WARNING, _aa("general-warning-create-slr-with-not-resource")),
    "CREATE_SLR_WITH_STAR_IN_ACTION_AND_NOT_RESOURCE": (WARNING, _aa("general-warning-create-slr-with-star-in-action-and-not-resource")),
    "CREATE_SLR_WITH_NOT_ACTION_AND_NOT_RESOURCE": (WARNING, _aa("general-warning-create-slr-with-not-action-and-not-resource")),
    "CREATE_SLR_WITH_STAR_IN_RESOURCE": (WARNING, _aa("general-warning-create-slr-with-star-in-resource")),
    "CREATE_SLR_WITH_STAR_IN_ACTION_AND_RESOURCE": (WARNING, _aa("general-warning-create-slr-with-star-in-action-and-resource")),
    "CREATE_SLR_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION": (WARNING, _aa("general-warning-create-slr-with-star-in-resource-and-not-action")),
    "DUPLICATE_KEY": (WARNING, _DOC + "reference_policies_grammar.html"),
    "INVALID_DATE_VALUE": (WARNING, _aa("general-warning-invalid-date-value")),
    "INVALID_ROLE_REFERENCE": (WARNING, _aa("general-warning-invalid-role-reference")),
    "INVALID_USER_REFERENCE": (WARNING, _aa("general-warning-invalid-user-reference")),
    "MISSING_VERSION": (WARNING, _aa("general-warning-missing-version")),
    "UNIQUE_SIDS_RECOMMENDED": (WARNING, _aa("general-warning-unique-sids-recommended")),
    "WILDCARD_WITHOUT_LIKE_OPERATOR": (WARNING, _aa("general-warning-wildcard-without-like-operator")),
    "TYPE_MISMATCH": (WARNING, _aa("general-warning-type-mismatch")),
    "TYPE_MISMATCH_BOOLEAN": (WARNING, _aa("general-warning-type-mismatch-boolean")),
    "TYPE_MISMATCH_DATE": (WARNING, _aa("general-warning-type-mismatch-date")),
    "TYPE_MISMATCH_IP_RANGE": (WARNING, _aa("general-warning-type-mismatch-ip-range")),
    "TYPE_MISMATCH_NUMBER": (WARNING, _aa("general-warning-type-mismatch-number")),
    "TYPE_MISMATCH_STRING": (WARNING, _aa("general-warning-type-mismatch-string")),
    # suggestions
    "EMPTY_ARRAY_ACTION": (SUGGESTION, _aa("suggestion-empty-array-action")),
    "EMPTY_ARRAY_CONDITION": (SUGGESTION, _aa("suggestion-empty-array-condition")),
    "EMPTY_ARRAY_CONDITION_FORALLVALUES": (SUGGESTION, _aa("suggestion-empty-array-condition-forallvalues")),
    "EMPTY_ARRAY_CONDITION_FORANYVALUE": (SUGGESTION, _aa("suggestion-empty-array-condition-foranyvalue")),
    "EMPTY_ARRAY_CONDITION_IFEXISTS": (SUGGESTION, _aa("suggestion-empty-array-condition-ifexists")),
    "EMPTY_ARRAY_PRINCIPAL": (SUGGESTION, _aa("suggestion-empty-array-principal")),
    "EMPTY_ARRAY_RESOURCE": (SUGGESTION, _aa("suggestion-empty-array-resource")),
    "EMPTY_OBJECT_CONDITION": (SUGGESTION, _aa("suggestion-empty-object-condition")),
    "EMPTY_OBJECT_PRINCIPAL": (SUGGESTION, _aa("suggestion-empty-object-principal")),
    "EMPTY_SID_VALUE": (SUGGESTION, _aa("suggestion-empty-sid-value")),
    "IMPROVE_IP_RANGE": (SUGGESTION, _aa("suggestion-improve-ip-range")),
    "NULL_WITH_QUALIFIER": (SUGGESTION, _aa("suggestion-null-with-qualifier")),
    "PRIVATE_IP_ADDRESS_SUBSET": (SUGGESTION, _aa("suggestion-private-ip-address-subset")),
    "PRIVATE_NOT_IP_ADDRESS_SUBSET": (SUGGESTION, _aa("suggestion-private-not-ip-address-subset")),
    "REDUNDANT_ACTION": (SUGGESTION, _aa("suggestion-redundant-action")),
    "REDUNDANT_RESOURCE": (SUGGESTION, _aa("suggestion-redundant-resource")),
    "REDUNDANT_STATEMENT": (SUGGESTION, _aa("suggestion-redundant-statement")),
    "WILDCARD_IN_SERVICE_NAME": (SUGGESTION, _aa("suggestion-wildcard-in-service-name")),
}


# ------------------------------------------------------------------ public types


@dataclass(frozen=True, slots=True)
class Location:
    """Where a finding points: the JSON path as the engine names it
    (``Statement[0].Action[1]``; ``""`` for the whole document) and the 1-based line and column
    (in characters) of the offending token in the original text."""

    path: str
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class Finding:
    """One validation finding. `severity` is Access Analyzer's findingType."""

    code: str
    severity: str
    message: str
    location: Location
    learn_more: str = ""

    @property
    def path(self) -> str:
        return self.location.path

    @property
    def line(self) -> int:
        return self.location.line

    @property
    def column(self) -> int:
        return self.location.column

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def to_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "path": self.location.path,
            "line": self.location.line,
            "column": self.location.column,
            "learn_more": self.learn_more,
        }


class ActionCatalog(Protocol):
    """What validation needs to know about AWS's services and actions (the Django side
    adapts the catalog; see :class:`StaticCatalog` for a plain one). Names are compared
    case-insensitively."""

    def service_exists(self, service: str) -> bool: ...

    def actions_for_service(self, service: str) -> Iterable[str]: ...


class StaticCatalog:
    """An :class:`ActionCatalog` over a mapping ``{service prefix: [action names]}``."""

    def __init__(self, actions: Mapping[str, Iterable[str]]):
        self._actions = {s.lower(): tuple(a) for s, a in actions.items()}

    def service_exists(self, service: str) -> bool:
        return service.lower() in self._actions

    def actions_for_service(self, service: str) -> Iterable[str]:
        return self._actions.get(service.lower(), ())


# ------------------------------------------------------------------ public functions


_WHITESPACE_CHARS = frozenset(" \t\n\r")


def policy_size(text: str) -> int:
    """The size IAM counts against its quotas: characters, whitespace not counted
    ("IAM and AWS STS character quotas": "IAM does not count white space")."""
    return sum(1 for ch in text if ch not in _WHITESPACE_CHARS)


def has_errors(findings: Iterable[Finding]) -> bool:
    """True when a finding blocks saving (finding type ``ERROR``)."""
    return any(f.severity == ERROR for f in findings)


def check_aggregate_size(texts: Iterable[str], policy_type: str) -> list[Finding]:
    """The quota on the sum of an identity's inline policies (``inline_user``,
    ``inline_group``, ``inline_role``): one ``ERROR`` finding if ``texts`` together exceed it."""
    limit = SIZE_LIMITS.get(policy_type)
    if limit is None:
        return []
    total = sum(policy_size(t) for t in texts)
    if total <= limit:
        return []
    kind = POLICY_TYPES[policy_type]
    return [
        _make(
            "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA",
            f"The characters in the identity policy, excluding whitespace, exceed the character "
            f"maximum for inline and managed policies: the {kind}s of this identity total {total:,} "
            f"characters, the maximum is {limit:,}. We recommend that you use multiple granular policies.",
            Location("", 1, 1),
        )
    ]


def validate_policy(
    text: str | bytes, policy_type: str = "identity", *, catalog: ActionCatalog | None = None
) -> list[Finding]:
    """Check a policy document as the IAM console's policy editor does with IAM Access Analyzer's
    ValidatePolicy ("IAM policy validation check reference"), plus the character quotas of
    "IAM and AWS STS quotas". Returns the findings ordered by position; errors
    (:func:`has_errors`) mean the policy cannot be saved."""
    if policy_type not in POLICY_TYPES:
        raise ValueError(f"unknown policy type {policy_type!r}; expected one of {', '.join(POLICY_TYPES)}")
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            return [_make("JSON_SYNTAX_ERROR", f"Fix the JSON syntax error: the text is not valid UTF-8 ({exc.reason}).", Location("", 1, 1))]
    if not isinstance(text, str):
        raise TypeError(f"a policy is JSON text, not {type(text).__name__}")
    return _Validator(text, policy_type, catalog).run()


# ------------------------------------------------------------------ helpers


def _make(code: str, message: str, location: Location) -> Finding:
    severity, doc = CHECKS[code]
    return Finding(code, severity, message, location, doc)




class _Constant(ValueError):
    pass


def _reject_constant(name: str) -> object:
    raise _Constant(name)


_ACTION = re.compile(r"^([^:]+):([^:]+)$")
_SERVICE_PREFIX = re.compile(r"^[a-z0-9*?][a-z0-9*?-]*$", re.IGNORECASE)
_ACTION_NAME = re.compile(r"^[A-Za-z0-9*?_-]+$")
_ACCOUNT_ID = re.compile(r"^\d{12}$")
_SID = re.compile(r"^[A-Za-z0-9]*$")
_PARTITIONS = frozenset({"aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"})
_PRINCIPAL_KEYS = ("AWS", "CanonicalUser", "Federated", "Service")
_SERVICE_PRINCIPAL = re.compile(r"^[a-z0-9][a-z0-9.-]*\.(amazonaws\.com(\.cn)?|amazon\.com)$")
_UNIQUE_ID = re.compile(r"^(AIDA|AROA)[A-Z0-9]{12,}$")
_VARIABLE_START = "${"
_SPECIAL_VARIABLES = frozenset({"*", "?", "$"})
_DEFAULT_VARIABLE = re.compile(r"^([^,\s]+)\s*,\s*(.*)$", re.DOTALL)
# S3 resource types whose ARNs carry a Region and an account (buckets and objects do not).
_S3_ACCOUNT_RESOURCES = ("accesspoint/", "job/", "storage-lens/", "storage-lens-group/", "async-request/",
                         "access-grants/", "outpost/", "accessgrantsinstance", "multi-region-access-point")

_STRING_OPS = frozenset({"StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase"})
_LIKE_OPS = frozenset({"StringLike", "StringNotLike"})
_ARN_OPS = frozenset({"ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike"})
_NUMERIC_OPS = frozenset({"NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals",
                          "NumericGreaterThan", "NumericGreaterThanEquals"})
_DATE_OPS = frozenset({"DateEquals", "DateNotEquals", "DateLessThan", "DateLessThanEquals",
                       "DateGreaterThan", "DateGreaterThanEquals"})
_IP_OPS = frozenset({"IpAddress", "NotIpAddress"})

# Global condition keys with a non-string type, and the operator families AWS expects for them
# ("AWS global condition context keys"). Tag keys and the rest are strings.
_KEY_TYPES: dict[str, str] = {
    "aws:multifactorauthpresent": "Bool",
    "aws:securetransport": "Bool",
    "aws:viaawsservice": "Bool",
    "aws:principalisawsservice": "Bool",
    "aws:currenttime": "Date",
    "aws:tokenissuetime": "Date",
    "aws:epochtime": "DateOrNumeric",
    "aws:multifactorauthage": "Numeric",
    "aws:sourceip": "IpAddress",
    "aws:vpcsourceip": "IpAddress",
}
_OPS_FOR_TYPE: dict[str, frozenset[str]] = {
    "Bool": frozenset({"Bool"}),
    "Date": _DATE_OPS,
    "Numeric": _NUMERIC_OPS,
    "DateOrNumeric": _DATE_OPS | _NUMERIC_OPS,
    "IpAddress": _IP_OPS,
}
_SUGGESTED_OP = {"Bool": "Bool", "Date": "Date", "Numeric": "Numeric", "DateOrNumeric": "Date", "IpAddress": "IpAddress"}

# Multivalued global keys ("Single-valued vs. multivalued context keys"); every other global key
# is single-valued.
_MULTIVALUED_GLOBAL_KEYS = frozenset({
    "aws:tagkeys", "aws:calledvia", "aws:principalorgpaths", "aws:principalservicenameslist",
    "aws:resourceorgpaths", "aws:sourceorgpaths",
})


# Address ranges that never reach AWS as a public source IP (RFC 1918, loopback, link-local,
# unique local). Python's ``is_private`` also counts documentation ranges such as 203.0.113.0/24,
# which AWS's own examples use as public addresses, so the list is explicit.
_PRIVATE_NETWORKS = tuple(ipaddress.ip_network(n) for n in (
    "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8", "169.254.0.0/16",
    "fc00::/7", "fe80::/10", "::1/128",
))


def _is_private_network(network: ipaddress.IPv4Network | ipaddress.IPv6Network) -> bool:
    return any(network.version == p.version and network.subnet_of(p) for p in _PRIVATE_NETWORKS)  # type: ignore[arg-type]


def _glob_source(pattern: str) -> str:
    return "".join(".*" if ch == "*" else "." if ch == "?" else re.escape(ch) for ch in pattern)


@lru_cache(maxsize=4096)
def _glob_to_regex(pattern: str, ignore_case: bool) -> re.Pattern[str]:
    return re.compile(_glob_source(pattern) + r"\Z", re.DOTALL | (re.IGNORECASE if ignore_case else 0))


def _has_wildcard(text: str) -> bool:
    return "*" in text or "?" in text


def _covers(pattern: str, other: str, ignore_case: bool) -> bool:
    """Whether every string that `other` matches is also matched by `pattern` (both globs),
    decided conservatively: only for a literal `other`, or a `pattern` of the form ``prefix*``."""
    if "${" in pattern or "${" in other:
        return False
    if ignore_case:
        pattern, other = pattern.lower(), other.lower()
    if pattern == other:
        return False  # equal entries: the later one is the duplicate, handled by the caller
    if not _has_wildcard(other):
        return _glob_to_regex(pattern, False).match(other) is not None
    if pattern.endswith("*") and not _has_wildcard(pattern[:-1]):
        return other.startswith(pattern[:-1])
    return False


def _is_plain(text: str) -> bool:
    """No wildcard and no policy variable: the text means itself."""
    return not _has_wildcard(text) and _VARIABLE_START not in text


def _outside_variables(text: str) -> str:
    """`text` with every ``${...}`` removed (wildcards inside variables are literal)."""
    return re.sub(r"\$\{[^}]*\}", "", text)


def _parse_date(value: str) -> datetime | None:
    candidate = value.strip()
    if candidate.endswith(("Z", "z")):
        candidate = candidate[:-1] + "+00:00"
    try:
        return datetime.fromisoformat(candidate)
    except ValueError:
        return None


def _is_number(value: str) -> bool:
    try:
        return math.isfinite(float(value.strip()))
    except ValueError:
        return False


# ------------------------------------------------------------------ the validator


class _Validator:
    def __init__(self, text: str, policy_type: str, catalog: ActionCatalog | None):
        self.text = text
        self.policy_type = policy_type
        self.catalog = catalog
        self.findings: list[Finding] = []
        self.index: PositionIndex | None = None
        self.single_statement = False
        self.version: object = None
        self._actions_cache: dict[str, tuple[list[str], frozenset[str]]] = {}

    # -------------------------------------------------------------- plumbing

    def _physical(self, tokens: JsonPath) -> JsonPath:
        # A lone statement object is Statement[0] for the engine but has no index in the text.
        if self.single_statement and len(tokens) >= 2 and tokens[0] == "Statement" and tokens[1] == 0:
            return ("Statement", *tokens[2:])
        return tokens

    def add(self, code: str, message: str, tokens: JsonPath = (), *, at_key: bool = False) -> None:
        assert self.index is not None
        position = self.index.nearest(self._physical(tokens), prefer_key=at_key)
        self.findings.append(_make(code, message, Location(format_path(tokens), position.line, position.column)))

    # -------------------------------------------------------------- entry

    def run(self) -> list[Finding]:
        self._check_size()
        self._check_characters()
        data = self._load()
        if data is not _INVALID:
            self.index = index_positions(self.text)
            for dup in self.index.duplicates:
                self.add("DUPLICATE_KEY", f"The key {dup[-1]} appears more than once in this object; "
                         f"only its last value is used. Remove the duplicate key.", dup, at_key=True)
            self._check_policy(data)
            self._check_with_engine()
        self.findings.sort(key=lambda f: (f.line, f.column, _RANK[f.severity], f.code))
        return self.findings

    def _check_size(self) -> None:
        limit = SIZE_LIMITS.get(self.policy_type)
        if limit is None:
            return
        size = policy_size(self.text)
        if size <= limit:
            return
        if self.policy_type == "scp":
            code, message = "POLICY_SIZE_EXCEEDS_SCP_QUOTA", (
                "The characters in the service control policy (SCP) exceed the character maximum for SCPs")
        elif self.policy_type == "trust":
            code, message = "POLICY_SIZE_EXCEEDS_ROLE_TRUST_POLICY_QUOTA", (
                "The characters in the role trust policy, excluding whitespace, exceed the character maximum "
                "for trust policies")
        elif self.policy_type == "session":
            code, message = "POLICY_SIZE_EXCEEDS_SESSION_POLICY_QUOTA", (
                "The characters in the session policy exceed the character maximum for session policies")
        else:
            code, message = "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA", (
                "The characters in the identity policy, excluding whitespace, exceed the character maximum "
                "for inline and managed policies")
        self.findings.append(_make(code, f"{message} ({size:,} of {limit:,} characters). "
                                   f"We recommend that you use multiple granular policies.", Location("", 1, 1)))

    def _check_characters(self) -> None:
        if self.policy_type not in _LATIN1_TYPES:
            return
        match = _UNSUPPORTED_CHARACTER.search(self.text)
        if match is None:
            return
        pos = line_column(self.text, match.start())
        char = match.group()
        self.findings.append(_make(
            "UNSUPPORTED_CHARACTER",
            f"The character {char!r} (U+{ord(char):04X}) is not supported in an IAM policy document: use tab, "
            f"line feed, carriage return and the characters U+0020 to U+00FF (Basic Latin and Latin-1), "
            f"or a \\u escape inside a JSON string.",
            Location("", pos.line, pos.column),
        ))

    def _load(self) -> object:
        try:
            return json.loads(self.text, parse_constant=_reject_constant)
        except json.JSONDecodeError as exc:
            self._syntax_error(exc.msg, exc.pos)
        except _Constant as exc:
            self._syntax_error(f"{exc} is not a JSON value", find_constant(self.text, str(exc)))
        except RecursionError:
            self._syntax_error("the document is nested too deeply", 0)
        except ValueError as exc:  # e.g. an integer literal longer than Python accepts
            match = re.search(r"\d{1000,}", self.text)
            self._syntax_error(str(exc), match.start() if match else 0)
        return _INVALID

    def _syntax_error(self, detail: str, offset: int) -> None:
        pos = line_column(self.text, offset)
        self.findings.append(_make(
            "JSON_SYNTAX_ERROR",
            f"Fix the JSON syntax error at index {offset} line {pos.line} column {pos.column}: {detail}.",
            Location("", pos.line, pos.column),
        ))

    def _check_with_engine(self) -> None:
        """The engine's parser has the last word: what it rejects cannot be saved."""
        try:
            parse_policy(self.text)
        except PolicyParseError as err:
            if has_errors(self.findings):
                return
            if err.line is not None and err.column is not None:
                location = Location(err.path, err.line, err.column)
            else:
                location = Location(err.path, 1, 1)
            self.findings.append(_make("MALFORMED_POLICY_DOCUMENT", err.message, location))
        except Exception as exc:  # noqa: BLE001 - the editor must get findings, never a crash
            self.findings.append(_make(
                "MALFORMED_POLICY_DOCUMENT",
                f"The policy could not be parsed ({type(exc).__name__}: {exc}).",
                Location("", 1, 1),
            ))

    # -------------------------------------------------------------- document

    def _check_policy(self, data: object) -> None:
        if not isinstance(data, dict):
            self.add("DATA_TYPE_MISMATCH", f"The text does not match the expected JSON data type object "
                     f"(found {type_name(data)}): a policy is a JSON object.")
            return
        for key in data:
            if key not in ("Version", "Id", "Statement"):
                self.add("INVALID_POLICY_ELEMENT", f"The policy element {key} is not valid.", (key,), at_key=True)
        self.version = data.get("Version")
        if "Version" not in data:
            self.add("MISSING_VERSION", "We recommend that you specify the Version element to help you with "
                     "debugging permission issues.")
        elif not isinstance(self.version, str):
            self.add("DATA_TYPE_MISMATCH", f"The text does not match the expected JSON data type string "
                     f"(found {type_name(self.version)}).", ("Version",))
        elif self.version not in ("2012-10-17", "2008-10-17"):
            self.add("INVALID_VERSION", f"The version {self.version} is not valid. Use one of the following "
                     f"versions: 2012-10-17, 2008-10-17.", ("Version",))
        if "Id" in data and not isinstance(data["Id"], str):
            self.add("DATA_TYPE_MISMATCH", f"The text does not match the expected JSON data type string "
                     f"(found {type_name(data['Id'])}).", ("Id",))
        if "Statement" not in data:
            self.add("MISSING_STATEMENT", "Add a statement to the policy.")
            return
        raw = data["Statement"]
        if isinstance(raw, dict):
            self.single_statement = True
            statements: list[object] = [raw]
        elif isinstance(raw, list):
            statements = raw
            if not statements:
                self.add("MISSING_STATEMENT", "Add a statement to the policy.", ("Statement",))
                return
        else:
            self.add("DATA_TYPE_MISMATCH", f"The text does not match the expected JSON data type array "
                     f"(found {type_name(raw)}): Statement is a statement object or an array of them.",
                     ("Statement",))
            return
        for i, statement in enumerate(statements):
            self._check_statement(statement, ("Statement", i))
        self._check_sids(statements)
        self._check_redundant_statements(statements)

    def _check_sids(self, statements: list[object]) -> None:
        seen: set[str] = set()
        for i, st in enumerate(statements):
            if not isinstance(st, dict) or not isinstance(st.get("Sid"), str) or not st["Sid"]:
                continue
            sid = st["Sid"]
            if sid in seen:
                if self.policy_type in _IAM_STORED_TYPES:
                    self.add("UNIQUE_SIDS_REQUIRED", f"Duplicate statement IDs are not supported for this policy "
                             f"type: {sid} is used more than once. Update the Sid value.", ("Statement", i, "Sid"))
                else:
                    self.add("UNIQUE_SIDS_RECOMMENDED", f"We recommend that you use statement IDs that are unique "
                             f"to your policy: {sid} is used more than once. Update the Sid value.",
                             ("Statement", i, "Sid"))
            seen.add(sid)

    def _check_redundant_statements(self, statements: list[object]) -> None:
        seen: dict[str, int] = {}
        for i, st in enumerate(statements):
            if not isinstance(st, dict):
                continue
            body = {k: v for k, v in st.items() if k != "Sid"}
            try:
                canonical = json.dumps(body, sort_keys=True)
            except (TypeError, ValueError):
                continue
            if canonical in seen:
                self.add("REDUNDANT_STATEMENT", f"The statements are redundant because they provide identical "
                         f"permissions: this statement repeats Statement[{seen[canonical]}]. Update the policy to "
                         f"remove the redundant statement.", ("Statement", i))
            else:
                seen[canonical] = i

    # -------------------------------------------------------------- statement

    def _check_statement(self, st: object, path: JsonPath) -> None:
        if not isinstance(st, dict):
            self.add("DATA_TYPE_MISMATCH", f"The text does not match the expected JSON data type object "
                     f"(found {type_name(st)}): a statement is a JSON object.", path)
            return
        for key in st:
            if key not in ("Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction",
                           "Resource", "NotResource", "Condition"):
                self.add("INVALID_POLICY_ELEMENT", f"The policy element {key} is not valid.", (*path, key), at_key=True)
        self._check_sid(st, path)
        effect = self._check_effect(st, path)
        actions = self._check_actions(st, path)
        resources = self._check_resources(st, path)
        self._check_principals(st, path, effect)
        condition_keys = self._check_conditions(st, path)
        if effect == "Allow":
            self._check_allow_warnings(st, path, actions, resources, condition_keys)

    def _check_sid(self, st: dict[str, object], path: JsonPath) -> None:
        if "Sid" not in st:
            return
        sid = st["Sid"]
        if not isinstance(sid, str):
            self.add("DATA_TYPE_MISMATCH", f"The text does not match the expected JSON data type string "
                     f"(found {type_name(sid)}).", (*path, "Sid"))
        elif sid == "":
            self.add("EMPTY_SID_VALUE", "Add a value to the empty string in the Sid element.", (*path, "Sid"))
        elif self.policy_type in _IAM_STORED_TYPES and not _SID.match(sid):
            self.add("UNSUPPORTED_SID", "Update the characters in the Sid element to use one of the following "
                     "character types: [a-z, A-Z, 0-9]", (*path, "Sid"))

    def _check_effect(self, st: dict[str, object], path: JsonPath) -> str | None:
        if "Effect" not in st:
            self.add("MISSING_EFFECT", "Add an Effect element to the policy statement with a value of Allow or Deny.", path)
            return None
        effect = st["Effect"]
        if not isinstance(effect, str):
            self.add("DATA_TYPE_MISMATCH", f"The text does not match the expected JSON data type string "
                     f"(found {type_name(effect)}).", (*path, "Effect"))
            return None
        if effect not in ("Allow", "Deny"):
            self.add("INVALID_EFFECT", f"The effect {effect} is not valid. Use Allow or Deny.", (*path, "Effect"))
            return None
        return effect

    def _string_entries(self, st: dict[str, object], element: str, path: JsonPath) -> list[tuple[str, JsonPath]] | None:
        """The entries of a string-or-array-of-strings element, with their paths; None (after a
        finding) when the element has the wrong JSON type."""
        value = st[element]
        epath = (*path, element)
        if isinstance(value, str):
            return [(value, epath)]
        if isinstance(value, list):
            out: list[tuple[str, JsonPath]] = []
            ok = True
            for i, item in enumerate(value):
                if isinstance(item, str):
                    out.append((item, (*epath, i)))
                else:
                    ok = False
                    self.add("DATA_TYPE_MISMATCH", f"The text does not match the expected JSON data type string "
                             f"(found {type_name(item)}).", (*epath, i))
            return out if ok else None
        self.add("DATA_TYPE_MISMATCH", f"The text does not match the expected JSON data type array "
                 f"(found {type_name(value)}): {element} is a string or an array of strings.", epath)
        return None

    def _pair(self, st: dict[str, object], path: JsonPath, first: str, second: str) -> str | None:
        """Which of two exclusive elements is present (reporting both)."""
        if first in st and second in st:
            self.add("UNSUPPORTED_ELEMENT_COMBINATION", f"The policy elements {first} and {second} can not be used "
                     f"in the same statement. Remove one of these elements.", (*path, second), at_key=True)
            return first
        if first in st:
            return first
        if second in st:
            return second
        return None

    # -------------------------------------------------------------- Action

    def _check_actions(self, st: dict[str, object], path: JsonPath) -> tuple[str, list[str]] | None:
        element = self._pair(st, path, "Action", "NotAction")
        if element is None:
            self.add("MISSING_ACTION", "Add an Action or NotAction element to the policy statement.", path)
            return None
        entries = self._string_entries(st, element, path)
        if entries is None:
            return None
        if not entries:
            self.add("EMPTY_ARRAY_ACTION", "This statement includes no actions and does not affect the policy. "
                     "Specify actions.", (*path, element))
        kept: list[tuple[str, JsonPath]] = []
        for action, apath in entries:
            if self._check_action(action, apath):
                kept.append((action, apath))
        self._check_redundant(kept, "REDUNDANT_ACTION", ignore_case=True,
                              message="The action(s) are redundant because they provide similar permissions. "
                                      "Update the policy to remove the redundant action such as: {entry}.")
        return element, [a for a, _ in entries]

    def _check_action(self, action: str, apath: JsonPath) -> bool:
        if action == "*":
            return True
        if _VARIABLE_START in action:
            self.add("VARIABLE_UNSUPPORTED_IN_ELEMENT", "Policy variables are supported in the Resource and "
                     "Condition elements. Remove the policy variable from this element.", apath)
            return False
        match = _ACTION.match(action)
        if not match or not _SERVICE_PREFIX.match(match.group(1)) or not _ACTION_NAME.match(match.group(2)):
            self.add("INVALID_ACTION", f"The action {action} does not exist. An action is written "
                     f"service:ActionName, for example s3:GetObject.", apath)
            return False
        service, name = match.groups()
        if _has_wildcard(service):
            self.add("WILDCARD_IN_SERVICE_NAME", "Avoid using wildcards (*, ?) in the service name because it "
                     "might grant unintended access to other AWS services with similar names.", apath)
            return True
        if self.catalog is None:
            return True
        if not self.catalog.service_exists(service):
            self.add("INVALID_SERVICE_IN_ACTION", f"The service {service} specified in the action does not "
                     f"exist.", apath)
            return False
        if not _has_wildcard(name):
            names, lowered = self._service_actions(service)
            if name.lower() not in lowered:
                close = difflib.get_close_matches(name, names, n=1)
                hint = f" Did you mean {service}:{close[0]}?" if close else ""
                self.add("INVALID_ACTION", f"The action {action} does not exist.{hint}", apath)
                return False
        return True

    def _service_actions(self, service: str) -> tuple[list[str], frozenset[str]]:
        key = service.lower()
        if key not in self._actions_cache:
            assert self.catalog is not None
            names = list(self.catalog.actions_for_service(service))
            self._actions_cache[key] = (names, frozenset(n.lower() for n in names))
        return self._actions_cache[key]

    def _check_redundant(self, entries: list[tuple[str, JsonPath]], code: str, *, ignore_case: bool,
                         message: str) -> None:
        """Entries that repeat an earlier one, or that a wildcard entry of the same element
        already covers. Only wildcard entries can cover others: literal entries are tested
        against all of them with one combined pattern, wildcard entries pairwise."""
        normal = [entry.lower() if ignore_case else entry for entry, _ in entries]
        wildcards = [(j, n) for j, n in enumerate(normal) if _has_wildcard(n) and _VARIABLE_START not in n]
        any_wildcard = (re.compile("(?:" + "|".join(_glob_source(n) for _, n in wildcards) + r")\Z", re.DOTALL)
                        if wildcards else None)
        seen: set[str] = set()
        for i, (entry, epath) in enumerate(entries):
            norm = normal[i]
            if norm in seen:
                redundant = True
            elif _VARIABLE_START in norm or any_wildcard is None:
                redundant = False
            elif not _has_wildcard(norm):
                redundant = any_wildcard.match(norm) is not None
            else:
                redundant = any(j != i and _covers(pattern, norm, False) for j, pattern in wildcards)
            if redundant:
                self.add(code, message.format(entry=entry), epath)
            seen.add(norm)

    # -------------------------------------------------------------- Resource

    def _check_resources(self, st: dict[str, object], path: JsonPath) -> tuple[str, list[str]] | None:
        element = self._pair(st, path, "Resource", "NotResource")
        if self.policy_type == "trust":
            if element is not None:
                self.add("INVALID_POLICY_ELEMENT", f"The policy element {element} is not valid in a role trust "
                         f"policy: the trust policy applies to the role it is attached to. Remove {element}.",
                         (*path, element), at_key=True)
            return None
        if element is None:
            self.add("MISSING_RESOURCE", "Add a Resource or NotResource element to the policy statement.", path)
            return None
        entries = self._string_entries(st, element, path)
        if entries is None:
            return None
        if not entries:
            self.add("EMPTY_ARRAY_RESOURCE", "This statement includes no resources and does not affect the policy. "
                     "Specify resources.", (*path, element))
        kept = [(r, rpath) for r, rpath in entries if self._check_resource(r, rpath)]
        self._check_redundant(kept, "REDUNDANT_RESOURCE", ignore_case=False,
                              message="The resource ARN(s) are redundant because they reference the same resource: "
                                      "{entry}. Review the use of wildcards (*).")
        return element, [r for r, _ in entries]

    def _check_variables(self, value: str, vpath: JsonPath) -> bool:
        """Syntax of ``${...}`` in a Resource or Condition value; False after an error."""
        start = value.find(_VARIABLE_START)
        if start < 0:
            return True
        if self.version != "2012-10-17":
            self.add("VARIABLE_UNSUPPORTED_IN_VERSION", "To include variables in your policy, use the policy "
                     "version 2012-10-17 or later.", vpath)
            return False
        while start >= 0:
            end = value.find("}", start)
            if end < 0:
                self.add("MISSING_BRACE_IN_VARIABLE", "The policy variable is missing a closing curly brace. "
                         "Add } after the variable text.", vpath)
                return False
            body = value[start + 2:end]
            if not body.strip():
                self.add("EMPTY_VARIABLE", "Empty policy variable. Remove the variable structure or provide a "
                         "variable within the structure.", vpath)
                return False
            if body not in _SPECIAL_VARIABLES:
                default = _DEFAULT_VARIABLE.match(body)
                name = default.group(1) if default else body
                if default:
                    quoted = default.group(2)
                    if len(quoted) < 2 or not (quoted.startswith("'") and quoted.endswith("'")):
                        self.add("MISSING_QUOTE_IN_VARIABLE", "The policy variable default value must begin and "
                                 "end with a single quote. Add the missing quote.", vpath)
                        return False
                if any(ch.isspace() for ch in name):
                    self.add("UNSUPPORTED_SPACE_IN_VARIABLE", "A space is not supported within the policy variable "
                             "text. Remove the space.", vpath)
                    return False
            start = value.find(_VARIABLE_START, end + 1)
        return True

    def _check_resource(self, resource: str, rpath: JsonPath) -> bool:
        if resource == "*":
            return True
        if not self._check_variables(resource, rpath):
            return False
        if not resource.startswith("arn:"):
            self.add("INVALID_ARN_PREFIX", f"Add the required prefix (arn) to the resource ARN {resource}.", rpath)
            return False
        parts = resource.split(":", 5)
        if len(parts) < 6:
            self.add("MISSING_ARN_FIELD", "Resource ARNs must include at least fields in the following structure: "
                     "arn:partition:service:region:account:resource", rpath)
            return False
        _, partition, service, region, account, rest = parts
        plain = _is_plain
        if plain(partition) and partition not in _PARTITIONS:
            self.add("INVALID_PARTITION", f"The resource ARN for the service does not support the partition "
                     f"{partition}. Use the supported values: {', '.join(sorted(_PARTITIONS))}", rpath)
            return False
        if _has_wildcard(service) and service != "*":
            self.add("WILDCARD_IN_SERVICE_NAME", "Avoid using wildcards (*, ?) in the service name because it "
                     "might grant unintended access to other AWS services with similar names.", rpath)
        elif plain(service) and service != service.lower():
            self.add("INVALID_ARN_SERVICE_CASE", "Update the service name in the resource ARN to use all lowercase "
                     "letters.", rpath)
            return False
        if plain(account) and account and account != "aws" and not _ACCOUNT_ID.match(account):
            self.add("INVALID_ARN_ACCOUNT", f"The resource ARN account ID {account} is not valid. Provide a "
                     f"12-digit account ID.", rpath)
            return False
        if not rest:
            self.add("INVALID_ARN_RESOURCE", "Resource ARN does not match the expected ARN format. Update the "
                     "resource portion of the ARN.", rpath)
            return False
        if service == "s3" and not rest.startswith(_S3_ACCOUNT_RESOURCES):
            if account and plain(account):
                self.add("ARN_ACCOUNT_NOT_ALLOWED", "The service s3 does not support specifying an account ID in "
                         "the resource ARN of a bucket or an object.", rpath)
                return False
            if region and plain(region):
                self.add("ARN_REGION_NOT_ALLOWED", "The service s3 does not support specifying a Region in the "
                         "resource ARN of a bucket or an object.", rpath)
                return False
        if service == "iam" and region and plain(region):
            self.add("ARN_REGION_NOT_ALLOWED", "The service iam does not support specifying a Region in the "
                     "resource ARN.", rpath)
            return False
        return True

    # -------------------------------------------------------------- Principal

    def _check_principals(self, st: dict[str, object], path: JsonPath, effect: str | None) -> None:
        element = self._pair(st, path, "Principal", "NotPrincipal")
        if self.policy_type in _IDENTITY_TYPES or self.policy_type == "scp":
            if element is not None:
                if self.policy_type == "scp":
                    self.add("SCP_SYNTAX_ERROR_PRINCIPAL", "SCPs do not support specifying principals. Remove the "
                             "Principal or NotPrincipal element.", (*path, element), at_key=True)
                else:
                    kind = POLICY_TYPES[self.policy_type]
                    self.add("UNSUPPORTED_PRINCIPAL", f"The policy type {kind} does not support the {element} "
                             f"element. Remove the {element} element.", (*path, element), at_key=True)
            return
        if element is None:
            self.add("MISSING_PRINCIPAL", "Add a Principal element to the policy statement.", path)
            return
        if element == "NotPrincipal" and effect == "Allow":
            self.add("ALLOW_WITH_NOT_PRINCIPAL", "Using Allow with NotPrincipal can be overly permissive. We "
                     "recommend that you use Principal instead.", (*path, element), at_key=True)
        self._check_principal_value(st[element], (*path, element))

    def _check_principal_value(self, value: object, ppath: JsonPath) -> None:
        if value == "*":
            return
        if not isinstance(value, dict):
            self.add("INVALID_PRINCIPAL_FORMAT", "The Principal element contents are not valid. Specify a key-value "
                     "pair in the Principal element, for example {\"AWS\": \"123456789012\"}.", ppath)
            return
        if not value:
            self.add("EMPTY_OBJECT_PRINCIPAL", "This statement includes no principals and does not affect the "
                     "policy. Specify principals.", ppath)
            return
        for key, entries in value.items():
            kpath = (*ppath, key)
            if key not in _PRINCIPAL_KEYS:
                self.add("INVALID_PRINCIPAL_KEY", f"The principal key {key} is not valid. Use one of: "
                         f"{', '.join(_PRINCIPAL_KEYS)}.", kpath, at_key=True)
                continue
            if isinstance(entries, str):
                items: list[tuple[object, JsonPath]] = [(entries, kpath)]
            elif isinstance(entries, list):
                items = [(e, (*kpath, i)) for i, e in enumerate(entries)]
                if not items:
                    self.add("EMPTY_ARRAY_PRINCIPAL", "This statement includes no principals and does not affect "
                             "the policy. Specify principals.", kpath)
            else:
                self.add("DATA_TYPE_MISMATCH", f"The text does not match the expected JSON data type array "
                         f"(found {type_name(entries)}).", kpath)
                continue
            for entry, epath in items:
                if not isinstance(entry, str):
                    self.add("DATA_TYPE_MISMATCH", f"The text does not match the expected JSON data type string "
                             f"(found {type_name(entry)}).", epath)
                else:
                    self._check_principal_entry(key, entry, epath)

    def _check_principal_entry(self, key: str, entry: str, epath: JsonPath) -> None:
        if key == "AWS":
            if entry == "*" or _ACCOUNT_ID.match(entry):
                return
            if _UNIQUE_ID.match(entry):
                code = "INVALID_USER_REFERENCE" if entry.startswith("AIDA") else "INVALID_ROLE_REFERENCE"
                kind = "user" if entry.startswith("AIDA") else "role"
                self.add(code, f"The Principal element includes the IAM {kind} ID. We recommend that you use a "
                         f"{kind} ARN instead.", epath)
                return
            if _has_wildcard(entry):
                self.add("UNSUPPORTED_WILDCARD_IN_PRINCIPAL", "Wildcards (*, ?) are not supported with the "
                         "principal key AWS. Replace the wildcard with a valid principal value.", epath)
                return
            parts = entry.split(":", 5)
            if len(parts) < 6 or parts[0] != "arn" or parts[2] not in ("iam", "sts") or not _ACCOUNT_ID.match(parts[4]):
                self.add("INVALID_PRINCIPAL", f"Invalid principal in policy: {entry}. Use an account ID or the ARN "
                         f"of an account, user, role, role session or federated user.", epath)
        elif key == "Service":
            if entry == "*":
                return
            if _has_wildcard(entry):
                self.add("UNSUPPORTED_WILDCARD_IN_PRINCIPAL", "Wildcards (*, ?) are not supported with the "
                         "principal key Service. Replace the wildcard with a valid principal value.", epath)
            elif not _SERVICE_PRINCIPAL.match(entry):
                self.add("INVALID_PRINCIPAL", f"Invalid principal in policy: {entry}. A service principal looks "
                         f"like service-name.amazonaws.com.", epath)
        elif _has_wildcard(entry) and entry != "*":
            self.add("UNSUPPORTED_WILDCARD_IN_PRINCIPAL", f"Wildcards (*, ?) are not supported with the principal "
                     f"key {key}. Replace the wildcard with a valid principal value.", epath)

    # -------------------------------------------------------------- Condition

    def _check_conditions(self, st: dict[str, object], path: JsonPath) -> set[str]:
        """Check the Condition block; return the lower-cased condition keys it uses."""
        keys_used: set[str] = set()
        if "Condition" not in st:
            return keys_used
        cpath = (*path, "Condition")
        block = st["Condition"]
        if not isinstance(block, dict):
            self.add("DATA_TYPE_MISMATCH", f"The text does not match the expected JSON data type object "
                     f"(found {type_name(block)}).", cpath)
            return keys_used
        if not block:
            self.add("EMPTY_OBJECT_CONDITION", "This condition block is empty and it does not affect the policy. "
                     "Specify conditions.", cpath)
        for operator, keys in block.items():
            opath = (*cpath, operator)
            parsed = self._check_operator(operator, opath)
            if not isinstance(keys, dict):
                self.add("DATA_TYPE_MISMATCH", f"The text does not match the expected JSON data type object "
                         f"(found {type_name(keys)}): an operator maps condition keys to values.", opath)
                continue
            if not keys:
                self.add("EMPTY_OBJECT_CONDITION", "This condition block is empty and it does not affect the "
                         "policy. Specify conditions.", opath)
            lowered: dict[str, str] = {}
            for key, values in keys.items():
                kpath = (*opath, key)
                keys_used.add(key.lower())
                if key.lower() in lowered and lowered[key.lower()] != key:
                    self.add("DUPLICATE_KEYS_WITH_DIFFERENT_CASE", f"The condition key {key} appears more than once "
                             f"with different capitalization in the same condition block. Remove the duplicate "
                             f"condition keys.", kpath, at_key=True)
                lowered.setdefault(key.lower(), key)
                self._check_condition_key(key, kpath)
                if parsed is not None:
                    self._check_condition_values(operator, parsed, key, values, kpath)
        return keys_used

    def _check_operator(self, operator: str, opath: JsonPath) -> tuple[str, str | None, bool] | None:
        parsed = parse_operator(operator)
        if parsed is not None:
            if parsed[0] == "Null" and parsed[1] is not None:
                # Accepted by IAM; the engine gives them the constant result the check describes.
                self.add("NULL_WITH_QUALIFIER", "Avoid using the Null condition operator with the ForAllValues or "
                         "ForAnyValue qualifiers because they always return a true or false respectively.",
                         opath, at_key=True)
            return parsed
        name = operator.partition(":")[2] if ":" in operator else operator
        if name == "NullIfExists":
            self.add("NULL_WITH_IF_EXISTS", "The Null condition operator cannot be used with the IfExists suffix. "
                     "Update the operator or the suffix.", opath, at_key=True)
        else:
            self.add("INVALID_CONDITION_OPERATOR", f"The condition operator {operator} is not valid. Use a valid "
                     f"condition operator.", opath, at_key=True)
        return None

    def _check_condition_key(self, key: str, kpath: JsonPath) -> None:
        if ":" not in key or key.startswith(":") or key.endswith(":"):
            self.add("INVALID_CONDITION_KEY_FORMAT", f"The condition key format is not valid: {key}. Use the "
                     f"format service:keyname.", kpath, at_key=True)
            return
        lower = key.lower()
        if lower.split(":", 1)[1].rstrip("/") in ("resourcetag", "requesttag", "principaltag"):
            self.add("MISSING_TAG_KEY_IN_CONDITION", f"The condition key {key} must include a tag key to control "
                     f"access based on tags. Use the format {key.rstrip('/')}/tag-key and specify a key name for "
                     f"tag-key.", kpath, at_key=True)
        if lower == "aws:arn":
            self.add("UNSUPPORTED_GLOBAL_CONDITION_KEY", "The condition key aws:ARN is not supported. Use "
                     "aws:PrincipalArn or aws:SourceArn instead.", kpath, at_key=True)

    def _check_condition_values(self, operator: str, parsed: tuple[str, str | None, bool], key: str,
                                values: object, kpath: JsonPath) -> None:
        base, set_op, if_exists = parsed
        items: list[tuple[str, JsonPath]] = []
        if isinstance(values, list):
            if not values:
                if set_op == "ForAllValues":
                    self.add("EMPTY_ARRAY_CONDITION_FORALLVALUES", "The ForAllValues prefix with an empty condition "
                             "key matches only if the key is missing from the request context. To determine if the "
                             "request context is empty, we recommend that you use the Null condition operator with "
                             "the value of true instead.", kpath)
                elif set_op == "ForAnyValue":
                    self.add("EMPTY_ARRAY_CONDITION_FORANYVALUE", "The ForAnyValue prefix with an empty condition "
                             "key never matches the request context and it does not affect the policy. Specify "
                             "conditions.", kpath)
                elif if_exists:
                    self.add("EMPTY_ARRAY_CONDITION_IFEXISTS", "The IfExists suffix with an empty condition key "
                             "matches only if the key is missing from the request context. To determine if the "
                             "request context is empty, we recommend that you use the Null condition operator with "
                             "the value of true instead.", kpath)
                else:
                    self.add("EMPTY_ARRAY_CONDITION", "There are no values for the condition key and it does not "
                             "affect the policy. Specify conditions.", kpath)
            raw_items = [(v, (*kpath, i)) for i, v in enumerate(values)]
        else:
            raw_items = [(values, kpath)]
        for value, vpath in raw_items:
            if isinstance(value, bool):
                items.append(("true" if value else "false", vpath))
            elif isinstance(value, (int, float)):
                items.append((json.dumps(value), vpath))
            elif isinstance(value, str):
                items.append((value, vpath))
            else:
                self.add("DATA_TYPE_MISMATCH", f"The text does not match the expected JSON data type string "
                         f"(found {type_name(value)}): a condition value is a string, a number or a boolean.", vpath)
        lower = key.lower()
        self._check_key_type(operator, base, key, lower, kpath)
        if base != "Null":  # Null tests presence, whatever the number of values
            self._check_set_operator(set_op, key, lower, kpath)
        for value, vpath in items:
            self._check_condition_value(base, key, lower, value, vpath)
        if base == "Bool" and len({v.strip().lower() for v, _ in items}) > 1:
            self.add("INVALID_CONDITION_MULTIPLE_BOOLEAN", "The condition key does not support multiple Boolean "
                     "values. Use a single Boolean value.", kpath)
        if base in _IP_OPS and lower == "aws:sourceip":
            self._check_private_ips(base, items, kpath)

    def _check_key_type(self, operator: str, base: str, key: str, lower: str, kpath: JsonPath) -> None:
        expected = _KEY_TYPES.get(lower)
        if expected is None or base == "Null" or base in _OPS_FOR_TYPE[expected]:
            return
        self.add("TYPE_MISMATCH", f"Use the operator type {_SUGGESTED_OP[expected]} instead of operator {operator} "
                 f"for the condition key {key}.", kpath, at_key=True)

    def _check_set_operator(self, set_op: str | None, key: str, lower: str, kpath: JsonPath) -> None:
        if not lower.startswith("aws:"):
            return  # service keys need the catalog's types
        multivalued = lower in _MULTIVALUED_GLOBAL_KEYS
        if set_op == "ForAllValues" and not multivalued:
            self.add("FORALLVALUES_WITH_SINGLE_VALUED_KEY", f"Using ForAllValues qualifier with the single-valued "
                     f"condition key {key} can be overly permissive. We recommend that you remove ForAllValues:.",
                     kpath, at_key=True)
        elif set_op is None and multivalued:
            self.add("MISSING_QUALIFIER", f"The request context key {key} has multiple values. Use the "
                     f"ForAllValues or ForAnyValue condition key qualifiers in your policy.", kpath, at_key=True)

    def _check_condition_value(self, base: str, key: str, lower: str, value: str, vpath: JsonPath) -> None:
        has_var = _VARIABLE_START in value
        if has_var:
            if base not in _STRING_OPS and base not in _LIKE_OPS and base not in _ARN_OPS:
                if self.version == "2012-10-17":
                    self.add("INVALID_VARIABLE_FOR_OPERATOR", "Policy variables can only be used with String and "
                             "ARN operators.", vpath)
                    return
            elif not self._check_variables(value, vpath):
                return
        if base in _STRING_OPS:
            if _has_wildcard(_outside_variables(value)):
                self.add("WILDCARD_WITHOUT_LIKE_OPERATOR", "Your condition value includes a * or ? character. If "
                         "you meant to use a wildcard (*, ?), update the condition operator to include Like.", vpath)
        elif base in _NUMERIC_OPS:
            if not _is_number(value):
                self.add("TYPE_MISMATCH_NUMBER", f"Add a valid numeric value for the condition operator: {value} "
                         f"is not a number.", vpath)
        elif base in _DATE_OPS:
            if _is_number(value):
                if lower != "aws:epochtime":
                    self.add("INVALID_DATE_VALUE", "The date might not resolve as expected. We recommend that you "
                             "use the YYYY-MM-DD format.", vpath)
            elif _parse_date(value) is None:
                self.add("TYPE_MISMATCH_DATE", "The date condition operator is used with an invalid value. Specify "
                         "a valid date using YYYY-MM-DD or other ISO 8601 date/time format.", vpath)
        elif base in ("Bool", "Null"):
            if value.strip().lower() not in ("true", "false"):
                self.add("TYPE_MISMATCH_BOOLEAN", "Add a valid Boolean value (true or false) for the condition "
                         "operator.", vpath)
        elif base == "BinaryEquals":
            try:
                base64.b64decode(value, validate=True)
            except (binascii.Error, ValueError):
                self.add("TYPE_MISMATCH_STRING", "Add a valid base64-encoded string value for the condition "
                         "operator.", vpath)
        elif base in _IP_OPS:
            try:
                ipaddress.ip_network(value.strip(), strict=True)
            except ValueError:
                try:
                    network = ipaddress.ip_network(value.strip(), strict=False)
                except ValueError:
                    self.add("TYPE_MISMATCH_IP_RANGE", "The condition operator is used with an invalid IP range "
                             "value. Specify the IP range in standard CIDR format.", vpath)
                else:
                    self.add("IMPROVE_IP_RANGE", f"The non-zero bits in the IP address after the masked bits are "
                             f"ignored. Replace {value} with {network}.", vpath)

    def _check_private_ips(self, base: str, items: list[tuple[str, JsonPath]], kpath: JsonPath) -> None:
        private = public = 0
        for value, _ in items:
            try:
                network = ipaddress.ip_network(value.strip(), strict=False)
            except ValueError:
                continue
            if _is_private_network(network):
                private += 1
            else:
                public += 1
        if not private:
            return
        if base == "IpAddress":
            if public:
                self.add("PRIVATE_IP_ADDRESS_SUBSET", "The values for condition key aws:SourceIp include a mix of "
                         "private and public IP addresses. The private addresses will not have the desired effect. "
                         "aws:SourceIp works only for public IP address ranges. To define permissions for private "
                         "IP ranges, use aws:VpcSourceIp.", kpath, at_key=True)
            else:
                self.add("PRIVATE_IP_ADDRESS", "aws:SourceIp works only for public IP address ranges. The values "
                         "for condition key aws:SourceIp include only private IP addresses and will not have the "
                         "desired effect. Update the value to include only public IP addresses.", kpath, at_key=True)
        elif public:
            self.add("PRIVATE_NOT_IP_ADDRESS_SUBSET", "The values for condition key aws:SourceIp include a mix of "
                     "private and public IP addresses. The private addresses have no effect. aws:SourceIp works "
                     "only for public IP address ranges. To define permissions for private IP ranges, use "
                     "aws:VpcSourceIp.", kpath, at_key=True)
        else:
            self.add("PRIVATE_NOT_IP_ADDRESS", "The values for condition key aws:SourceIp include only private IP "
                     "addresses and has no effect. aws:SourceIp works only for public IP address ranges. Update "
                     "the value to include only public IP addresses.", kpath, at_key=True)

    # -------------------------------------------------------------- Allow warnings

    def _check_allow_warnings(self, st: dict[str, object], path: JsonPath, actions: tuple[str, list[str]] | None,
                              resources: tuple[str, list[str]] | None, condition_keys: set[str]) -> None:
        if "NotAction" in st and "Action" not in st:
            self.add("ALLOW_WITH_NOT_ACTION", "Using Allow with NotAction can be overly permissive because it "
                     "allows every action that is not listed, including actions of services you do not use and "
                     "of services added later. We recommend that you use Action instead.",
                     (*path, "NotAction"), at_key=True)
        if "NotResource" in st and "Resource" not in st:
            self.add("ALLOW_WITH_NOT_RESOURCE", "Using Allow with NotResource can be overly permissive because it "
                     "allows the actions on every resource that is not listed, including resources created later. "
                     "We recommend that you use Resource instead.", (*path, "NotResource"), at_key=True)
        if actions is None or self.policy_type not in _IDENTITY_TYPES:
            return
        element, entries = actions
        if resources is None:
            return
        relement, rentries = resources
        resource_is_list = isinstance(st.get("Resource"), list)
        self._check_sensitive_action(path, element, entries, relement, rentries, resource_is_list, condition_keys,
                                     "iam:passrole", "PASS_ROLE", "iam:PassedToService")
        self._check_sensitive_action(path, element, entries, relement, rentries, resource_is_list, condition_keys,
                                     "iam:createservicelinkedrole", "CREATE_SLR", "iam:AWSServiceName")

    def _check_sensitive_action(self, path: JsonPath, element: str, entries: list[str], relement: str,
                                rentries: list[str], resource_is_list: bool,
                                condition_keys: set[str], action: str, prefix: str,
                                narrowing_key: str) -> None:
        """Access Analyzer's "Pass role with ..." / "Create SLR with ..." family."""
        if narrowing_key.lower() in condition_keys:
            return
        if element == "Action":
            named = any(e.lower() == action for e in entries)
            star = not named and any(_has_wildcard(e) and _glob_to_regex(e, True).match(action) for e in entries)
            if not (named or star):
                return
            action_part = "STAR_IN_ACTION_AND_" if star else ""
        else:
            if any(_glob_to_regex(e, True).match(action) for e in entries if e):
                return  # the action is excluded
            action_part = "NOT_ACTION_AND_"
        if relement == "NotResource":
            code = f"{prefix}_WITH_{action_part}NOT_RESOURCE"
            rpath = (*path, "NotResource")
        else:
            stars = [i for i, r in enumerate(rentries) if _is_star_resource(r)]
            if not stars:
                return
            code = (f"{prefix}_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION" if action_part == "NOT_ACTION_AND_"
                    else f"{prefix}_WITH_{action_part}RESOURCE" if action_part else f"{prefix}_WITH_STAR_IN_RESOURCE")
            rpath = (*path, "Resource", stars[0]) if resource_is_list else (*path, "Resource")
        self.add(code, _SENSITIVE_MESSAGES[code], rpath)


def _is_star_resource(resource: str) -> bool:
    """``*``, or an ARN whose resource part is all-wildcard (``arn:aws:iam::*:role/*``, ``arn:aws:iam::1:*``)."""
    if resource == "*":
        return True
    parts = resource.split(":", 5)
    if len(parts) < 6:
        return False
    rest = parts[5]
    return rest == "*" or rest.endswith("/*") and not _has_wildcard(rest[:-2]) and "/" not in rest[:-2]


_PASS = "iam:PassRole"
_SLR = "iam:CreateServiceLinkedRole"
_SENSITIVE_MESSAGES = {
    "PASS_ROLE_WITH_NOT_RESOURCE": f"Using the {_PASS} action with NotResource can be overly permissive because it "
    f"can allow {_PASS} permissions on multiple resources. We recommend that you specify resource ARNs instead.",
    "PASS_ROLE_WITH_STAR_IN_ACTION_AND_NOT_RESOURCE": "Using an action with a wildcard (*) and NotResource can be "
    f"overly permissive because it can allow {_PASS} permissions on multiple resources. We recommend that you "
    "specify resource ARNs instead.",
    "PASS_ROLE_WITH_NOT_ACTION_AND_NOT_RESOURCE": "Using NotAction with NotResource can be overly permissive "
    f"because it can allow {_PASS} permissions on multiple resources. We recommend that you specify resource "
    "ARNs instead.",
    "PASS_ROLE_WITH_STAR_IN_RESOURCE": f"Using the {_PASS} action with wildcards (*) in the resource can be overly "
    f"permissive because it allows {_PASS} permissions on multiple resources. We recommend that you specify "
    "resource ARNs or add the iam:PassedToService condition key to your statement.",
    "PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE": "Using wildcards (*) in the action and the resource can be "
    f"overly permissive because it allows {_PASS} permissions on all resources. We recommend that you specify "
    "resource ARNs or add the iam:PassedToService condition key to your statement.",
    "PASS_ROLE_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION": "Using a resource with wildcards (*) and NotAction can be "
    f"overly permissive because it allows {_PASS} permissions on all resources. We recommend that you specify "
    "resource ARNs or add the iam:PassedToService condition key to your statement.",
    "CREATE_SLR_WITH_NOT_RESOURCE": f"Using the {_SLR} action with NotResource can allow creation of unintended "
    "service-linked roles for multiple resources. We recommend that you specify resource ARNs instead.",
    "CREATE_SLR_WITH_STAR_IN_ACTION_AND_NOT_RESOURCE": "Using an action with a wildcard(*) and NotResource can "
    f"allow creation of unintended service-linked roles because it can allow {_SLR} permissions on multiple "
    "resources. We recommend that you specify resource ARNs instead.",
    "CREATE_SLR_WITH_NOT_ACTION_AND_NOT_RESOURCE": "Using NotAction with NotResource can allow creation of "
    f"unintended service-linked roles because it allows {_SLR} permissions on multiple resources. We recommend "
    "that you specify resource ARNs instead.",
    "CREATE_SLR_WITH_STAR_IN_RESOURCE": f"Using the {_SLR} action with wildcards (*) in the resource can allow "
    "creation of unintended service-linked roles. We recommend that you specify resource ARNs instead.",
    "CREATE_SLR_WITH_STAR_IN_ACTION_AND_RESOURCE": "Using wildcards (*) in the action and the resource can allow "
    f"creation of unintended service-linked roles because it allows {_SLR} permissions on all resources. We "
    "recommend that you specify resource ARNs instead.",
    "CREATE_SLR_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION": "Using a resource with wildcards (*) and NotAction can "
    f"allow creation of unintended service-linked roles because it allows {_SLR} permissions on all resources. "
    "We recommend that you specify resource ARNs instead.",
}

_INVALID = object()
