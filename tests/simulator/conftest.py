from __future__ import annotations

import json

import pytest

from accounts.models import Group, GroupMembership, Role
from policies.models import InlinePolicy, ManagedPolicy, PolicyAttachment

TRUST = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]})


def allow(action, resource="*", **extra) -> dict:
    return {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": action, "Resource": resource, **extra}]}


def deny(action, resource="*", **extra) -> dict:
    return {"Version": "2012-10-17", "Statement": [{"Sid": "DenyIt", "Effect": "Deny", "Action": action,
                                                     "Resource": resource, **extra}]}


def managed(account, name, document) -> ManagedPolicy:
    return ManagedPolicy.objects.create(account=account, name=name, document=json.dumps(document))


@pytest.fixture
def make_group(account):
    def factory(name, *, inline=(), attached=(), members=()):
        group = Group.objects.create(account=account, name=name)
        for i, doc in enumerate(inline):
            InlinePolicy.objects.create(group=group, name=f"{name}-inline{i}", document=json.dumps(doc))
        for policy in attached:
            PolicyAttachment.objects.create(group=group, policy=policy)
        for user in members:
            GroupMembership.objects.create(group=group, user=user)
        return group

    return factory


@pytest.fixture
def make_role(account):
    def factory(name, *, inline=(), attached=(), boundary=None):
        role = Role.objects.create(account=account, name=name, trust_policy=TRUST)
        for i, doc in enumerate(inline):
            InlinePolicy.objects.create(role=role, name=f"{name}-inline{i}", document=json.dumps(doc))
        for policy in attached:
            PolicyAttachment.objects.create(role=role, policy=policy)
        if boundary is not None:
            PolicyAttachment.objects.create(role=role, policy=boundary, kind=PolicyAttachment.Kind.BOUNDARY)
        return role

    return factory
