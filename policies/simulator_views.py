"""Test access (the policy simulator) in the console: Principal mode and Custom mode.

The form is a GET form, so every simulation has a shareable URL. The page calls the service
layer (:mod:`policies.simulator`), which authorizes with iam:SimulatePrincipalPolicy /
iam:SimulateCustomPolicy and renders the engine's own decisions.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts import services as account_services
from accounts.errors import AccessDenied, IAMError
from accounts.http import principal_required
from policies import authz, simulator
from policies import services as policy_services
from policies.catalog import get_catalog
from policies.catalog.global_keys import GLOBAL_CONDITION_KEYS

MAX_RESULTS = 5000
# Global keys offered in the context panel even when no policy uses them (the console's
# "Global settings"): the common ones, then those the policies use.
COMMON_GLOBAL_KEYS = ("aws:SourceIp", "aws:CurrentTime", "aws:MultiFactorAuthPresent", "aws:SecureTransport",
                      "aws:RequestedRegion", "aws:PrincipalTag/")
_LIST_TYPES = {key.lower() for key, type_, *_ in GLOBAL_CONDITION_KEYS if type_.startswith("ArrayOf")}


@dataclass
class SimForm:
    """The simulator's inputs, read from the query string."""

    mode: str = "principal"
    principal: str = ""
    listed: bool = False
    include: list[str] = field(default_factory=list)
    policies: list[str] = field(default_factory=list)
    policy_arn: str = ""  # prefill Custom mode with a managed policy's default version
    boundary: str = ""
    resource_policy: str = ""
    resource_owner: str = ""
    caller_arn: str = ""
    session_policy: str = ""
    scps: list[str] = field(default_factory=list)
    service: str = ""
    actions: list[str] = field(default_factory=list)
    all_actions: bool = False
    resources: list[str] = field(default_factory=list)
    context: list[tuple[str, str]] = field(default_factory=list)
    action_resources: dict[str, list[str]] = field(default_factory=dict)  # per action, overrides resources
    run: bool = False
    detail_action: str = ""
    detail_resource: str = ""

    @classmethod
    def from_query(cls, q: QueryDict) -> SimForm:
        form = cls(
            mode="custom" if q.get("mode") == "custom" else "principal",
            principal=q.get("principal", "").strip(),
            listed=q.get("listed") == "1",
            include=q.getlist("include"),
            policies=[p for p in q.getlist("policy") if p.strip()],
            policy_arn=q.get("policy_arn", "").strip(),
            boundary=q.get("boundary", ""),
            resource_policy=q.get("resource_policy", ""),
            resource_owner=q.get("resource_owner", "").strip(),
            caller_arn=q.get("caller_arn", "").strip(),
            session_policy=q.get("session_policy", ""),
            scps=[p for p in q.getlist("scp") if p.strip()],
            service=q.get("service", "").strip().lower(),
            actions=[a.strip() for a in q.getlist("action") if a.strip()],
            all_actions=q.get("all_actions") == "on",
            resources=[r.strip() for line in q.getlist("resource") for r in line.splitlines() if r.strip()],
            run=q.get("run") == "1",
        )
        # "detail" is "<action> <resource>" (actions have no spaces): the detail panel of one result.
        action, _, resource = q.get("detail", "").strip().partition(" ")
        form.detail_action, form.detail_resource = action, resource.strip() or "*"
        for name in q:
            if name.startswith("res:"):
                arns = [r.strip() for line in q.getlist(name) for r in line.splitlines() if r.strip()]
                if arns:
                    form.action_resources[name[4:]] = arns
        keys, values = q.getlist("ctx_key"), q.getlist("ctx_value")
        form.context = [(k.strip(), v) for k, v in zip(keys, values + [""] * len(keys)) if k.strip()]
        return form

    def action_names(self) -> list[str]:
        names = list(dict.fromkeys(self.actions))
        if self.all_actions and self.service:
            service = get_catalog().service(self.service)
            if service is not None:
                names += [a.full_name for a in service.actions.values() if a.full_name not in names]
        return names

    def context_entries(self) -> list[dict[str, Any]]:
        entries = []
        for key, value in self.context:
            values = [v.strip() for v in value.split(",")] if key.lower() in _LIST_TYPES else [value.strip()]
            values = [v for v in values if v]
            if values:
                entries.append({"ContextKeyName": key, "ContextKeyValues": values,
                                "ContextKeyType": "stringList" if len(values) > 1 or key.lower() in _LIST_TYPES else "string"})
        return entries


def _principals(request: HttpRequest) -> tuple[list[tuple[str, list[tuple[str, str]]]], list[str]]:
    """Users, groups and roles the caller may list, for the principal picker."""
    caller = request.caller  # type: ignore[attr-defined]
    groups: list[tuple[str, list[tuple[str, str]]]] = []
    denied = []
    for label, lister in (("Users", account_services.list_users), ("User groups", account_services.list_groups),
                          ("Roles", account_services.list_roles)):
        try:
            rows = [(e.arn, e.name) for e in lister(caller)[:1000]]
        except AccessDenied as error:
            denied.append(error.message)
            continue
        groups.append((label, rows))
    return groups, denied


def _policies_for(request: HttpRequest, form: SimForm) -> tuple[list[simulator.SimPolicy], IAMError | None]:
    if form.mode != "principal" or not form.principal:
        return [], None
    caller = request.caller  # type: ignore[attr-defined]
    try:
        kind, entity = simulator.resolve_principal(caller, form.principal)
        policies = simulator.principal_policies(kind, entity)
    except IAMError as error:
        return [], error
    included = set(form.include)
    return [simulator.SimPolicy(**{**p.__dict__, "excluded": form.listed and p.policy_id not in included})
            for p in policies], None


def _context_rows(request: HttpRequest, form: SimForm) -> list[dict[str, str]]:
    """The context keys to offer: what the user typed, the common global keys, and the keys the
    selected policies use (GetContextKeysFor*Policy)."""
    caller = request.caller  # type: ignore[attr-defined]
    keys: dict[str, str] = {}
    try:
        if form.mode == "principal" and form.principal:
            used = simulator.get_context_keys_for_principal_policy(caller, form.principal)
        else:
            used = simulator.get_context_keys_for_custom_policy(caller, form.policies + [form.boundary]) if form.policies else []
    except IAMError:
        used = []
    for extra in (form.resource_policy, form.session_policy, *form.scps):
        if extra.strip():
            used += simulator.context_keys([extra])
    given = dict(form.context)
    for key in [*given, *COMMON_GLOBAL_KEYS, *used]:
        keys.setdefault(key.lower(), key)
    catalog = get_catalog()
    rows = []
    for lower, key in keys.items():
        ck = catalog.condition_key(key) if not key.endswith("/") else None
        rows.append({"key": key, "value": given.get(key, ""), "type": ck.type if ck else "",
                     "used": any(u.lower() == lower for u in used)})
    return rows


def _run(request: HttpRequest, form: SimForm, policies: list[simulator.SimPolicy],
         actions: list[str] | None = None, resources: list[str] | None = None) -> list[simulator.EvaluationResult]:
    caller = request.caller  # type: ignore[attr-defined]
    common = {
        "resource_arns": resources if resources is not None else form.resources,
        "context_entries": form.context_entries(),
        "resource_policy": form.resource_policy or None,
        "resource_owner": form.resource_owner or None,
        "caller_arn": form.caller_arn or None,
        "session_policy": form.session_policy or None,
        "scps": form.scps or None,
    }
    names = actions if actions is not None else form.action_names()
    if resources is None and form.action_resources:
        # Resources per action: one service call per distinct resource list, results in action order.
        groups: dict[tuple[str, ...], list[str]] = {}
        for name in names:
            groups.setdefault(tuple(form.action_resources.get(name, form.resources)), []).append(name)
        by_action: dict[str, list[simulator.EvaluationResult]] = {}
        for arns, group in groups.items():
            for result in _run(request, form, policies, group, list(arns)):
                by_action.setdefault(result.action, []).append(result)
        return [r for name in dict.fromkeys(names) for r in by_action.get(name, [])]
    if form.mode == "principal":
        excluded = [p.policy_id for p in policies if p.excluded]
        return simulator.simulate_principal_policy(
            caller, form.principal, names, policy_exclusions=excluded,
            permissions_boundary_policies=[form.boundary] if form.boundary.strip() else None, **common)
    return simulator.simulate_custom_policy(
        caller, form.policies, names,
        permissions_boundary_policies=[form.boundary] if form.boundary.strip() else None, **common)


def _detail(result: simulator.EvaluationResult) -> dict[str, Any]:
    """The detail panel: the decision flow, and each policy's text with the statements that
    decided highlighted."""
    decided = {(r.policy_label, r.index) for r in result.decision.matched_statements}
    panels = []
    for policy_result in result.decision.policy_results:
        sim_policy = result.policies.get(policy_result.label)
        if sim_policy is None:
            continue
        text = _pretty(sim_policy.document)
        spans = []
        for st_result in policy_result.statements:
            if (policy_result.label, st_result.statement.index) in decided:
                spans.append(simulator.statement_span(text, st_result.statement.index))
        lines = []
        for number, line in enumerate(text.splitlines(), start=1):
            lines.append({"number": number, "text": line,
                          "matched": any(start[0] <= number <= end[0] for start, end in spans)})
        panels.append({"policy": sim_policy, "result": policy_result.to_dict(), "lines": lines, "decided": bool(spans)})
    return {"result": result, "decision": result.decision.to_dict(), "aws": result.to_dict(), "panels": panels}


def _managed_document(request: HttpRequest, arn: str) -> str:
    """The default version of a managed policy the caller may read (iam:GetPolicy and
    iam:GetPolicyVersion, as the console's "Test access" from a policy page needs)."""
    caller = request.caller  # type: ignore[attr-defined]
    policy = policy_services.get_policy(caller, arn)
    authz.require(caller, "iam:GetPolicyVersion", arn)
    return _pretty(policy.document)  # mirrors the default version


def _pretty(text: str) -> str:
    try:
        return json.dumps(json.loads(text), indent=4)
    except ValueError:
        return text


@require_GET
@principal_required
def simulator_page(request: HttpRequest) -> HttpResponse:
    """The simulator page; with ``run=1`` it also shows the results (one row per action and
    resource), and with ``detail_action`` the detail panel of one result."""
    form = SimForm.from_query(request.GET)
    catalog = get_catalog()
    context: dict[str, Any] = {"nav": "policy_simulator", "form": form, "error": None, "results": None}
    if form.policy_arn and not form.policies:
        try:
            form.policies = [_managed_document(request, form.policy_arn)]
            form.mode = "custom"
        except IAMError as exc:
            context["error"] = exc
    policies, error = _policies_for(request, form)
    context["policies"] = policies
    context["principal_error"] = error
    if form.run:
        try:
            if not form.action_names():
                raise simulator.InvalidInput("Select at least one action to simulate.")
            results = _run(request, form, policies)
        except IAMError as exc:
            context["error"] = exc
        else:
            context["results"] = results[:MAX_RESULTS]
            context["notes"] = _notes(form, results)
            context["counts"] = {d: sum(1 for r in results if r.eval_decision == d)
                                 for d in ("allowed", "explicitDeny", "implicitDeny")}
    if form.detail_action:
        try:
            found = _run(request, form, policies, [form.detail_action], [form.detail_resource or "*"])
            context["detail"] = _detail(found[0])
        except IAMError as exc:
            context["detail_error"] = exc
    if request.htmx and request.GET.get("fragment") == "detail":  # type: ignore[attr-defined]
        return render(request, "simulator/simulator.html#detail", context)
    context["principal_groups"], context["principal_denials"] = (
        _principals(request) if form.mode == "principal" else ([], []))
    context["services"] = [(p, catalog.service_name(p)) for p in catalog.service_prefixes()]
    context["service_actions"] = _service_actions(form)
    context["resource_rows"] = _resource_rows(form)
    listed = {a["name"] for a in context["service_actions"]}
    context["other_actions"] = [a for a in dict.fromkeys(form.actions) if a not in listed]
    context["context_rows"] = _context_rows(request, form)
    context["share_url"] = request.get_full_path()
    context["mode_urls"] = {m: "?" + urlencode({"mode": m}) for m in ("principal", "custom")}
    return render(request, "simulator/simulator.html", context)


def _service_actions(form: SimForm) -> list[dict[str, Any]]:
    catalog = get_catalog()
    service = catalog.service(form.service) if form.service else None
    if service is None:
        return []
    chosen = set(form.actions)
    out = []
    for action in sorted(service.actions.values(), key=lambda a: a.name):
        types = [f"{r.name}{'*' if r.required else ''}" for r in action.resource_types]
        out.append({"name": action.full_name, "short": action.name, "level": action.access_level,
                    "checked": form.all_actions or action.full_name in chosen,
                    "resource_types": ", ".join(types) or "* (all resources)"})
    return out


def _notes(form: SimForm, results: list[simulator.EvaluationResult]) -> list[str]:
    """The simulator's information messages (access_policies_testing-policies.html)."""
    services = {r.action.split(":", 1)[0].lower() for r in results}
    notes = []
    if len(results) > MAX_RESULTS:
        notes.append(f"Showing the first {MAX_RESULTS:,} of {len(results):,} results.")
    if "s3" in services:
        notes.append("Amazon S3 access control lists (ACLs) are not simulated.")
    if "dynamodb" in services:
        notes.append("DynamoDB fine-grained access control conditions need their context keys "
                     "(dynamodb:LeadingKeys, dynamodb:Attributes) to be given under Context keys.")
    if form.mode == "principal" and any(r.policies and any(p.excluded for p in r.policies.values()) for r in results[:1]):
        notes.append("Some of the principal's policies were left out of this simulation.")
    if form.caller_arn or form.resource_policy:
        notes.append("Cross-account access is simulated only as far as the policies given here go: the "
                     "other account's policies are not read.")
    return notes


def _resource_rows(form: SimForm) -> list[dict[str, Any]]:
    """Resources per chosen action (at most 50 rows): the resource types the action takes,
    required ones marked, and the ARNs given for it (default: the common list, else *)."""
    catalog = get_catalog()
    rows = []
    for name in list(dict.fromkeys(form.actions))[:50]:
        action = catalog.action(name)
        types = [f"{rt.key}{'*' if ref.required else ''}: {rt.arn}" for ref, rt in catalog.resource_types_for(action)
                 if rt is not None] if action else []
        rows.append({"action": name, "types": types, "arns": "\n".join(form.action_resources.get(name, []))})
    return rows


@require_GET
@principal_required
def simulator_actions(request: HttpRequest) -> HttpResponse:
    """The action checkboxes of one service (htmx, when the service changes)."""
    form = SimForm.from_query(request.GET)
    service_actions = _service_actions(form)
    listed = {a["name"] for a in service_actions}
    return render(request, "simulator/simulator.html#actions", {
        "form": form, "service_actions": service_actions,
        "other_actions": [a for a in dict.fromkeys(form.actions) if a not in listed]})


@require_GET
@principal_required
def simulator_principal_policies(request: HttpRequest) -> HttpResponse:
    """The chosen principal's policies with include checkboxes (htmx, when the principal changes)."""
    form = SimForm.from_query(request.GET)
    policies, error = _policies_for(request, form)
    return render(request, "simulator/simulator.html#principal-policies",
                  {"form": form, "policies": policies, "principal_error": error})
