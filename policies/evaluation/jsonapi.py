"""The JSON interface: one request object in, one result object out.

The shape is fixed by the evaluation issue and kept stable:

    {"request": {"principal": ..., "action": ..., "resource": ...,
                 "resource_account": ... (optional), "context": {...} (optional)},
     "identity_policies": [DOC, ...], "permission_boundary": DOC | null,
     "session_policy": DOC | null, "resource_policy": DOC | null,
     "scps": [[DOC, ...], ...], "rcps": [[DOC, ...], ...]}

A DOC is a policy object or its JSON text. The result is ``Decision.to_dict()``
(at least "decision" and "explanation"), or ``{"error": ...}`` with no decision
when the input is bad. An "id" in the request object is copied to the result.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from .decision import Request, evaluate
from .model import Policy
from .parser import PolicyParseError, parse_policy

_REQUEST_FIELDS = ("principal", "action", "resource", "resource_account", "context")
_TOP_FIELDS = ("id", "request", "identity_policies", "permission_boundary", "session_policy",
               "resource_policy", "scps", "rcps")


class JsonInputError(ValueError):
    def __init__(self, message: str, path: str, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.column = column


def _policy(doc: object, path: str) -> tuple[str, Policy]:
    if type(doc) is not dict and not isinstance(doc, (str, Mapping)):
        raise JsonInputError(f"a policy must be a JSON object or its JSON text, not {type(doc).__name__}", path)
    try:
        return path, parse_policy(doc)
    except PolicyParseError as err:
        where = f"{path}.{err.path}" if err.path else path
        raise JsonInputError(f"the policy does not parse: {err.message}", where, err.line, err.column) from None


def _policy_list(value: object, path: str) -> list[tuple[str, Policy]]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise JsonInputError(f"{path} must be a list of policies", path)
    return [_policy(doc, f"{path}[{i}]") for i, doc in enumerate(value)]


def _levels(value: object, path: str) -> list[list[tuple[str, Policy]]]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise JsonInputError(f"{path} must be a list of levels, each a list of policies", path)
    return [_policy_list(level, f"{path}[{i}]") for i, level in enumerate(value)]


def _optional_policy(value: object, path: str) -> tuple[str, Policy] | None:
    return None if value is None else _policy(value, path)


def _request(value: object) -> Request:
    if not isinstance(value, Mapping):
        raise JsonInputError("request must be an object", "request")
    for key in value:
        if key not in _REQUEST_FIELDS:
            raise JsonInputError(f"unknown request field {key!r}", f"request.{key}")
    fields: dict[str, Any] = {}
    for key in ("principal", "action", "resource"):
        item = value.get(key)
        if not isinstance(item, str) or not item:
            raise JsonInputError(f"request.{key} must be a non-empty string", f"request.{key}")
        fields[key] = item
    account = value.get("resource_account")
    if account is not None and not isinstance(account, str):
        raise JsonInputError("request.resource_account must be a string or null", "request.resource_account")
    context = value.get("context")
    if context is None:
        context = {}
    if not isinstance(context, Mapping):
        raise JsonInputError("request.context must be an object", "request.context")
    for key, item in context.items():
        items = item if isinstance(item, list) else [item]
        for v in items:
            if v is not None and not isinstance(v, (str, bool, int, float)):
                raise JsonInputError(
                    "a context value must be a string, number, boolean or a list of them",
                    f"request.context.{key}")
            if isinstance(v, float) and not math.isfinite(v):
                raise JsonInputError("a context value must be a finite number (JSON has no NaN or Infinity)",
                                     f"request.context.{key}")
    return Request(fields["principal"], fields["action"], fields["resource"], account, dict(context))


def evaluate_json_request(obj: object) -> dict[str, object]:
    """Evaluate one request object of the JSON interface; never raises on bad
    input (the result then has "error" and no "decision"). The decision itself
    follows "Policy evaluation logic" (see :func:`decision.evaluate`)."""
    ident = obj.get("id") if isinstance(obj, Mapping) else None
    try:
        if not isinstance(obj, Mapping):
            raise JsonInputError("each request must be a JSON object", "")
        for key in obj:
            if key not in _TOP_FIELDS:
                raise JsonInputError(f"unknown field {key!r}", key)
        request = _request(obj.get("request"))
        decision = evaluate(
            request,
            identity_policies=_policy_list(obj.get("identity_policies"), "identity_policies"),
            permission_boundary=_optional_policy(obj.get("permission_boundary"), "permission_boundary"),
            session_policy=_optional_policy(obj.get("session_policy"), "session_policy"),
            resource_policy=_optional_policy(obj.get("resource_policy"), "resource_policy"),
            scps=_levels(obj.get("scps"), "scps"),
            rcps=_levels(obj.get("rcps"), "rcps"),
        )
    except JsonInputError as err:
        out: dict[str, object] = {"error": err.message, "error_path": err.path}
        if err.line is not None:
            out["error_line"] = err.line
            out["error_column"] = err.column
        if ident is not None:
            out["id"] = ident
        return out
    result = decision.to_dict()
    if ident is not None:
        result = {"id": ident, **result}
    return result


def error_result(message: str, line: int | None = None, column: int | None = None) -> dict[str, object]:
    out: dict[str, object] = {"error": message, "error_path": ""}
    if line is not None:
        out["error_line"] = line
        out["error_column"] = column
    return out
