"""Policy documents and their attachments to users, groups and roles."""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.models import Account, Group, Role, User, iam_arn, new_unique_id


def new_policy_id() -> str:
    return new_unique_id("ANPA")


class ManagedPolicy(models.Model):
    """A managed policy: AWS managed when `account` is null, customer managed otherwise.

    `document` and `default_version_id` mirror the default version, so gathering a
    principal's policies is one join instead of two.
    """

    account = models.ForeignKey(Account, null=True, blank=True, on_delete=models.CASCADE, related_name="policies")
    name = models.CharField(max_length=128)
    path = models.CharField(max_length=512, default="/")
    unique_id = models.CharField(max_length=32, default=new_policy_id)
    description = models.CharField(max_length=1000, blank=True)
    default_version_id = models.CharField(max_length=8, default="v1")
    document = models.TextField()
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(default=timezone.now)
    tags = models.JSONField(default=list, blank=True)
    # Numbering continues after deleted versions, as on AWS (v1, v2, v4...).
    next_version_number = models.PositiveIntegerField(default=2)

    class Meta:
        constraints = [
            models.UniqueConstraint("account", Lower("name"), name="policy_name_unique_ci"),
            models.UniqueConstraint(
                "path", "name", condition=models.Q(account__isnull=True), name="aws_managed_policy_unique"
            ),
        ]
        indexes = [models.Index(fields=["account", "name"])]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_aws_managed(self) -> bool:
        return self.account_id is None

    @property
    def arn(self) -> str:
        return iam_arn("aws" if self.account_id is None else self.account.account_id, "policy", self.path, self.name)

    @property
    def policy_type(self) -> str:
        if self.account_id is not None:
            return "Customer managed"
        if self.path == "/job-function/":
            return "AWS managed - job function"
        return "AWS managed"

    @property
    def attachable(self) -> bool:
        return self.path != "/aws-service-role/"


class PolicyVersion(models.Model):
    policy = models.ForeignKey(ManagedPolicy, on_delete=models.CASCADE, related_name="versions")
    version_id = models.CharField(max_length=8)
    document = models.TextField()
    is_default = models.BooleanField(default=False)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["policy", "version_id"], name="version_unique")]
        ordering = ["-created", "-id"]


class PolicyAttachment(models.Model):
    """A managed policy attached to exactly one user, group or role, as a permissions policy
    or (users and roles only) as the permissions boundary."""

    class Kind(models.TextChoices):
        PERMISSIONS = "permissions", "Permissions policy"
        BOUNDARY = "boundary", "Permissions boundary"

    policy = models.ForeignKey(ManagedPolicy, on_delete=models.PROTECT, related_name="attachments")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.PERMISSIONS)
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.CASCADE, related_name="policy_attachments")
    group = models.ForeignKey(Group, null=True, blank=True, on_delete=models.CASCADE, related_name="policy_attachments")
    role = models.ForeignKey(Role, null=True, blank=True, on_delete=models.CASCADE, related_name="policy_attachments")
    attached = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(user__isnull=False, group__isnull=True, role__isnull=True)
                    | models.Q(user__isnull=True, group__isnull=False, role__isnull=True)
                    | models.Q(user__isnull=True, group__isnull=True, role__isnull=False)
                ),
                name="attachment_one_entity",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="boundary", group__isnull=False), name="no_group_boundary"
            ),
            models.UniqueConstraint(fields=["policy", "kind", "user"], name="attach_user_unique"),
            models.UniqueConstraint(fields=["policy", "kind", "group"], name="attach_group_unique"),
            models.UniqueConstraint(fields=["policy", "kind", "role"], name="attach_role_unique"),
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(kind="boundary"), name="one_boundary_per_user"
            ),
            models.UniqueConstraint(
                fields=["role"], condition=models.Q(kind="boundary"), name="one_boundary_per_role"
            ),
        ]


class InlinePolicy(models.Model):
    """A policy embedded in one user, group or role: no ARN, no versions, name unique per entity."""

    name = models.CharField(max_length=128)
    document = models.TextField()
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.CASCADE, related_name="inline_policies")
    group = models.ForeignKey(Group, null=True, blank=True, on_delete=models.CASCADE, related_name="inline_policies")
    role = models.ForeignKey(Role, null=True, blank=True, on_delete=models.CASCADE, related_name="inline_policies")
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(user__isnull=False, group__isnull=True, role__isnull=True)
                    | models.Q(user__isnull=True, group__isnull=False, role__isnull=True)
                    | models.Q(user__isnull=True, group__isnull=True, role__isnull=False)
                ),
                name="inline_one_entity",
            ),
            models.UniqueConstraint(fields=["user", "name"], name="inline_user_unique"),
            models.UniqueConstraint(fields=["group", "name"], name="inline_group_unique"),
            models.UniqueConstraint(fields=["role", "name"], name="inline_role_unique"),
        ]
        ordering = ["name"]
