"""authz for role-session callers, without HTTP: the role's policies AND the session policy
(inline Policy and PolicyArns taken together), and the context keys of an assumed role."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.errors import AccessDenied
from accounts.models import Role
from accounts.principal import Caller
from api.models import RoleSession
from policies import authz
from policies.models import InlinePolicy, ManagedPolicy, PolicyAttachment

ALLOW = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:*", "Resource": "*"}]}


def statement(action):
    return {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": action, "Resource": "*"}]}


@pytest.fixture
def role(account):
    role = Role.objects.create(account=account, name="ops", trust_policy="{}", tags=[{"Key": "team", "Value": "blue"}])
    InlinePolicy.objects.create(role=role, name="all-iam", document=json.dumps(ALLOW))
    return role


def session_caller(account, role, **fields):
    session = RoleSession.objects.create(account=account, role=role, session_name="s", secret_encrypted="x",
                                         token_sha256="x", expiration=timezone.now() + timedelta(hours=1), **fields)
    session = RoleSession.objects.select_related("account", "role", "role__account").get(pk=session.pk)
    return Caller(account=account, session=session, console=False, access_key_id=session.access_key_id)


def test_inline_and_managed_session_policies_together_limit_the_role(account, role):
    managed = ManagedPolicy.objects.create(account=account, name="list-roles", document=json.dumps(statement("iam:ListRoles")))
    caller = session_caller(account, role, session_policy=json.dumps(statement("iam:ListUsers")),
                            policy_arns=[managed.arn])
    assert authz.is_allowed(caller, "iam:ListUsers", "*")
    assert authz.is_allowed(caller, "iam:ListRoles", "*")
    with pytest.raises(AccessDenied) as excinfo:
        authz.require(caller, "iam:CreateUser", f"arn:aws:iam::{account.account_id}:user/x")
    assert excinfo.value.message.startswith(
        f"User: arn:aws:sts::{account.account_id}:assumed-role/ops/s is not authorized to perform: iam:CreateUser")


def test_without_a_session_policy_the_role_policies_alone_decide(account, role):
    caller = session_caller(account, role)
    assert authz.is_allowed(caller, "iam:CreateUser", "*")
    PolicyAttachment.objects.all().delete()
    InlinePolicy.objects.filter(role=role).delete()
    assert not authz.is_allowed(session_caller(account, role), "iam:ListUsers", "*")


def test_role_session_context_keys(account, role):
    caller = session_caller(account, role, tags=[{"Key": "team", "Value": "red"}], source_identity="alice")
    context = authz.build_context(caller)
    assert context["aws:PrincipalType"] == "AssumedRole"
    assert context["aws:PrincipalArn"] == role.arn
    assert context["aws:userid"] == f"{role.unique_id}:s"
    assert context["aws:PrincipalTag/team"] == "red"  # the session tag overrides the role's tag
    assert context["aws:SourceIdentity"] == "alice"
    assert context["aws:MultiFactorAuthPresent"] == "false"
