"""Explanation objects: what each statement, policy and step of the flow did.

Modelled on IAM's own outputs: SimulatePrincipalPolicy's EvaluationResult
(MatchedStatements, MissingContextValues) and the access denied messages of
"Troubleshoot access denied error messages"
(https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html).
Everything here is immutable and turns into JSON-ready dicts with ``to_dict``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

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
PRINCIPAL_NOT_SUPPORTED = "principal not supported"


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
                if self.unresolved and st.effect == "Allow":
                    return (f"a policy variable in NotResource {_short(st.not_resources)} could not be resolved, "
                            f"so this Allow statement grants nothing")
                return f"{self.subject} is listed in NotResource {_short(st.not_resources)}{note}"
            return f"{self.subject} is not matched by Resource {_short(st.resources or ())}{note}"
        if self.reason == PRINCIPAL_NOT_SUPPORTED:
            element = "Principal" if st.principal is not None else "NotPrincipal"
            return (f"{element} is not allowed in this type of policy (IAM refuses such a document), "
                    f"so this Allow statement grants nothing")
        if self.reason == PRINCIPAL_NOT_MATCHED:
            if st.principal is not None:
                return f"{self.subject} is not named in Principal"
            if st.not_principal is not None:
                return f"{self.subject} is excluded by NotPrincipal"
            return "the statement has no Principal element"
        failed = self.failed_condition
        if failed is not None:
            cond = failed.condition
            if cond.base_operator == "Null" and cond.set_operator is not None:
                return (f"{cond.operator} on {cond.key} is always false (IAM Access Analyzer: the Null operator with "
                        f"ForAnyValue always returns false)")
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


@lru_cache(maxsize=16384)
def _short(values: tuple[str, ...], limit: int = 10) -> str:
    shown = list(values[:limit])
    more = f" and {len(values) - limit} more" if len(values) > limit else ""
    return f"{shown}{more}"


def _action_not_matched_dict(st: Statement, action: str) -> dict[str, object]:
    """StatementResult(st, False, ACTION_NOT_MATCHED, action).to_dict(), built directly: most
    statements of most requests end here."""
    if st.not_actions is not None:
        detail = f"{action} is listed in NotAction {_short(st.not_actions)}"
    else:
        detail = f"{action} is not matched by Action {_short(st.actions or ())}"
    return {"sid": st.sid, "index": st.index, "effect": st.effect, "matched": False,
            "reason": ACTION_NOT_MATCHED, "detail": detail}


class PolicyResult:
    """All statements of one policy against one request.

    Only the statements whose Action/NotAction matches the request are
    evaluated further (`evaluated`, with their position in the policy); the
    others did not match on the action, and their StatementResult is only
    built when `statements` or `to_dict` asks for it. `allows` and `denies`
    are the matching Allow and Deny statements."""

    __slots__ = ("_statements", "action", "allows", "denies", "evaluated", "label", "level", "policy", "policy_type")

    def __init__(self, label: str, policy_type: str, policy: Policy,
                 evaluated: tuple[tuple[int, StatementResult], ...], level: int | None = None,
                 action: str = "") -> None:
        self.label = label
        self.policy_type = policy_type
        self.policy = policy
        self.evaluated = evaluated
        self.level = level
        self.action = action
        self._statements: tuple[StatementResult, ...] | None = None
        allows: list[StatementResult] = []
        denies: list[StatementResult] = []
        for _pos, result in evaluated:
            if result.matched:
                (allows if result.statement.effect == "Allow" else denies).append(result)
        self.allows: tuple[StatementResult, ...] = tuple(allows)
        self.denies: tuple[StatementResult, ...] = tuple(denies)

    @property
    def statements(self) -> tuple[StatementResult, ...]:
        """One result per statement of the policy, in order."""
        if self._statements is None:
            done = dict(self.evaluated)
            self._statements = tuple(
                done[pos] if pos in done else StatementResult(st, False, ACTION_NOT_MATCHED, self.action)
                for pos, st in enumerate(self.policy.statements))
        return self._statements

    def ref(self, result: StatementResult) -> StatementRef:
        st = result.statement
        return StatementRef(self.label, self.policy_type, st.sid, st.index, st.effect)

    def to_dict(self) -> dict[str, object]:
        if self._statements is not None:
            statements = [s.to_dict() for s in self._statements]
        else:
            done = dict(self.evaluated)
            action = self.action
            statements = [done[pos].to_dict() if pos in done else _action_not_matched_dict(st, action)
                          for pos, st in enumerate(self.policy.statements)]
        out: dict[str, object] = {
            "policy_type": self.policy_type,
            "label": self.label,
            "allows": bool(self.allows),
            "denies": bool(self.denies),
            "statements": statements,
        }
        if self.level is not None:
            out["level"] = self.level
        return out

    def __repr__(self) -> str:
        return (f"PolicyResult(label={self.label!r}, policy_type={self.policy_type!r}, "
                f"allows={len(self.allows)}, denies={len(self.denies)})")


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
