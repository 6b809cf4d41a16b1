"""One function per AWS condition operator, all behind one signature.

Implements "IAM JSON policy elements: Condition operators"
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html).

Every operator is ``fn(context_value, policy_values, escaped) -> bool`` and says
whether ONE context value satisfies the operator given the policy's values
(several policy values are OR-ed; a negated operator means "none of these").
Missing keys, multivalued keys, ``IfExists`` and ``ForAllValues:``/``ForAnyValue:``
are handled by the wrappers in :mod:`policies.evaluation.conditions`.
`escaped` is true when the policy values came through policy-variable
substitution in wildcard form (see :func:`variables.substitute`).
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

from ..matching import arn_like, string_like

OperatorFn = Callable[[str, Sequence[str], bool], bool]


@dataclass(frozen=True, slots=True)
class OperatorSpec:
    name: str
    fn: OperatorFn
    negated: bool = False
    glob: bool = False  # policy values are wildcard patterns


OPERATORS: dict[str, OperatorSpec] = {}


def _register(name: str, *, negated: bool = False, glob: bool = False) -> Callable[[OperatorFn], OperatorFn]:
    def deco(fn: OperatorFn) -> OperatorFn:
        OPERATORS[name] = OperatorSpec(name, fn, negated, glob)
        return fn

    return deco


def _unescape(value: str, escaped: bool) -> str:
    return re.sub(r"\\(.)", r"\1", value) if escaped else value


# ---------------------------------------------------------------- String operators


@_register("StringEquals")
def string_equals(ctx: str, values: Sequence[str], escaped: bool) -> bool:
    return ctx in values


@_register("StringNotEquals", negated=True)
def string_not_equals(ctx: str, values: Sequence[str], escaped: bool) -> bool:
    return ctx not in values


@_register("StringEqualsIgnoreCase")
def string_equals_ignore_case(ctx: str, values: Sequence[str], escaped: bool) -> bool:
    folded = ctx.casefold()
    return any(folded == v.casefold() for v in values)


@_register("StringNotEqualsIgnoreCase", negated=True)
def string_not_equals_ignore_case(ctx: str, values: Sequence[str], escaped: bool) -> bool:
    return not string_equals_ignore_case(ctx, values, escaped)


@_register("StringLike", glob=True)
def string_like_op(ctx: str, values: Sequence[str], escaped: bool) -> bool:
    return any(string_like(ctx, v, escaped) for v in values)


@_register("StringNotLike", negated=True, glob=True)
def string_not_like(ctx: str, values: Sequence[str], escaped: bool) -> bool:
    return not string_like_op(ctx, values, escaped)


# --------------------------------------------------------------- Numeric operators


@lru_cache(maxsize=4096)
def parse_number(text: str) -> float | None:
    try:
        value = float(text.strip())
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _numeric(compare: Callable[[float, float], bool]) -> OperatorFn:
    def fn(ctx: str, values: Sequence[str], escaped: bool) -> bool:
        left = parse_number(ctx)
        if left is None:
            return False
        for v in values:
            right = parse_number(v)
            if right is not None and compare(left, right):
                return True
        return False

    return fn


numeric_equals = _register("NumericEquals")(_numeric(lambda a, b: a == b))
numeric_less_than = _register("NumericLessThan")(_numeric(lambda a, b: a < b))
numeric_less_than_equals = _register("NumericLessThanEquals")(_numeric(lambda a, b: a <= b))
numeric_greater_than = _register("NumericGreaterThan")(_numeric(lambda a, b: a > b))
numeric_greater_than_equals = _register("NumericGreaterThanEquals")(_numeric(lambda a, b: a >= b))


@_register("NumericNotEquals", negated=True)
def numeric_not_equals(ctx: str, values: Sequence[str], escaped: bool) -> bool:
    return parse_number(ctx) is not None and not numeric_equals(ctx, values, escaped)


# ------------------------------------------------------------------ Date operators

_EPOCH = re.compile(r"^\s*-?\d+(\.\d+)?\s*$")


@lru_cache(maxsize=4096)
def parse_date(text: str) -> float | None:
    """Seconds since the epoch for an ISO 8601 date/time (a date alone is
    midnight UTC; no offset means UTC) or for epoch seconds, so that the two
    forms compare correctly against each other ("Condition operators", Date
    condition operators)."""
    if _EPOCH.match(text):
        return float(text)
    candidate = text.strip()
    if candidate.endswith(("Z", "z")):
        candidate = candidate[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(candidate)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def _date(compare: Callable[[float, float], bool]) -> OperatorFn:
    def fn(ctx: str, values: Sequence[str], escaped: bool) -> bool:
        left = parse_date(ctx)
        if left is None:
            return False
        for v in values:
            right = parse_date(v)
            if right is not None and compare(left, right):
                return True
        return False

    return fn


date_equals = _register("DateEquals")(_date(lambda a, b: a == b))
date_less_than = _register("DateLessThan")(_date(lambda a, b: a < b))
date_less_than_equals = _register("DateLessThanEquals")(_date(lambda a, b: a <= b))
date_greater_than = _register("DateGreaterThan")(_date(lambda a, b: a > b))
date_greater_than_equals = _register("DateGreaterThanEquals")(_date(lambda a, b: a >= b))


@_register("DateNotEquals", negated=True)
def date_not_equals(ctx: str, values: Sequence[str], escaped: bool) -> bool:
    return parse_date(ctx) is not None and not date_equals(ctx, values, escaped)


# --------------------------------------------------------- Boolean, binary, Null


@_register("Bool")
def bool_op(ctx: str, values: Sequence[str], escaped: bool) -> bool:
    folded = ctx.strip().lower()
    if folded not in ("true", "false"):
        return False
    return any(folded == v.strip().lower() for v in values)


def _b64(text: str) -> bytes | None:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None


@_register("BinaryEquals")
def binary_equals(ctx: str, values: Sequence[str], escaped: bool) -> bool:
    left = _b64(ctx)
    for v in values:
        right = _b64(v)
        if left is not None and right is not None:
            if left == right:
                return True
        elif ctx == v:
            return True
    return False


# ------------------------------------------------------------ IP address operators


@lru_cache(maxsize=4096)
def _network(text: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    try:
        return ipaddress.ip_network(text.strip(), strict=False)
    except ValueError:
        return None


@lru_cache(maxsize=4096)
def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        net = _network(text)
        return net.network_address if net is not None and net.num_addresses == 1 else None


@_register("IpAddress")
def ip_address(ctx: str, values: Sequence[str], escaped: bool) -> bool:
    addr = _address(ctx)
    if addr is None:
        return False
    for v in values:
        net = _network(v)
        if net is not None and net.version == addr.version and addr in net:
            return True
    return False


@_register("NotIpAddress", negated=True)
def not_ip_address(ctx: str, values: Sequence[str], escaped: bool) -> bool:
    return _address(ctx) is not None and not ip_address(ctx, values, escaped)


# ---------------------------------------------------------------- ARN operators


@_register("ArnLike", glob=True)
def arn_like_op(ctx: str, values: Sequence[str], escaped: bool) -> bool:
    return any(arn_like(ctx, v, escaped) for v in values)


# AWS documents ArnEquals and ArnLike as the same segment-wise wildcard match.
arn_equals = _register("ArnEquals", glob=True)(arn_like_op)


@_register("ArnNotLike", negated=True, glob=True)
def arn_not_like(ctx: str, values: Sequence[str], escaped: bool) -> bool:
    return not arn_like_op(ctx, values, escaped)


arn_not_equals = _register("ArnNotEquals", negated=True, glob=True)(arn_not_like)


@_register("Null")
def null(ctx: str, values: Sequence[str], escaped: bool) -> bool:
    """Called only when the key is present: true for a policy value "false"."""
    return any(v.strip().lower() == "false" for v in values)


def unescape(value: str, escaped: bool) -> str:
    return _unescape(value, escaped)
