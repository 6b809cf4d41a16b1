"""What the programmatic front door stores beyond the console's models: temporary credentials
(STS sessions), OIDC and SAML identity providers, and the instructor's per-account reset token.

Service functions for these live in accounts/services/{sts,providers}.py like every other IAM
operation; this module only holds the tables.
"""

from __future__ import annotations

import hashlib
import secrets
import string

from django.db import models
from django.utils import timezone

from accounts.models import Account, Role, User

_KEY_ALPHABET = string.ascii_uppercase + string.digits


def new_temporary_key_id() -> str:
    """AWS's temporary access key IDs start with ASIA (long-term ones with AKIA)."""
    return "ASIA" + "".join(secrets.choice(_KEY_ALPHABET) for _ in range(16))


def token_digest(token: str) -> str:
    """Session tokens and reset tokens are bearer secrets: only their SHA-256 is stored."""
    return hashlib.sha256(token.encode()).hexdigest()


class RoleSession(models.Model):
    """Temporary credentials from AssumeRole (role set) or GetSessionToken (role empty: the
    session acts as `user`, the IAM user or root who asked for it)."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="sts_sessions")
    role = models.ForeignKey(Role, null=True, blank=True, on_delete=models.CASCADE, related_name="sessions")
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.CASCADE, related_name="sts_sessions")
    # Who assumed the role (user or assumed-role ARN), for the activity history.
    source_arn = models.CharField(max_length=600, blank=True)
    access_key_id = models.CharField(max_length=20, unique=True, default=new_temporary_key_id)
    secret_encrypted = models.TextField()
    token_sha256 = models.CharField(max_length=64, db_index=True)
    session_name = models.CharField(max_length=64, blank=True)
    created = models.DateTimeField(default=timezone.now)
    expiration = models.DateTimeField()
    # The inline session policy (text) and the managed session policy ARNs (AssumeRole).
    session_policy = models.TextField(blank=True)
    policy_arns = models.JSONField(default=list, blank=True)
    mfa_authenticated = models.BooleanField(default=False)
    source_identity = models.CharField(max_length=64, blank=True)
    tags = models.JSONField(default=list, blank=True)
    transitive_tag_keys = models.JSONField(default=list, blank=True)
    # Role chaining: a session made by a role session is limited to one hour (AWS).
    chained = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["account", "expiration"])]

    def __str__(self) -> str:
        return self.arn

    @property
    def is_role_session(self) -> bool:
        return self.role_id is not None

    @property
    def arn(self) -> str:
        if self.role_id is not None:
            return f"arn:aws:sts::{self.account.account_id}:assumed-role/{self.role.name}/{self.session_name}"
        return self.user.arn if self.user else ""

    @property
    def assumed_role_id(self) -> str:
        """AWS's AssumedRoleUser.AssumedRoleId / aws:userid: `<role id>:<session name>`."""
        return f"{self.role.unique_id}:{self.session_name}" if self.role_id else ""

    def tag_dict(self) -> dict[str, str]:
        return {tag["Key"]: tag["Value"] for tag in self.tags}

    @property
    def expired(self) -> bool:
        return self.expiration <= timezone.now()


class OpenIDConnectProvider(models.Model):
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="oidc_providers")
    # The issuer URL without its scheme (host/path), as AWS uses it in the ARN.
    url = models.CharField(max_length=255)
    client_ids = models.JSONField(default=list, blank=True)
    thumbprints = models.JSONField(default=list, blank=True)
    tags = models.JSONField(default=list, blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "url"], name="oidc_provider_url_unique")]
        ordering = ["url"]

    @property
    def arn(self) -> str:
        return f"arn:aws:iam::{self.account.account_id}:oidc-provider/{self.url}"

    def tag_dict(self) -> dict[str, str]:
        return {tag["Key"]: tag["Value"] for tag in self.tags}


class SAMLProvider(models.Model):
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="saml_providers")
    name = models.CharField(max_length=128)
    metadata_document = models.TextField()
    valid_until = models.DateTimeField(null=True, blank=True)
    saml_provider_uuid = models.CharField(max_length=64, blank=True)
    tags = models.JSONField(default=list, blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "name"], name="saml_provider_name_unique")]
        ordering = ["name"]

    @property
    def arn(self) -> str:
        return f"arn:aws:iam::{self.account.account_id}:saml-provider/{self.name}"

    def tag_dict(self) -> dict[str, str]:
        return {tag["Key"]: tag["Value"] for tag in self.tags}


class SandboxAccount(models.Model):
    """A lab sandbox: the instructor's reset token (stored as its SHA-256) and the root access
    key the lab uses, which survives a reset."""

    account = models.OneToOneField(Account, on_delete=models.CASCADE, related_name="sandbox")
    reset_token_sha256 = models.CharField(max_length=64, unique=True)
    lab_access_key_id = models.CharField(max_length=20, blank=True)
    created = models.DateTimeField(default=timezone.now)
    last_reset = models.DateTimeField(null=True, blank=True)


class AccessReportJob(models.Model):
    """A GenerateServiceLastAccessedDetails job (answered at once: the report is computed
    when GetServiceLastAccessedDetails asks, from the activity history)."""

    job_id = models.CharField(max_length=36, unique=True)
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="access_report_jobs")
    arn = models.CharField(max_length=2048)
    granularity = models.CharField(max_length=16, default="SERVICE_LEVEL")
    created = models.DateTimeField(default=timezone.now)


class AccountPreferences(models.Model):
    """SetSecurityTokenServicePreferences: the global endpoint's session token version."""

    account = models.OneToOneField(Account, on_delete=models.CASCADE, related_name="sts_preferences")
    global_endpoint_token_version = models.CharField(max_length=8, default="v1Token")
