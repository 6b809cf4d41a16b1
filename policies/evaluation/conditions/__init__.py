"""Condition operators found by AWS's name, with the IfExists and set-operator
wrappers.

Implements "IAM JSON policy elements: Condition operators"
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html)
and "Single-valued vs. multivalued context keys"
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..model import Condition
from ..variables import ContextValue, substitute
from .operators import OPERATORS, OperatorSpec

__all__ = ["OPERATORS", "ConditionOutcome", "OperatorSpec", "evaluate_condition", "parse_operator"]

SET_OPERATORS = ("ForAllValues", "ForAnyValue")


def parse_operator(text: str) -> tuple[str, str | None, bool] | None:
    """Split ``ForAnyValue:StringLikeIfExists`` into (base operator, set
    operator, if_exists); None when AWS has no such operator. Operator names
    are case-sensitive, as AWS writes them."""
    set_op: str | None = None
    name = text
    if ":" in name:
        prefix, _, name = name.partition(":")
        if prefix not in SET_OPERATORS:
            return None
        set_op = prefix
    if_exists = False
    if name.endswith("IfExists"):
        name = name[: -len("IfExists")]
        if_exists = True
        if name == "Null":
            return None  # "You can't use IfExists with the Null operator"
    if name not in OPERATORS:
        return None
    # ForAllValues:Null / ForAnyValue:Null are accepted by IAM (Access Analyzer
    # only suggests NULL_WITH_QUALIFIER); see evaluate_condition for their result.
    return name, set_op, if_exists


@dataclass(frozen=True, slots=True)
class ConditionOutcome:
    """The result of one condition with what was compared: the context value
    (None when the key was missing) and the policy values after variable
    substitution (values whose variable could not be resolved are dropped and
    counted in `unresolved`)."""

    condition: Condition
    result: bool
    context_value: ContextValue | None
    policy_values: tuple[str, ...]
    unresolved: int = 0

    @property
    def missing(self) -> bool:
        return self.context_value is None

    def to_dict(self) -> dict[str, object]:
        value = self.context_value
        out: dict[str, object] = {
            "operator": self.condition.operator,
            "key": self.condition.key,
            "result": self.result,
            "missing": value is None,
            "context_value": list(value) if isinstance(value, tuple) else value,
            "policy_values": list(self.policy_values),
        }
        if self.unresolved:
            out["unresolved_variables"] = self.unresolved
        return out


def _resolve_values(
    cond: Condition, context: Mapping[str, ContextValue], glob: bool, variables: bool
) -> tuple[tuple[str, ...], bool, int]:
    if not (variables and cond.values_have_variables):
        return cond.values, False, 0
    resolved: list[str] = []
    unresolved = 0
    for v in cond.values:
        s = substitute(v, context, glob=glob)
        if s is None:
            unresolved += 1
        else:
            resolved.append(s)
    return tuple(resolved), glob, unresolved


def evaluate_condition(
    cond: Condition, context: Mapping[str, ContextValue], variables: bool = True
) -> ConditionOutcome:
    """Evaluate one condition against a context whose keys are lower-cased.

    - key missing: a negated operator (StringNotEquals, NotIpAddress,
      ArnNotLike, ...) is true, others false; ``...IfExists`` is true;
      ``ForAllValues:`` is true and ``ForAnyValue:`` false.
    - ``ForAllValues:`` is true for an empty list or an empty string, ``ForAnyValue:``
      false for an empty list.
    - a multivalued value under a plain operator: a positive operator needs one
      matching value, a negated one needs none.
    - a policy value whose variable is unresolved matches nothing, so a negated
      operator against it is true ("Policy variables").
    - ``ForAllValues:Null`` is always true and ``ForAnyValue:Null`` always false,
      whatever the key and the policy value: IAM accepts both, and IAM Access
      Analyzer's check NULL_WITH_QUALIFIER says they "always return a true or
      false respectively" ("IAM policy validation check reference").
    """
    spec = OPERATORS[cond.base_operator]
    value = context.get(cond.key_lower)
    if cond.base_operator == "Null":
        if cond.set_operator is not None:
            return ConditionOutcome(cond, cond.set_operator == "ForAllValues", value, cond.values)
        present = value is not None
        result = any(v.strip().lower() == ("false" if present else "true") for v in cond.values)
        return ConditionOutcome(cond, result, value, cond.values)
    values, escaped, unresolved = _resolve_values(cond, context, spec.glob, variables)
    if value is None:
        if cond.if_exists or cond.set_operator == "ForAllValues":
            result = True
        elif cond.set_operator == "ForAnyValue":
            result = False
        else:
            result = spec.negated
        return ConditionOutcome(cond, result, None, values, unresolved)
    fn = spec.fn
    if value == "" and cond.set_operator == "ForAllValues":
        # "It also returns true if ... the context key value resolves to a null data set,
        # such as an empty string" ("Condition operators", ForAllValues).
        result = True
    elif isinstance(value, str):
        result = fn(value, values, escaped)
    elif cond.set_operator == "ForAllValues":
        result = all(fn(v, values, escaped) for v in value)
    elif cond.set_operator == "ForAnyValue":
        result = any(fn(v, values, escaped) for v in value)
    elif spec.negated:
        result = all(fn(v, values, escaped) for v in value)
    else:
        result = any(fn(v, values, escaped) for v in value)
    return ConditionOutcome(cond, result, value, values, unresolved)
