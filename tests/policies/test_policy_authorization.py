"""Who may do what with policies: AWS managed policies as real permissions, iam:PolicyARN
conditions, and permissions boundaries capping AdministratorAccess."""

from __future__ import annotations

import json

import pytest

from accounts.errors import AccessDenied
from accounts.principal import Caller
from policies import services
from policies.models import PolicyAttachment

from .conftest import ALLOW_S3_READ, aws_arn


def caller_for(user) -> Caller:
    return Caller(account=user.account, user=user)


def test_iam_read_only_user_lists_policies_but_cannot_create_one(root_caller, some_aws_policies, iam_user_factory, account):
    reader = iam_user_factory("reader")
    services.attach_user_policy(root_caller, "reader", aws_arn("IAMReadOnlyAccess"))
    caller = caller_for(reader)
    assert services.list_policies(caller).filter(name="IAMReadOnlyAccess").exists()
    assert services.get_policy(caller, aws_arn("AdministratorAccess")).name == "AdministratorAccess"
    arn = f"arn:aws:iam::{account.account_id}:policy/S3Read"
    with pytest.raises(AccessDenied) as caught:
        services.create_policy(caller, "S3Read", ALLOW_S3_READ)
    assert caught.value.message == (
        f"User: {reader.arn} is not authorized to perform: iam:CreatePolicy on resource: {arn} "
        "because no identity-based policy allows the iam:CreatePolicy action"
    )


def test_user_without_policies_cannot_list_policies(some_aws_policies, iam_user_factory):
    nobody = iam_user_factory("nobody")
    with pytest.raises(AccessDenied) as caught:
        services.list_policies(caller_for(nobody))
    assert caught.value.message == (
        f"User: {nobody.arn} is not authorized to perform: iam:ListPolicies on resource: * "
        "because no identity-based policy allows the iam:ListPolicies action"
    )


def test_attach_user_policy_limited_by_policy_arn_condition(some_aws_policies, iam_user_factory, alice):
    allowed = aws_arn("ReadOnlyAccess")
    delegate = iam_user_factory("delegate", policies=[{
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Action": "iam:AttachUserPolicy",
            "Resource": "*",
            "Condition": {"ArnEquals": {"iam:PolicyARN": allowed}},
        }],
    }])
    caller = caller_for(delegate)
    services.attach_user_policy(caller, "alice", allowed)
    with pytest.raises(AccessDenied) as caught:
        services.attach_user_policy(caller, "alice", aws_arn("AdministratorAccess"))
    assert "is not authorized to perform: iam:AttachUserPolicy on resource: " + alice.arn in caught.value.message
    assert list(PolicyAttachment.objects.filter(user=alice).values_list("policy__name", flat=True)) == ["ReadOnlyAccess"]


def test_permissions_boundary_caps_administrator_access(root_caller, some_aws_policies, iam_user_factory, account):
    from accounts.services import create_user

    admin = iam_user_factory("boxed-admin")
    services.attach_user_policy(root_caller, "boxed-admin", aws_arn("AdministratorAccess"))
    boundary = services.create_policy(root_caller, "ReadIamOnly", json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": ["iam:Get*", "iam:List*"], "Resource": "*"}],
    }))
    caller = caller_for(admin)
    # Before the boundary the admin may create policies (AdministratorAccess).
    services.create_policy(caller, "Before", ALLOW_S3_READ)
    services.put_user_permissions_boundary(root_caller, "boxed-admin", boundary.arn)
    caller = caller_for(admin)  # a new request: policies are gathered again
    assert services.list_policies(caller).filter(name="Before").exists()
    with pytest.raises(AccessDenied) as caught:
        create_user(caller, "newbie")
    assert caught.value.message.startswith(f"User: {admin.arn} is not authorized to perform: iam:CreateUser on resource: ")
    assert "permissions boundary" in caught.value.message
    with pytest.raises(AccessDenied):
        services.create_policy(caller, "After", ALLOW_S3_READ)


def test_missing_entity_is_reported_only_to_an_authorized_caller(some_aws_policies, iam_user_factory, account):
    nobody = iam_user_factory("nobody")
    with pytest.raises(AccessDenied) as caught:
        services.attach_user_policy(caller_for(nobody), "ghost", aws_arn("ReadOnlyAccess"))
    assert f"on resource: arn:aws:iam::{account.account_id}:user/ghost" in caught.value.message


def test_put_user_policy_checks_the_users_current_boundary_key(root_caller, some_aws_policies, iam_user_factory, alice):
    delegate = iam_user_factory("delegate", policies=[{
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Action": ["iam:PutUserPolicy", "iam:PutUserPermissionsBoundary"],
            "Resource": "*",
            "Condition": {"StringEquals": {"iam:PermissionsBoundary": aws_arn("PowerUserAccess")}},
        }],
    }])
    caller = caller_for(delegate)
    with pytest.raises(AccessDenied):
        services.put_user_policy(caller, "alice", "x", ALLOW_S3_READ)
    with pytest.raises(AccessDenied):
        services.put_user_permissions_boundary(caller, "alice", aws_arn("ReadOnlyAccess"))
    services.put_user_permissions_boundary(caller, "alice", aws_arn("PowerUserAccess"))
    services.put_user_policy(caller_for(delegate), "alice", "x", ALLOW_S3_READ)
