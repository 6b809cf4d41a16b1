"""Group operations: AWS's rules, messages, quotas, tenancy and authorization."""

from __future__ import annotations

import pytest

from accounts import rules, services
from accounts.errors import AccessDenied, DeleteConflict, EntityAlreadyExists, LimitExceeded, NoSuchEntity, ValidationError
from accounts.models import ActivityEvent, Group, GroupMembership
from accounts.principal import Caller
from policies.models import InlinePolicy, ManagedPolicy, PolicyAttachment
from tests.conftest import make_iam_user

ALLOW_ALL_GROUP_READS = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": ["iam:GetGroup", "iam:ListGroups"], "Resource": "*"}]}


def caller_for(user) -> Caller:
    return Caller(account=user.account, user=user)


def test_create_group_returns_group_with_aws_arn_and_id(root_caller, account):
    group = services.create_group(root_caller, "Developers", path="/eng/")
    assert group.arn == f"arn:aws:iam::{account.account_id}:group/eng/Developers"
    assert group.unique_id.startswith("AGPA") and len(group.unique_id) == 21
    assert ActivityEvent.objects.filter(account=account, event_name="CreateGroup", result="Success").exists()


def test_create_group_name_is_unique_ignoring_case(root_caller):
    services.create_group(root_caller, "Admins")
    with pytest.raises(EntityAlreadyExists) as raised:
        services.create_group(root_caller, "ADMINS")
    assert raised.value.message == "Group with name ADMINS already exists."


@pytest.mark.parametrize("name, constraint", [
    ("", "Member must have length greater than or equal to 1"),
    ("x" * 129, "Member must have length less than or equal to 128"),
    ("bad name", "Member must satisfy regular expression pattern: [\\w+=,.@-]+"),
])
def test_create_group_rejects_invalid_names_with_aws_wording(root_caller, name, constraint):
    with pytest.raises(ValidationError) as raised:
        services.create_group(root_caller, name)
    assert raised.value.message == f"1 validation error detected: Value '{name}' at 'groupName' failed to satisfy constraint: {constraint}"


def test_create_group_accepts_128_character_name(root_caller):
    assert services.create_group(root_caller, "g" * 128).name == "g" * 128


def test_create_group_quota_is_300_per_account(root_caller, account):
    Group.objects.bulk_create([Group(account=account, name=f"g{i}") for i in range(rules.MAX_GROUPS_PER_ACCOUNT)])
    with pytest.raises(LimitExceeded) as raised:
        services.create_group(root_caller, "one-too-many")
    assert raised.value.message == "Cannot exceed quota for GroupsPerAccount: 300"


def test_get_group_returns_group_and_members(root_caller, iam_user_factory):
    services.create_group(root_caller, "Ops")
    iam_user_factory("zed")
    iam_user_factory("amy")
    services.add_user_to_group(root_caller, "Ops", "zed")
    services.add_user_to_group(root_caller, "ops", "amy")
    group, users = services.get_group(root_caller, "OPS")
    assert group.name == "Ops"
    assert [user.name for user in users] == ["amy", "zed"]


def test_get_group_unknown_is_no_such_entity(root_caller):
    with pytest.raises(NoSuchEntity) as raised:
        services.get_group(root_caller, "ghost")
    assert raised.value.message == "The group with name ghost cannot be found."


def test_another_accounts_group_does_not_exist_here(root_caller, other_root):
    other = Caller(account=other_root.account, user=other_root)
    services.create_group(other, "Secret")
    with pytest.raises(NoSuchEntity):
        services.get_group(root_caller, "Secret")
    with pytest.raises(NoSuchEntity):
        services.delete_group(root_caller, "Secret")
    assert list(services.list_groups(root_caller)) == []
    # The same name is free in this account.
    assert services.create_group(root_caller, "Secret").account == root_caller.account


def test_list_groups_filters_by_path_prefix_and_counts_members(root_caller, iam_user_factory):
    services.create_group(root_caller, "a", path="/team/")
    services.create_group(root_caller, "b")
    iam_user_factory("u1")
    services.add_user_to_group(root_caller, "a", "u1")
    groups = list(services.list_groups(root_caller, path_prefix="/team/"))
    assert [group.name for group in groups] == ["a"]
    assert groups[0].user_count == 1


def test_update_group_renames_and_moves(root_caller, account):
    services.create_group(root_caller, "old")
    group = services.update_group(root_caller, "old", new_group_name="new", new_path="/x/")
    assert (group.name, group.path) == ("new", "/x/")
    assert group.arn.endswith(":group/x/new")


def test_update_group_to_existing_name_is_entity_already_exists(root_caller):
    services.create_group(root_caller, "one")
    services.create_group(root_caller, "two")
    with pytest.raises(EntityAlreadyExists) as raised:
        services.update_group(root_caller, "one", new_group_name="TWO")
    assert raised.value.message == "Group with name TWO already exists."


def test_delete_group_with_members_is_delete_conflict(root_caller, iam_user_factory):
    services.create_group(root_caller, "g")
    iam_user_factory("bob")
    services.add_user_to_group(root_caller, "g", "bob")
    with pytest.raises(DeleteConflict) as raised:
        services.delete_group(root_caller, "g")
    assert raised.value.message == "Cannot delete entity, must remove users from group first."


def test_delete_group_with_attached_policy_is_delete_conflict(root_caller, account):
    group = services.create_group(root_caller, "g")
    policy = ManagedPolicy.objects.create(account=account, name="p", document='{"Version":"2012-10-17","Statement":[]}')
    PolicyAttachment.objects.create(policy=policy, group=group)
    with pytest.raises(DeleteConflict) as raised:
        services.delete_group(root_caller, "g")
    assert raised.value.message == "Cannot delete entity, must detach all policies first."


def test_delete_group_with_inline_policy_is_delete_conflict(root_caller):
    group = services.create_group(root_caller, "g")
    InlinePolicy.objects.create(group=group, name="inline", document="{}")
    with pytest.raises(DeleteConflict) as raised:
        services.delete_group(root_caller, "g")
    assert raised.value.message == "Cannot delete entity, must delete policies first."


def test_delete_empty_group(root_caller):
    services.create_group(root_caller, "g")
    services.delete_group(root_caller, "G")
    assert not Group.objects.exists()


def test_add_user_to_group_is_idempotent(root_caller, iam_user_factory):
    services.create_group(root_caller, "g")
    iam_user_factory("bob")
    services.add_user_to_group(root_caller, "g", "bob")
    services.add_user_to_group(root_caller, "g", "bob")
    assert GroupMembership.objects.count() == 1


def test_user_can_be_in_at_most_10_groups(root_caller, iam_user_factory):
    iam_user_factory("bob")
    for index in range(10):
        services.create_group(root_caller, f"g{index}")
        services.add_user_to_group(root_caller, f"g{index}", "bob")
    services.create_group(root_caller, "g10")
    with pytest.raises(LimitExceeded) as raised:
        services.add_user_to_group(root_caller, "g10", "bob")
    assert raised.value.message == "Cannot exceed quota for GroupsPerUser: 10"
    assert GroupMembership.objects.filter(user__name="bob").count() == 10


def test_add_unknown_user_is_no_such_entity(root_caller):
    services.create_group(root_caller, "g")
    with pytest.raises(NoSuchEntity) as raised:
        services.add_user_to_group(root_caller, "g", "nobody")
    assert raised.value.message == "The user with name nobody cannot be found."


def test_another_accounts_user_cannot_join_a_group(root_caller, other_root):
    services.create_group(root_caller, "g")
    make_iam_user(other_root.account, "stranger")
    with pytest.raises(NoSuchEntity):
        services.add_user_to_group(root_caller, "g", "stranger")


def test_remove_user_from_group(root_caller, iam_user_factory):
    services.create_group(root_caller, "g")
    iam_user_factory("bob")
    services.add_user_to_group(root_caller, "g", "bob")
    services.remove_user_from_group(root_caller, "g", "bob")
    assert not GroupMembership.objects.exists()
    with pytest.raises(NoSuchEntity):
        services.remove_user_from_group(root_caller, "g", "bob")


def test_list_groups_for_user(root_caller, iam_user_factory):
    iam_user_factory("bob")
    for name in ("b", "a", "c"):
        services.create_group(root_caller, name)
    services.add_user_to_group(root_caller, "a", "bob")
    services.add_user_to_group(root_caller, "c", "bob")
    assert [group.name for group in services.list_groups_for_user(root_caller, "bob")] == ["a", "c"]


def test_iam_user_without_permission_gets_access_denied_with_aws_message(account, iam_user_factory):
    alice = iam_user_factory("alice", policies=[ALLOW_ALL_GROUP_READS])
    with pytest.raises(AccessDenied) as raised:
        services.create_group(caller_for(alice), "NewGroup")
    assert raised.value.message == (
        f"User: {alice.arn} is not authorized to perform: iam:CreateGroup on resource: "
        f"arn:aws:iam::{account.account_id}:group/NewGroup because no identity-based policy allows the iam:CreateGroup action"
    )
    assert not Group.objects.exists()
    event = ActivityEvent.objects.get(event_name="CreateGroup")
    assert (event.result, event.error_code) == ("Failure", "AccessDenied")


def test_add_user_to_group_is_authorized_on_the_group_arn(account, iam_user_factory, root_caller):
    services.create_group(root_caller, "allowed")
    services.create_group(root_caller, "other")
    iam_user_factory("bob")
    policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:AddUserToGroup",
                                                      "Resource": f"arn:aws:iam::{account.account_id}:group/allowed"}]}
    alice = iam_user_factory("alice", policies=[policy])
    services.add_user_to_group(caller_for(alice), "allowed", "bob")
    with pytest.raises(AccessDenied):
        services.add_user_to_group(caller_for(alice), "other", "bob")


def test_list_groups_for_user_is_authorized_on_the_user_arn(account, iam_user_factory):
    iam_user_factory("bob")
    policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:ListGroupsForUser",
                                                      "Resource": f"arn:aws:iam::{account.account_id}:user/alice"}]}
    alice = iam_user_factory("alice", policies=[policy])
    assert services.list_groups_for_user(caller_for(alice), "alice") == []
    with pytest.raises(AccessDenied) as raised:
        services.list_groups_for_user(caller_for(alice), "bob")
    assert f"on resource: arn:aws:iam::{account.account_id}:user/bob" in raised.value.message


def test_console_create_group_is_all_or_nothing(root_caller, iam_user_factory):
    iam_user_factory("bob")
    with pytest.raises(NoSuchEntity):
        services.create_group_with_permissions(root_caller, "g", user_names=["bob", "ghost"])
    assert not Group.objects.exists()
    assert not GroupMembership.objects.exists()


def test_update_group_needs_permission_on_the_new_name_too(account, root_caller, iam_user_factory):
    services.create_group(root_caller, "old")
    policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:UpdateGroup",
                                                      "Resource": f"arn:aws:iam::{account.account_id}:group/old"}]}
    alice = iam_user_factory("alice", policies=[policy])
    with pytest.raises(AccessDenied) as raised:
        services.update_group(caller_for(alice), "old", new_group_name="new")
    assert f"on resource: arn:aws:iam::{account.account_id}:group/new" in raised.value.message
    assert Group.objects.get().name == "old"
