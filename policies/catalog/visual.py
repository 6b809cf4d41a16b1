"""The visual editor's model and its round trips to JSON.

A visual statement is what the console's visual editor shows in one block: Allow or Deny, one
service, its actions (ticked by name, "All <service> actions", or patterns such as ``Get*``),
resources ("All resources" or specific ARNs) and request conditions (key, operator, values).
``from_json`` returns None with a note when the JSON uses something the visual editor cannot
show (NotAction, NotResource, Principal, a bare ``"*"`` action, ...): that policy stays in JSON
mode. A statement naming actions of several services becomes one block per service with the
same resources and conditions, which grants the same (the visual editor does the same).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from . import Catalog, get_catalog

ALLOWED_KEYS = frozenset({"Sid", "Effect", "Action", "Resource", "Condition"})
OPERATORS = (
    "StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase", "StringLike",
    "StringNotLike", "NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals",
    "NumericGreaterThan", "NumericGreaterThanEquals", "DateEquals", "DateNotEquals", "DateLessThan",
    "DateLessThanEquals", "DateGreaterThan", "DateGreaterThanEquals", "Bool", "BinaryEquals", "IpAddress",
    "NotIpAddress", "ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike", "Null",
)


@dataclass
class VisualCondition:
    key: str
    operator: str
    values: list[str]


@dataclass
class VisualStatement:
    effect: str = "Allow"
    service: str = ""
    actions: list[str] = field(default_factory=list)  # exact action names (catalog spelling)
    all_actions: bool = False
    patterns: list[str] = field(default_factory=list)  # other name patterns, e.g. Get*
    all_resources: bool = True
    arns: list[str] = field(default_factory=list)
    conditions: list[VisualCondition] = field(default_factory=list)
    sid: str = ""
    order: list[str] = field(default_factory=list)  # entries as written in JSON, to keep their order

    def action_entries(self) -> list[str]:
        if not self.service:
            return []
        if self.all_actions:
            return [f"{self.service}:*"]
        entries = [f"{self.service}:{a}" for a in self.actions] + [f"{self.service}:{p}" for p in self.patterns]
        rank = {e.lower(): i for i, e in enumerate(self.order)}
        return sorted(entries, key=lambda e: rank.get(e.lower(), len(rank)))


def to_document(statements: Sequence[VisualStatement]) -> dict[str, Any]:
    out = []
    for vs in statements:
        actions = vs.action_entries()
        if not actions:
            continue
        st: dict[str, Any] = {}
        if vs.sid:
            st["Sid"] = vs.sid
        st["Effect"] = vs.effect
        st["Action"] = actions[0] if len(actions) == 1 else actions
        resources = ["*"] if vs.all_resources or not vs.arns else vs.arns
        st["Resource"] = resources[0] if len(resources) == 1 else resources
        if vs.conditions:
            block: dict[str, dict[str, Any]] = {}
            for c in vs.conditions:
                if c.key and c.operator and c.values:
                    block.setdefault(c.operator, {})[c.key] = c.values[0] if len(c.values) == 1 else c.values
            if block:
                st["Condition"] = block
        out.append(st)
    return {"Version": "2012-10-17", "Statement": out}


def to_json(statements: Sequence[VisualStatement]) -> str:
    return json.dumps(to_document(statements), indent=4)


def _strings(value: Any) -> list[str] | None:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    return None


def from_json(text: str, catalog: Catalog | None = None) -> tuple[list[VisualStatement] | None, str]:
    """The visual blocks for a policy, or (None, why not)."""
    catalog = catalog or get_catalog()
    try:
        data = json.loads(text)
    except ValueError:
        return None, "The JSON has a syntax error; fix it in the JSON editor first."
    if not isinstance(data, dict):
        return None, "The policy must be a JSON object."
    if set(data) - {"Version", "Id", "Statement"}:
        return None, "The policy has top-level elements the visual editor cannot show."
    statements = data.get("Statement", [])
    if isinstance(statements, dict):
        statements = [statements]
    if not isinstance(statements, list):
        return None, "Statement must be a list of statements."
    out: list[VisualStatement] = []
    for i, st in enumerate(statements):
        if not isinstance(st, dict):
            return None, f"Statement {i + 1} is not an object."
        extra = set(st) - ALLOWED_KEYS
        if extra:
            return None, f"Statement {i + 1} uses {', '.join(sorted(extra))}, which the visual editor cannot show."
        if st.get("Effect") not in ("Allow", "Deny"):
            return None, f"Statement {i + 1} has no valid Effect."
        actions = _strings(st.get("Action"))
        resources = _strings(st.get("Resource", "*"))
        if not actions or resources is None:
            return None, f"Statement {i + 1} has an Action or Resource the visual editor cannot show."
        conditions = []
        block = st.get("Condition", {})
        if not isinstance(block, dict):
            return None, f"Statement {i + 1} has a Condition the visual editor cannot show."
        for operator, keys in block.items():
            if not isinstance(keys, dict):
                return None, f"Statement {i + 1} has a Condition the visual editor cannot show."
            for key, values in keys.items():
                listed = values if isinstance(values, list) else [values]
                if any(isinstance(v, (dict, list)) for v in listed):
                    return None, f"Statement {i + 1} has a Condition the visual editor cannot show."
                conditions.append(VisualCondition(key, operator, [_text(v) for v in listed]))
        by_service: dict[str, VisualStatement] = {}
        for entry in actions:
            prefix, sep, name = entry.partition(":")
            if not sep or not name or any(c in prefix for c in "*?") or not catalog.service_exists(prefix):
                return None, f"The action {entry} does not belong to one known service, so it stays in JSON."
            prefix = prefix.lower()
            vs = by_service.get(prefix)
            if vs is None:
                vs = VisualStatement(effect=st["Effect"], service=prefix, all_resources="*" in resources,
                                     arns=[r for r in resources if r != "*"],
                                     conditions=[VisualCondition(c.key, c.operator, list(c.values)) for c in conditions],
                                     sid=str(st.get("Sid", "")) if not by_service else "")
                by_service[prefix] = vs
            vs.order.append(f"{prefix}:{name}")
            if name == "*":
                vs.all_actions = True
                continue
            action = catalog.action(f"{prefix}:{name}") if not any(c in name for c in "*?") else None
            if action is not None:
                if action.name not in vs.actions:
                    vs.actions.append(action.name)
            else:
                vs.patterns.append(name)
        out.extend(by_service.values())
    return out, ""


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def from_form(data: Mapping[str, Any], catalog: Catalog | None = None) -> list[VisualStatement]:
    """The blocks from the visual editor's form fields (``st-<i>-...``; ``data`` is a QueryDict
    or a mapping of lists)."""
    catalog = catalog or get_catalog()

    def get(name: str) -> str:
        value = data.get(name, "")
        return value if isinstance(value, str) else (value[-1] if value else "")

    def getlist(name: str) -> list[str]:
        if hasattr(data, "getlist"):
            return list(data.getlist(name))
        value = data.get(name, [])
        return [value] if isinstance(value, str) else list(value)

    count = int(get("statement_count") or 0) if (get("statement_count") or "0").isdigit() else 0
    out = []
    for i in range(min(count, 100)):
        p = f"st-{i}-"
        service = get(p + "service").strip().lower()
        if service and not catalog.service_exists(service):
            service = ""
        vs = VisualStatement(
            effect="Deny" if get(p + "effect") == "Deny" else "Allow",
            service=service,
            actions=[a for a in getlist(p + "action") if a],
            all_actions=get(p + "all_actions") == "on",
            patterns=[x.strip() for x in get(p + "patterns").splitlines() if x.strip()],
            all_resources=get(p + "resource_mode") != "specific",
            arns=[x.strip() for x in get(p + "arns").splitlines() if x.strip()],
            sid=get(p + "sid").strip(),
        )
        for key, op, value in zip(getlist(p + "cond_key"), getlist(p + "cond_op"), getlist(p + "cond_value")):
            if key.strip() and op.strip():
                values = [v.strip() for v in value.split(",") if v.strip()]
                if values:
                    vs.conditions.append(VisualCondition(key.strip(), op.strip(), values))
        out.append(vs)
    return out


def build_arn(arn_format: str, values: Mapping[str, str], partition: str = "aws") -> str:
    """An ARN from a resource type's format: ${Partition} is the partition, every other
    variable takes its value or ``*`` ("Any")."""
    import re

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "Partition":
            return partition
        return (values.get(name) or "").strip() or "*"

    return re.sub(r"\$\{([^}]*)\}", fill, arn_format)
