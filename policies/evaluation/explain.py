"""Explanation objects: what each statement, policy and step of the flow did.

Modelled on IAM's own outputs: SimulatePrincipalPolicy's EvaluationResult
(MatchedStatements, MissingContextValues) and the access denied messages of
"Troubleshoot access denied error messages"
(https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html).
Everything here is immutable and turns into JSON-ready dicts with ``to_dict``.
"""

from __future__ import annotations

from dataclasses import dataclass

from .conditions import ConditionOutcome
from .model import Policy, Statement

# AWS's words for the policy types, as the access denied messages use them.
IDENTITY = "identity-based policy"
BOUNDARY = "permissions boundary"
SESSION = "session policy"
SCP = "service control policy"
RCP = "resource control policy"
RESOURCE = "resource-based policy"

# Why a statement did not match.
ACTION_NOT_MATCHED = "action not matched"
RESOURCE_NOT_MATCHED = "resource not matched"
PRINCIPAL_NOT_MATCHED = "principal not matched"
CONDITION_NOT_MATCHED = "condition not matched"


@dataclass(frozen=True, slots=True)
class StatementRef:
    """A statement that decided: which policy (label and AWS policy type), its
    Sid (or None) and its 0-based index in the policy, and its Effect."""

    policy_label: str
    policy_type: str
    sid: str | None
    index: int
    effect: str

    def to_dict(self) -> dict[str, object]:
        return {
            "policy_label": self.policy_label,
            "policy_type": self.policy_type,
            "sid": self.sid,
            "index": self.index,
            "effect": self.effect,
        }


@dataclass(frozen=True, slots=True)
class StatementResult:
    """One statement against one request. `matched` means the statement applies
    (action, resource, principal and every condition match). When it does not,
    `reason` is the first element that failed (checked in the order Action,
    Resource, Principal, Condition) and `detail` says why in words; `subject`
    is the request's value for that element. `principal_via` tells how
    Principal named the caller (resource policies)."""

    statement: Statement
    matched: bool
    reason: str | None = None
    subject: str | None = None
    conditions: tuple[ConditionOutcome, ...] = ()
    principal_via: str | None = None
    unresolved: bool = False

    @property
    def failed_condition(self) -> ConditionOutcome | None:
        if self.reason != CONDITION_NOT_MATCHED:
            return None
        return next((c for c in self.conditions if not c.result), None)

    @property
    def detail(self) -> str | None:
        st = self.statement
        if self.reason == ACTION_NOT_MATCHED:
            if st.not_actions is not None:
                return f"{self.subject} is listed in NotAction {_short(st.not_actions)}"
            return f"{self.subject} is not matched by Action {_short(st.actions or ())}"
        if self.reason == RESOURCE_NOT_MATCHED:
            note = (" (a policy variable could not be resolved, so that entry matches nothing)"
                    if self.unresolved else "")
            if st.not_resources is not None:
                return f"{self.subject} is listed in NotResource {_short(st.not_resources)}{note}"
            return f"{self.subject} is not matched by Resource {_short(st.resources or ())}{note}"
        if self.reason == PRINCIPAL_NOT_MATCHED:
            if st.principal is not None:
                return f"{self.subject} is not named in Principal"
            if st.not_principal is not None:
                return f"{self.subject} is excluded by NotPrincipal"
            return "the statement has no Principal element"
        failed = self.failed_condition
        if failed is not None:
            cond = failed.condition
            if failed.missing:
                return f"{cond.operator} on {cond.key} failed: the key is missing from the request context"
            value = failed.context_value
            shown = list(value) if isinstance(value, tuple) else value
            return (f"{cond.operator} on {cond.key} failed: request value {shown!r} "
                    f"against policy values {list(failed.policy_values)!r}")
        return None

    def to_dict(self) -> dict[str, object]:
        st = self.statement
        out: dict[str, object] = {
            "sid": st.sid,
            "index": st.index,
            "effect": st.effect,
            "matched": self.matched,
            "reason": self.reason,
            "detail": self.detail,
        }
        failed = self.failed_condition
        if failed is not None:
            out["failed_condition"] = {"key": failed.condition.key, "operator": failed.condition.operator}
        if self.conditions:
            out["conditions"] = [c.to_dict() for c in self.conditions]
        if self.principal_via is not None:
            out["principal_matched_as"] = self.principal_via
        return out


def _short(values: tuple[str, ...], limit: int = 10) -> str:
    shown = list(values[:limit])
    more = f" and {len(values) - limit} more" if len(values) > limit else ""
    return f"{shown}{more}"


@dataclass(frozen=True, slots=True)
class PolicyResult:
    """All statements of one policy against one request."""

    label: str
    policy_type: str
    policy: Policy
    statements: tuple[StatementResult, ...]
    level: int | None = None

    @property
    def allows(self) -> tuple[StatementResult, ...]:
        return tuple(s for s in self.statements if s.matched and s.statement.effect == "Allow")

    @property
    def denies(self) -> tuple[StatementResult, ...]:
        return tuple(s for s in self.statements if s.matched and s.statement.effect == "Deny")

    def ref(self, result: StatementResult) -> StatementRef:
        st = result.statement
        return StatementRef(self.label, self.policy_type, st.sid, st.index, st.effect)

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
            "policy_type": self.policy_type,
            "label": self.label,
            "allows": bool(self.allows),
            "denies": bool(self.denies),
            "statements": [s.to_dict() for s in self.statements],
        }
        if self.level is not None:
            out["level"] = self.level
        return out


# Step outcomes.
PASSED = "passed"
DENIED = "denied"
ALLOWED_OUTCOME = "allowed"
SKIPPED = "skipped"
NOT_REACHED = "notReached"


@dataclass(frozen=True, slots=True)
class Step:
    """One step of AWS's decision flow and what it concluded."""

    name: str
    outcome: str
    detail: str

    def to_dict(self) -> dict[str, object]:
        return {"step": self.name, "outcome": self.outcome, "detail": self.detail}
