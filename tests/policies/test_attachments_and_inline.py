"""Attach/detach, permissions boundaries and inline policies on users, groups and roles."""

from __future__ import annotations

import json

import pytest

from accounts.errors import (
    LimitExceeded,
    MalformedPolicyDocument,
    NoSuchEntity,
    UnmodifiableEntity,
    ValidationError,
)
from accounts.models import Group, Role
from accounts.principal import Caller
from policies import services
from policies.models import InlinePolicy, ManagedPolicy, PolicyAttachment
from policies.permissions_tab import permissions_tab_context
from tests.conftest import make_iam_user

from .conftest import ALLOW_EC2_DESCRIBE, ALLOW_S3_READ, aws_arn

ATTACH = {"user": services.attach_user_policy, "group": services.attach_group_policy, "role": services.attach_role_policy}
DETACH = {"user": services.detach_user_policy, "group": services.detach_group_policy, "role": services.detach_role_policy}
LIST = {"user": services.list_attached_user_policies, "group": services.list_attached_group_policies,
        "role": services.list_attached_role_policies}
NAMES = {"user": "alice", "group": "devs", "role": "app-role"}


@pytest.fixture
def entities(alice, devs, app_role):
    return {"user": alice, "group": devs, "role": app_role}


@pytest.mark.parametrize("kind", ["user", "group", "role"])
def test_attach_list_detach(root_caller, some_aws_policies, entities, kind):
    name = NAMES[kind]
    ATTACH[kind](root_caller, name, aws_arn("ReadOnlyAccess"))
    ATTACH[kind](root_caller, name, aws_arn("ReadOnlyAccess"))  # a second attach is a no-op
    assert [p.name for p in LIST[kind](root_caller, name)] == ["ReadOnlyAccess"]
    DETACH[kind](root_caller, name, aws_arn("ReadOnlyAccess"))
    assert LIST[kind](root_caller, name) == []
    with pytest.raises(NoSuchEntity) as caught:
        DETACH[kind](root_caller, name, aws_arn("ReadOnlyAccess"))
    assert caught.value.message == f"Policy {aws_arn('ReadOnlyAccess')} was not found."


@pytest.mark.parametrize(("kind", "quota"), [("user", "PoliciesPerUser"), ("group", "PoliciesPerGroup"), ("role", "PoliciesPerRole")])
def test_ten_managed_policies_per_entity(root_caller, entities, kind, quota):
    arns = [services.create_policy(root_caller, f"P{i}", ALLOW_S3_READ).arn for i in range(11)]
    for arn in arns[:10]:
        ATTACH[kind](root_caller, NAMES[kind], arn)
    with pytest.raises(LimitExceeded) as caught:
        ATTACH[kind](root_caller, NAMES[kind], arns[10])
    assert caught.value.message == f"Cannot exceed quota for {quota}: 10"


def test_attaching_a_missing_or_service_linked_policy_is_not_attachable(root_caller, some_aws_policies, alice):
    for arn in (aws_arn("NoSuchPolicy"), aws_arn("AWSSupportServiceRolePolicy", "/aws-service-role/")):
        with pytest.raises(NoSuchEntity) as caught:
            services.attach_user_policy(root_caller, "alice", arn)
        assert caught.value.message == f"Policy {arn} does not exist or is not attachable."


def test_another_accounts_policy_cannot_be_attached(root_caller, other_root, alice):
    theirs = services.create_policy(Caller(account=other_root.account, user=other_root), "Theirs", ALLOW_S3_READ)
    with pytest.raises(NoSuchEntity) as caught:
        services.attach_user_policy(root_caller, "alice", theirs.arn)
    assert caught.value.message == f"Policy {theirs.arn} does not exist or is not attachable."


def test_another_accounts_user_is_no_such_entity(root_caller, other_root, some_aws_policies):
    make_iam_user(other_root.account, "bob")
    with pytest.raises(NoSuchEntity) as caught:
        services.attach_user_policy(root_caller, "bob", aws_arn("ReadOnlyAccess"))
    assert caught.value.message == "The user with name bob cannot be found."
    with pytest.raises(NoSuchEntity):
        services.list_user_policies(root_caller, "bob")
    assert not PolicyAttachment.objects.exists()


def test_service_linked_roles_cannot_get_policies(root_caller, some_aws_policies, slr):
    with pytest.raises(UnmodifiableEntity) as caught:
        services.attach_role_policy(root_caller, slr.name, aws_arn("ReadOnlyAccess"))
    assert caught.value.message == (
        "Cannot perform the operation on the protected role 'AWSServiceRoleForSupport' - this role is only modifiable by AWS"
    )
    with pytest.raises(UnmodifiableEntity):
        services.put_role_policy(root_caller, slr.name, "inline", ALLOW_S3_READ)
    with pytest.raises(UnmodifiableEntity):
        services.put_role_permissions_boundary(root_caller, slr.name, aws_arn("ReadOnlyAccess"))


@pytest.mark.parametrize(
    ("put", "delete", "kind"),
    [
        (services.put_user_permissions_boundary, services.delete_user_permissions_boundary, "user"),
        (services.put_role_permissions_boundary, services.delete_role_permissions_boundary, "role"),
    ],
)
def test_permissions_boundary_set_change_remove(root_caller, some_aws_policies, entities, put, delete, kind):
    name = NAMES[kind]
    put(root_caller, name, aws_arn("ReadOnlyAccess"))
    put(root_caller, name, aws_arn("PowerUserAccess"))
    boundaries = PolicyAttachment.objects.filter(kind="boundary", **{kind: entities[kind]})
    assert [b.policy.name for b in boundaries] == ["PowerUserAccess"]
    delete(root_caller, name)
    assert not boundaries.all().exists()
    with pytest.raises(NoSuchEntity) as caught:
        put(root_caller, name, aws_arn("Missing"))
    assert caught.value.message == f"Scope ARN: {aws_arn('Missing')} does not exist or is not attachable."


PUT = {"user": services.put_user_policy, "group": services.put_group_policy, "role": services.put_role_policy}
GET = {"user": services.get_user_policy, "group": services.get_group_policy, "role": services.get_role_policy}
LIST_INLINE = {"user": services.list_user_policies, "group": services.list_group_policies, "role": services.list_role_policies}
DELETE = {"user": services.delete_user_policy, "group": services.delete_group_policy, "role": services.delete_role_policy}


@pytest.mark.parametrize("kind", ["user", "group", "role"])
def test_inline_policy_put_replaces_get_list_delete(root_caller, entities, kind):
    name = NAMES[kind]
    PUT[kind](root_caller, name, "Inline", ALLOW_S3_READ)
    PUT[kind](root_caller, name, "Inline", ALLOW_EC2_DESCRIBE)
    assert GET[kind](root_caller, name, "Inline").document == ALLOW_EC2_DESCRIBE
    assert [p.name for p in LIST_INLINE[kind](root_caller, name)] == ["Inline"]
    DELETE[kind](root_caller, name, "Inline")
    with pytest.raises(NoSuchEntity) as caught:
        GET[kind](root_caller, name, "Inline")
    assert caught.value.message == f"The {kind} policy with name Inline cannot be found."
    with pytest.raises(NoSuchEntity):
        DELETE[kind](root_caller, name, "Inline")


@pytest.mark.parametrize(("kind", "limit"), [("user", 2048), ("group", 5120), ("role", 10240)])
def test_inline_policies_aggregate_size_per_entity(root_caller, entities, kind, limit):
    def document(chars: int) -> str:
        doc = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": ""}]}
        pad = chars - len(json.dumps(doc, separators=(",", ":")))
        doc["Statement"][0]["Resource"] = "arn:aws:s3:::" + "x" * (pad - 13)
        return json.dumps(doc, indent=4)

    name = NAMES[kind]
    PUT[kind](root_caller, name, "Half", document(limit // 2))
    PUT[kind](root_caller, name, "Other", document(limit - limit // 2))
    # Replacing a policy counts its new size, not old + new.
    PUT[kind](root_caller, name, "Other", document(limit - limit // 2))
    with pytest.raises(LimitExceeded) as caught:
        PUT[kind](root_caller, name, "Third", document(100))
    assert caught.value.message == f"Maximum policy size of {limit} bytes exceeded for {kind} {name}"
    assert InlinePolicy.objects.filter(name="Third").count() == 0


def test_inline_policy_name_and_document_are_validated(root_caller, alice):
    with pytest.raises(ValidationError):
        services.put_user_policy(root_caller, "alice", "bad name", ALLOW_S3_READ)
    with pytest.raises(MalformedPolicyDocument) as caught:
        services.put_user_policy(root_caller, "alice", "ok", '{"Statement": ')
    assert caught.value.message == "Syntax errors in policy."


def test_permissions_tab_lists_direct_group_and_inline_policies(root_caller, some_aws_policies, alice, devs):
    services.attach_user_policy(root_caller, "alice", aws_arn("ReadOnlyAccess"))
    services.attach_group_policy(root_caller, "devs", aws_arn("ViewOnlyAccess", "/job-function/"))
    services.put_group_policy(root_caller, "devs", "GroupInline", ALLOW_S3_READ)
    services.put_user_policy(root_caller, "alice", "UserInline", ALLOW_S3_READ)
    services.put_user_permissions_boundary(root_caller, "alice", aws_arn("PowerUserAccess"))
    tab = permissions_tab_context(root_caller, "user", alice)["permissions"]
    rows = {(r.name, r.policy_type, r.attached_via, bool(r.remove_url)) for r in tab["rows"]}
    assert rows == {
        ("ReadOnlyAccess", "AWS managed", "Directly", True),
        ("ViewOnlyAccess", "AWS managed - job function", "Group devs", False),
        ("GroupInline", "Customer inline", "Group devs", False),
        ("UserInline", "Customer inline", "Directly", True),
    }
    assert tab["boundary"].name == "PowerUserAccess"
    group_tab = permissions_tab_context(root_caller, "group", devs)["permissions"]
    assert {r.name for r in group_tab["rows"]} == {"ViewOnlyAccess", "GroupInline"}
    assert not group_tab["has_boundary_section"]


def test_a_failed_attach_writes_nothing(root_caller, alice):
    """A failing attach writes nothing (one transaction per operation)."""
    with pytest.raises(NoSuchEntity):
        services.attach_user_policy(root_caller, "alice", aws_arn("Nope"))
    assert not PolicyAttachment.objects.exists()
    assert ManagedPolicy.objects.count() == 0
    assert Group.objects.count() == 0 and Role.objects.count() == 0
