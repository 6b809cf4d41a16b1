"""The server side of AWS Signature Version 4, for the Query API.

botocore only signs (client side); nothing in it checks a received request, so the verifier
is ours, written from "Create a signed AWS API request"
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html):

1. canonical request: method, canonical URI, canonical query string, canonical headers (the
   signed ones, names lower-cased, values trimmed, inner spaces collapsed; `host` exactly as
   received, port included), the signed header names, the payload's SHA-256;
2. string to sign: `AWS4-HMAC-SHA256`, the request time, the credential scope, the SHA-256 of
   the canonical request;
3. signing key: HMAC chain over the scope's date, region, service and `aws4_request`;
4. the signature compared in constant time (`hmac.compare_digest`).

Any region is accepted in the scope (IAM is global; labs use whatever their profile says);
the service must be the one addressed. The request time may differ from ours by 15 minutes.
Both the `Authorization` header and presigned query parameters (`X-Amz-Signature`) work.

This module is pure (no Django, no database): the caller supplies a `lookup(access_key_id)`
that returns the secret, or raises SigV4Error.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import quote, unquote

ALGORITHM = "AWS4-HMAC-SHA256"
SKEW = timedelta(minutes=15)
_TIME_FORMAT = "%Y%m%dT%H%M%SZ"
_SPACES = re.compile(r"\s+")

MSG_INVALID_TOKEN = "The security token included in the request is invalid."
MSG_EXPIRED_TOKEN = "The security token included in the request is expired"
MSG_SIGNATURE = (
    "The request signature we calculated does not match the signature you provided. Check your AWS Secret "
    "Access Key and signing method. Consult the service documentation for details."
)
MSG_MISSING = "Request is missing Authentication Token"


class SigV4Error(Exception):
    """An authentication failure with AWS's code, message and HTTP status."""

    def __init__(self, code: str, message: str, http_status: int = 403) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.http_status = http_status


@dataclass(frozen=True)
class SignedRequest:
    """What a verified request was signed with."""

    access_key_id: str
    date: str
    region: str
    service: str
    security_token: str | None
    request_time: datetime


@dataclass(frozen=True)
class AuthParts:
    access_key_id: str
    date: str
    region: str
    service: str
    terminator: str
    signed_headers: list[str]
    signature: str
    amz_date: str
    security_token: str | None
    presigned: bool
    expires: int | None


def _hmac(key: bytes, message: str) -> bytes:
    return hmac.new(key, message.encode(), hashlib.sha256).digest()


def signing_key(secret: str, date: str, region: str, service: str) -> bytes:
    key = _hmac(("AWS4" + secret).encode(), date)
    key = _hmac(key, region)
    key = _hmac(key, service)
    return _hmac(key, "aws4_request")


def _encode(value: str) -> str:
    return quote(value, safe="-_.~")


def canonical_query(query_string: str, *, drop_signature: bool) -> str:
    pairs = []
    for part in query_string.split("&") if query_string else ():
        if not part:
            continue
        key, _, value = part.partition("=")
        key, value = _encode(unquote(key)), _encode(unquote(value))
        if drop_signature and key == "X-Amz-Signature":
            continue
        pairs.append((key, value))
    return "&".join(f"{k}={v}" for k, v in sorted(pairs))


def canonical_uri(path: str) -> str:
    """The URI-encoded path (encoded twice for services other than S3, as botocore signs it)."""
    once = quote(path or "/", safe="/~!$&'()*+,;=:@")
    return quote(once, safe="/~")


def canonical_request(
    method: str, path: str, query_string: str, headers: Mapping[str, str], signed_headers: list[str],
    payload_hash: str, *, presigned: bool,
) -> str:
    lines = [f"{name}:{_SPACES.sub(' ', headers.get(name, '').strip())}" for name in signed_headers]
    return "\n".join([
        method.upper(),
        canonical_uri(path),
        canonical_query(query_string, drop_signature=presigned),
        "\n".join(lines) + "\n",
        ";".join(signed_headers),
        payload_hash,
    ])


def string_to_sign(amz_date: str, scope: str, canonical: str) -> str:
    return "\n".join([ALGORITHM, amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()])


def _parse_header(value: str, headers: Mapping[str, str]) -> AuthParts:
    algorithm, _, rest = value.strip().partition(" ")
    if algorithm != ALGORITHM:
        raise SigV4Error("IncompleteSignature", f"Unsupported AWS 'algorithm': '{algorithm}'", 400)
    fields: dict[str, str] = {}
    for item in rest.split(","):
        name, sep, val = item.strip().partition("=")
        if sep:
            fields[name.strip()] = val.strip()
    amz_date = headers.get("x-amz-date", "")
    missing = [f"Authorization header requires '{name}' parameter." for name in ("Credential", "Signature", "SignedHeaders")
               if not fields.get(name)]
    if not amz_date:
        missing.append("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
    if missing:
        raise SigV4Error("IncompleteSignature", " ".join(missing) + f" Authorization={value}", 400)
    return _parts(fields["Credential"], fields["SignedHeaders"], fields["Signature"], amz_date,
                  headers.get("x-amz-security-token"), presigned=False, expires=None)


def _parse_query(query: Mapping[str, str], headers: Mapping[str, str]) -> AuthParts:
    algorithm = query.get("X-Amz-Algorithm", "")
    if algorithm != ALGORITHM:
        raise SigV4Error("IncompleteSignature", f"Unsupported AWS 'algorithm': '{algorithm}'", 400)
    missing = [f"AWS query-string parameters must include '{name}'." for name in
               ("X-Amz-Credential", "X-Amz-Signature", "X-Amz-SignedHeaders", "X-Amz-Date") if not query.get(name)]
    if missing:
        raise SigV4Error("IncompleteSignature", " ".join(missing) + " Re-examine the query-string parameters.", 400)
    try:
        expires = int(query.get("X-Amz-Expires", "") or 0) or None
    except ValueError:
        raise SigV4Error("IncompleteSignature", "X-Amz-Expires must be a number.", 400) from None
    return _parts(query["X-Amz-Credential"], query["X-Amz-SignedHeaders"], query["X-Amz-Signature"],
                  query["X-Amz-Date"], query.get("X-Amz-Security-Token") or headers.get("x-amz-security-token"),
                  presigned=True, expires=expires)


def _parts(credential: str, signed: str, signature: str, amz_date: str, token: str | None, *, presigned: bool,
           expires: int | None) -> AuthParts:
    pieces = credential.split("/")
    if len(pieces) != 5:
        raise SigV4Error("IncompleteSignature", f"Credential should have at least 5 parts: '{credential}'", 400)
    key_id, date, region, service, terminator = pieces
    names = [name.strip().lower() for name in signed.split(";") if name.strip()]
    return AuthParts(key_id, date, region, service, terminator, names, signature, amz_date, token, presigned, expires)


def parse_authorization(headers: Mapping[str, str], query: Mapping[str, str]) -> AuthParts:
    """The signature's parts from the Authorization header or the presigned query string;
    MissingAuthenticationToken when there is neither."""
    header = headers.get("authorization", "")
    if header:
        return _parse_header(header, headers)
    if "X-Amz-Signature" in query or "X-Amz-Credential" in query or "X-Amz-Algorithm" in query:
        return _parse_query(query, headers)
    raise SigV4Error("MissingAuthenticationToken", MSG_MISSING, 403)


def check_time(parts: AuthParts, now: datetime) -> datetime:
    try:
        moment = datetime.strptime(parts.amz_date, _TIME_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        raise SigV4Error("IncompleteSignature", f"Date must be in ISO-8601 'basic format'. Got '{parts.amz_date}'. "
                         "See http://en.wikipedia.org/wiki/ISO_8601", 400) from None
    stamp = now.strftime(_TIME_FORMAT)
    if parts.presigned and parts.expires:
        if now > moment + timedelta(seconds=parts.expires):
            raise SigV4Error("SignatureDoesNotMatch", f"Signature expired: {parts.amz_date} is now earlier than "
                             f"{stamp}.", 403)
    elif moment < now - SKEW:
        raise SigV4Error("SignatureDoesNotMatch", f"Signature expired: {parts.amz_date} is now earlier than "
                         f"{(now - SKEW).strftime(_TIME_FORMAT)} ({stamp} - 15 min.)", 403)
    if moment > now + SKEW:
        raise SigV4Error("SignatureDoesNotMatch", f"Signature not yet current: {parts.amz_date} is still later than "
                         f"{(now + SKEW).strftime(_TIME_FORMAT)} ({stamp} + 15 min.)", 403)
    return moment


def check_scope(parts: AuthParts, service: str) -> None:
    if parts.terminator != "aws4_request":
        raise SigV4Error("SignatureDoesNotMatch", f"Credential should be scoped with a valid terminator: 'aws4_request', "
                         f"not '{parts.terminator}'.", 403)
    if parts.date != parts.amz_date[:8]:
        raise SigV4Error("SignatureDoesNotMatch", "Date in Credential scope does not match YYYYMMDD from ISO-8601 "
                         f"version of date from HTTP: '{parts.date}' != '{parts.amz_date[:8]}', from 'X-Amz-Date'.", 403)
    if not re.fullmatch(r"[a-z0-9-]{1,32}", parts.region):
        raise SigV4Error("SignatureDoesNotMatch", f"Credential should be scoped to a valid region, not '{parts.region}'. ",
                         403)
    if parts.service != service:
        raise SigV4Error("SignatureDoesNotMatch", f"Credential should be scoped to correct service: '{service}'. ", 403)
    if "host" not in parts.signed_headers:
        raise SigV4Error("SignatureDoesNotMatch", "'Host' or ':authority' must be a 'SignedHeader' in the "
                         "AWS Authorization.", 403)


def verify(
    *,
    method: str,
    path: str,
    query_string: str,
    query: Mapping[str, str],
    headers: Mapping[str, str],
    body: bytes,
    service: str,
    lookup: Callable[[AuthParts], str],
    now: datetime | None = None,
) -> SignedRequest:
    """Verify a request's SigV4 signature. `headers` maps lower-cased names to values as
    received; `lookup(parts)` returns the plain secret of `parts.access_key_id` or raises
    SigV4Error (InvalidClientTokenId, ExpiredToken). Raises SigV4Error on any failure."""
    now = now or datetime.now(UTC)
    parts = parse_authorization(headers, query)
    moment = check_time(parts, now)
    check_scope(parts, service)
    secret = lookup(parts)
    payload_hash = headers.get("x-amz-content-sha256") or hashlib.sha256(body).hexdigest()
    canonical = canonical_request(method, path, query_string, headers, parts.signed_headers, payload_hash,
                                  presigned=parts.presigned)
    scope = f"{parts.date}/{parts.region}/{parts.service}/{parts.terminator}"
    expected = hmac.new(signing_key(secret, parts.date, parts.region, parts.service),
                        string_to_sign(parts.amz_date, scope, canonical).encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected.encode(), parts.signature.encode()):
        raise SigV4Error("SignatureDoesNotMatch", MSG_SIGNATURE, 403)
    return SignedRequest(parts.access_key_id, parts.date, parts.region, parts.service, parts.security_token, moment)
