"""The AWS Query protocol, driven by botocore's own service models.

Requests: form parameters (`Tags.member.1.Key=...`) are parsed against the operation's input
shape into plain Python values (`{"Tags": [{"Key": ...}]}`). Responses: the dict a handler
returns is serialized against the output shape, so every member gets AWS's element name,
order, list and map wrapping, timestamp and boolean format, and IAM's URL-encoded policy
documents (shape `policyDocumentType`, which botocore URL-decodes on the client side).
"""

from __future__ import annotations

import base64
import functools
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote
from xml.sax.saxutils import escape

import botocore.session
from botocore.model import OperationModel, ServiceModel, Shape

from accounts.errors import ValidationError

IAM_VERSION = "2010-05-08"
STS_VERSION = "2011-06-15"
POLICY_DOCUMENT_SHAPE = "policyDocumentType"


@functools.cache
def service_model(service: str) -> ServiceModel:
    return botocore.session.get_session().get_service_model(service)


@functools.cache
def operation_model(service: str, name: str) -> OperationModel | None:
    model = service_model(service)
    if name not in model.operation_names:
        return None
    return model.operation_model(name)


@functools.cache
def sts_operations() -> frozenset[str]:
    return frozenset(service_model("sts").operation_names)


def service_for(params: Mapping[str, str], scope_service: str | None = None) -> str:
    """IAM or STS: by the Version parameter, else by the operation's name, else by the scope."""
    version = params.get("Version")
    if version == STS_VERSION:
        return "sts"
    if version == IAM_VERSION:
        return "iam"
    if params.get("Action") in sts_operations():
        return "sts"
    return scope_service if scope_service in ("iam", "sts") else "iam"


# ------------------------------------------------------------------------ request parsing


def _camel(name: str) -> str:
    return name[:1].lower() + name[1:]


def _scalar(shape: Shape, value: str, field: str) -> Any:
    kind = shape.type_name
    if kind in ("integer", "long"):
        try:
            return int(value)
        except ValueError:
            raise ValidationError(f"1 validation error detected: Value '{value}' at '{field}' failed to satisfy "
                                  "constraint: Member must be a number") from None
    if kind == "boolean":
        return value.lower() == "true"
    if kind in ("double", "float"):
        return float(value)
    if kind == "timestamp":
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise ValidationError(f"1 validation error detected: Value '{value}' at '{field}' failed to satisfy "
                                  "constraint: Member must be a timestamp") from None
    if kind == "blob":
        return base64.b64decode(value)
    return value


def _has_prefix(params: Mapping[str, str], prefix: str) -> bool:
    dotted = prefix + "."
    return any(key == prefix or key.startswith(dotted) for key in params)


def _indexes(params: Mapping[str, str], prefix: str) -> list[int]:
    pattern = re.compile(re.escape(prefix) + r"\.(\d+)(?:\.|$)")
    found = {int(m.group(1)) for key in params if (m := pattern.match(key))}
    return sorted(found)


def _parse(shape: Shape, params: Mapping[str, str], prefix: str) -> Any:
    kind = shape.type_name
    if kind == "structure":
        out = {}
        for name, member in shape.members.items():
            key = f"{prefix}.{member.serialization.get('name', name)}" if prefix else member.serialization.get("name", name)
            if member.type_name in ("structure", "list", "map"):
                if _has_prefix(params, key):
                    out[name] = _parse(member, params, key)
            elif key in params:
                out[name] = _scalar(member, params[key], _camel(name))
        return out
    if kind == "list":
        if not shape.serialization.get("flattened"):
            prefix = f"{prefix}.{shape.member.serialization.get('name', 'member')}"
        items = []
        for index in _indexes(params, prefix):
            key = f"{prefix}.{index}"
            if shape.member.type_name in ("structure", "list", "map"):
                items.append(_parse(shape.member, params, key))
            elif key in params:
                items.append(_scalar(shape.member, params[key], key))
        return items
    if kind == "map":
        if not shape.serialization.get("flattened"):
            prefix = f"{prefix}.entry"
        key_name = shape.key.serialization.get("name", "key")
        value_name = shape.value.serialization.get("name", "value")
        result = {}
        for index in _indexes(params, prefix):
            entry = f"{prefix}.{index}"
            if f"{entry}.{key_name}" in params:
                result[params[f"{entry}.{key_name}"]] = _parse_value(shape.value, params, f"{entry}.{value_name}")
        return result
    return _scalar(shape, params.get(prefix, ""), prefix)


def _parse_value(shape: Shape, params: Mapping[str, str], key: str) -> Any:
    if shape.type_name in ("structure", "list", "map"):
        return _parse(shape, params, key)
    return _scalar(shape, params.get(key, ""), key)


def parse_input(operation: OperationModel, params: Mapping[str, str]) -> dict[str, Any]:
    """The operation's input as plain values; ValidationError (AWS's wording) when a required
    member is missing."""
    shape = operation.input_shape
    if shape is None:
        return {}
    parsed = _parse(shape, params, "")
    missing = [name for name in shape.required_members if name not in parsed]
    if missing:
        details = "; ".join(f"Value null at '{_camel(name)}' failed to satisfy constraint: Member must not be null"
                            for name in missing)
        count = len(missing)
        raise ValidationError(f"{count} validation error{'s' if count > 1 else ''} detected: {details}")
    return parsed


# ------------------------------------------------------------------ response serialization


def aws_timestamp(value: datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _text(shape: Shape, value: Any) -> str:
    kind = shape.type_name
    if kind == "timestamp":
        return aws_timestamp(value) if isinstance(value, datetime) else str(value)
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "blob":
        raw = value.encode() if isinstance(value, str) else bytes(value)
        return base64.b64encode(raw).decode()
    if kind == "string" and shape.name == POLICY_DOCUMENT_SHAPE:
        return quote(str(value), safe="")
    return escape(str(value))


def _serialize(shape: Shape, value: Any, out: list[str]) -> None:
    kind = shape.type_name
    if kind == "structure":
        for name, member in shape.members.items():
            if name not in value or value[name] is None:
                continue
            tag = member.serialization.get("name", name)
            out.append(f"<{tag}>")
            _serialize(member, value[name], out)
            out.append(f"</{tag}>")
    elif kind == "list":
        tag = shape.member.serialization.get("name", "member")
        for item in value:
            out.append(f"<{tag}>")
            _serialize(shape.member, item, out)
            out.append(f"</{tag}>")
    elif kind == "map":
        key_tag = shape.key.serialization.get("name", "key")
        value_tag = shape.value.serialization.get("name", "value")
        for key, item in value.items():
            out.append(f"<entry><{key_tag}>{escape(str(key))}</{key_tag}><{value_tag}>")
            _serialize(shape.value, item, out)
            out.append(f"</{value_tag}></entry>")
    else:
        out.append(_text(shape, value))


def serialize_response(service: str, operation: OperationModel, result: Mapping[str, Any] | None, request_id: str) -> str:
    namespace = service_model(service).metadata["xmlNamespace"]
    name = operation.name
    out = [f'<{name}Response xmlns="{namespace}">']
    shape = operation.output_shape
    if shape is not None:
        wrapper = shape.serialization.get("resultWrapper", f"{name}Result")
        out.append(f"<{wrapper}>")
        _serialize(shape, result or {}, out)
        out.append(f"</{wrapper}>")
    out.append(f"<ResponseMetadata><RequestId>{request_id}</RequestId></ResponseMetadata></{name}Response>")
    return "".join(out)


def serialize_error(service: str, code: str, message: str, request_id: str, *, sender: bool = True) -> str:
    namespace = service_model(service).metadata["xmlNamespace"]
    return (
        f'<ErrorResponse xmlns="{namespace}"><Error><Type>{"Sender" if sender else "Receiver"}</Type>'
        f"<Code>{escape(code)}</Code><Message>{escape(message)}</Message></Error>"
        f"<RequestId>{request_id}</RequestId></ErrorResponse>"
    )


def list_member(operation: OperationModel) -> str | None:
    """The list a Marker/MaxItems operation pages (the first list member of its output)."""
    shape = operation.output_shape
    if shape is None or "IsTruncated" not in shape.members:
        return None
    for name, member in shape.members.items():
        if member.type_name == "list":
            return name
    return None
