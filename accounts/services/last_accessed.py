"""Access Advisor ("last accessed") from the activity history, and the STS preferences:
GenerateServiceLastAccessedDetails, GetServiceLastAccessedDetails,
GetServiceLastAccessedDetailsWithEntities, ListPoliciesGrantingServiceAccess,
SetSecurityTokenServicePreferences
(https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_last-accessed.html).

As on AWS, a report lists every service the entity's policies allow (their Allow statements'
action patterns, expanded over the service catalog) and, for each, when an entity last
authenticated to it. Here the only services a principal can reach are IAM and STS (the console
and this API), so only `iam` and `sts` can ever show a LastAuthenticated date: it is the time
of the principal's last successful call in the activity history. Every other allowed service
is listed as not accessed, which is true here.
"""

from __future__ import annotations

import fnmatch
import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Max, Q

from accounts import rules
from accounts.activity import operation
from accounts.errors import InvalidInput, NoSuchEntity
from accounts.models import ActivityEvent, Group, GroupMembership, Role, User
from accounts.principal import Caller

ENTITY_ARN = re.compile(r"^arn:aws:iam::(\d{12}):(user|group|role)(/(?:.*/)?)?([^/]+)$")
SOURCES = {"iam": "iam.amazonaws.com", "sts": "sts.amazonaws.com"}


def _authz() -> Any:
    from policies import authz  # noqa: PLC0415 - policies depends on accounts

    return authz


@dataclass
class Target:
    """What a report is about: the entity (or managed policy) and the principals whose calls count."""

    arn: str
    kind: str  # user, group, role, policy
    entity: Any
    # (kind, entity) pairs whose policies and activity make up the report
    principals: list[tuple[str, Any]] = field(default_factory=list)
    # (policy name, INLINE/MANAGED, policy ARN, owner kind, owner name, document)
    documents: list[tuple[str, str, str, str, str, str]] = field(default_factory=list)


def _policy_sources(kind: str, entity: Any) -> list[tuple[str, str, str, str, str, str]]:
    authz = _authz()
    gather = {"user": authz.gather_user_policies, "group": authz.gather_group_policies, "role": authz.gather_role_policies}
    out = []
    for label, source in gather[kind](entity).sources.items():
        if label.startswith("boundary:"):
            continue
        inline = source.policy_type == "Customer inline"
        owner_kind, owner_name = kind, entity.name
        if inline and source.attached_via.startswith("Group "):
            owner_kind, owner_name = "group", source.attached_via[len("Group "):]
        out.append((source.name, "INLINE" if inline else "MANAGED", source.arn, owner_kind, owner_name, source.document))
    return out


def _resolve(caller: Caller, arn: str) -> Target:
    from policies.models import PolicyAttachment  # noqa: PLC0415
    from policies.services.managed import find_policy  # noqa: PLC0415

    account = caller.account
    match = ENTITY_ARN.match(arn or "")
    if match:
        account_id, kind, _path, name = match.groups()
        if account_id != account.account_id:
            raise NoSuchEntity(f"The {kind} with name {name} cannot be found.")
        model = {"user": User, "group": Group, "role": Role}[kind]
        query = model.objects.filter(account=account, name__iexact=name)
        if kind == "user":
            query = query.filter(kind=User.Kind.IAM)
        entity = query.select_related("account").first()
        if entity is None or entity.arn != arn:
            raise NoSuchEntity(f"The {kind} with name {name} cannot be found.")
        target = Target(arn, kind, entity)
        if kind == "group":
            members = [m.user for m in GroupMembership.objects.filter(group=entity).select_related("user__account")]
            target.principals = [("user", u) for u in members]
        else:
            target.principals = [(kind, entity)]
        target.documents = _policy_sources(kind, entity)
        return target
    policy = find_policy(account, arn) if ":policy/" in (arn or "") else None
    if policy is None:
        raise NoSuchEntity(f"Policy {arn} was not found.") if ":policy/" in (arn or "") else InvalidInput(
            f"ARN {arn} is not valid.")
    target = Target(arn, "policy", policy)
    rows = PolicyAttachment.objects.filter(policy=policy, kind=PolicyAttachment.Kind.PERMISSIONS).filter(
        Q(user__account=account) | Q(group__account=account) | Q(role__account=account)
    ).select_related("user__account", "group__account", "role__account")
    for row in rows:
        if row.user_id:
            target.principals.append(("user", row.user))
        elif row.role_id:
            target.principals.append(("role", row.role))
        elif row.group_id:
            for membership in GroupMembership.objects.filter(group=row.group).select_related("user__account"):
                target.principals.append(("user", membership.user))
    target.documents = [(policy.name, "MANAGED", policy.arn, "", "", policy.document)]
    return target


def _allowed_services(documents: list[tuple]) -> dict[str, list[tuple]]:
    """Service prefix -> the documents whose Allow statements grant some action of it."""
    from policies.catalog import get_catalog  # noqa: PLC0415
    from policies.evaluation import PolicyParseError, parse_policy  # noqa: PLC0415

    prefixes = get_catalog().service_prefixes()
    out: dict[str, list[tuple]] = {}
    for document in documents:
        try:
            policy = parse_policy(document[-1])
        except PolicyParseError:
            continue
        found: set[str] = set()
        for statement in policy.statements:
            if statement.effect != "Allow":
                continue
            if statement.not_actions is not None:
                excluded = {a.split(":", 1)[0].lower() for a in statement.not_actions if a.endswith(":*") or a == "*"}
                found |= {p for p in prefixes if p not in excluded and "*" not in statement.not_actions}
                continue
            for action in statement.actions or ():
                service = action.split(":", 1)[0].lower() if ":" in action else action.lower()
                found |= {p for p in prefixes if fnmatch.fnmatchcase(p, service)} if any(c in service for c in "*?") \
                    else ({service} if service in prefixes else set())
        for prefix in found:
            out.setdefault(prefix, []).append(document)
    return out


def _principal_filter(kind: str, entity: Any) -> Q:
    if kind == "role":
        return Q(actor_arn__startswith=f"arn:aws:sts::{entity.account.account_id}:assumed-role/{entity.name}/")
    return Q(actor_arn=entity.arn)


def _last_use(account: Any, principals: list[tuple[str, Any]], prefix: str) -> list[tuple[Any, datetime]]:
    """(principal entity, last successful call) for each principal that called the service."""
    source = SOURCES.get(prefix)
    if source is None or not principals:
        return []
    events = ActivityEvent.objects.filter(account=account, event_source=source, result="Success")
    out = []
    for kind, entity in principals:
        last = events.filter(_principal_filter(kind, entity)).aggregate(last=Max("time"))["last"]
        if last is not None:
            out.append((entity, last))
    return out


@operation("GenerateServiceLastAccessedDetails")
def generate_service_last_accessed_details(caller: Caller, arn: str, granularity: str = "SERVICE_LEVEL") -> str:
    from api.models import AccessReportJob  # noqa: PLC0415

    if granularity not in ("SERVICE_LEVEL", "ACTION_LEVEL"):
        raise rules.constraint_error(granularity, "granularity",
                                     "Member must satisfy enum value set: [SERVICE_LEVEL, ACTION_LEVEL]")
    _authz().require(caller, "iam:GenerateServiceLastAccessedDetails", arn or "*")
    _resolve(caller, arn)
    job_id = str(uuid.uuid4())
    AccessReportJob.objects.create(job_id=job_id, account=caller.account, arn=arn, granularity=granularity)
    return job_id


def _job(caller: Caller, job_id: str) -> Any:
    from api.models import AccessReportJob  # noqa: PLC0415

    _authz().require(caller, "iam:GetServiceLastAccessedDetails", "*")
    job = AccessReportJob.objects.filter(account=caller.account, job_id=job_id or "").first()
    if job is None:
        raise NoSuchEntity(f"No such job id: {job_id}")
    return job


@dataclass
class ServiceUse:
    namespace: str
    name: str
    last_authenticated: datetime | None
    last_entity: str | None
    total_entities: int


@dataclass
class AccessReport:
    job: Any
    services: list[ServiceUse]


@operation("GetServiceLastAccessedDetails", read_only=True)
def get_service_last_accessed_details(caller: Caller, job_id: str) -> AccessReport:
    from policies.catalog import get_catalog  # noqa: PLC0415

    job = _job(caller, job_id)
    target = _resolve(caller, job.arn)
    catalog = get_catalog()
    services = []
    for prefix in sorted(_allowed_services(target.documents), key=lambda p: catalog.service_name(p).lower()):
        uses = sorted(_last_use(caller.account, target.principals, prefix), key=lambda pair: pair[1], reverse=True)
        services.append(ServiceUse(prefix, catalog.service_name(prefix), uses[0][1] if uses else None,
                                   uses[0][0].arn if uses else None, len(uses)))
    return AccessReport(job, services)


@operation("GetServiceLastAccessedDetailsWithEntities", read_only=True)
def get_service_last_accessed_details_with_entities(caller: Caller, job_id: str, service_namespace: str) -> tuple[Any, list]:
    rules.check_length(service_namespace or "", "serviceNamespace", 1, 64)
    job = _job(caller, job_id)
    target = _resolve(caller, job.arn)
    if target.kind in ("user", "role"):
        raise InvalidInput("Only group or policy report jobs can be queried with entities.")
    seen = {}
    for kind, entity in target.principals:
        seen.setdefault(entity.arn, (kind, entity))
    last = dict((entity.arn, when) for entity, when in _last_use(caller.account, list(seen.values()),
                                                                   service_namespace.lower()))
    return job, [(kind, entity, last.get(entity.arn)) for kind, entity in seen.values()]


@operation("ListPoliciesGrantingServiceAccess", read_only=True)
def list_policies_granting_service_access(caller: Caller, arn: str, service_namespaces: list[str]) -> dict[str, list]:
    if not service_namespaces or len(service_namespaces) > 200:
        raise rules.constraint_error(service_namespaces, "serviceNamespaces",
                                     "Member must have length less than or equal to 200")
    _authz().require(caller, "iam:ListPoliciesGrantingServiceAccess", arn or "*")
    target = _resolve(caller, arn)
    allowed = _allowed_services(target.documents)
    return {namespace: allowed.get(namespace.lower(), []) for namespace in service_namespaces}


@operation("SetSecurityTokenServicePreferences")
def set_security_token_service_preferences(caller: Caller, global_endpoint_token_version: str) -> None:
    from api.models import AccountPreferences  # noqa: PLC0415

    if global_endpoint_token_version not in ("v1Token", "v2Token"):
        raise rules.constraint_error(global_endpoint_token_version, "globalEndpointTokenVersion",
                                     "Member must satisfy enum value set: [v1Token, v2Token]")
    _authz().require(caller, "iam:SetSecurityTokenServicePreferences", "*")
    AccountPreferences.objects.update_or_create(account=caller.account,
                                                defaults={"global_endpoint_token_version": global_endpoint_token_version})


def global_endpoint_token_version(account: Any) -> int:
    from api.models import AccountPreferences  # noqa: PLC0415

    prefs = AccountPreferences.objects.filter(account=account).first()
    return 2 if prefs is not None and prefs.global_endpoint_token_version == "v2Token" else 1
