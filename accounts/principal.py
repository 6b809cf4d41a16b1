"""The acting principal of one request, and the request facts AWS puts into its context."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .models import Account, User


@dataclass
class Caller:
    """Who is acting (root, an IAM user, or the explicit SYSTEM actor) and how they came.

    `mfa_authenticated_at` is set when the console session signed in with MFA; `console`
    tells whether the credentials are a console session (temporary, so
    aws:MultiFactorAuthPresent is always present) or a long-term access key (key absent
    unless MFA was used, as AWS documents for aws:MultiFactorAuthPresent).
    """

    account: Account
    user: User | None = None
    source_ip: str | None = None
    user_agent: str = ""
    secure_transport: bool = False
    mfa_authenticated_at: datetime | None = None
    console: bool = True
    access_key_id: str = ""
    system: bool = False
    # Filled by policies.authz: the gathered policies (cached per request) and the last
    # authorization made, so the activity record can name the resource and the decision.
    cache: dict[str, Any] = field(default_factory=dict, repr=False)
    last_resource: str = ""
    last_decision: Any = None
    # Temporary credentials (api.models.RoleSession) the request was signed with: a role
    # session (AssumeRole: `user` is None, the role's policies and the session policy apply)
    # or a GetSessionToken session (`user` set). None for console sessions and long-term keys.
    session: Any = None

    @classmethod
    def system_for(cls, account: Account) -> Caller:
        """The greppable actor for seeding and maintenance jobs: authorized for everything."""
        return cls(account=account, system=True, console=False)

    @classmethod
    def from_request(cls, request: Any) -> Caller:
        user = request.user
        mfa_at = request.session.get("mfa_authenticated_at")
        return cls(
            account=user.account,
            user=user,
            source_ip=request.META.get("REMOTE_ADDR"),
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
            secure_transport=request.is_secure(),
            mfa_authenticated_at=datetime.fromisoformat(mfa_at) if mfa_at else None,
            console=True,
        )

    @property
    def is_root(self) -> bool:
        return self.user is not None and self.user.is_root

    @property
    def role_session(self) -> Any:
        """The RoleSession when acting as an assumed role, else None."""
        session = self.session
        return session if session is not None and session.role_id is not None else None

    @property
    def arn(self) -> str:
        if self.system:
            return f"arn:aws:iam::{self.account.account_id}:system"
        if self.role_session is not None:
            return self.role_session.arn
        return self.user.arn if self.user else ""

    @property
    def name(self) -> str:
        if self.system:
            return "SYSTEM"
        if self.role_session is not None:
            return f"{self.role_session.role.name}/{self.role_session.session_name}"
        return self.user.display_name if self.user else ""
