"""The policy editor's endpoints: live validation (htmx), catalog data for completion, the
visual editor and its round trips with JSON, policy summaries and version diffs.

Findings come from :func:`policies.catalog_checks.check_policy` (the evaluation module's
validator plus the catalog checks): no validation rule lives here.
"""

from __future__ import annotations

import difflib
import json
import re
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.html import format_html
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.errors import AccessDenied, IAMError
from accounts.http import principal_required
from policies import authz
from policies import services as policy_services
from policies.catalog import ACCESS_LEVELS, get_catalog
from policies.catalog import visual as visual_model
from policies.catalog.summary import policy_summary
from policies.catalog_checks import check_policy
from policies.evaluation.validation import POLICY_TYPES, SEVERITIES, SIZE_LIMITS, policy_size

SEVERITY_LABELS = {"ERROR": "Error", "SECURITY_WARNING": "Security warning", "WARNING": "Warning",
                   "SUGGESTION": "Suggestion"}


def _policy_type(request: HttpRequest) -> str:
    value = request.POST.get("policy_type") or request.GET.get("policy_type") or "identity"
    return value if value in POLICY_TYPES else "identity"


def findings_context(text: str, policy_type: str) -> dict[str, Any]:
    """Findings grouped by severity (error, security warning, warning, suggestion), each with
    line and column, and the character count against the policy type's quota."""
    findings = check_policy(text, policy_type) if text.strip() else []
    ordered = sorted(findings, key=lambda f: (SEVERITIES.index(f.severity), f.line, f.column))
    rows = [{**f.to_dict(), "label": SEVERITY_LABELS[f.severity]} for f in ordered]
    counts = {SEVERITY_LABELS[s]: sum(1 for f in findings if f.severity == s) for s in SEVERITIES}
    return {
        "findings": rows,
        "finding_counts": counts,
        "has_errors": any(f.is_error for f in findings),
        "size": policy_size(text),
        "size_limit": SIZE_LIMITS.get(policy_type),
        "policy_type": policy_type,
    }


def _validation_denied(request: HttpRequest) -> dict[str, Any] | None:
    """The console's validation calls IAM Access Analyzer's ValidatePolicy, which needs
    access-analyzer:ValidatePolicy (resource "*")."""
    caller = request.caller  # type: ignore[attr-defined]
    decision = authz.check(caller, "access-analyzer:ValidatePolicy", "*")
    if decision is None or decision.allowed:
        return None
    return {"message": authz.access_denied_message(caller, "access-analyzer:ValidatePolicy", "*", decision),
            "decision": decision.to_dict()}


@require_POST
@principal_required
def editor_validate(request: HttpRequest) -> HttpResponse:
    """The findings panel and character counter, refreshed while typing (htmx, debounced)."""
    policy_type = _policy_type(request)
    text = request.POST.get("policy_document", "")
    denial = _validation_denied(request)
    context = findings_context(text, policy_type) if denial is None else {
        "findings": None, "size": policy_size(text), "size_limit": SIZE_LIMITS.get(policy_type), "policy_type": policy_type}
    context["denial"] = denial
    context["editor_id"] = re.sub(r"[^a-zA-Z0-9_-]", "", request.POST.get("editor_id", "")) or "policy"
    return render(request, "editor/includes/findings.html", context)


# ------------------------------------------------------------------ catalog data


@require_GET
@principal_required
@cache_control(private=True, max_age=3600)
def catalog_services(request: HttpRequest) -> JsonResponse:
    """Service prefixes and the global condition keys, for the editor's completion."""
    catalog = get_catalog()
    return JsonResponse({
        "version": catalog.version,
        "services": [[p, catalog.service_name(p)] for p in catalog.service_prefixes()],
        "global_keys": [[ck.key, ck.type] for ck in catalog.global_keys.values()],
    })


@require_GET
@principal_required
@cache_control(private=True, max_age=3600)
def catalog_service(request: HttpRequest, service: str) -> JsonResponse:
    """One service's actions (with access level), condition keys and resource types."""
    found = get_catalog().service(service)
    if found is None:
        return JsonResponse({"error": f"No service {service}"}, status=404)
    return JsonResponse({
        "prefix": found.prefix,
        "name": found.name,
        "actions": [[a.name, a.access_level] for a in found.actions.values()],
        "condition_keys": [[ck.key, ck.type] for ck in found.condition_keys.values()],
        "resource_types": [[rt.key, rt.arn] for rt in found.resource_types.values()],
    })


# ------------------------------------------------------------------ visual editor


def _visual_blocks(statements: list[visual_model.VisualStatement]) -> list[dict[str, Any]]:
    """What the template needs per block: the service's actions by access level, resource types
    of the chosen actions (with their ARN fields) and the condition keys they support."""
    catalog = get_catalog()
    blocks = []
    for i, vs in enumerate(statements):
        service = catalog.service(vs.service) if vs.service else None
        levels: list[dict[str, Any]] = []
        resource_types: list[dict[str, Any]] = []
        keys: list[str] = []
        if service is not None:
            chosen = {a.lower() for a in vs.actions}
            for level in ACCESS_LEVELS:
                actions = sorted((a for a in service.actions.values() if a.access_level == level), key=lambda a: a.name)
                if actions:
                    rows = [{"name": a.name, "checked": vs.all_actions or a.name.lower() in chosen} for a in actions]
                    # A level stays open while one of its actions is ticked (every change re-renders).
                    levels.append({"level": level, "actions": rows,
                                   "open": not vs.all_actions and any(r["checked"] for r in rows)})
            selected = (list(service.actions.values()) if vs.all_actions
                        else [a for a in (service.actions.get(n.lower()) for n in vs.actions) if a]
                        + [a for p in vs.patterns for a in catalog.expand(f"{vs.service}:{p}")])
            seen: set[str] = set()
            for action in selected:
                for _ref, rt in catalog.resource_types_for(action):
                    if rt is not None and rt.key not in seen:
                        seen.add(rt.key)
                        resource_types.append({"key": rt.key, "arn": rt.arn, "fields": rt.fields})
            keys = catalog.keys_for_actions(selected)
        blocks.append({"index": i, "st": vs, "levels": levels, "resource_types": resource_types[:30],
                       "keys": keys + [ck.key for ck in catalog.global_keys.values()],
                       "service_name": catalog.service_name(vs.service) if vs.service else ""})
    return blocks


def _apply_op(op: str, statements: list[visual_model.VisualStatement], data: Any) -> None:
    if op == "add":
        statements.append(visual_model.VisualStatement())
    elif op.startswith("remove-"):
        index = int(op.split("-", 1)[1]) if op.split("-", 1)[1].isdigit() else -1
        if 0 <= index < len(statements):
            del statements[index]
    elif op.startswith("addarn-"):
        _, index_text, key = op.split("-", 2)
        if index_text.isdigit() and int(index_text) < len(statements):
            vs = statements[int(index_text)]
            service = get_catalog().service(vs.service) if vs.service else None
            rt = service.resource_types.get(key.lower()) if service else None
            if rt is not None:
                values = {f: data.get(f"st-{index_text}-arn-{key}-{f}", "") for f in rt.fields}
                vs.arns.append(visual_model.build_arn(rt.arn, values))
                vs.all_resources = False


def _visual_context(request: HttpRequest) -> dict[str, Any]:
    data = request.POST if request.method == "POST" else request.GET
    op = "" if request.GET.get("sync") == "1" else data.get("op", "")  # a sync never applies a button's op
    note = ""
    if op == "from_json" or (request.method == "GET" and "statement_count" not in data):
        text = data.get("policy_document", "")
        statements, note = visual_model.from_json(text) if text.strip() else ([visual_model.VisualStatement()], "")
        if statements is None:
            return {"mode": "json", "note": note, "policy_document": text, **findings_context(text, _policy_type(request))}
    else:
        statements = visual_model.from_form(data)
        _apply_op(op, statements, data)
    if not statements:
        statements = [visual_model.VisualStatement()]
    return {"mode": "visual", "note": note, "blocks": _visual_blocks(statements),
            "statement_count": len(statements), "policy_document": visual_model.to_json(statements),
            "operators": visual_model.OPERATORS}


def _editor_common(request: HttpRequest, context: dict[str, Any]) -> dict[str, Any]:
    data = request.POST if request.method == "POST" else request.GET
    catalog = get_catalog()
    context.setdefault("policy_type", _policy_type(request))
    context["editor_id"] = re.sub(r"[^a-zA-Z0-9_-]", "", data.get("editor_id", "")) or "policy"
    context["services"] = [(p, catalog.service_name(p)) for p in catalog.service_prefixes()]
    return context


@require_http_methods(["GET", "POST"])
@principal_required
def visual_editor(request: HttpRequest) -> HttpResponse:
    """Visual mode. With htmx it returns the editor fragment (mode switches and changes inside
    another page's form); without, the standalone page, which continues to Create policy."""
    context = _editor_common(request, _visual_context(request))
    if request.GET.get("sync") == "1":
        # A field changed: only the JSON follows, the inputs (and the focus) stay.
        return render(request, "editor/includes/visual_json.html", context)
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "policies/includes/policy_editor.html", context)
    return render(request, "editor/editor.html", {**context, "nav": "policies"})


DEFAULT_DOCUMENT = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Sid": "Statement1", "Effect": "Allow", "Action": [], "Resource": []}]}, indent=4)


@require_http_methods(["GET", "POST"])
@principal_required
def json_mode(request: HttpRequest) -> HttpResponse:
    """JSON mode: from the visual blocks (``statement_count`` posted) or the posted text; a GET
    opens the standalone editor on ``policy_document`` (or an empty statement)."""
    if request.method == "GET":
        text = request.GET.get("policy_document") or DEFAULT_DOCUMENT
    elif "statement_count" in request.POST:
        statements = visual_model.from_form(request.POST)
        text = visual_model.to_json(statements)
    else:
        text = request.POST.get("policy_document", "")
    context = _editor_common(request, {"mode": "json", "policy_document": text})
    context.update(findings_context(text, context["policy_type"]))
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "policies/includes/policy_editor.html", context)
    return render(request, "editor/editor.html", {**context, "nav": "policies"})


# ------------------------------------------------------------------ summary and diff


@require_POST
@principal_required
def policy_summary_view(request: HttpRequest) -> HttpResponse:
    """The summary of a draft ("Permissions defined in this policy"), before saving."""
    return render(request, "editor/includes/policy_summary.html",
                  {"summary": policy_summary(request.POST.get("policy_document", ""))})


@require_GET
@principal_required
def managed_policy_summary(request: HttpRequest, arn: str) -> HttpResponse:
    """The summary of a managed policy's default version (iam:GetPolicy, iam:GetPolicyVersion)."""
    caller = request.caller  # type: ignore[attr-defined]
    try:
        policy = policy_services.get_policy(caller, arn)
        # The document shown is the default version's (policy.document mirrors it).
        authz.require(caller, "iam:GetPolicyVersion", arn)
    except AccessDenied as error:
        return render(request, "policies/includes/access_denied.html",
                      {"denial": {"message": error.message, "decision": error.decision.to_dict() if error.decision else None}})
    except IAMError as error:
        return HttpResponse(format_html('<div class="alert alert--error" role="alert">{}</div>', str(error)))
    return render(request, "editor/includes/policy_summary.html", {"summary": policy_summary(policy.document)})


def _pretty(text: str) -> str:
    try:
        return json.dumps(json.loads(text), indent=4)
    except ValueError:
        return text


def diff_rows(left: str, right: str) -> list[dict[str, Any]]:
    """Side-by-side rows of two documents (pretty-printed): equal, replace, delete, insert."""
    a, b = _pretty(left).splitlines(), _pretty(right).splitlines()
    rows: list[dict[str, Any]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        span = max(i2 - i1, j2 - j1)
        for k in range(span):
            li, rj = i1 + k, j1 + k
            rows.append({
                "kind": tag,
                "left_no": li + 1 if li < i2 else None, "left": a[li] if li < i2 else "",
                "right_no": rj + 1 if rj < j2 else None, "right": b[rj] if rj < j2 else "",
            })
    return rows


@require_GET
@principal_required
def version_diff(request: HttpRequest, arn: str) -> HttpResponse:
    """Compare two versions of a customer managed policy side by side
    (iam:ListPolicyVersions and iam:GetPolicyVersion)."""
    caller = request.caller  # type: ignore[attr-defined]
    context: dict[str, Any] = {"nav": "policies", "arn": arn, "denial": None, "error": None}
    try:
        versions = policy_services.list_policy_versions(caller, arn)
        ids = [v.version_id for v in versions]
        left_id = request.GET.get("left") or (ids[1] if len(ids) > 1 else ids[0])
        right_id = request.GET.get("right") or ids[0]
        left = policy_services.get_policy_version(caller, arn, left_id)
        right = policy_services.get_policy_version(caller, arn, right_id)
    except AccessDenied as error:
        context["denial"] = {"message": error.message, "decision": error.decision.to_dict() if error.decision else None}
        return render(request, "editor/version_diff.html", context)
    except IAMError as error:
        context["error"] = error
        return render(request, "editor/version_diff.html", context, status=404 if error.code == "NoSuchEntity" else 400)
    context.update({"versions": versions, "left": left, "right": right, "rows": diff_rows(left.document, right.document),
                    "policy_name": arn.rsplit("/", 1)[-1]})
    return render(request, "editor/version_diff.html", context)
