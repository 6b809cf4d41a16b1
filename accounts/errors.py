"""Typed errors named after AWS's error codes.

Services raise these; the console renders `str(error)` in a flash bar, the API (later) renders
`code`, `message` and `http_status` as AWS's ErrorResponse XML.
"""

from __future__ import annotations

from typing import Any


class IAMError(Exception):
    code = "ServiceFailure"
    http_status = 500
    sender_fault = False

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


class ClientError(IAMError):
    http_status = 400
    sender_fault = True


class ValidationError(ClientError):
    code = "ValidationError"


class InvalidInput(ClientError):
    code = "InvalidInput"


class EntityAlreadyExists(ClientError):
    code = "EntityAlreadyExists"
    http_status = 409


class NoSuchEntity(ClientError):
    code = "NoSuchEntity"
    http_status = 404


class LimitExceeded(ClientError):
    code = "LimitExceeded"
    http_status = 409


class DeleteConflict(ClientError):
    code = "DeleteConflict"
    http_status = 409


class MalformedPolicyDocument(ClientError):
    code = "MalformedPolicyDocument"


class PasswordPolicyViolation(ClientError):
    code = "PasswordPolicyViolation"


class EntityTemporarilyUnmodifiable(ClientError):
    code = "EntityTemporarilyUnmodifiable"
    http_status = 409


class UnmodifiableEntity(ClientError):
    code = "UnmodifiableEntity"


class InvalidAuthenticationCode(ClientError):
    code = "InvalidAuthenticationCode"
    http_status = 403


class AccessDenied(ClientError):
    """A denial by the evaluation module; `decision` carries its explanation."""

    code = "AccessDenied"
    http_status = 403

    def __init__(self, message: str, decision: Any = None, **details: Any) -> None:
        super().__init__(message, **details)
        self.decision = decision


class InvalidUserType(ClientError):
    code = "InvalidUserType"


class ReportNotPresent(ClientError):
    """GetCredentialReport before any GenerateCredentialReport (CredentialReportNotPresentException)."""

    code = "ReportNotPresent"
    http_status = 410
