"""Fixtures for the policies area: AWS managed policies from moto, documents, entities."""

from __future__ import annotations

import json

import pytest

from accounts.models import Group, GroupMembership, Role
from accounts.principal import Caller
from policies.management.commands.load_aws_managed_policies import load, moto_policy_data
from policies.models import ManagedPolicy

ALLOW_S3_READ = json.dumps({
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": "*"}],
})
ALLOW_EC2_DESCRIBE = json.dumps({
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "ec2:Describe*", "Resource": "*"}],
})
TRUST_EC2 = json.dumps({
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}],
})


@pytest.fixture(scope="session")
def moto_data():
    return moto_policy_data()


@pytest.fixture
def aws_policies(db, moto_data):
    """All ~1,580 AWS managed policies, loaded the way the command loads them."""
    load(moto_data)
    return ManagedPolicy.objects.filter(account__isnull=True)


@pytest.fixture
def some_aws_policies(db, moto_data):
    """A handful of AWS managed policies (fast)."""
    names = ["AdministratorAccess", "ReadOnlyAccess", "IAMReadOnlyAccess", "IAMFullAccess", "AmazonS3ReadOnlyAccess",
             "ViewOnlyAccess", "AWSLambdaBasicExecutionRole", "AWSSupportServiceRolePolicy", "PowerUserAccess",
             "AmazonEC2ReadOnlyAccess", "SecurityAudit", "IAMUserChangePassword", "AmazonSSMManagedInstanceCore"]
    load({name: moto_data[name] for name in names})
    return {p.name: p for p in ManagedPolicy.objects.filter(account__isnull=True)}


@pytest.fixture
def system(account) -> Caller:
    return Caller.system_for(account)


@pytest.fixture
def alice(iam_user_factory):
    return iam_user_factory("alice")


@pytest.fixture
def devs(account, alice) -> Group:
    group = Group.objects.create(account=account, name="devs")
    GroupMembership.objects.create(group=group, user=alice)
    return group


@pytest.fixture
def app_role(account) -> Role:
    return Role.objects.create(account=account, name="app-role", trust_policy=TRUST_EC2, tags=[{"Key": "team", "Value": "web"}])


@pytest.fixture
def slr(account) -> Role:
    return Role.objects.create(account=account, name="AWSServiceRoleForSupport", path="/aws-service-role/support.amazonaws.com/",
                               trust_policy=TRUST_EC2)


def aws_arn(name: str, path: str = "/") -> str:
    return f"arn:aws:iam::aws:policy{path}{name}"
