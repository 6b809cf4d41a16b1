"""One Query API request: authenticate (SigV4), parse (botocore's input shape), call the
handler (which calls the service function), page, serialize (botocore's output shape)."""

from __future__ import annotations

import base64
import binascii
import functools
import logging
import uuid
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qsl

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from accounts.activity import record_event
from accounts.crypto import decrypt_text
from accounts.errors import IAMError, ValidationError
from accounts.models import AccessKey, Account, Role, User
from accounts.principal import Caller
from accounts.services.credentials import record_access_key_use

from . import handlers, protocol, sigv4
from .models import RoleSession, token_digest

log = logging.getLogger(__name__)

# Last-used fields are written at most this often per key (AWS, too, updates them lazily).
LAST_USED_GRANULARITY = timedelta(seconds=60)
MAX_ITEMS_DEFAULT = 100
_AUTH_PARAMS = {"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders",
                "X-Amz-Signature", "X-Amz-Security-Token"}


class ApiError(Exception):
    def __init__(self, code: str, message: str, http_status: int = 400, *, sender: bool = True) -> None:
        super().__init__(message)
        self.code, self.message, self.http_status, self.sender = code, message, http_status, sender


def _headers(request: HttpRequest) -> dict[str, str]:
    out = {}
    for key, value in request.META.items():
        if key.startswith("HTTP_"):
            out[key[5:].replace("_", "-").lower()] = value
    if "CONTENT_TYPE" in request.META:
        out["content-type"] = request.META["CONTENT_TYPE"]
    if request.META.get("CONTENT_LENGTH"):
        out["content-length"] = request.META["CONTENT_LENGTH"]
    return out


def _client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR")


class _Resolved:
    """What the verifier's lookup found, kept for the caller and for failure events."""

    key: AccessKey | None = None
    session: RoleSession | None = None


def _lookup(resolved: _Resolved):
    def lookup(parts: sigv4.AuthParts) -> str:
        key_id = parts.access_key_id
        if key_id.startswith("ASIA"):
            session = next(iter(RoleSession.objects.select_related(
                "account", "role", "role__account", "user", "user__account").filter(access_key_id=key_id).order_by()[:1]),
                None)
            if session is None or not parts.security_token:
                raise sigv4.SigV4Error("InvalidClientTokenId", sigv4.MSG_INVALID_TOKEN)
            resolved.session = session
            if not sigv4.hmac.compare_digest(session.token_sha256, token_digest(parts.security_token)):
                raise sigv4.SigV4Error("InvalidClientTokenId", sigv4.MSG_INVALID_TOKEN)
            if session.expired:
                raise sigv4.SigV4Error("ExpiredToken", sigv4.MSG_EXPIRED_TOKEN)
            return decrypt_text(session.secret_encrypted)
        key = access_key_with_owner(key_id)
        if key is None or key.status != AccessKey.Status.ACTIVE or not key.user.is_active or key.user.account is None:
            raise sigv4.SigV4Error("InvalidClientTokenId", sigv4.MSG_INVALID_TOKEN)
        resolved.key = key
        return decrypt_text(key.secret_encrypted)

    return lookup


# ------------------------------------------------------------------ the signing key's row


@functools.cache
def _key_query(vendor: str) -> tuple[str, list[tuple[type, list[str], list[list[Any]]]]]:
    """One SELECT of an access key with its user and the user's account (what
    `select_related("user", "user__account")` reads), built once per process: the ORM would
    compile the same three-table query again on every request. Returns the SQL and, per model,
    its field names and each column's converters (SQLite returns datetimes as text, ...)."""
    quote = connection.ops.quote_name
    tables = ((AccessKey, "k"), (User, "u"), (Account, "a"))
    columns: list[str] = []
    models = []
    for model, alias in tables:
        fields = list(model._meta.concrete_fields)
        converters = []
        for field in fields:
            col = field.get_col(alias)
            converters.append(connection.ops.get_db_converters(col) + col.get_db_converters(connection))
            columns.append(f"{alias}.{quote(field.column)}")
        models.append((model, [field.attname for field in fields], converters))
    sql = (
        f"SELECT {', '.join(columns)} FROM {quote(AccessKey._meta.db_table)} k "
        f"INNER JOIN {quote(User._meta.db_table)} u ON u.{quote(User._meta.pk.column)} = "
        f"k.{quote(AccessKey._meta.get_field('user').column)} "
        f"LEFT OUTER JOIN {quote(Account._meta.db_table)} a ON a.{quote(Account._meta.pk.column)} = "
        f"u.{quote(User._meta.get_field('account').column)} "
        f"WHERE k.{quote(AccessKey._meta.get_field('access_key_id').column)} = %s LIMIT 1"
    )
    return sql, models


def access_key_with_owner(access_key_id: str) -> AccessKey | None:
    """The access key row (read on every request: a deactivated or deleted key fails at once)
    with `key.user` and `key.user.account` filled, in one query."""
    sql, models = _key_query(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, [access_key_id])
        row = cursor.fetchone()
    if row is None:
        return None
    instances = []
    start = 0
    for model, names, converters in models:
        values = list(row[start:start + len(names)])
        start += len(names)
        for index, functions in enumerate(converters):
            for function in functions:
                values[index] = function(values[index], None, connection)
        instances.append(None if values[0] is None else model.from_db(connection.alias, names, values))
    key, user, account = instances
    user.account = account
    key.user = user
    return key


def _caller_for(request: HttpRequest, resolved: _Resolved) -> Caller:
    common = {
        "source_ip": _client_ip(request),
        "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300],
        "secure_transport": request.is_secure(),
        "console": False,
    }
    if resolved.session is not None:
        session = resolved.session
        return Caller(account=session.account, user=session.user, session=session,
                      access_key_id=session.access_key_id,
                      mfa_authenticated_at=session.created if session.mfa_authenticated else None, **common)
    key = resolved.key
    assert key is not None
    return Caller(account=key.user.account, user=key.user, access_key_id=key.access_key_id, **common)


def _record_use(resolved: _Resolved, service: str, region: str) -> None:
    now = timezone.now()
    key = resolved.key
    if key is not None and (key.last_used_date is None or now - key.last_used_date > LAST_USED_GRANULARITY
                            or key.last_used_service != service or key.last_used_region != region):
        record_access_key_use(key, service, region, when=now)
    session = resolved.session
    if session is not None and session.role_id is not None:
        role = session.role
        if role.last_used is None or now - role.last_used > LAST_USED_GRANULARITY or role.last_used_region != region:
            Role.objects.filter(pk=role.pk).update(last_used=now, last_used_region=region[:32])


def _params(request: HttpRequest, body: bytes) -> dict[str, str]:
    params: dict[str, str] = {}
    query = request.META.get("QUERY_STRING", "")
    for key, value in parse_qsl(query, keep_blank_values=True):
        if key not in _AUTH_PARAMS:
            params[key] = value
    if request.method == "POST" and body:
        content_type = request.META.get("CONTENT_TYPE", "")
        if "json" in content_type:
            raise ApiError("InvalidAction", "Only the Query protocol (form-encoded parameters) is supported.")
        for key, value in parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True):
            params[key] = value
    return params


def _xml(body: str, status: int, request_id: str) -> HttpResponse:
    response = HttpResponse(body, status=status, content_type="text/xml")
    response["x-amzn-RequestId"] = request_id
    if status < 500:
        # AWS errors such as NoSuchEntity or AccessDenied are answers, not server trouble: keep
        # them out of django.request's warning log (they are in the activity history).
        response._has_been_logged = True  # type: ignore[attr-defined]
    return response


def _error(service: str, error: Any, request_id: str) -> HttpResponse:
    sender = getattr(error, "sender", getattr(error, "sender_fault", True))
    return _xml(protocol.serialize_error(service, error.code, error.message, request_id, sender=sender),
                error.http_status, request_id)


def _decode_marker(marker: str | None) -> int:
    if not marker:
        return 0
    try:
        return max(0, int(base64.urlsafe_b64decode(marker.encode()).decode()))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise ValidationError("Invalid Marker.") from None


def _encode_marker(offset: int) -> str:
    return base64.urlsafe_b64encode(str(offset).encode()).decode()


def _finish(operation: Any, inputs: dict[str, Any], result: dict[str, Any] | None) -> dict[str, Any] | None:
    """Page the operation's list (Marker/MaxItems/IsTruncated) and convert its rows."""
    if result is None:
        return None
    list_name = protocol.list_member(operation)
    for name, value in list(result.items()):
        if not isinstance(value, handlers.Rows):
            continue
        if name == list_name:
            max_items = inputs.get("MaxItems", MAX_ITEMS_DEFAULT)
            if not 1 <= max_items <= 1000:
                raise ValidationError(f"1 validation error detected: Value '{max_items}' at 'maxItems' failed to satisfy "
                                      "constraint: Member must have value "
                                      + ("greater than or equal to 1" if max_items < 1 else "less than or equal to 1000"))
            offset = _decode_marker(inputs.get("Marker"))
            page = list(value.items[offset:offset + max_items + 1])
            truncated = len(page) > max_items
            result[name] = [value.convert(item) for item in page[:max_items]]
            result["IsTruncated"] = truncated
            if truncated:
                result["Marker"] = _encode_marker(offset + max_items)
        else:
            result[name] = [value.convert(item) for item in value.items]
    return result


def handle(request: HttpRequest) -> HttpResponse:
    request_id = str(uuid.uuid4())
    body = request.body
    service = "iam"
    resolved = _Resolved()
    caller: Caller | None = None
    action = ""
    in_service = False
    try:
        params = _params(request, body)
        service = protocol.service_for(params)
        action = params.get("Action", "")
        headers = _headers(request)
        try:
            signed = sigv4.verify(
                method=request.method or "GET",
                path=request.path,
                query_string=request.META.get("QUERY_STRING", ""),
                query=dict(parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True)),
                headers=headers,
                body=body,
                service=service,
                lookup=_lookup(resolved),
            )
        except sigv4.SigV4Error as error:
            if resolved.key is not None or resolved.session is not None:
                failed = _caller_for(request, resolved)
                recorded = IAMError(error.message)
                recorded.code = error.code
                record_event(failed.account, action or "Unknown", caller=failed, error=recorded,
                             event_source=f"{service}.amazonaws.com")
            return _error(service, error, request_id)
        caller = _caller_for(request, resolved)
        session = resolved.session
        if session is not None and session.role_id is None and service == "iam" and not session.mfa_authenticated:
            # GetSessionToken credentials without MFA cannot call IAM (AWS).
            return _error(service, sigv4.SigV4Error("InvalidClientTokenId", sigv4.MSG_INVALID_TOKEN), request_id)
        _record_use(resolved, service, signed.region)
        if not action:
            raise ApiError("MissingAction", "Missing Action", 400)
        operation = protocol.operation_model(service, action)
        if operation is None:
            version = params.get("Version", protocol.STS_VERSION if service == "sts" else protocol.IAM_VERSION)
            raise ApiError("InvalidAction", f"Could not find operation {action} for version {version}", 400)
        handler = handlers.HANDLERS[service].get(action)
        if handler is None:
            raise ApiError("NotImplemented", f"{action} is not supported by this training console.", 501, sender=False)
        inputs = protocol.parse_input(operation, params)
        inputs["_region"] = signed.region
        in_service = True
        result = handler(caller, inputs)
        in_service = False
        if service == "iam" and action.startswith(handlers.READ_ONLY_PREFIXES):
            # Read-only service functions record only their failures; the API records every call.
            record_event(caller.account, action, caller=caller, resource=caller.last_resource)
        result = _finish(operation, inputs, result)
        return _xml(protocol.serialize_response(service, operation, result, request_id), 200, request_id)
    except (ApiError, IAMError) as error:
        if caller is not None and not in_service:
            # Errors the service functions did not see (unknown action, bad parameters, paging).
            recorded = error if isinstance(error, IAMError) else IAMError(error.message)
            if isinstance(error, ApiError):
                recorded.code = error.code
            record_event(caller.account, action or "Unknown", caller=caller, error=recorded,
                         event_source=f"{service}.amazonaws.com")
        return _error(service, error, request_id)
    except Exception:  # noqa: BLE001 - AWS answers ServiceFailure, never a Django error page
        log.exception("API %s failed", action)
        return _error(service, ApiError("ServiceFailure", "An internal error occurred.", 500, sender=False), request_id)
