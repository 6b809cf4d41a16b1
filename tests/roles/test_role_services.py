"""Role and instance profile operations: AWS's rules, messages, quotas, tenancy, authorization."""

from __future__ import annotations

import json

import pytest

from accounts import rules, services
from accounts.errors import (
    AccessDenied,
    DeleteConflict,
    EntityAlreadyExists,
    InvalidInput,
    LimitExceeded,
    MalformedPolicyDocument,
    NoSuchEntity,
    UnmodifiableEntity,
    ValidationError,
)
from accounts.models import ActivityEvent, InstanceProfile, Role
from accounts.principal import Caller
from accounts.services.roles import account_trust_policy, delete_role_from_console, service_trust_policy
from policies.models import InlinePolicy, ManagedPolicy, PolicyAttachment

EC2_TRUST = service_trust_policy("ec2.amazonaws.com")


def caller_for(user) -> Caller:
    return Caller(account=user.account, user=user)


def allow(*actions, resource="*", condition=None):
    statement = {"Effect": "Allow", "Action": list(actions), "Resource": resource}
    if condition:
        statement["Condition"] = condition
    return {"Version": "2012-10-17", "Statement": [statement]}


def test_create_role_stores_everything_and_records_event(root_caller, account):
    role = services.create_role(root_caller, "app", EC2_TRUST, path="/service-role/", description="App role",
                                max_session_duration=7200, tags=[{"Key": "team", "Value": "blue"}])
    assert role.arn == f"arn:aws:iam::{account.account_id}:role/service-role/app"
    assert role.unique_id.startswith("AROA")
    assert (role.description, role.max_session_duration, role.tags) == ("App role", 7200, [{"Key": "team", "Value": "blue"}])
    assert ActivityEvent.objects.filter(event_name="CreateRole", result="Success").count() == 1


def test_create_role_name_is_unique_ignoring_case(root_caller):
    services.create_role(root_caller, "App", EC2_TRUST)
    with pytest.raises(EntityAlreadyExists) as raised:
        services.create_role(root_caller, "app", EC2_TRUST)
    assert raised.value.message == "Role with name app already exists."


@pytest.mark.parametrize("name, constraint", [
    ("", "Member must have length greater than or equal to 1"),
    ("r" * 65, "Member must have length less than or equal to 64"),
    ("no/slash", "Member must satisfy regular expression pattern: [\\w+=,.@-]+"),
])
def test_create_role_validates_the_name(root_caller, name, constraint):
    with pytest.raises(ValidationError) as raised:
        services.create_role(root_caller, name, EC2_TRUST)
    assert raised.value.message == f"1 validation error detected: Value '{name}' at 'roleName' failed to satisfy constraint: {constraint}"


def test_create_role_description_is_at_most_1000_characters(root_caller):
    services.create_role(root_caller, "ok", EC2_TRUST, description="d" * 1000)
    with pytest.raises(ValidationError) as raised:
        services.create_role(root_caller, "long", EC2_TRUST, description="d" * 1001)
    assert "at 'description' failed to satisfy constraint: Member must have length less than or equal to 1000" in raised.value.message


@pytest.mark.parametrize("seconds, constraint", [
    (3599, "Member must have value greater than or equal to 3600"),
    (43201, "Member must have value less than or equal to 43200"),
])
def test_create_role_max_session_duration_is_1_to_12_hours(root_caller, seconds, constraint):
    with pytest.raises(ValidationError) as raised:
        services.create_role(root_caller, "r", EC2_TRUST, max_session_duration=seconds)
    assert raised.value.message == f"1 validation error detected: Value '{seconds}' at 'maxSessionDuration' failed to satisfy constraint: {constraint}"


def test_create_role_accepts_12_hours(root_caller):
    assert services.create_role(root_caller, "r", EC2_TRUST, max_session_duration=43200).max_session_duration == 43200


@pytest.mark.parametrize("document, message", [
    ("{not json", "This policy contains invalid Json"),
    ('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole"}]}', "Missing required field Principal"),
    ('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, '
     '"Action": "sts:AssumeRole", "Resource": "*"}]}', "Has prohibited field Resource"),
    ('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, '
     '"Action": "s3:GetObject"}]}',
     "Trust Policy statement actions can only be sts:AssumeRole, sts:AssumeRoleWithSAML,  and sts:AssumeRoleWithWebIdentity"),
    ('{"Version": "2012-10-17", "Statement": [{"Effect": "Maybe", "Principal": "*", "Action": "sts:AssumeRole"}]}', "Syntax errors in policy."),
    ('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {}, "Action": "sts:AssumeRole"}]}', "Invalid principal in policy"),
])
def test_create_role_rejects_malformed_trust_policies_with_aws_messages(root_caller, document, message):
    with pytest.raises(MalformedPolicyDocument) as raised:
        services.create_role(root_caller, "r", document)
    assert raised.value.message == message
    assert not Role.objects.exists()


def test_trust_policy_size_is_limited_to_2048_characters_without_whitespace(root_caller):
    def trust_with(count):
        principals = [f"arn:aws:iam::{100000000000 + i}:root" for i in range(count)]
        return json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": principals}, "Action": "sts:AssumeRole"}]}, indent=8)

    small = trust_with(40)  # well under 2,048 characters once whitespace is dropped, though longer with it
    assert len(small) > 2048
    services.create_role(root_caller, "fits", small)
    with pytest.raises(LimitExceeded) as raised:
        services.create_role(root_caller, "too-big", trust_with(80))
    assert raised.value.message == "Cannot exceed quota for ACLSizePerRole: 2048"


def test_roles_quota_is_1000_per_account(root_caller, account):
    Role.objects.bulk_create([Role(account=account, name=f"r{i}", trust_policy=EC2_TRUST) for i in range(rules.MAX_ROLES_PER_ACCOUNT)])
    with pytest.raises(LimitExceeded) as raised:
        services.create_role(root_caller, "extra", EC2_TRUST)
    assert raised.value.message == "Cannot exceed quota for RolesPerAccount: 1000"


def test_create_role_tags_follow_aws_rules(root_caller):
    with pytest.raises(InvalidInput) as raised:
        services.create_role(root_caller, "r", EC2_TRUST, tags=[{"Key": "Team", "Value": "a"}, {"Key": "team", "Value": "b"}])
    assert raised.value.message == "Duplicate tag keys found. Please note that Tag keys are case insensitive."
    with pytest.raises(ValidationError):
        services.create_role(root_caller, "r", EC2_TRUST, tags=[{"Key": "k" * 129, "Value": ""}])
    with pytest.raises(ValidationError):
        services.create_role(root_caller, "r", EC2_TRUST, tags=[{"Key": f"k{i}", "Value": ""} for i in range(51)])


def test_create_role_with_permissions_boundary(root_caller, account):
    boundary = ManagedPolicy.objects.create(account=account, name="Boundary", document='{"Version":"2012-10-17","Statement":[]}')
    role = services.create_role(root_caller, "r", EC2_TRUST, permissions_boundary=boundary.arn)
    assert PolicyAttachment.objects.get(role=role).kind == PolicyAttachment.Kind.BOUNDARY
    with pytest.raises(NoSuchEntity) as raised:
        services.create_role(root_caller, "r2", EC2_TRUST, permissions_boundary=f"arn:aws:iam::{account.account_id}:policy/Nope")
    assert raised.value.message == f"Scope ARN: arn:aws:iam::{account.account_id}:policy/Nope does not exist or is not attachable."


def test_get_and_list_roles_are_scoped_to_the_account(root_caller, other_root):
    other = caller_for(other_root)
    services.create_role(other, "theirs", EC2_TRUST)
    services.create_role(root_caller, "mine", EC2_TRUST)
    with pytest.raises(NoSuchEntity) as raised:
        services.get_role(root_caller, "theirs")
    assert raised.value.message == "The role with name theirs cannot be found."
    for operation in (services.delete_role, services.list_role_tags):
        with pytest.raises(NoSuchEntity):
            operation(root_caller, "theirs")
    with pytest.raises(NoSuchEntity):
        services.update_assume_role_policy(root_caller, "theirs", EC2_TRUST)
    assert [role.name for role in services.list_roles(root_caller)] == ["mine"]


def test_list_roles_by_path_prefix(root_caller):
    services.create_role(root_caller, "a", EC2_TRUST, path="/service-role/")
    services.create_role(root_caller, "b", EC2_TRUST)
    assert [role.name for role in services.list_roles(root_caller, path_prefix="/service-role/")] == ["a"]


def test_update_role_and_description(root_caller):
    services.create_role(root_caller, "r", EC2_TRUST)
    role = services.update_role(root_caller, "r", description="new", max_session_duration=10800)
    assert (role.description, role.max_session_duration) == ("new", 10800)
    assert services.update_role_description(root_caller, "r", "again").description == "again"
    with pytest.raises(ValidationError):
        services.update_role(root_caller, "r", max_session_duration=50000)


def test_update_assume_role_policy_validates_and_saves(root_caller):
    services.create_role(root_caller, "r", EC2_TRUST)
    new = account_trust_policy("123456789012")
    assert services.update_assume_role_policy(root_caller, "r", new).trust_policy == new
    with pytest.raises(MalformedPolicyDocument):
        services.update_assume_role_policy(root_caller, "r", '{"Version": "2012-10-17", "Statement": []}x')
    assert Role.objects.get(name="r").trust_policy == new


def test_delete_role_conflicts_with_aws_messages(root_caller, account):
    role = services.create_role(root_caller, "r", EC2_TRUST)
    services.create_instance_profile(root_caller, "r")
    services.add_role_to_instance_profile(root_caller, "r", "r")
    with pytest.raises(DeleteConflict) as raised:
        services.delete_role(root_caller, "r")
    assert raised.value.message == "Cannot delete entity, must remove roles from instance profile first."
    services.remove_role_from_instance_profile(root_caller, "r", "r")
    policy = ManagedPolicy.objects.create(account=account, name="p", document="{}")
    attachment = PolicyAttachment.objects.create(policy=policy, role=role)
    with pytest.raises(DeleteConflict) as raised:
        services.delete_role(root_caller, "r")
    assert raised.value.message == "Cannot delete entity, must detach all policies first."
    attachment.delete()
    InlinePolicy.objects.create(role=role, name="inline", document="{}")
    with pytest.raises(DeleteConflict) as raised:
        services.delete_role(root_caller, "r")
    assert raised.value.message == "Cannot delete entity, must delete policies first."
    InlinePolicy.objects.all().delete()
    services.delete_role(root_caller, "r")
    assert not Role.objects.exists()


def test_delete_role_keeps_nothing_of_a_boundary(root_caller, account):
    boundary = ManagedPolicy.objects.create(account=account, name="B", document='{"Version":"2012-10-17","Statement":[]}')
    services.create_role(root_caller, "r", EC2_TRUST, permissions_boundary=boundary.arn)
    services.delete_role(root_caller, "r")
    assert not PolicyAttachment.objects.exists()


def test_console_delete_cleans_up_first_and_reports_it(root_caller, account):
    policy = ManagedPolicy.objects.create(account=account, name="ReadAll", document='{"Version":"2012-10-17","Statement":[]}')
    role = services.create_role(root_caller, "r", EC2_TRUST)
    PolicyAttachment.objects.create(policy=policy, role=role)
    InlinePolicy.objects.create(role=role, name="extra", document="{}")
    services.create_instance_profile(root_caller, "r")
    services.add_role_to_instance_profile(root_caller, "r", "r")
    cleanup = delete_role_from_console(root_caller, "r")
    assert (cleanup.detached, cleanup.inline_deleted, cleanup.instance_profiles) == (["ReadAll"], ["extra"], ["r"])
    assert not Role.objects.exists() and not InstanceProfile.objects.exists()
    assert ManagedPolicy.objects.filter(name="ReadAll").exists()


def test_tag_untag_and_list_role_tags(root_caller):
    services.create_role(root_caller, "r", EC2_TRUST, tags=[{"Key": "team", "Value": "a"}])
    services.tag_role(root_caller, "r", [{"Key": "team", "Value": "b"}, {"Key": "env", "Value": "dev"}])
    assert services.list_role_tags(root_caller, "r") == [{"Key": "team", "Value": "b"}, {"Key": "env", "Value": "dev"}]
    services.untag_role(root_caller, "r", ["team"])
    assert services.list_role_tags(root_caller, "r") == [{"Key": "env", "Value": "dev"}]


def test_tag_role_beyond_50_tags_is_limit_exceeded(root_caller):
    services.create_role(root_caller, "r", EC2_TRUST, tags=[{"Key": f"k{i}", "Value": ""} for i in range(50)])
    with pytest.raises(LimitExceeded):
        services.tag_role(root_caller, "r", [{"Key": "one-more", "Value": ""}])


# --------------------------------------------------------------------------- instance profiles


def test_instance_profile_lifecycle(root_caller, account):
    services.create_role(root_caller, "r", EC2_TRUST)
    profile = services.create_instance_profile(root_caller, "web")
    assert profile.arn == f"arn:aws:iam::{account.account_id}:instance-profile/web"
    assert profile.unique_id.startswith("AIPA")
    services.add_role_to_instance_profile(root_caller, "web", "r")
    assert services.get_instance_profile(root_caller, "web").role.name == "r"
    assert [p.name for p in services.list_instance_profiles_for_role(root_caller, "r")] == ["web"]
    assert [p.name for p in services.list_instance_profiles(root_caller)] == ["web"]
    with pytest.raises(DeleteConflict) as raised:
        services.delete_instance_profile(root_caller, "web")
    assert raised.value.message == "Cannot delete entity, must remove roles from instance profile first."
    services.remove_role_from_instance_profile(root_caller, "web", "r")
    services.delete_instance_profile(root_caller, "web")
    assert not InstanceProfile.objects.exists()


def test_instance_profile_holds_one_role(root_caller):
    services.create_role(root_caller, "a", EC2_TRUST)
    services.create_role(root_caller, "b", EC2_TRUST)
    services.create_instance_profile(root_caller, "p")
    services.add_role_to_instance_profile(root_caller, "p", "a")
    with pytest.raises(LimitExceeded) as raised:
        services.add_role_to_instance_profile(root_caller, "p", "b")
    assert raised.value.message == "Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1"


def test_instance_profile_names_and_lookups(root_caller, other_root):
    services.create_instance_profile(root_caller, "p")
    with pytest.raises(EntityAlreadyExists) as raised:
        services.create_instance_profile(root_caller, "P")
    assert raised.value.message == "Instance Profile P already exists."
    with pytest.raises(NoSuchEntity) as raised:
        services.get_instance_profile(caller_for(other_root), "p")
    assert raised.value.message == "Instance Profile p cannot be found."


def test_add_role_to_instance_profile_needs_pass_role(account, root_caller, iam_user_factory):
    services.create_role(root_caller, "r", EC2_TRUST)
    services.create_instance_profile(root_caller, "p")
    alice = iam_user_factory("alice", policies=[allow("iam:AddRoleToInstanceProfile")])
    with pytest.raises(AccessDenied) as raised:
        services.add_role_to_instance_profile(caller_for(alice), "p", "r")
    assert "iam:PassRole on resource: " + f"arn:aws:iam::{account.account_id}:role/r" in raised.value.message


# --------------------------------------------------------------------------- service-linked roles


def test_service_linked_role_is_created_read_only(root_caller, account):
    role = services.create_service_linked_role(root_caller, "autoscaling.amazonaws.com")
    assert role.name == "AWSServiceRoleForAutoScaling"
    assert role.arn == f"arn:aws:iam::{account.account_id}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling"
    assert json.loads(role.trust_policy)["Statement"][0]["Principal"] == {"Service": ["autoscaling.amazonaws.com"]}
    message = ("Cannot perform the operation on the protected role 'AWSServiceRoleForAutoScaling' - "
               "this role is only modifiable by AWS")
    for attempt in (
        lambda: services.update_role(root_caller, role.name, description="x"),
        lambda: services.update_role_description(root_caller, role.name, "x"),
        lambda: services.update_assume_role_policy(root_caller, role.name, EC2_TRUST),
        lambda: services.delete_role(root_caller, role.name),
        lambda: services.tag_role(root_caller, role.name, [{"Key": "a", "Value": "b"}]),
    ):
        with pytest.raises(UnmodifiableEntity) as raised:
            attempt()
        assert raised.value.message == message


def test_service_linked_role_put_policy_is_unmodifiable(root_caller):
    from policies.services.inline import put_role_policy

    role = services.create_service_linked_role(root_caller, "elasticloadbalancing.amazonaws.com")
    document = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]})
    with pytest.raises(UnmodifiableEntity):
        put_role_policy(root_caller, role.name, "p", document)


def test_service_linked_role_custom_suffix_and_duplicates(root_caller):
    role = services.create_service_linked_role(root_caller, "autoscaling.amazonaws.com", custom_suffix="web")
    assert role.name == "AWSServiceRoleForAutoScaling_web"
    with pytest.raises(InvalidInput) as raised:
        services.create_service_linked_role(root_caller, "autoscaling.amazonaws.com", custom_suffix="web")
    assert raised.value.message == ("Service role name AWSServiceRoleForAutoScaling_web has been taken in this account, "
                                    "please try a different suffix.")


# --------------------------------------------------------------------------- authorization


def test_user_allowed_only_list_roles_can_list_but_not_create(account, root_caller, iam_user_factory):
    services.create_role(root_caller, "existing", EC2_TRUST)
    viewer = iam_user_factory("viewer", policies=[allow("iam:ListRoles")])
    assert [role.name for role in services.list_roles(caller_for(viewer))] == ["existing"]
    with pytest.raises(AccessDenied) as raised:
        services.create_role(caller_for(viewer), "new", EC2_TRUST)
    assert raised.value.message == (
        f"User: arn:aws:iam::{account.account_id}:user/viewer is not authorized to perform: iam:CreateRole on resource: "
        f"arn:aws:iam::{account.account_id}:role/new because no identity-based policy allows the iam:CreateRole action"
    )


def test_pass_role_is_not_needed_to_create_a_role(iam_user_factory):
    creator = iam_user_factory("creator", policies=[allow("iam:CreateRole")])
    assert services.create_role(caller_for(creator), "r", EC2_TRUST).name == "r"


def test_resource_tag_condition_limits_which_roles_can_be_tagged(account, root_caller, iam_user_factory):
    services.create_role(root_caller, "blue-app", EC2_TRUST, tags=[{"Key": "team", "Value": "blue"}])
    services.create_role(root_caller, "red-app", EC2_TRUST, tags=[{"Key": "team", "Value": "red"}])
    tagger = iam_user_factory("tagger", policies=[allow("iam:TagRole", condition={"StringEquals": {"aws:ResourceTag/team": "blue"}})])
    services.tag_role(caller_for(tagger), "blue-app", [{"Key": "env", "Value": "prod"}])
    with pytest.raises(AccessDenied) as raised:
        services.tag_role(caller_for(tagger), "red-app", [{"Key": "env", "Value": "prod"}])
    assert f"iam:TagRole on resource: arn:aws:iam::{account.account_id}:role/red-app" in raised.value.message
    assert Role.objects.get(name="red-app").tags == [{"Key": "team", "Value": "red"}]


def test_request_tag_condition_applies_to_create_role(iam_user_factory):
    creator = iam_user_factory("creator", policies=[allow("iam:CreateRole", condition={"StringEquals": {"aws:RequestTag/team": "blue"}})])
    services.create_role(caller_for(creator), "tagged", EC2_TRUST, tags=[{"Key": "team", "Value": "blue"}])
    with pytest.raises(AccessDenied):
        services.create_role(caller_for(creator), "untagged", EC2_TRUST)


def test_denied_create_role_records_a_failure_event(iam_user_factory):
    viewer = iam_user_factory("viewer")
    with pytest.raises(AccessDenied):
        services.create_role(caller_for(viewer), "r", EC2_TRUST)
    event = ActivityEvent.objects.get(event_name="CreateRole")
    assert (event.result, event.error_code, event.actor_name) == ("Failure", "AccessDenied", "viewer")


def test_role_tags_reject_the_reserved_aws_prefix(root_caller):
    with pytest.raises(InvalidInput) as raised:
        services.create_role(root_caller, "r", EC2_TRUST, tags=[{"Key": "aws:team", "Value": "x"}])
    assert raised.value.message == "Tag keys starting with 'aws:' are reserved for internal use."


def test_tag_role_needs_at_least_one_tag(root_caller):
    services.create_role(root_caller, "r", EC2_TRUST)
    with pytest.raises(ValidationError):
        services.tag_role(root_caller, "r", [])
