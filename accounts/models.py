"""Identities: AWS accounts, their root users and IAM users, groups, roles, credentials.

Models hold invariants and query helpers; workflows live in accounts/services.py.
This module never imports `policies` (dependencies point one way).
"""

from __future__ import annotations

import secrets
import string

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

# AWS unique IDs: a four-letter prefix naming the kind of entity, then 17 base32-ish characters
# (docs: reference_identifiers.html#identifiers-unique-ids).
_UNIQUE_ID_ALPHABET = string.ascii_uppercase + "234567"


def new_unique_id(prefix: str) -> str:
    return prefix + "".join(secrets.choice(_UNIQUE_ID_ALPHABET) for _ in range(17))


def new_group_id() -> str:
    return new_unique_id("AGPA")


def new_role_id() -> str:
    return new_unique_id("AROA")


def new_instance_profile_id() -> str:
    return new_unique_id("AIPA")


def new_account_id() -> str:
    # First digit non-zero so the ID never looks truncated in a spreadsheet.
    return str(secrets.randbelow(9) + 1) + "".join(str(secrets.randbelow(10)) for _ in range(11))


def iam_arn(account_id: str, kind: str, path: str, name: str) -> str:
    return f"arn:aws:iam::{account_id}:{kind}{path}{name}"


class Account(models.Model):
    account_id = models.CharField(max_length=12, unique=True, default=new_account_id)
    name = models.CharField(max_length=50)
    alias = models.CharField(max_length=63, unique=True, null=True, blank=True)
    created = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.account_id} ({self.alias or self.name})"

    @property
    def root_arn(self) -> str:
        return f"arn:aws:iam::{self.account_id}:root"

    @property
    def signin_id(self) -> str:
        """What the IAM users' sign-in URL names: the alias when there is one."""
        return self.alias or self.account_id


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_superuser(self, login: str, password: str | None = None, **extra):
        """The deployment's operator: a Django admin, never an AWS principal."""
        user = self.model(login=login, kind=User.Kind.OPERATOR, is_staff=True, is_superuser=True, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user


class User(AbstractBaseUser, PermissionsMixin):
    """The auth user: an account's root user, an IAM user, or the deployment's operator.

    `login` is an internal unique key (root: "root:<email>", IAM user:
    "iam:<account id>:<lower-cased name>", operator: as typed). An IAM user without a usable
    password has no login profile (no console access), as on AWS.
    """

    class Kind(models.TextChoices):
        ROOT = "root", "Root user"
        IAM = "iam", "IAM user"
        OPERATOR = "operator", "Operator"

    login = models.CharField(max_length=300, unique=True)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    account = models.ForeignKey(Account, null=True, blank=True, on_delete=models.CASCADE, related_name="users")
    email = models.EmailField(blank=True)
    name = models.CharField(max_length=64, blank=True)
    path = models.CharField(max_length=512, default="/")
    unique_id = models.CharField(max_length=32, blank=True)
    created = models.DateTimeField(default=timezone.now)
    tags = models.JSONField(default=list, blank=True)
    is_staff = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    # Login profile (console password) state; the hash itself is AbstractBaseUser.password.
    password_reset_required = models.BooleanField(default=False)
    password_last_changed = models.DateTimeField(null=True, blank=True)
    password_last_used = models.DateTimeField(null=True, blank=True)
    login_profile_created = models.DateTimeField(null=True, blank=True)
    last_activity = models.DateTimeField(null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "login"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        constraints = [
            models.UniqueConstraint(
                "account", Lower("name"), condition=models.Q(kind="iam"), name="iam_user_name_unique_ci"
            ),
        ]
        indexes = [models.Index(fields=["account", "kind", "name"])]

    def __str__(self) -> str:
        return self.arn or self.login

    @property
    def is_root(self) -> bool:
        return self.kind == self.Kind.ROOT

    @property
    def is_iam_user(self) -> bool:
        return self.kind == self.Kind.IAM

    @property
    def is_principal(self) -> bool:
        return self.kind in (self.Kind.ROOT, self.Kind.IAM)

    @property
    def arn(self) -> str:
        if self.kind == self.Kind.ROOT:
            return self.account.root_arn
        if self.kind == self.Kind.IAM:
            return iam_arn(self.account.account_id, "user", self.path, self.name)
        return ""

    @property
    def display_name(self) -> str:
        return self.email if self.is_root else self.name or self.login

    @property
    def has_login_profile(self) -> bool:
        return self.has_usable_password()

    def tag_dict(self) -> dict[str, str]:
        return {tag["Key"]: tag["Value"] for tag in self.tags}


class Group(models.Model):
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(max_length=128)
    path = models.CharField(max_length=512, default="/")
    unique_id = models.CharField(max_length=32, default=new_group_id)
    created = models.DateTimeField(default=timezone.now)
    members = models.ManyToManyField(User, through="GroupMembership", related_name="iam_groups")

    class Meta:
        constraints = [models.UniqueConstraint("account", Lower("name"), name="group_name_unique_ci")]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def arn(self) -> str:
        return iam_arn(self.account.account_id, "group", self.path, self.name)


class GroupMembership(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    added = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "user"], name="membership_unique")]


class Role(models.Model):
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="roles")
    name = models.CharField(max_length=64)
    path = models.CharField(max_length=512, default="/")
    unique_id = models.CharField(max_length=32, default=new_role_id)
    description = models.CharField(max_length=1000, blank=True)
    trust_policy = models.TextField()
    max_session_duration = models.PositiveIntegerField(default=3600)
    created = models.DateTimeField(default=timezone.now)
    last_used = models.DateTimeField(null=True, blank=True)
    last_used_region = models.CharField(max_length=32, blank=True)
    tags = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint("account", Lower("name"), name="role_name_unique_ci")]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def arn(self) -> str:
        return iam_arn(self.account.account_id, "role", self.path, self.name)

    @property
    def is_service_linked(self) -> bool:
        return self.path.startswith("/aws-service-role/")

    def tag_dict(self) -> dict[str, str]:
        return {tag["Key"]: tag["Value"] for tag in self.tags}


class InstanceProfile(models.Model):
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="instance_profiles")
    name = models.CharField(max_length=128)
    path = models.CharField(max_length=512, default="/")
    unique_id = models.CharField(max_length=32, default=new_instance_profile_id)
    created = models.DateTimeField(default=timezone.now)
    # AWS allows one role per instance profile.
    role = models.ForeignKey(Role, null=True, blank=True, on_delete=models.SET_NULL, related_name="instance_profiles")
    tags = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint("account", Lower("name"), name="instance_profile_name_unique_ci")]

    @property
    def arn(self) -> str:
        return iam_arn(self.account.account_id, "instance-profile", self.path, self.name)


class AccessKey(models.Model):
    """An access key pair. The secret is kept encrypted (SigV4 needs it back), never in plain text."""

    class Status(models.TextChoices):
        ACTIVE = "Active"
        INACTIVE = "Inactive"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="access_keys")
    access_key_id = models.CharField(max_length=20, unique=True)
    secret_encrypted = models.TextField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.ACTIVE)
    created = models.DateTimeField(default=timezone.now)
    last_used_date = models.DateTimeField(null=True, blank=True)
    last_used_service = models.CharField(max_length=64, blank=True)
    last_used_region = models.CharField(max_length=32, blank=True)

    class Meta:
        ordering = ["created"]


class PasswordPolicy(models.Model):
    """A custom account password policy; its absence means AWS's default policy applies."""

    account = models.OneToOneField(Account, on_delete=models.CASCADE, related_name="password_policy")
    minimum_password_length = models.PositiveSmallIntegerField(default=8)
    require_symbols = models.BooleanField(default=False)
    require_numbers = models.BooleanField(default=False)
    require_uppercase_characters = models.BooleanField(default=False)
    require_lowercase_characters = models.BooleanField(default=False)
    allow_users_to_change_password = models.BooleanField(default=False)
    max_password_age = models.PositiveSmallIntegerField(null=True, blank=True)
    password_reuse_prevention = models.PositiveSmallIntegerField(null=True, blank=True)
    hard_expiry = models.BooleanField(default=False)


class ActivityEvent(models.Model):
    """One recorded request, in the spirit of a CloudTrail management event."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="events")
    time = models.DateTimeField(default=timezone.now, db_index=True)
    event_source = models.CharField(max_length=64, default="iam.amazonaws.com")
    event_name = models.CharField(max_length=64)
    actor_arn = models.CharField(max_length=600, blank=True)
    actor_name = models.CharField(max_length=128, blank=True)
    resource = models.CharField(max_length=600, blank=True)
    result = models.CharField(max_length=16)  # "Success" or "Failure"
    error_code = models.CharField(max_length=64, blank=True)
    error_message = models.TextField(blank=True)
    source_ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    mfa_used = models.BooleanField(default=False)
    access_key_id = models.CharField(max_length=20, blank=True)
    explanation = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-time", "-id"]
        indexes = [models.Index(fields=["account", "-time"])]


class PasswordHistory(models.Model):
    """Earlier console password hashes of a principal, for the password policy's
    "Prevent password reuse" (the last 1-24 passwords may not be chosen again)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["user", "-created"])]


class CredentialReport(models.Model):
    """The account's last generated credential report (AWS keeps one, regenerated at most every 4 hours)."""

    account = models.OneToOneField(Account, on_delete=models.CASCADE, related_name="credential_report")
    generated = models.DateTimeField(default=timezone.now)
    content = models.TextField()
