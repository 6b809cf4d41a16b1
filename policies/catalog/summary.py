"""Policy summaries as the IAM console shows them: per service, the access level, the
resources and the request conditions ("Understanding access level summaries within policy
summaries", https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_understand-policy-summary-access-level-summaries.html).

Reads the raw JSON (a summary is wanted for drafts that do not parse yet) and the catalog.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from . import ACCESS_LEVELS, Catalog, get_catalog


@dataclass
class ServiceSummary:
    service: str  # prefix, or "*" for all services
    name: str
    levels: dict[str, tuple[int, int]] = field(default_factory=dict)  # level -> (granted, total)
    resources: list[str] = field(default_factory=list)
    conditions: list[str] = field(default_factory=list)
    unrecognized: list[str] = field(default_factory=list)
    not_action: list[str] = field(default_factory=list)
    level_count: int = 0  # how many access levels the service has

    @property
    def access_level(self) -> str:
        """AWS's wording: "Full access", "Full: List, Read", "Limited: Write",
        "Full: List Limited: Read"."""
        if self.not_action:
            return "Full access except " + ", ".join(self.not_action)
        if self.service == "*":
            return "Full access"
        levels = [lvl for lvl in ACCESS_LEVELS if lvl in self.levels]
        if not levels:
            return "None"
        full = [lvl for lvl in levels if self.levels[lvl][0] >= self.levels[lvl][1]]
        limited = [lvl for lvl in levels if lvl not in full]
        if not limited and len(full) == self.level_count:
            return "Full access"
        parts = []
        if full:
            parts.append("Full: " + ", ".join(full))
        if limited:
            parts.append("Limited: " + ", ".join(limited))
        return " ".join(parts)

    @property
    def resource_text(self) -> str:
        if not self.resources or "*" in self.resources:
            return "All resources"
        return ", ".join(self.resources)

    @property
    def condition_text(self) -> str:
        return "; ".join(self.conditions) if self.conditions else "None"


@dataclass
class PolicySummary:
    allow: list[ServiceSummary]
    deny: list[ServiceSummary]
    error: str = ""


def _list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def _conditions(block: Any) -> list[str]:
    out = []
    if isinstance(block, dict):
        for operator, keys in block.items():
            if isinstance(keys, dict):
                for key, values in keys.items():
                    shown = values if isinstance(values, list) else [values]
                    out.append(f"{key} {operator} {', '.join(json.dumps(v) if not isinstance(v, str) else v for v in shown)}")
    return out


def policy_summary(text: str, catalog: Catalog | None = None) -> PolicySummary:
    catalog = catalog or get_catalog()
    try:
        data = json.loads(text)
    except ValueError as exc:
        return PolicySummary([], [], f"The policy is not valid JSON: {exc}")
    statements = data.get("Statement") if isinstance(data, dict) else None
    if isinstance(statements, dict):
        statements = [statements]
    if not isinstance(statements, list):
        return PolicySummary([], [], "The policy has no Statement.")
    rows: dict[str, dict[str, ServiceSummary]] = {"Allow": {}, "Deny": {}}
    granted: dict[tuple[str, str], set[str]] = {}
    for st in statements:
        if not isinstance(st, dict) or st.get("Effect") not in ("Allow", "Deny"):
            continue
        effect = st["Effect"]
        resources = _list(st.get("Resource")) or [f"Not {r}" for r in _list(st.get("NotResource"))]
        conditions = _conditions(st.get("Condition"))
        if "NotAction" in st:
            row = _row(rows[effect], "*", "All services", catalog)
            row.not_action += _list(st["NotAction"])
            _merge(row, resources, conditions)
            continue
        for pattern in _list(st.get("Action")):
            if pattern.strip() == "*":
                _merge(_row(rows[effect], "*", "All services", catalog), resources, conditions)
                continue
            prefix = pattern.partition(":")[0].lower()
            if not catalog.service_exists(prefix):
                row = _row(rows[effect], "?", "Unrecognized services", catalog)
                row.unrecognized.append(pattern)
                continue
            row = _row(rows[effect], prefix, catalog.service_name(prefix), catalog)
            matched = catalog.expand(pattern)
            if not matched:
                row.unrecognized.append(pattern)
            granted.setdefault((effect, prefix), set()).update(a.name.lower() for a in matched)
            _merge(row, resources, conditions)
    for (effect, prefix), names in granted.items():
        row = rows[effect][prefix]
        service = catalog.service(prefix)
        assert service is not None
        totals: dict[str, int] = {}
        counts: dict[str, int] = {}
        for key, action in service.actions.items():
            totals[action.access_level] = totals.get(action.access_level, 0) + 1
            if key in names:
                counts[action.access_level] = counts.get(action.access_level, 0) + 1
        row.levels = {lvl: (counts[lvl], totals[lvl]) for lvl in counts}
        row.level_count = len(totals)
    return PolicySummary(sorted(rows["Allow"].values(), key=_order), sorted(rows["Deny"].values(), key=_order))


def _order(row: ServiceSummary) -> tuple[int, str]:
    return (0 if row.service == "*" else 2 if row.service == "?" else 1, row.name.lower())


def _row(rows: dict[str, ServiceSummary], prefix: str, name: str, catalog: Catalog) -> ServiceSummary:
    if prefix not in rows:
        rows[prefix] = ServiceSummary(prefix, name)
    return rows[prefix]


def _merge(row: ServiceSummary, resources: list[str], conditions: list[str]) -> None:
    for r in resources:
        if r not in row.resources:
            row.resources.append(r)
    for c in conditions:
        if c not in row.conditions:
            row.conditions.append(c)
