"""The policy simulator's service layer: SimulatePrincipalPolicy, SimulateCustomPolicy,
GetContextKeysForPrincipalPolicy and GetContextKeysForCustomPolicy
(https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulatePrincipalPolicy.html,
https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_testing-policies.html).

Every decision is the evaluation engine's own (:func:`policies.evaluation.evaluate`); this
module gathers the policies, builds one request per action and resource, and shapes the
engine's :class:`Decision` like AWS's EvaluationResult so the console and the API render the
same object.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from accounts import lookups
from accounts.activity import operation
from accounts.errors import InvalidInput, NoSuchEntity
from accounts.principal import Caller
from policies import authz
from policies.evaluation import Decision, Policy, PolicyParseError, Request, evaluate, parse_policy
from policies.evaluation.jsonpos import index_positions, line_column
from policies.evaluation.variables import referenced_keys

# AWS's SourcePolicyType values in MatchedStatements.
_SOURCE_TYPES = {"AWS managed": "aws-managed", "AWS managed - job function": "aws-managed",
                 "Customer managed": "user-managed"}
_ARN = re.compile(r"^arn:aws[a-z-]*:iam::(\d{12}):(user|group|role)/(?:.*/)?([^/]+)$")
_ACCOUNT_ARN = re.compile(r"^arn:aws[a-z-]*:iam::(\d{12}):root$")


@dataclass(frozen=True)
class SimPolicy:
    """A policy taking part in a simulation: AWS's SourcePolicyId and SourcePolicyType, where it
    comes from (for the console's list), its text, and whether it was excluded."""

    policy_id: str  # label given to the engine (unique within a simulation)
    name: str  # SourcePolicyId
    source_type: str  # SourcePolicyType: user, group, role, aws-managed, user-managed, resource, none
    kind: str  # identity, boundary, session, resource, scp
    document: str
    description: str = ""
    arn: str = ""
    excluded: bool = False


@dataclass
class EvaluationResult:
    """AWS's EvaluationResult, plus the engine's Decision (``decision``) for the console."""

    action: str
    resource: str
    decision: Decision
    policies: Mapping[str, SimPolicy] = field(repr=False, default_factory=dict)

    @property
    def eval_decision(self) -> str:
        return self.decision.decision

    def matched_statements(self) -> list[dict[str, Any]]:
        out = []
        for ref in self.decision.matched_statements:
            policy = self.policies.get(ref.policy_label)
            start, end = statement_span(policy.document, ref.index) if policy else ((1, 1), (1, 1))
            out.append({
                "SourcePolicyId": policy.name if policy else ref.policy_label,
                "SourcePolicyType": policy.source_type if policy else "none",
                "StartPosition": {"Line": start[0], "Column": start[1]},
                "EndPosition": {"Line": end[0], "Column": end[1]},
                # Ours: which statement, so the console can highlight it.
                "PolicyLabel": ref.policy_label,
                "StatementIndex": ref.index,
                "Sid": ref.sid,
                "Effect": ref.effect,
            })
        return out

    def boundary_allowed(self) -> bool | None:
        for result in self.decision.policy_results:
            if result.policy_type == "permissions boundary":
                return bool(result.allows) and not result.denies
        return None

    def organizations_allowed(self) -> bool | None:
        scps = [r for r in self.decision.policy_results if r.policy_type == "service control policy"]
        if not scps:
            return None
        return all(bool(r.allows) and not r.denies for r in scps)

    def to_dict(self) -> dict[str, Any]:
        """The EvaluationResult member names of the IAM API."""
        out: dict[str, Any] = {
            "EvalActionName": self.action,
            "EvalResourceName": self.resource,
            "EvalDecision": self.eval_decision,
            "MatchedStatements": self.matched_statements(),
            "MissingContextValues": list(self.decision.missing_context_values),
        }
        orgs = self.organizations_allowed()
        if orgs is not None:
            out["OrganizationsDecisionDetail"] = {"AllowedByOrganizations": orgs}
        boundary = self.boundary_allowed()
        if boundary is not None:
            out["PermissionsBoundaryDecisionDetail"] = {"AllowedByPermissionsBoundary": boundary}
        details = {}
        for result in self.decision.policy_results:
            if result.policy_type == "resource-based policy":
                details["Resource Policy"] = "explicitDeny" if result.denies else "allowed" if result.allows else "implicitDeny"
        if details:
            identity = [r for r in self.decision.policy_results if r.policy_type == "identity-based policy"]
            details["IAM Policy"] = ("explicitDeny" if any(r.denies for r in identity)
                                     else "allowed" if any(r.allows for r in identity) else "implicitDeny")
            out["EvalDecisionDetails"] = details
        return out


@lru_cache(maxsize=1024)
def statement_span(document: str, index: int) -> tuple[tuple[int, int], tuple[int, int]]:
    """Start and end (line, column) of Statement[index] in the policy text (cached: every
    result of a simulation points into the same few documents)."""
    try:
        positions = index_positions(document)
        data = json.loads(document)
    except (ValueError, RecursionError):
        return (1, 1), (1, 1)
    path: tuple[Any, ...] = ("Statement", index) if isinstance(data.get("Statement"), list) else ("Statement",)
    start = positions.value(path)
    if start is None:
        return (1, 1), (1, 1)
    offset = _offset(document, start.line, start.column)
    try:
        _, end = json.JSONDecoder().raw_decode(document, offset)
    except ValueError:
        return (start.line, start.column), (start.line, start.column)
    end_pos = line_column(document, end - 1)
    return (start.line, start.column), (end_pos.line, end_pos.column)


def _offset(text: str, line: int, column: int) -> int:
    lines = text.split("\n")
    return sum(len(x) + 1 for x in lines[: line - 1]) + column - 1


# ------------------------------------------------------------------ inputs


def _parse(text: str, what: str) -> Policy:
    try:
        return parse_policy(text)
    except PolicyParseError as error:
        raise InvalidInput(f"The {what} is not a valid policy: {error.message}") from error


def context_from_entries(entries: Iterable[Mapping[str, Any]] | Mapping[str, Any] | None) -> dict[str, Any]:
    """AWS's ContextEntries ({ContextKeyName, ContextKeyValues, ContextKeyType}) or a plain
    mapping -> the engine's request context. Types ending in List stay lists; an entry
    without values is left out (the console's "empty key is ignored")."""
    if not entries:
        return {}
    if isinstance(entries, Mapping):
        return {k: v for k, v in entries.items() if v not in (None, "", [])}
    context: dict[str, Any] = {}
    for entry in entries:
        name = (entry.get("ContextKeyName") or "").strip()
        values = [str(v) for v in entry.get("ContextKeyValues") or [] if str(v) != ""]
        if not name or not values:
            continue
        kind = (entry.get("ContextKeyType") or "string").lower()
        context[name] = values if kind.endswith("list") else values[0]
    return context


def _account_of(resource_owner: str | None) -> str | None:
    if not resource_owner:
        return None
    match = _ACCOUNT_ARN.match(resource_owner)
    if match:
        return match.group(1)
    if re.fullmatch(r"\d{12}", resource_owner):
        return resource_owner
    raise InvalidInput(f"ResourceOwner {resource_owner} is not an account ARN (arn:aws:iam::123456789012:root).")


def resolve_principal(caller: Caller, arn: str) -> tuple[str, Any]:
    """(kind, entity) of a user, group or role ARN of the caller's account; another account's
    entity does not exist here."""
    match = _ARN.match(arn or "")
    if not match:
        raise InvalidInput(f"Invalid ARN {arn}: PolicySourceArn must be the ARN of an IAM user, group or role.")
    account_id, kind, name = match.groups()
    if account_id != caller.account.account_id:
        raise NoSuchEntity(f"The {kind} with name {name} cannot be found.")
    getter = {"user": lookups.get_iam_user, "group": lookups.get_group, "role": lookups.get_role}[kind]
    entity = getter(caller.account, name)
    if entity.arn != arn:  # same name, other path
        raise NoSuchEntity(f"The {kind} with name {name} cannot be found.")
    return kind, entity


def principal_policies(kind: str, entity: Any) -> list[SimPolicy]:
    """The policies of a user (direct and through its groups), group or role, with their
    boundary, in the console's order."""
    gather = {"user": authz.gather_user_policies, "group": authz.gather_group_policies,
              "role": authz.gather_role_policies}[kind]
    gathered = gather(entity)
    out = []
    for label, source in gathered.sources.items():
        boundary = label.startswith("boundary:")
        if source.policy_type == "Customer inline":
            source_type = source.label.split("/", 1)[0]
        else:
            source_type = _SOURCE_TYPES.get(source.policy_type, "user-managed")
        out.append(SimPolicy(label, source.name, source_type, "boundary" if boundary else "identity",
                             source.document, f"{source.policy_type} · {source.attached_via}", source.arn))
    return out


def _run(principal_arn: str, action_names: Sequence[str], resource_arns: Sequence[str] | None,
         policies: list[SimPolicy], context: Mapping[str, Any], resource_account: str | None) -> list[EvaluationResult]:
    if not action_names:
        raise InvalidInput("ActionNames must contain at least one action.")
    active = [p for p in policies if not p.excluded]
    parsed = {p.policy_id: _parse(p.document, f"policy {p.name}") for p in active}
    identity = [(p.policy_id, parsed[p.policy_id]) for p in active if p.kind == "identity"]
    boundary = next(((p.policy_id, parsed[p.policy_id]) for p in active if p.kind == "boundary"), None)
    session = next(((p.policy_id, parsed[p.policy_id]) for p in active if p.kind == "session"), None)
    resource_policy = next(((p.policy_id, parsed[p.policy_id]) for p in active if p.kind == "resource"), None)
    scps = [(p.policy_id, parsed[p.policy_id]) for p in active if p.kind == "scp"]
    by_id = {p.policy_id: p for p in policies}
    resources = [r.strip() for r in (resource_arns or ()) if r and r.strip()] or ["*"]
    results = []
    for action in action_names:
        for resource in resources:
            request = Request(principal=principal_arn, action=action, resource=resource,
                              resource_account=resource_account, context=context)
            decision = evaluate(request, identity_policies=identity, permission_boundary=boundary,
                                session_policy=session, resource_policy=resource_policy,
                                scps=[scps] if scps else ())
            results.append(EvaluationResult(action, resource, decision, by_id))
    return results


def _extra_policies(resource_policy: str | None, session_policy: str | None, scps: Sequence[str] | None) -> list[SimPolicy]:
    out = []
    if resource_policy and resource_policy.strip():
        out.append(SimPolicy("ResourcePolicy", "ResourcePolicy", "resource", "resource", resource_policy))
    if session_policy and session_policy.strip():
        out.append(SimPolicy("SessionPolicy", "SessionPolicy", "none", "session", session_policy))
    for i, text in enumerate(t for t in (scps or ()) if t and t.strip()):
        out.append(SimPolicy(f"SCP.{i + 1}", f"SCP.{i + 1}", "none", "scp", text))
    return out


# ------------------------------------------------------------------ operations


@operation("SimulatePrincipalPolicy", read_only=True)
def simulate_principal_policy(
    caller: Caller,
    policy_source_arn: str,
    action_names: Sequence[str],
    resource_arns: Sequence[str] | None = None,
    context_entries: Iterable[Mapping[str, Any]] | Mapping[str, Any] | None = None,
    resource_policy: str | None = None,
    resource_owner: str | None = None,
    caller_arn: str | None = None,
    permissions_boundary_policies: Sequence[str] | None = None,
    policy_exclusions: Iterable[str] = (),
    session_policy: str | None = None,
    scps: Sequence[str] | None = None,
    policy_input_list: Sequence[str] | None = None,
) -> list[EvaluationResult]:
    """Simulate the policies of a user (including its groups' policies), group or role.

    ``policy_exclusions`` are policy ids (``SimPolicy.policy_id``) the console unticked;
    ``permissions_boundary_policies`` replaces the entity's boundary, as AWS's
    PermissionsBoundaryPolicyInputList does; ``policy_input_list`` adds policies."""
    authz.require(caller, "iam:SimulatePrincipalPolicy", policy_source_arn)
    kind, entity = resolve_principal(caller, policy_source_arn)
    excluded = set(policy_exclusions)
    policies = principal_policies(kind, entity)
    if permissions_boundary_policies:
        policies = [p for p in policies if p.kind != "boundary"]
        policies.append(SimPolicy("PermissionsBoundaryPolicyInputList.1", "PermissionsBoundaryPolicyInputList.1",
                                  "none", "boundary", permissions_boundary_policies[0]))
    for i, text in enumerate(t for t in (policy_input_list or ()) if t and t.strip()):
        policies.append(SimPolicy(f"PolicyInputList.{i + 1}", f"PolicyInputList.{i + 1}", "none", "identity", text))
    policies += _extra_policies(resource_policy, session_policy, scps)
    policies = [replace(p, excluded=p.policy_id in excluded) for p in policies]
    return _run(caller_arn or entity.arn, action_names, resource_arns, policies,
                context_from_entries(context_entries), _account_of(resource_owner))


@operation("SimulateCustomPolicy", read_only=True)
def simulate_custom_policy(
    caller: Caller,
    policy_input_list: Sequence[str],
    action_names: Sequence[str],
    resource_arns: Sequence[str] | None = None,
    context_entries: Iterable[Mapping[str, Any]] | Mapping[str, Any] | None = None,
    resource_policy: str | None = None,
    resource_owner: str | None = None,
    caller_arn: str | None = None,
    permissions_boundary_policies: Sequence[str] | None = None,
    policy_exclusions: Iterable[str] = (),
    session_policy: str | None = None,
    scps: Sequence[str] | None = None,
) -> list[EvaluationResult]:
    """Simulate pasted identity policies (and optionally a boundary, a resource-based policy,
    a session policy and SCPs). Without ``caller_arn`` the principal is an IAM user of the
    caller's account named ``SimulatedUser``."""
    authz.require(caller, "iam:SimulateCustomPolicy", "*")
    texts = [t for t in policy_input_list if t and t.strip()]
    if not texts:
        raise InvalidInput("PolicyInputList must contain at least one policy.")
    excluded = set(policy_exclusions)
    policies = [SimPolicy(f"PolicyInputList.{i + 1}", f"PolicyInputList.{i + 1}", "none", "identity", t)
                for i, t in enumerate(texts)]
    for i, text in enumerate(t for t in (permissions_boundary_policies or ()) if t and t.strip()):
        policies.append(SimPolicy(f"PermissionsBoundaryPolicyInputList.{i + 1}",
                                  f"PermissionsBoundaryPolicyInputList.{i + 1}", "none", "boundary", text))
    policies += _extra_policies(resource_policy, session_policy, scps)
    policies = [replace(p, excluded=p.policy_id in excluded) for p in policies]
    principal = caller_arn or f"arn:aws:iam::{caller.account.account_id}:user/SimulatedUser"
    return _run(principal, action_names, resource_arns, policies, context_from_entries(context_entries),
                _account_of(resource_owner))


def context_keys(texts: Iterable[str]) -> list[str]:
    """The condition keys (and keys of policy variables) the policies reference, as written,
    first spelling wins, sorted case-insensitively."""
    seen: dict[str, str] = {}
    for text in texts:
        try:
            policy = parse_policy(text)
        except PolicyParseError:
            continue
        for st in policy.statements:
            for condition in st.conditions:
                seen.setdefault(condition.key.lower(), condition.key)
                for value in condition.values:
                    for key in referenced_keys(value):
                        seen.setdefault(key.lower(), key)
            for resource in (st.resources or ()) + (st.not_resources or ()):
                for key in referenced_keys(resource):
                    seen.setdefault(key.lower(), key)
    return sorted(seen.values(), key=str.lower)


@operation("GetContextKeysForPrincipalPolicy", read_only=True)
def get_context_keys_for_principal_policy(caller: Caller, policy_source_arn: str,
                                          policy_input_list: Sequence[str] | None = None) -> list[str]:
    authz.require(caller, "iam:GetContextKeysForPrincipalPolicy", policy_source_arn)
    kind, entity = resolve_principal(caller, policy_source_arn)
    texts = [p.document for p in principal_policies(kind, entity)] + list(policy_input_list or ())
    return context_keys(texts)


@operation("GetContextKeysForCustomPolicy", read_only=True)
def get_context_keys_for_custom_policy(caller: Caller, policy_input_list: Sequence[str]) -> list[str]:
    authz.require(caller, "iam:GetContextKeysForCustomPolicy", "*")
    return context_keys(policy_input_list)
