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
import marshal
import re
from collections.abc import Mapping
from functools import lru_cache
from json.decoder import scanstring  # type: ignore[attr-defined]  # CPython has it, typeshed does not

from .conditions import parse_operator
from .matching import compile_actions_cached, compile_resource
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
    if type(doc) is dict:
        return _parse_mapping(doc)
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


class _NonFiniteConstant(ValueError):
    """NaN, Infinity or -Infinity in JSON text: Python's json module accepts them,
    JSON (RFC 8259) and IAM do not."""


def _reject_constant(name: str) -> object:
    raise _NonFiniteConstant(name)


_STRING_OR_CONSTANT = re.compile(r'"(?:[^"\\]|\\.)*"|(-?Infinity|NaN)', re.DOTALL)


def find_constant(text: str, name: str) -> int:
    """Offset of the first `name` (NaN, Infinity, -Infinity) outside JSON strings, or 0."""
    for match in _STRING_OR_CONSTANT.finditer(text):
        if match.group(1) == name:
            return match.start(1)
    return 0


def _line_column(text: str, offset: int) -> tuple[int, int]:
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


@lru_cache(maxsize=4096)
def _parse_text(text: str) -> Policy:
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise PolicyParseError(f"Invalid JSON: {exc.msg}", "", exc.lineno, exc.colno) from None
    except _NonFiniteConstant as exc:
        line, column = _line_column(text, find_constant(text, str(exc)))
        raise PolicyParseError(f"Invalid JSON: {exc} is not a JSON value", "", line, column) from None
    except RecursionError:
        raise PolicyParseError("Invalid JSON: nested too deeply", "", 1, 1) from None
    except ValueError as exc:  # e.g. an integer longer than Python's digit limit
        raise PolicyParseError(f"Invalid JSON: {exc}", "", 1, 1) from None
    try:
        return _build_policy(data, text)
    except _Error as err:
        line, column = locate(text, err.tokens)
        raise PolicyParseError(err.message, format_path(err.tokens), line, column) from None


# Mapping input is cached twice over:
#
# - by content (:func:`_content_key`: the data in marshal format, which keeps 1, 1.0,
#   True and "1" apart and keeps key order), for equal documents that are
#   different objects;
# - by identity, for a dict object given again and again (callers that keep their
#   documents, such as the benchmark's shared policies). The first time an object
#   is seen only its content key is remembered; the second time, if its content
#   key is unchanged, a snapshot of its containers sharing the leaf objects is
#   taken; from then on a hit needs `doc == snapshot` (CPython compares leaf by
#   leaf with an identity shortcut) and the same type for every non-string scalar
#   (1, 1.0 and True are equal in Python but different JSON), so a document
#   changed in place is parsed again. The entry keeps a reference to the dict, so
#   its id cannot be reused while cached. Fresh dicts (one per request, as the
#   command line reads them) pay only for the content key.
_IDENTITY_CACHE: dict[int, tuple[object, bytes | str, object, tuple[tuple[PathToken, ...], ...], Policy]] = {}
_MAPPING_CACHE: dict[bytes | str, Policy] = {}
_MAPPING_CACHE_SIZE = 4096
_KEY_ENCODER = json.JSONEncoder(separators=(",", ":"), allow_nan=False, ensure_ascii=False)
_NO_SNAPSHOT = object()


def _content_key(doc: Mapping[str, object]) -> bytes | str:
    """An exact key for JSON data: marshal format 2 (no back-references, so equal
    data gives equal bytes; it keeps int, float, bool, str, list and tuple apart
    and keeps key order), twice as fast as JSON text; for other mapping types the
    compact JSON text. Raises TypeError/ValueError/RecursionError for data that
    is not JSON (NaN and sets pass marshal but fail when the document is built)."""
    try:
        return marshal.dumps(doc, 2)
    except (ValueError, TypeError):
        return _KEY_ENCODER.encode(doc)


class _NotPlainJson(Exception):
    pass


_PLAIN_SCALARS = (int, float, bool, type(None))


def _snapshot(value: object, path: tuple[PathToken, ...], scalars: list[tuple[PathToken, ...]]) -> object:
    """A copy of the containers of JSON data that shares its leaves; records the
    paths of non-string scalars (whose type `==` does not check). Raises
    _NotPlainJson for anything but dict (with str keys), list, str, int, float,
    bool and None, which are not cached by identity."""
    kind = type(value)
    if kind is str:
        return value
    if kind is dict:
        out = {}
        for k, v in value.items():  # type: ignore[attr-defined]
            if type(k) is not str:
                raise _NotPlainJson
            out[k] = _snapshot(v, (*path, k), scalars)
        return out
    if kind is list:
        return [_snapshot(v, (*path, i), scalars) for i, v in enumerate(value)]  # type: ignore[arg-type]
    if kind not in _PLAIN_SCALARS:
        raise _NotPlainJson
    scalars.append(path)
    return value


def _at(value: object, path: tuple[PathToken, ...]) -> object:
    for token in path:
        value = value[token]  # type: ignore[index]
    return value


def _identity_hit(doc: Mapping[str, object]) -> Policy | None:
    entry = _IDENTITY_CACHE.get(id(doc))
    if entry is None or entry[0] is not doc:
        return None
    _doc, key, snapshot, scalars, policy = entry
    if snapshot is _NO_SNAPSHOT:
        return _second_sight(doc, key, policy)
    try:
        if doc != snapshot:
            return None
        for path in scalars:
            if type(_at(doc, path)) is not type(_at(snapshot, path)):
                return None
    except (LookupError, TypeError, RecursionError):
        return None
    return policy


def _second_sight(doc: Mapping[str, object], key: bytes | str, policy: Policy) -> Policy | None:
    """The same dict again: if its content is unchanged, snapshot it for cheap hits."""
    try:
        if _content_key(doc) != key:
            return None
    except (TypeError, ValueError, RecursionError):
        return None
    scalars: list[tuple[PathToken, ...]] = []
    try:
        snapshot = _snapshot(doc, (), scalars)
    except (_NotPlainJson, RecursionError):
        return policy  # not cacheable by identity, but the content is the same
    _IDENTITY_CACHE[id(doc)] = (doc, key, snapshot, tuple(scalars), policy)
    return policy


def _remember_identity(doc: Mapping[str, object], key: bytes | str, policy: Policy) -> None:
    if len(_IDENTITY_CACHE) >= _MAPPING_CACHE_SIZE:
        _IDENTITY_CACHE.clear()
    _IDENTITY_CACHE[id(doc)] = (doc, key, _NO_SNAPSHOT, (), policy)


def _parse_mapping(doc: Mapping[str, object]) -> Policy:
    """Mappings are cached by identity, then by content (:func:`_content_key`)."""
    cached = _identity_hit(doc)
    if cached is not None:
        return cached
    try:
        key = _content_key(doc)
    except (TypeError, ValueError) as exc:
        raise PolicyParseError(f"The policy is not JSON data: {exc}") from None
    except RecursionError:
        raise PolicyParseError("The policy is nested too deeply") from None
    cached = _MAPPING_CACHE.get(key)
    if cached is None:
        try:
            text = json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False)
            data = json.loads(text)
        except (TypeError, ValueError) as exc:
            raise PolicyParseError(f"The policy is not JSON data: {exc}") from None
        except RecursionError:
            raise PolicyParseError("The policy is nested too deeply") from None
        try:
            cached = _build_policy(data, text)
        except _Error as err:
            raise PolicyParseError(err.message, format_path(err.tokens)) from None
        if len(_MAPPING_CACHE) >= _MAPPING_CACHE_SIZE:
            _MAPPING_CACHE.clear()
        _MAPPING_CACHE[key] = cached
    _remember_identity(doc, key, cached)
    return cached


# ---------------------------------------------------------------------- building


def type_name(value: object) -> str:
    """JSON's name for a Python value's type, for error messages."""
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
        raise _Error(f"The policy must be a JSON object, not {type_name(data)}", ())
    for key in data:
        if key not in TOP_LEVEL_ELEMENTS:
            raise _Error(f"Unknown policy element {key!r}", (key,))
    version_given = "Version" in data
    version = data.get("Version", VERSION_2008)
    if version not in (VERSION_2012, VERSION_2008):
        raise _Error(f"Version must be \"{VERSION_2012}\" or \"{VERSION_2008}\", not {json.dumps(version)}", ("Version",))
    policy_id = data.get("Id")
    if policy_id is not None and not isinstance(policy_id, str):
        raise _Error(f"Id must be a string, not {type_name(policy_id)}", ("Id",))
    if "Statement" not in data:
        raise _Error("The policy has no Statement element", ())
    raw = data["Statement"]
    if isinstance(raw, dict):
        raw_statements: list[object] = [raw]
    elif isinstance(raw, list):
        raw_statements = raw
    else:
        raise _Error(f"Statement must be an object or an array of objects, not {type_name(raw)}", ("Statement",))
    variables = version == VERSION_2012
    statements = tuple(_build_statement(s, i, variables) for i, s in enumerate(raw_statements))
    return Policy(version, policy_id, statements, source_text, version_given)


def _string_list(value: object, path: tuple[PathToken, ...], element: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        for i, item in enumerate(value):
            if not isinstance(item, str):
                raise _Error(f"{element} entries must be strings, not {type_name(item)}", (*path, i))
        return tuple(value)
    raise _Error(f"{element} must be a string or an array of strings, not {type_name(value)}", path)


def _build_statement(raw: object, index: int, variables: bool) -> Statement:
    path: tuple[PathToken, ...] = ("Statement", index)
    if not isinstance(raw, dict):
        raise _Error(f"A statement must be an object, not {type_name(raw)}", path)
    for key in raw:
        if key not in STATEMENT_ELEMENTS:
            raise _Error(f"Unknown statement element {key!r}", (*path, key))
    sid = raw.get("Sid")
    if sid is not None and not isinstance(sid, str):
        raise _Error(f"Sid must be a string, not {type_name(sid)}", (*path, "Sid"))
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

    matcher = compile_actions_cached(actions if actions is not None else (not_actions or ()))
    patterns_source = resources if resources is not None else not_resources
    patterns = (tuple(compile_resource(r, variables, effect == DENY) for r in patterns_source)
                if patterns_source is not None else None)
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
    raise _Error(f"A condition value must be a string, number or boolean, not {type_name(value)}", path)


def _build_conditions(raw: object, path: tuple[PathToken, ...], variables: bool) -> tuple[Condition, ...]:
    if not isinstance(raw, dict):
        raise _Error(f"Condition must be an object, not {type_name(raw)}", path)
    out: list[Condition] = []
    for operator, block in raw.items():
        op_path = (*path, operator)
        parsed = parse_operator(operator)
        if parsed is None:
            raise _Error(f"Unknown condition operator {operator!r}", op_path)
        base, set_op, if_exists = parsed
        if not isinstance(block, dict):
            raise _Error(f"The {operator} block must be an object of condition keys, not {type_name(block)}", op_path)
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
