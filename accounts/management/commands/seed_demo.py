"""A demo account an instructor can sign in to at once: users, groups, roles and policies.

Idempotent: running it again keeps what exists and adds what is missing. Everything is made
through the service layer, acting as the explicit SYSTEM actor.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand

from accounts import services
from accounts.errors import EntityAlreadyExists, IAMError, NoSuchEntity
from accounts.models import Account, User
from accounts.principal import Caller
from policies.services import attach_group_policy, attach_role_policy, attach_user_policy, create_policy

DEMO_EMAIL = "demo@example.com"
DEMO_ROOT_PASSWORD = "Demo-Root-Passw0rd!"
DEMO_USER_PASSWORD = "Demo-User-Passw0rd!"
DEMO_ALIAS = "iam-demo"
AWS = "arn:aws:iam::aws:policy/"

SELF_SERVICE = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "ManageOwnUserOnly",
            "Effect": "Allow",
            "Action": ["iam:GetUser", "iam:ChangePassword", "iam:*AccessKey*", "iam:*LoginProfile", "iam:*MFADevice*"],
            "Resource": ["arn:aws:iam::*:user/${aws:username}", "arn:aws:iam::*:mfa/${aws:username}"],
        },
        {"Sid": "ListForTheConsole", "Effect": "Allow", "Action": ["iam:ListUsers", "iam:ListVirtualMFADevices"], "Resource": "*"},
    ],
}

GROUPS = [("Admins", AWS + "AdministratorAccess"), ("Developers", AWS + "PowerUserAccess"), ("ReadOnly", AWS + "ReadOnlyAccess")]
# (name, path, groups, console password, must reset)
USERS = [
    ("alice", "/", ["Admins"], True, False),
    ("bob", "/engineering/", ["Developers", "ReadOnly"], True, False),
    ("carol", "/engineering/", ["ReadOnly"], True, True),
    ("ci-deployer", "/service/", [], False, False),
]


def ec2_trust() -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}, indent=2)


def auditor_trust(account_id: str) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account_id}:root"}, "Action": "sts:AssumeRole",
        "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}]}, indent=2)


class Command(BaseCommand):
    help = "Create (or complete) the demo account and print how to sign in."

    def handle(self, *args, **options) -> None:
        root = User.objects.filter(login=services.root_login(DEMO_EMAIL)).select_related("account").first()
        if root is None:
            root = services.create_account(DEMO_EMAIL, "IAM demo", DEMO_ROOT_PASSWORD)
        account: Account = root.account
        system = Caller.system_for(account)
        if account.alias is None and not Account.objects.filter(alias=DEMO_ALIAS).exists():
            services.create_account_alias(system, DEMO_ALIAS)
        self._seed(system, account)
        self.stdout.write(self.style.SUCCESS("Demo account ready."))
        self.stdout.write(f"  Root user:  {DEMO_EMAIL} / {DEMO_ROOT_PASSWORD}  (sign in at /signin/ as Root user)")
        self.stdout.write(f"  IAM users:  alice, bob, carol / {DEMO_USER_PASSWORD}  (sign in at /signin/{account.signin_id}/)")
        self.stdout.write(f"  Account ID: {account.account_id}" + (f", alias {account.alias}" if account.alias else ""))

    def _seed(self, system: Caller, account: Account) -> None:
        def quietly(operation, *args, **kwargs):
            try:
                return operation(system, *args, **kwargs)
            except EntityAlreadyExists:
                return None
            except NoSuchEntity as error:  # e.g. AWS managed policies not loaded yet
                self.stderr.write(f"  skipped: {error}")
                return None

        for group_name, policy_arn in GROUPS:
            quietly(services.create_group, group_name)
            quietly(attach_group_policy, group_name, policy_arn)
        for name, path, groups, console, must_reset in USERS:
            if quietly(services.create_user, name, path=path, tags=[{"Key": "team", "Value": path.strip("/") or "admin"}]):
                if console:
                    quietly(services.create_login_profile, name, DEMO_USER_PASSWORD, must_reset)
                if must_reset:
                    # As the create-user wizard does: without it she could not set her new password.
                    quietly(attach_user_policy, name, AWS + "IAMUserChangePassword")
                for group_name in groups:
                    quietly(services.add_user_to_group, group_name, name)
        quietly(create_policy, "SelfServiceCredentials", json.dumps(SELF_SERVICE, indent=2),
                description="Lets users manage their own password, access keys and MFA")
        if quietly(services.create_role, "ec2-s3-readonly", ec2_trust(), description="Lets EC2 instances read S3"):
            quietly(attach_role_policy, "ec2-s3-readonly", AWS + "AmazonS3ReadOnlyAccess")
            try:
                services.create_instance_profile(system, "ec2-s3-readonly")
                services.add_role_to_instance_profile(system, "ec2-s3-readonly", "ec2-s3-readonly")
            except IAMError:
                pass
        if quietly(services.create_role, "Auditor", auditor_trust(account.account_id), description="Read-only audit, MFA required"):
            quietly(attach_role_policy, "Auditor", AWS + "SecurityAudit")
