"""Matching of actions, resources (ARNs) and principals.

Implements the matching rules of the IAM User Guide pages
"IAM JSON policy elements: Action"
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html),
"...: Resource" (reference_policies_elements_resource.html),
"...: Principal" (reference_policies_elements_principal.html) and
"...: NotPrincipal" (reference_policies_elements_notprincipal.html):
actions match case-insensitively, resources case-sensitively, ARNs segment by
segment with ``*`` and ``?`` wildcards.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from .model import ActionMatcher, PrincipalSpec, ResourcePattern
from .variables import _VARIABLE, ContextValue, has_variables, substitute

# --------------------------------------------------------------------------- globs


def _glob_chars(pattern: str, escaped: bool) -> list[tuple[str, bool]]:
    """(char, is_wildcard_capable) pairs; with `escaped`, ``\\x`` is a literal x."""
    out: list[tuple[str, bool]] = []
    i = 0
    n = len(pattern)
    while i < n:
        ch = pattern[i]
        if escaped and ch == "\\" and i + 1 < n:
            out.append((pattern[i + 1], False))
            i += 2
            continue
        out.append((ch, True))
        i += 1
    return out


def _to_regex(chars: Iterable[tuple[str, bool]], star: str, qmark: str) -> str:
    parts = []
    for ch, active in chars:
        if active and ch == "*":
            parts.append(star)
        elif active and ch == "?":
            parts.append(qmark)
        else:
            parts.append(re.escape(ch))
    return "".join(parts)


@lru_cache(maxsize=65536)
def compile_glob(pattern: str, escaped: bool = False, ignore_case: bool = False) -> re.Pattern[str]:
    """A whole-string wildcard pattern (``*`` any run of characters, ``?`` one
    character), as StringLike uses ("Condition operators", String condition
    operators)."""
    flags = re.DOTALL | (re.IGNORECASE if ignore_case else 0)
    return re.compile(_to_regex(_glob_chars(pattern, escaped), ".*", "."), flags)


@lru_cache(maxsize=65536)
def compile_arn_glob(pattern: str, escaped: bool = False) -> re.Pattern[str]:
    """An ARN pattern matched segment by segment: in the first five
    colon-separated segments a wildcard never crosses a ``:``; the sixth
    (resource) segment may contain colons ("Condition operators", Amazon
    Resource Name (ARN) condition operators; "IAM JSON policy elements:
    Resource"). A pattern with fewer than six segments matches only values
    with the same number of segments."""
    chars = _glob_chars(pattern, escaped)
    segments: list[list[tuple[str, bool]]] = [[]]
    for ch, active in chars:
        if ch == ":" and len(segments) < 6:
            segments.append([])
        else:
            segments[-1].append((ch, active))
    if len(segments) < 6:
        # Segment by segment still: a short pattern only matches a value with
        # as many segments (a lone "*" is handled by the callers).
        return re.compile(":".join(_to_regex(seg, "[^:]*", "[^:]") for seg in segments), re.DOTALL)
    head = ":".join(_to_regex(seg, "[^:]*", "[^:]") for seg in segments[:5])
    return re.compile(head + ":" + _to_regex(segments[5], ".*", "."), re.DOTALL)


def is_wildcard(text: str) -> bool:
    return "*" in text or "?" in text


def arn_like(value: str, pattern: str, escaped: bool = False) -> bool:
    """ArnLike/ArnEquals semantics for one value against one pattern."""
    if not escaped and not is_wildcard(pattern):
        return value == pattern
    return compile_arn_glob(pattern, escaped).fullmatch(value) is not None


def string_like(value: str, pattern: str, escaped: bool = False, ignore_case: bool = False) -> bool:
    if not escaped and not is_wildcard(pattern):
        return value.lower() == pattern.lower() if ignore_case else value == pattern
    return compile_glob(pattern, escaped, ignore_case).fullmatch(value) is not None


# ------------------------------------------------------------------------- actions


@lru_cache(maxsize=8192)
def compile_actions_cached(patterns: tuple[str, ...]) -> ActionMatcher:
    """:func:`compile_actions` memoised: the same Action lists recur across policies."""
    return compile_actions(patterns)


def compile_actions(patterns: Iterable[str]) -> ActionMatcher:
    """Pre-compile `Action`/`NotAction` entries: exact names go to a set, wildcard
    patterns to one regex per service prefix. Actions are case-insensitive
    ("IAM JSON policy elements: Action")."""
    match_all = False
    exact: set[str] = set()
    services: set[str] = set()
    per_service: dict[str, list[str]] = {}
    any_service: list[str] = []
    for raw in patterns:
        pattern = raw.lower()
        if pattern == "*":
            match_all = True
            continue
        service, sep, _name = pattern.partition(":")
        if not is_wildcard(pattern):
            exact.add(pattern)
            services.add(service)
        elif sep and not is_wildcard(service):
            per_service.setdefault(service, []).append(_plain_glob_regex(pattern))
            services.add(service)
        else:
            any_service.append(_plain_glob_regex(pattern))
    by_service = {svc: re.compile("|".join(rx), re.DOTALL) for svc, rx in per_service.items()}
    any_rx = re.compile("|".join(any_service), re.DOTALL) if any_service else None
    return ActionMatcher(match_all, frozenset(exact), by_service, any_rx, frozenset(services))


def _plain_glob_regex(pattern: str) -> str:
    """The regex of a wildcard pattern without escapes (``*`` any run, ``?`` one
    character): ``_to_regex(_glob_chars(pattern, False), ".*", ".")``, escaping
    whole runs of literal text at once."""
    return ".*".join(".".join(re.escape(part) for part in chunk.split("?")) for chunk in pattern.split("*"))


def action_matches(matcher: ActionMatcher, action_lower: str) -> bool:
    """Whether a lower-cased action name is covered by the compiled patterns."""
    if matcher.match_all or action_lower in matcher.exact:
        return True
    if matcher.by_service:
        rx = matcher.by_service.get(action_lower.partition(":")[0])
        if rx is not None and rx.fullmatch(action_lower):
            return True
    return matcher.any_service is not None and matcher.any_service.fullmatch(action_lower) is not None


# ----------------------------------------------------------------------- resources


@lru_cache(maxsize=65536)
def compile_resource(text: str, variables_enabled: bool, expand_exact_short: bool = False) -> ResourcePattern:
    """Compile one Resource/NotResource entry.

    An ARN pattern with fewer than six segments ("arn:aws:sqs:*") is completed
    with ``:*`` segments when it has a wildcard, and also without one when
    `expand_exact_short` (Deny statements): IAM keeps such entries, and
    treating their missing trailing segments as ``*`` is what
    @cloud-copilot/iam-simulate documents for identity, session, boundary and
    (with a wildcard) resource policies and SCPs; a Deny errs towards denying.
    Otherwise a short entry only matches a value with as many segments."""
    with_variables = variables_enabled and has_variables(text)
    padding = ""
    if text != "*" and text.startswith("arn:"):
        bare = _VARIABLE.sub("", text) if with_variables else text
        segments = bare.count(":") + 1
        if segments < 6 and (is_wildcard(bare) or expand_exact_short):
            padding = ":*" * (6 - segments)
    if with_variables:
        return ResourcePattern(text, True, None, padding)
    full = text + padding
    regex = compile_arn_glob(full) if (full != "*" and is_wildcard(full)) else None
    return ResourcePattern(text, False, regex, padding)


def resource_pattern_matches(
    pattern: ResourcePattern, resource: str, context: Mapping[str, ContextValue]
) -> bool | None:
    """Whether one `Resource` entry covers `resource` (case-sensitive). Returns
    None when a policy variable in the entry cannot be resolved: such an entry
    matches nothing ("Policy variables": no value for a variable)."""
    text = pattern.text
    if text == "*":
        return True
    if pattern.has_variables:
        resolved = substitute(text, context, glob=True)
        if resolved is None:
            return None
        return compile_arn_glob(resolved + pattern.padding, True).fullmatch(resource) is not None
    if pattern.regex is None:
        return text == resource
    return pattern.regex.fullmatch(resource) is not None


# ---------------------------------------------------------------------- principals

USER = "User"
ASSUMED_ROLE = "AssumedRole"
ACCOUNT = "Account"
FEDERATED_USER = "FederatedUser"
ROLE = "Role"
SERVICE = "Service"
UNKNOWN = "Unknown"


@dataclass(frozen=True, slots=True)
class PrincipalInfo:
    """What the request's principal string tells: its kind (AWS's
    aws:PrincipalType values: User, AssumedRole, Account, FederatedUser; plus
    Role for a bare role ARN, Service and Unknown), account and names."""

    arn: str
    kind: str
    account: str | None
    partition: str = "aws"
    name: str | None = None
    role_name: str | None = None
    session_name: str | None = None

    @property
    def principal_arn(self) -> str:
        """aws:PrincipalArn: for a role session, the role's ARN (the session ARN
        drops the role path, so the path is unknown here and left out)."""
        if self.kind == ASSUMED_ROLE and self.account and self.role_name:
            return f"arn:{self.partition}:iam::{self.account}:role/{self.role_name}"
        return self.arn

    @property
    def is_root(self) -> bool:
        return self.kind == ACCOUNT


_ARN = re.compile(r"^arn:([^:]+):([^:]*):([^:]*):([^:]*):(.*)$", re.DOTALL)


def split_arn(text: str) -> tuple[str, str, str, str, str] | None:
    """(partition, service, region, account, resource) or None if not an ARN
    ("Amazon Resource Names (ARNs)", ARN format)."""
    m = _ARN.match(text)
    return (m.group(1), m.group(2), m.group(3), m.group(4), m.group(5)) if m else None


@lru_cache(maxsize=4096)
def parse_principal(text: str) -> PrincipalInfo:
    """Classify a request principal: IAM user, role session, account root,
    federated user, IAM role, or service principal ("AWS JSON policy elements:
    Principal")."""
    parts = split_arn(text)
    if parts is None:
        if text.endswith(".amazonaws.com") or text.endswith(".amazonaws.com.cn"):
            return PrincipalInfo(text, SERVICE, None)
        if re.fullmatch(r"\d{12}", text):
            return PrincipalInfo(f"arn:aws:iam::{text}:root", ACCOUNT, text)
        return PrincipalInfo(text, UNKNOWN, None)
    partition, service, _region, account, resource = parts
    account_or_none = account or None
    if service == "iam":
        if resource == "root":
            return PrincipalInfo(text, ACCOUNT, account_or_none, partition)
        if resource.startswith("user/"):
            return PrincipalInfo(text, USER, account_or_none, partition, name=resource.rsplit("/", 1)[-1])
        if resource.startswith("role/"):
            name = resource.rsplit("/", 1)[-1]
            return PrincipalInfo(text, ROLE, account_or_none, partition, name=name, role_name=name)
    if service == "sts":
        if resource.startswith("assumed-role/"):
            pieces = resource.split("/")
            role = pieces[1] if len(pieces) > 1 else None
            session = "/".join(pieces[2:]) or None
            return PrincipalInfo(text, ASSUMED_ROLE, account_or_none, partition, name=session,
                                 role_name=role, session_name=session)
        if resource.startswith("federated-user/"):
            return PrincipalInfo(text, FEDERATED_USER, account_or_none, partition,
                                 name=resource.split("/", 1)[1])
    return PrincipalInfo(text, UNKNOWN, account_or_none, partition)


# How a Principal entry matched; the same-account rules of "Policy evaluation
# logic" depend on it (a user or session ARN, a role ARN, or an account).
VIA_SESSION = "session"
VIA_USER = "user"
VIA_ROLE = "role"
VIA_ACCOUNT = "account"
VIA_WILDCARD = "wildcard"
VIA_SERVICE = "service"
VIA_FEDERATED = "federated"
VIA_CANONICAL_USER = "canonical-user"
_RANK = {VIA_SESSION: 0, VIA_USER: 0, VIA_SERVICE: 0, VIA_FEDERATED: 0, VIA_CANONICAL_USER: 0,
         VIA_ROLE: 1, VIA_ACCOUNT: 2, VIA_WILDCARD: 3}


def _aws_entry_matches(entry: str, info: PrincipalInfo) -> str | None:
    if entry == info.arn:
        if info.kind == USER:
            return VIA_USER
        if info.kind in (ASSUMED_ROLE, FEDERATED_USER):
            return VIA_SESSION
        if info.kind == ACCOUNT:
            return VIA_ACCOUNT
        if info.kind == ROLE:
            return VIA_ROLE
        return VIA_USER
    parts = split_arn(entry)
    if parts is None or info.account is None:
        return None
    _p, service, _r, account, resource = parts
    if service != "iam" or account != info.account:
        return None
    if resource == "root":
        return VIA_ACCOUNT
    if info.kind == ASSUMED_ROLE and resource.startswith("role/"):
        if resource.rsplit("/", 1)[-1] == info.role_name:
            return VIA_ROLE
    return None


def principal_matches(spec: PrincipalSpec, info: PrincipalInfo) -> str | None:
    """How `spec` names the request's principal (a VIA_* value), or None.

    An account (``123456789012`` or ``arn:aws:iam::123456789012:root``) names
    every principal of that account; a role ARN names the role's sessions; a
    user, session or federated-user ARN names exactly that principal; ``"*"``
    names everyone ("AWS JSON policy elements: Principal"). When several
    entries match, the most specific wins."""
    best: str | None = None
    if info.kind != SERVICE:
        for entry in spec.aws:
            via = _aws_entry_matches(entry, info)
            if via is not None and (best is None or _RANK[via] < _RANK[best]):
                best = via
    if best is None or _RANK[best] > 0:
        if info.kind == SERVICE and info.arn in spec.service:
            best = VIA_SERVICE
        elif info.arn in spec.federated:
            best = VIA_FEDERATED
        elif info.arn in spec.canonical_user:
            best = VIA_CANONICAL_USER
    if best is None and spec.wildcard:
        best = VIA_WILDCARD
    return best


def _lists(spec: PrincipalSpec, arn: str) -> bool:
    return arn in spec.aws


def not_principal_excludes(spec: PrincipalSpec, info: PrincipalInfo) -> bool:
    """Whether a `NotPrincipal` list exempts the request's principal.

    "AWS JSON policy elements: NotPrincipal": AWS may evaluate the account
    first, then the role, then the session (or the account, then the user), so
    a principal is exempt only when the list names each of them: the account
    (ID or root ARN), and the user, or the role and the session ARN. A service
    principal is exempt when its service name is listed."""
    if spec.wildcard:
        return True
    if info.kind == SERVICE:
        return info.arn in spec.service
    if info.arn in spec.federated or info.arn in spec.canonical_user:
        return True
    if info.account is None:
        return _lists(spec, info.arn)
    account_arn = f"arn:{info.partition}:iam::{info.account}:root"
    if not _lists(spec, account_arn):
        return False
    if info.kind == ACCOUNT:
        return True
    if info.kind == ASSUMED_ROLE:
        role_listed = any(
            _aws_entry_matches(entry, info) == VIA_ROLE for entry in spec.aws
        )
        return role_listed and _lists(spec, info.arn)
    return _lists(spec, info.arn)
