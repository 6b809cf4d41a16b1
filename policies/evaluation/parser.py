"""JSON text or a mapping -> :class:`~policies.evaluation.model.Policy`.

Implements the grammar of "IAM JSON policy element reference"
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html)
and "Grammar of the IAM JSON policy language"
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html).
Errors name the statement and the element (``Statement[1].Effect``) and, for
text input, the line and column. Parsed policies are cached by content.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import lru_cache
from json.decoder import scanstring  # type: ignore[attr-defined]  # CPython has it, typeshed does not

from .conditions import parse_operator
from .matching import compile_actions, compile_resource
from .model import (
    ALLOW,
    DENY,
    VERSION_2008,
    VERSION_2012,
    Condition,
    Policy,
    PrincipalSpec,
    Statement,
)
from .variables import has_variables

PathToken = str | int

TOP_LEVEL_ELEMENTS = ("Version", "Id", "Statement")
STATEMENT_ELEMENTS = (
    "Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction",
    "Resource", "NotResource", "Condition",
)
PRINCIPAL_TYPES = ("AWS", "Service", "Federated", "CanonicalUser")
_ACCOUNT_ID = re.compile(r"^\d{12}$")


class PolicyParseError(ValueError):
    """A policy document that cannot be parsed.

    `path` names the element (``Statement[1].Effect``; ``""`` for the whole
    document); `line`/`column` (1-based) locate it in text input and are None
    for mapping input."""

    def __init__(self, message: str, path: str = "", line: int | None = None, column: int | None = None):
        self.message = message
        self.path = path
        self.line = line
        self.column = column
        where = f"{path}: " if path else ""
        at = f" (line {line}, column {column})" if line is not None else ""
        super().__init__(f"{where}{message}{at}")

    def to_dict(self) -> dict[str, object]:
        return {"message": self.message, "path": self.path, "line": self.line, "column": self.column}


class _Error(Exception):
    def __init__(self, message: str, tokens: tuple[PathToken, ...]):
        super().__init__(message)
        self.message = message
        self.tokens = tokens


def format_path(tokens: tuple[PathToken, ...]) -> str:
    out = ""
    for tok in tokens:
        if isinstance(tok, int):
            out += f"[{tok}]"
        else:
            out += ("." if out else "") + tok
    return out


# ------------------------------------------------------------------ public entry


def parse_policy(doc: str | bytes | Mapping[str, object]) -> Policy:
    """Parse a policy document (JSON text, UTF-8 bytes or a mapping).

    Results are cached by content: the same text, or a mapping with the same
    content (keys in the same order, which explanations keep), returns the
    same :class:`Policy` object. Raises
    :class:`PolicyParseError`. Implements "IAM JSON policy element reference"."""
    if isinstance(doc, bytes):
        try:
            doc = doc.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise PolicyParseError(f"The policy is not valid UTF-8: {exc.reason}") from None
    if isinstance(doc, str):
        return _parse_text(doc)
    if isinstance(doc, Mapping):
        return _parse_mapping(doc)
    raise PolicyParseError(f"A policy must be JSON text or an object, not {type(doc).__name__}")


@lru_cache(maxsize=4096)
def _parse_text(text: str) -> Policy:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PolicyParseError(f"Invalid JSON: {exc.msg}", "", exc.lineno, exc.colno) from None
    except RecursionError:
        raise PolicyParseError("Invalid JSON: nested too deeply", "", 1, 1) from None
    except ValueError as exc:  # e.g. an integer longer than Python's digit limit
        raise PolicyParseError(f"Invalid JSON: {exc}", "", 1, 1) from None
    try:
        return _build_policy(data, text)
    except _Error as err:
        line, column = locate(text, err.tokens)
        raise PolicyParseError(err.message, format_path(err.tokens), line, column) from None


_MAPPING_CACHE: dict[object, Policy] = {}
_MAPPING_CACHE_SIZE = 4096
_SCALAR_TAGS = {bool: "b", int: "i", float: "f", type(None): "n"}


def _freeze(value: object) -> object:
    """A hashable key for JSON data that keeps types apart (1, 1.0, True and "1"
    give different keys) and keeps key order. Lists of strings, the bulk of a
    large policy, are frozen in one C-level step."""
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        return ("{", tuple((k, _freeze(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        try:
            # A list of strings becomes one NUL-joined string: hashed and
            # compared by C loops instead of one string object at a time.
            joined = "\x00".join(value)
        except TypeError:
            return ("[", tuple(_freeze(v) for v in value))  # not all strings
        if joined.count("\x00") == len(value) - 1:
            return ("[", len(value), joined)
        return ("[", tuple(value))
    tag = _SCALAR_TAGS.get(type(value))
    if tag is None:
        raise TypeError(f"{type(value).__name__} is not JSON data")
    return (tag, value)


def _parse_mapping(doc: Mapping[str, object]) -> Policy:
    """Mappings are cached by their frozen content, which is much cheaper to
    compute than canonical JSON text for policies with thousands of actions."""
    try:
        key = _freeze(doc)
        hash(key)
    except (TypeError, ValueError) as exc:
        raise PolicyParseError(f"The policy is not JSON data: {exc}") from None
    except RecursionError:
        raise PolicyParseError("The policy is nested too deeply") from None
    cached = _MAPPING_CACHE.get(key)
    if cached is not None:
        return cached
    try:
        text = json.dumps(doc, indent=2, ensure_ascii=False)
        data = json.loads(text)
    except (TypeError, ValueError) as exc:
        raise PolicyParseError(f"The policy is not JSON data: {exc}") from None
    except RecursionError:
        raise PolicyParseError("The policy is nested too deeply") from None
    try:
        policy = _build_policy(data, text)
    except _Error as err:
        raise PolicyParseError(err.message, format_path(err.tokens)) from None
    if len(_MAPPING_CACHE) >= _MAPPING_CACHE_SIZE:
        _MAPPING_CACHE.clear()
    _MAPPING_CACHE[key] = policy
    return policy


# ---------------------------------------------------------------------- building


def _type_name(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def _build_policy(data: object, source_text: str) -> Policy:
    if not isinstance(data, dict):
        raise _Error(f"The policy must be a JSON object, not {_type_name(data)}", ())
    for key in data:
        if key not in TOP_LEVEL_ELEMENTS:
            raise _Error(f"Unknown policy element {key!r}", (key,))
    version_given = "Version" in data
    version = data.get("Version", VERSION_2008)
    if version not in (VERSION_2012, VERSION_2008):
        raise _Error(f"Version must be \"{VERSION_2012}\" or \"{VERSION_2008}\", not {json.dumps(version)}", ("Version",))
    policy_id = data.get("Id")
    if policy_id is not None and not isinstance(policy_id, str):
        raise _Error(f"Id must be a string, not {_type_name(policy_id)}", ("Id",))
    if "Statement" not in data:
        raise _Error("The policy has no Statement element", ())
    raw = data["Statement"]
    if isinstance(raw, dict):
        raw_statements: list[object] = [raw]
    elif isinstance(raw, list):
        raw_statements = raw
    else:
        raise _Error(f"Statement must be an object or an array of objects, not {_type_name(raw)}", ("Statement",))
    variables = version == VERSION_2012
    statements = tuple(_build_statement(s, i, variables) for i, s in enumerate(raw_statements))
    return Policy(version, policy_id, statements, source_text, version_given)


def _string_list(value: object, path: tuple[PathToken, ...], element: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        for i, item in enumerate(value):
            if not isinstance(item, str):
                raise _Error(f"{element} entries must be strings, not {_type_name(item)}", (*path, i))
        return tuple(value)
    raise _Error(f"{element} must be a string or an array of strings, not {_type_name(value)}", path)


def _build_statement(raw: object, index: int, variables: bool) -> Statement:
    path: tuple[PathToken, ...] = ("Statement", index)
    if not isinstance(raw, dict):
        raise _Error(f"A statement must be an object, not {_type_name(raw)}", path)
    for key in raw:
        if key not in STATEMENT_ELEMENTS:
            raise _Error(f"Unknown statement element {key!r}", (*path, key))
    sid = raw.get("Sid")
    if sid is not None and not isinstance(sid, str):
        raise _Error(f"Sid must be a string, not {_type_name(sid)}", (*path, "Sid"))
    if "Effect" not in raw:
        raise _Error("The statement has no Effect element", path)
    effect = raw["Effect"]
    if effect not in (ALLOW, DENY):
        raise _Error(f"Effect must be \"Allow\" or \"Deny\", not {json.dumps(effect)}", (*path, "Effect"))

    def pair(a: str, b: str, required: bool) -> tuple[tuple[str, ...] | None, tuple[str, ...] | None]:
        if a in raw and b in raw:
            raise _Error(f"A statement cannot have both {a} and {b}", (*path, b))
        if required and a not in raw and b not in raw:
            raise _Error(f"The statement has neither {a} nor {b}", path)
        first = _string_list(raw[a], (*path, a), a) if a in raw else None
        second = _string_list(raw[b], (*path, b), b) if b in raw else None
        return first, second

    actions, not_actions = pair("Action", "NotAction", True)
    # Resource is optional: role trust policies have none (the policy applies to
    # the role it is attached to); validation reports it where it is required.
    resources, not_resources = pair("Resource", "NotResource", False)
    if "Principal" in raw and "NotPrincipal" in raw:
        raise _Error("A statement cannot have both Principal and NotPrincipal", (*path, "NotPrincipal"))
    principal = _build_principal(raw["Principal"], (*path, "Principal")) if "Principal" in raw else None
    not_principal = _build_principal(raw["NotPrincipal"], (*path, "NotPrincipal")) if "NotPrincipal" in raw else None
    conditions = _build_conditions(raw["Condition"], (*path, "Condition"), variables) if "Condition" in raw else ()

    matcher = compile_actions(actions if actions is not None else (not_actions or ()))
    patterns_source = resources if resources is not None else not_resources
    patterns = tuple(compile_resource(r, variables) for r in patterns_source) if patterns_source is not None else None
    return Statement(index, sid, effect, actions, not_actions, resources, not_resources,
                     principal, not_principal, conditions, matcher, patterns)


def _build_principal(raw: object, path: tuple[PathToken, ...]) -> PrincipalSpec:
    if raw == "*":
        return PrincipalSpec(wildcard=True)
    if not isinstance(raw, dict):
        raise _Error('A principal must be "*" or an object such as {"AWS": ...}', path)
    wildcard = False
    found: dict[str, tuple[str, ...]] = {}
    for key, value in raw.items():
        if key not in PRINCIPAL_TYPES:
            raise _Error(f"Unknown principal type {key!r}; expected one of {', '.join(PRINCIPAL_TYPES)}", (*path, key))
        entries = _string_list(value, (*path, key), f"Principal {key}")
        if key == "AWS":
            normalised = []
            for entry in entries:
                if entry == "*":
                    wildcard = True
                elif _ACCOUNT_ID.match(entry):
                    normalised.append(f"arn:aws:iam::{entry}:root")
                else:
                    normalised.append(entry)
            entries = tuple(normalised)
        found[key] = entries
    return PrincipalSpec(
        wildcard=wildcard,
        aws=found.get("AWS", ()),
        service=found.get("Service", ()),
        federated=found.get("Federated", ()),
        canonical_user=found.get("CanonicalUser", ()),
    )


def _condition_value(value: object, path: tuple[PathToken, ...]) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    if isinstance(value, str):
        return value
    raise _Error(f"A condition value must be a string, number or boolean, not {_type_name(value)}", path)


def _build_conditions(raw: object, path: tuple[PathToken, ...], variables: bool) -> tuple[Condition, ...]:
    if not isinstance(raw, dict):
        raise _Error(f"Condition must be an object, not {_type_name(raw)}", path)
    out: list[Condition] = []
    for operator, block in raw.items():
        op_path = (*path, operator)
        parsed = parse_operator(operator)
        if parsed is None:
            raise _Error(f"Unknown condition operator {operator!r}", op_path)
        base, set_op, if_exists = parsed
        if not isinstance(block, dict):
            raise _Error(f"The {operator} block must be an object of condition keys, not {_type_name(block)}", op_path)
        for key, value in block.items():
            key_path = (*op_path, key)
            if isinstance(value, list):
                values = tuple(_condition_value(v, (*key_path, i)) for i, v in enumerate(value))
            else:
                values = (_condition_value(value, key_path),)
            if base == "Null":
                for i, v in enumerate(values):
                    if v.lower() not in ("true", "false"):
                        raise _Error(f"Null takes \"true\" or \"false\", not {v!r}", key_path if len(values) == 1 else (*key_path, i))
            with_vars = variables and any(has_variables(v) for v in values)
            out.append(Condition(operator, base, set_op, if_exists, key, values, with_vars))
    return tuple(out)


# ---------------------------------------------------------------------- positions


def locate(text: str, tokens: tuple[PathToken, ...]) -> tuple[int | None, int | None]:
    """(line, column), 1-based, of the value found by following `tokens` in the
    JSON `text`; stops at the deepest element that exists. An integer token on
    an object (a single-statement ``Statement``) refers to that object."""
    decoder = json.JSONDecoder()
    ws = re.compile(r"[ \t\n\r]*")

    def skip(pos: int) -> int:
        m = ws.match(text, pos)
        return m.end() if m else pos

    pos = skip(0)
    try:
        for tok in tokens:
            if pos >= len(text):
                break
            ch = text[pos]
            if ch == "{" and isinstance(tok, str):
                pos = skip(pos + 1)
                found = False
                while pos < len(text) and text[pos] != "}":
                    key, pos = scanstring(text, pos + 1)
                    pos = skip(skip(pos) + 1)  # past ':'
                    if key == tok:
                        found = True
                        break
                    _value, pos = decoder.raw_decode(text, pos)
                    pos = skip(pos)
                    if pos < len(text) and text[pos] == ",":
                        pos = skip(pos + 1)
                if not found:
                    break
            elif ch == "[" and isinstance(tok, int):
                pos = skip(pos + 1)
                for _ in range(tok):
                    _value, pos = decoder.raw_decode(text, pos)
                    pos = skip(skip(pos) + 1)
            elif ch == "{" and isinstance(tok, int) and tok == 0:
                continue
            else:
                break
    except (ValueError, IndexError, RecursionError):
        return None, None
    line = text.count("\n", 0, pos) + 1
    column = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return line, column
