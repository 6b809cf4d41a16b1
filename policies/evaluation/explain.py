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
    `reason` is the first element that failed and `detail` says why in words.
    `principal_via` tells how Principal named the caller (resource policies)."""

    statement: Statement
    matched: bool
    reason: str | None = None
    detail: str | None = None
    conditions: tuple[ConditionOutcome, ...] = ()
    principal_via: str | None = None

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
        if self.conditions:
            out["conditions"] = [c.to_dict() for c in self.conditions]
        if self.principal_via is not None:
            out["principal_matched_as"] = self.principal_via
        return out


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
