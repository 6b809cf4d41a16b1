"""Immutable model of a parsed IAM policy document.

Implements the shape of the policy language described in the IAM User Guide,
"IAM JSON policy element reference"
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html).
Instances are built once by :mod:`policies.evaluation.parser` and never change,
so they can be cached by content and shared between requests and threads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

VERSION_2012 = "2012-10-17"
VERSION_2008 = "2008-10-17"

ALLOW = "Allow"
DENY = "Deny"


@dataclass(frozen=True, slots=True)
class ActionMatcher:
    """Pre-compiled action patterns (lower-cased): exact names in sets keyed by
    service prefix, wildcard patterns as one regex per service prefix."""

    match_all: bool
    exact: frozenset[str]
    by_service: dict[str, re.Pattern[str]] = field(compare=False, hash=False)
    any_service: re.Pattern[str] | None = field(compare=False, hash=False)
    # the service prefixes of `exact` and `by_service` (what Policy.candidate_positions indexes)
    services: frozenset[str] = field(default=frozenset(), compare=False, hash=False)


@dataclass(frozen=True, slots=True)
class ResourcePattern:
    """One `Resource`/`NotResource` entry as written.

    `has_variables` is true when the entry must be resolved per request
    (Version 2012-10-17 and a `${...}` in the text); otherwise `regex` is the
    compiled pattern (None when the entry is an exact ARN or `*`)."""

    text: str
    has_variables: bool
    regex: re.Pattern[str] | None = field(compare=False, hash=False)
    # ":*" segments appended before matching a short ARN pattern (see matching.compile_resource)
    padding: str = field(default="", compare=False, hash=False)


@dataclass(frozen=True, slots=True)
class PrincipalSpec:
    """A `Principal` or `NotPrincipal` element.

    `wildcard` is true for `"*"` and `{"AWS": "*"}`. `aws` holds the AWS entries
    normalised to ARNs (a bare account ID becomes `arn:aws:iam::ID:root`)."""

    wildcard: bool = False
    aws: tuple[str, ...] = ()
    service: tuple[str, ...] = ()
    federated: tuple[str, ...] = ()
    canonical_user: tuple[str, ...] = ()

    def to_json(self) -> object:
        if self.wildcard and not (self.aws or self.service or self.federated or self.canonical_user):
            return "*"
        out: dict[str, list[str]] = {}
        for name, values in (
            ("AWS", self.aws),
            ("Service", self.service),
            ("Federated", self.federated),
            ("CanonicalUser", self.canonical_user),
        ):
            if values:
                out[name] = list(values)
        if self.wildcard:
            out.setdefault("AWS", []).insert(0, "*")
        return out


@dataclass(frozen=True, slots=True)
class Condition:
    """One condition: an operator (as written), one key and its values.

    `operator` is the full text (``ForAllValues:StringLikeIfExists``);
    `base_operator` the AWS operator name without qualifier or ``IfExists``
    (``StringLike``); `set_operator` is ``"ForAllValues"``, ``"ForAnyValue"``
    or None; values are normalised to strings (JSON true -> ``"true"``)."""

    operator: str
    base_operator: str
    set_operator: str | None
    if_exists: bool
    key: str
    values: tuple[str, ...]
    values_have_variables: bool = False

    @property
    def key_lower(self) -> str:
        return self.key.lower()


@dataclass(frozen=True, slots=True)
class Statement:
    """One statement. `actions`/`not_actions`, `resources`/`not_resources` are
    the entries as written (None when the element is absent)."""

    index: int
    sid: str | None
    effect: str
    actions: tuple[str, ...] | None
    not_actions: tuple[str, ...] | None
    resources: tuple[str, ...] | None
    not_resources: tuple[str, ...] | None
    principal: PrincipalSpec | None
    not_principal: PrincipalSpec | None
    conditions: tuple[Condition, ...]
    action_matcher: ActionMatcher = field(compare=False, repr=False)
    resource_patterns: tuple[ResourcePattern, ...] | None = field(compare=False, repr=False, default=None)

    @property
    def label(self) -> str:
        return self.sid if self.sid else f"Statement[{self.index}]"


@dataclass(frozen=True, slots=True)
class Policy:
    """A parsed policy document. `version` is the `Version` element, or
    ``"2008-10-17"`` when it is missing (AWS treats a missing Version so).

    `action_index` is derived from the statements (also after
    ``dataclasses.replace``): see :func:`candidate_positions`."""

    version: str
    id: str | None
    statements: tuple[Statement, ...]
    source_text: str = field(compare=False, repr=False)
    version_given: bool = True
    action_index: tuple[dict[str, tuple[int, ...]], tuple[int, ...]] = field(
        init=False, compare=False, repr=False, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "action_index", _index_by_service(self.statements))

    @property
    def variables_enabled(self) -> bool:
        return self.version == VERSION_2012

    def candidate_positions(self, service: str) -> tuple[int, ...]:
        """Positions (in `statements`) of the statements whose Action/NotAction
        can match an action of `service` (the lower-cased prefix): a statement
        naming only other services' actions cannot, so the evaluation skips it
        and explains it as "action not matched" without looking further."""
        by_service, always = self.action_index
        return by_service.get(service, always)


def _index_by_service(statements: tuple[Statement, ...]) -> tuple[dict[str, tuple[int, ...]], tuple[int, ...]]:
    always: list[int] = []
    named: dict[str, list[int]] = {}
    for pos, st in enumerate(statements):
        m = st.action_matcher
        if st.not_actions is not None or m.match_all or m.any_service is not None:
            always.append(pos)
            continue
        services = m.services or {a.partition(":")[0] for a in m.exact} | set(m.by_service)
        for service in services:
            named.setdefault(service, []).append(pos)
    if not always:
        return {service: tuple(positions) for service, positions in named.items()}, ()
    return {service: tuple(sorted({*positions, *always})) for service, positions in named.items()}, tuple(always)
