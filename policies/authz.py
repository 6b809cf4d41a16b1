"""The only bridge between the database and the evaluation engine.

`require(caller, action, resource)` gathers the caller's policies (a bounded number of queries,
once per request), builds the request context AWS would build, asks the engine and raises
AccessDenied with AWS's message when the answer is not "allowed".
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from django.db.models import Q

from accounts.errors import AccessDenied
from accounts.principal import Caller
from policies.evaluation import ALLOWED, Decision, Policy, PolicyParseError, Request, evaluate, parse_policy
from policies.models import InlinePolicy, PolicyAttachment

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PolicySource:
    """Where a policy that applies to a principal comes from (for the Permissions tab and
    for the explanation panel)."""

    label: str
    name: str
    policy_type: str  # "AWS managed", "Customer managed", "Customer inline", ...
    attached_via: str  # "Directly" or "Group <name>"
    arn: str = ""
    document: str = ""


@dataclass
class PrincipalPolicies:
    identity: list[tuple[str, Policy]] = field(default_factory=list)
    boundary: tuple[str, Policy] | None = None
    sources: dict[str, PolicySource] = field(default_factory=dict)


def _parsed(label: str, text: str) -> tuple[str, Policy] | None:
    try:
        return (label, parse_policy(text))
    except PolicyParseError as error:  # stored policies were validated; never crash on one
        log.error("stored policy %s does not parse: %s", label, error)
        return None


def _collect(inline: Any, attachments: Any, owner: str, *, through_groups: bool = False) -> PrincipalPolicies:
    """PrincipalPolicies from an entity's inline policies and attachments (for a user, also
    those of its groups: `through_groups` names them "Group <name>")."""
    gathered = PrincipalPolicies()
    for policy in inline:
        in_group = through_groups and policy.group_id
        via = f"Group {policy.group.name}" if in_group else "Directly"
        label = f"{f'group/{policy.group.name}' if in_group else owner}/inline/{policy.name}"
        _add(gathered, PolicySource(label, policy.name, "Customer inline", via, document=policy.document), boundary=False)
    for attachment in attachments:
        managed = attachment.policy
        via = f"Group {attachment.group.name}" if through_groups and attachment.group_id else "Directly"
        source = PolicySource(managed.arn, managed.name, managed.policy_type, via, managed.arn, managed.document)
        _add(gathered, source, boundary=attachment.kind == PolicyAttachment.Kind.BOUNDARY)
    return gathered


def gather_user_policies(user: Any) -> PrincipalPolicies:
    """Every identity policy of an IAM user (direct and through groups) and its boundary.

    Two queries whatever the number of groups and policies; parsing is cached by content.
    """
    own_or_group = Q(user=user) | Q(group__memberships__user=user)
    return _collect(
        InlinePolicy.objects.filter(own_or_group).select_related("group"),
        PolicyAttachment.objects.filter(own_or_group).select_related("policy", "policy__account", "group"),
        f"user/{user.name}",
        through_groups=True,
    )


def gather_group_policies(group: Any) -> PrincipalPolicies:
    """Every identity policy of an IAM group (inline and attached); groups have no boundary.
    Two queries whatever the number of policies."""
    return _collect(InlinePolicy.objects.filter(group=group),
                    PolicyAttachment.objects.filter(group=group).select_related("policy", "policy__account"),
                    f"group/{group.name}")


def gather_role_policies(role: Any) -> PrincipalPolicies:
    """Every identity policy of an IAM role (inline and attached) and its boundary.
    Two queries whatever the number of policies."""
    return _collect(InlinePolicy.objects.filter(role=role),
                    PolicyAttachment.objects.filter(role=role).select_related("policy", "policy__account"),
                    f"role/{role.name}")


def _add(gathered: PrincipalPolicies, source: PolicySource, *, boundary: bool) -> None:
    parsed = _parsed(source.label, source.document)
    if parsed is None:
        return
    if boundary:
        gathered.boundary = parsed
        gathered.sources["boundary:" + source.label] = source
    else:
        # The same managed policy through two groups counts once, as on AWS.
        if source.label in gathered.sources:
            return
        gathered.identity.append(parsed)
        gathered.sources[source.label] = source


def caller_policies(caller: Caller) -> PrincipalPolicies:
    if "policies" not in caller.cache:
        session = caller.role_session
        if session is not None:
            caller.cache["policies"] = gather_role_policies(session.role)
        else:
            caller.cache["policies"] = gather_user_policies(caller.user) if caller.user else PrincipalPolicies()
    return caller.cache["policies"]


def gather_session_policy(session: Any) -> tuple[str, Policy] | None:
    """The session policy of temporary credentials: the inline `Policy` and the managed
    `PolicyArns` given to AssumeRole, taken together as one session policy (a request must be
    allowed by one of them, https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session).
    None when the session has none (then only the identity policies limit it). One query."""
    if session is None or (not session.session_policy and not session.policy_arns):
        return None
    from policies.models import ManagedPolicy  # noqa: PLC0415 - avoid a cycle at import time

    parsed: list[Policy] = []
    if session.session_policy:
        item = _parsed("session policy", session.session_policy)
        if item:
            parsed.append(item[1])
    arns = list(session.policy_arns or [])
    if arns:
        policies = {p.arn: p for p in ManagedPolicy.objects.filter(
            Q(account=session.account) | Q(account__isnull=True), name__in=[a.rsplit("/", 1)[-1] for a in arns]
        ).select_related("account")}
        for arn in arns:
            if arn in policies:
                item = _parsed(arn, policies[arn].document)
                if item:
                    parsed.append(item[1])
    if not parsed:
        # Policies were given but none applies any more: the session may do nothing.
        return ("session policy", parse_policy('{"Version": "2012-10-17", "Statement": []}'))
    # One policy made of all their statements, numbered again so each position is unique.
    statements = tuple(replace(st, index=i) for i, st in enumerate(st for policy in parsed for st in policy.statements))
    return ("session policy", replace(parsed[0], statements=statements))


def caller_session_policy(caller: Caller) -> tuple[str, Policy] | None:
    if "session_policy" not in caller.cache:
        caller.cache["session_policy"] = gather_session_policy(caller.role_session)
    return caller.cache["session_policy"]


def aws_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def build_context(
    caller: Caller,
    *,
    resource_tags: Mapping[str, str] | None = None,
    extra: Mapping[str, Any] | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """The global condition keys AWS puts into a request of this caller
    (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html)."""
    now = now or datetime.now(UTC)
    user = caller.user
    context: dict[str, Any] = {
        "aws:CurrentTime": aws_time(now),
        "aws:EpochTime": str(int(now.timestamp())),
        "aws:SecureTransport": "true" if caller.secure_transport else "false",
        "aws:PrincipalAccount": caller.account.account_id,
    }
    if caller.source_ip:
        context["aws:SourceIp"] = caller.source_ip
    session = caller.session
    if caller.role_session is not None:
        role = session.role
        context["aws:userid"] = session.assumed_role_id
        context["aws:PrincipalArn"] = role.arn
        context["aws:PrincipalType"] = "AssumedRole"
        context["aws:TokenIssueTime"] = aws_time(session.created)
        if session.source_identity:
            context["aws:SourceIdentity"] = session.source_identity
        # Session tags override the role's tags of the same key (id_session-tags.html).
        for key, value in {**role.tag_dict(), **session.tag_dict()}.items():
            context[f"aws:PrincipalTag/{key}"] = value
    elif user is not None and user.is_iam_user:
        context["aws:username"] = user.name
        context["aws:userid"] = user.unique_id
        context["aws:PrincipalArn"] = user.arn
        context["aws:PrincipalType"] = "User"
        for key, value in user.tag_dict().items():
            context[f"aws:PrincipalTag/{key}"] = value
    elif user is not None and user.is_root:
        context["aws:userid"] = caller.account.account_id
        context["aws:PrincipalArn"] = user.arn
        context["aws:PrincipalType"] = "Account"
    if session is not None and caller.user is not None and caller.user.is_iam_user:
        context["aws:TokenIssueTime"] = aws_time(session.created)
    if caller.mfa_authenticated_at is not None:
        context["aws:MultiFactorAuthPresent"] = "true"
        context["aws:MultiFactorAuthAge"] = str(max(0, int((now - caller.mfa_authenticated_at).total_seconds())))
    elif caller.console or session is not None:
        # Console sessions and STS sessions are temporary credentials: the key is present, and false.
        context["aws:MultiFactorAuthPresent"] = "false"
    for key, value in (resource_tags or {}).items():
        context[f"aws:ResourceTag/{key}"] = value
    context.update(extra or {})
    return context


def evaluates(caller: Caller, resource_account: str | None = None) -> bool:
    """Whether `check` asks the engine for this caller: not for the SYSTEM actor, nor for the
    root user acting in its own account (root may do anything there). Service functions use it
    to skip gathering context keys (such as an entity's boundary) that no one would read."""
    if caller.system:
        return False
    return not (caller.is_root and resource_account in (None, caller.account.account_id))


def check(
    caller: Caller,
    action: str,
    resource: str,
    *,
    resource_tags: Mapping[str, str] | None = None,
    context: Mapping[str, Any] | None = None,
    resource_policy: tuple[str, Policy] | None = None,
    resource_account: str | None = None,
) -> Decision | None:
    """The engine's decision for this caller, or None for the SYSTEM actor and for the root
    user acting in its own account (root may do anything there).

    A role session's caller is judged by the role's policies and boundary and the session
    policy; `resource_policy` (a role's trust policy for sts:AssumeRole) takes part when given,
    with `resource_account` the account that owns the resource (default: the caller's)."""
    caller.last_resource = resource
    if not evaluates(caller, resource_account):
        caller.last_decision = None
        return None
    gathered = caller_policies(caller)
    request = Request(
        principal=caller.arn,
        action=action,
        resource=resource,
        resource_account=resource_account or caller.account.account_id,
        context=build_context(caller, resource_tags=resource_tags, extra=context),
    )
    decision = evaluate(request, identity_policies=gathered.identity, permission_boundary=gathered.boundary,
                        session_policy=caller_session_policy(caller), resource_policy=resource_policy)
    caller.last_decision = decision
    return decision


def is_allowed(caller: Caller, action: str, resource: str, **kwargs: Any) -> bool:
    decision = check(caller, action, resource, **kwargs)
    return decision is None or decision.decision == ALLOWED


def access_denied_message(caller: Caller, action: str, resource: str, decision: Decision) -> str:
    """AWS's AccessDenied wording (https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html)."""
    return (
        f"User: {caller.arn} is not authorized to perform: {action} on resource: {resource} "
        f"{decision.reason_phrase(action)}"
    )


def require(
    caller: Caller,
    action: str,
    resource: str,
    *,
    resource_tags: Mapping[str, str] | None = None,
    context: Mapping[str, Any] | None = None,
    resource_policy: tuple[str, Policy] | None = None,
    resource_account: str | None = None,
) -> None:
    """Raise AccessDenied unless the caller may perform `action` on `resource`."""
    decision = check(caller, action, resource, resource_tags=resource_tags, context=context,
                     resource_policy=resource_policy, resource_account=resource_account)
    if decision is not None and decision.decision != ALLOWED:
        raise AccessDenied(
            access_denied_message(caller, action, resource, decision),
            decision=decision,
            action=action,
            resource=resource,
        )
