"""Managed policy operations (CreatePolicy ... ListPolicyTags) with AWS's errors and quotas."""

from __future__ import annotations

import json

import pytest

from accounts.errors import (
    AccessDenied,
    DeleteConflict,
    EntityAlreadyExists,
    InvalidInput,
    LimitExceeded,
    MalformedPolicyDocument,
    NoSuchEntity,
    ValidationError,
)
from accounts.models import ActivityEvent
from accounts.principal import Caller
from policies import services
from policies.models import ManagedPolicy, PolicyVersion

from .conftest import ALLOW_EC2_DESCRIBE, ALLOW_S3_READ, aws_arn


def test_create_policy_stores_v1_as_default_and_records_the_event(root_caller, account):
    policy = services.create_policy(root_caller, "S3Read", ALLOW_S3_READ, path="/team/", description="Read S3", tags={"env": "dev"})
    assert policy.arn == f"arn:aws:iam::{account.account_id}:policy/team/S3Read"
    assert policy.default_version_id == "v1" and policy.document == ALLOW_S3_READ
    assert policy.unique_id.startswith("ANPA")
    assert [(v.version_id, v.is_default) for v in policy.versions.all()] == [("v1", True)]
    assert policy.tags == [{"Key": "env", "Value": "dev"}]
    event = ActivityEvent.objects.filter(account=account, event_name="CreatePolicy").get()
    assert event.result == "Success" and event.resource == policy.arn


def test_create_policy_name_is_unique_case_insensitively(root_caller):
    services.create_policy(root_caller, "S3Read", ALLOW_S3_READ)
    with pytest.raises(EntityAlreadyExists) as caught:
        services.create_policy(root_caller, "s3read", ALLOW_S3_READ)
    assert caught.value.message == "A policy called s3read already exists. Duplicate names are not allowed."


def test_same_policy_name_in_another_account_is_allowed(root_caller, other_root):
    services.create_policy(root_caller, "S3Read", ALLOW_S3_READ)
    services.create_policy(Caller(account=other_root.account, user=other_root), "S3Read", ALLOW_S3_READ)
    assert ManagedPolicy.objects.filter(name="S3Read").count() == 2


@pytest.mark.parametrize("name", ["", "has space", "a" * 129, "bad/slash"])
def test_create_policy_rejects_invalid_names_with_the_api_constraint(root_caller, name):
    with pytest.raises(ValidationError) as caught:
        services.create_policy(root_caller, name, ALLOW_S3_READ)
    assert caught.value.message.startswith(f"1 validation error detected: Value '{name}' at 'policyName' failed to satisfy constraint")


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ('{"Version": "2012-10-17", "Statement": [', "Syntax errors in policy."),
        ("", "Syntax errors in policy."),
        ('{"Version": "2012-10-17", "Statement": [{"Action": "s3:*", "Resource": "*"}]}', "Missing required field Effect"),
        ('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*"}]}',
         "Policy document should not specify a principal."),
        ('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Resource": "*"}]}', "Policy statement must contain actions."),
        ('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*"}]}', "Policy statement must contain resources."),
        ('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "my-bucket"}]}',
         'Resource my-bucket must be in ARN format or "*".'),
        ('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "GetObject", "Resource": "*"}]}',
         "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."),
    ],
)
def test_create_policy_rejects_malformed_documents_with_aws_messages(root_caller, document, message):
    with pytest.raises(MalformedPolicyDocument) as caught:
        services.create_policy(root_caller, "Bad", document)
    assert caught.value.message == message
    assert not ManagedPolicy.objects.filter(name="Bad").exists()


def _document_of_size(chars: int) -> str:
    """A valid policy whose size without whitespace is exactly `chars`."""
    base = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::"}]}
    text = json.dumps(base, separators=(",", ":"))
    padding = chars - len(text)
    base["Statement"][0]["Resource"] = "arn:aws:s3:::" + "b" * padding
    result = json.dumps(base, indent=2)
    assert len("".join(result.split())) == chars
    return result


def test_managed_policy_size_is_counted_without_whitespace(root_caller):
    services.create_policy(root_caller, "Exactly6144", _document_of_size(6144))
    with pytest.raises(LimitExceeded) as caught:
        services.create_policy(root_caller, "Over6144", _document_of_size(6145))
    assert caught.value.message == "Cannot exceed quota for PolicySize: 6144"


def test_customer_managed_policies_per_account_quota(root_caller, account):
    ManagedPolicy.objects.bulk_create(
        [ManagedPolicy(account=account, name=f"p{i}", document=ALLOW_S3_READ) for i in range(1500)]
    )
    with pytest.raises(LimitExceeded) as caught:
        services.create_policy(root_caller, "OneTooMany", ALLOW_S3_READ)
    assert caught.value.message == "Cannot exceed quota for PoliciesPerAccount: 1500"


def test_get_policy_of_another_account_is_no_such_entity(root_caller, other_root):
    theirs = services.create_policy(Caller(account=other_root.account, user=other_root), "Theirs", ALLOW_S3_READ)
    with pytest.raises(NoSuchEntity) as caught:
        services.get_policy(root_caller, theirs.arn)
    assert caught.value.message == f"Policy {theirs.arn} was not found."
    for call in (services.delete_policy, services.list_policy_versions, services.list_entities_for_policy, services.list_policy_tags):
        with pytest.raises(NoSuchEntity):
            call(root_caller, theirs.arn)
    with pytest.raises(NoSuchEntity):
        services.create_policy_version(root_caller, theirs.arn, ALLOW_EC2_DESCRIBE)
    assert ManagedPolicy.objects.get(pk=theirs.pk).versions.count() == 1


def test_get_policy_rejects_a_malformed_arn(root_caller):
    with pytest.raises(InvalidInput) as caught:
        services.get_policy(root_caller, "not-an-arn")
    assert caught.value.message == "ARN not-an-arn is not valid."


def test_list_policies_scopes_and_usage_counts(root_caller, some_aws_policies, alice):
    mine = services.create_policy(root_caller, "Mine", ALLOW_S3_READ)
    services.attach_user_policy(root_caller, "alice", mine.arn)
    services.put_user_permissions_boundary(root_caller, "alice", aws_arn("ReadOnlyAccess"))
    assert [p.name for p in services.list_policies(root_caller, scope="Local")] == ["Mine"]
    aws_names = {p.name for p in services.list_policies(root_caller, scope="AWS")}
    assert "AdministratorAccess" in aws_names and "Mine" not in aws_names
    assert [p.name for p in services.list_policies(root_caller, only_attached=True)] == ["Mine"]
    assert [p.name for p in services.list_policies(root_caller, policy_usage_filter="PermissionsBoundary")] == ["ReadOnlyAccess"]
    assert [p.name for p in services.list_policies(root_caller, path_prefix="/job-function/")] == ["ViewOnlyAccess"]
    with pytest.raises(ValidationError):
        services.list_policies(root_caller, scope="Mine")


def test_usage_counts_of_aws_managed_policies_ignore_other_accounts(root_caller, other_root, some_aws_policies, alice):
    from tests.conftest import make_iam_user

    make_iam_user(other_root.account, "bob")
    other = Caller(account=other_root.account, user=other_root)
    services.attach_user_policy(other, "bob", aws_arn("ReadOnlyAccess"))
    mine = {p.name: p.attachment_count for p in services.list_policies(root_caller, scope="AWS")}
    assert mine["ReadOnlyAccess"] == 0
    assert services.list_entities_for_policy(root_caller, aws_arn("ReadOnlyAccess")).users == []


def test_delete_policy_refuses_while_attached_or_with_other_versions(root_caller, alice):
    policy = services.create_policy(root_caller, "P", ALLOW_S3_READ)
    services.attach_user_policy(root_caller, "alice", policy.arn)
    with pytest.raises(DeleteConflict) as caught:
        services.delete_policy(root_caller, policy.arn)
    assert caught.value.message == "Cannot delete a policy attached to entities."
    services.detach_user_policy(root_caller, "alice", policy.arn)
    services.create_policy_version(root_caller, policy.arn, ALLOW_EC2_DESCRIBE)
    with pytest.raises(DeleteConflict) as caught:
        services.delete_policy(root_caller, policy.arn)
    assert caught.value.message == (
        "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. "
        "The default version is deleted with the policy."
    )
    services.delete_policy_version(root_caller, policy.arn, "v2")
    services.delete_policy(root_caller, policy.arn)
    assert not ManagedPolicy.objects.filter(pk=policy.pk).exists()
    assert not PolicyVersion.objects.filter(policy_id=policy.pk).exists()


def test_aws_managed_policies_are_read_only(root_caller, some_aws_policies):
    arn = aws_arn("AdministratorAccess")
    with pytest.raises(AccessDenied):
        services.delete_policy(root_caller, arn)
    with pytest.raises(AccessDenied):
        services.create_policy_version(root_caller, arn, ALLOW_S3_READ)
    with pytest.raises(AccessDenied):
        services.tag_policy(root_caller, arn, {"a": "b"})
    assert services.get_policy(root_caller, arn).is_aws_managed


def test_versions_are_capped_at_five_and_ids_keep_counting(root_caller):
    policy = services.create_policy(root_caller, "P", ALLOW_S3_READ)
    for _ in range(4):
        services.create_policy_version(root_caller, policy.arn, ALLOW_EC2_DESCRIBE)
    with pytest.raises(LimitExceeded) as caught:
        services.create_policy_version(root_caller, policy.arn, ALLOW_EC2_DESCRIBE)
    assert caught.value.message == (
        "A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version."
    )
    services.delete_policy_version(root_caller, policy.arn, "v3")
    version = services.create_policy_version(root_caller, policy.arn, ALLOW_EC2_DESCRIBE, set_as_default=True)
    assert version.version_id == "v6"
    ids = [v.version_id for v in services.list_policy_versions(root_caller, policy.arn)]
    assert sorted(ids) == ["v1", "v2", "v4", "v5", "v6"]


def test_new_default_version_updates_the_policy_document_authz_reads(root_caller):
    policy = services.create_policy(root_caller, "P", ALLOW_S3_READ)
    services.create_policy_version(root_caller, policy.arn, ALLOW_EC2_DESCRIBE)
    policy.refresh_from_db()
    assert policy.document == ALLOW_S3_READ and policy.default_version_id == "v1"
    services.set_default_policy_version(root_caller, policy.arn, "v2")
    policy.refresh_from_db()
    assert policy.document == ALLOW_EC2_DESCRIBE and policy.default_version_id == "v2"
    assert [v.version_id for v in policy.versions.filter(is_default=True)] == ["v2"]


def test_default_version_cannot_be_deleted(root_caller):
    policy = services.create_policy(root_caller, "P", ALLOW_S3_READ)
    with pytest.raises(DeleteConflict) as caught:
        services.delete_policy_version(root_caller, policy.arn, "v1")
    assert caught.value.message == "Cannot delete the default version of a policy."


def test_missing_version_is_no_such_entity(root_caller):
    policy = services.create_policy(root_caller, "P", ALLOW_S3_READ)
    with pytest.raises(NoSuchEntity) as caught:
        services.get_policy_version(root_caller, policy.arn, "v9")
    assert caught.value.message == f"Policy {policy.arn} version v9 does not exist or is not attachable."
    assert services.get_policy_version(root_caller, policy.arn, "v1").document == ALLOW_S3_READ


def test_create_policy_version_validates_the_document(root_caller):
    policy = services.create_policy(root_caller, "P", ALLOW_S3_READ)
    with pytest.raises(MalformedPolicyDocument):
        services.create_policy_version(root_caller, policy.arn, "{not json")
    assert policy.versions.count() == 1


def test_list_entities_for_policy_lists_users_groups_roles_and_boundaries(root_caller, alice, devs, app_role):
    policy = services.create_policy(root_caller, "P", ALLOW_S3_READ)
    services.attach_user_policy(root_caller, "alice", policy.arn)
    services.attach_group_policy(root_caller, "devs", policy.arn)
    services.attach_role_policy(root_caller, "app-role", policy.arn)
    services.put_role_permissions_boundary(root_caller, "app-role", policy.arn)
    entities = services.list_entities_for_policy(root_caller, policy.arn)
    assert [u.name for u in entities.users] == ["alice"]
    assert [g.name for g in entities.groups] == ["devs"]
    assert [r.name for r in entities.roles] == ["app-role"]
    assert [r.name for r in entities.boundary_roles] == ["app-role"]
    only_boundaries = services.list_entities_for_policy(root_caller, policy.arn, policy_usage_filter="PermissionsBoundary")
    assert only_boundaries.roles == [] and [r.name for r in only_boundaries.boundary_roles] == ["app-role"]


def test_tag_untag_and_list_policy_tags(root_caller):
    policy = services.create_policy(root_caller, "P", ALLOW_S3_READ, tags=[{"Key": "env", "Value": "dev"}])
    services.tag_policy(root_caller, policy.arn, [{"Key": "ENV", "Value": "prod"}, {"Key": "team", "Value": "web"}])
    assert services.list_policy_tags(root_caller, policy.arn) == [{"Key": "ENV", "Value": "prod"}, {"Key": "team", "Value": "web"}]
    services.untag_policy(root_caller, policy.arn, ["env"])
    assert services.list_policy_tags(root_caller, policy.arn) == [{"Key": "team", "Value": "web"}]
    with pytest.raises(LimitExceeded):
        services.tag_policy(root_caller, policy.arn, {f"k{i}": "v" for i in range(50)})
    with pytest.raises(InvalidInput):
        services.tag_policy(root_caller, policy.arn, [{"Key": "a", "Value": "1"}, {"Key": "A", "Value": "2"}])
