"""accounts/services/users.py: each operation's success, AWS's errors, quotas, tenancy, authorization."""

from __future__ import annotations

import pytest

from accounts import rules, services
from accounts.errors import (
    AccessDenied,
    DeleteConflict,
    EntityAlreadyExists,
    InvalidInput,
    LimitExceeded,
    NoSuchEntity,
    PasswordPolicyViolation,
    ValidationError,
)
from accounts.models import AccessKey, ActivityEvent, Group, GroupMembership, User
from accounts.principal import Caller
from policies.models import InlinePolicy, ManagedPolicy, PolicyAttachment
from tests.conftest import make_iam_user

GOOD_PASSWORD = "Sup3r-Secret!"


def caller_for(user: User) -> Caller:
    return Caller(account=user.account, user=user)


def allow(actions, resource="*", condition=None):
    statement = {"Effect": "Allow", "Action": actions, "Resource": resource}
    if condition:
        statement["Condition"] = condition
    return {"Version": "2012-10-17", "Statement": [statement]}


# ------------------------------------------------------------------------ CreateUser


def test_create_user_sets_arn_unique_id_login_and_no_console_access(root_caller, account):
    user = services.create_user(root_caller, "carol", path="/eng/", tags=[{"Key": "team", "Value": "blue"}])
    assert user.arn == f"arn:aws:iam::{account.account_id}:user/eng/carol"
    assert user.unique_id.startswith("AIDA") and len(user.unique_id) == 21
    assert user.login == services.iam_login(account, "carol")
    assert user.tags == [{"Key": "team", "Value": "blue"}]
    assert not user.has_login_profile
    assert ActivityEvent.objects.filter(account=account, event_name="CreateUser", result="Success").exists()


def test_create_user_name_is_unique_case_insensitively(root_caller):
    services.create_user(root_caller, "Carol")
    with pytest.raises(EntityAlreadyExists) as error:
        services.create_user(root_caller, "carol")
    assert error.value.message == "User with name carol already exists."


@pytest.mark.parametrize(
    ("name", "constraint"),
    [
        ("", "Member must have length greater than or equal to 1"),
        ("x" * 65, "Member must have length less than or equal to 64"),
        ("bad name", r"Member must satisfy regular expression pattern: [\w+=,.@-]+"),
    ],
)
def test_create_user_rejects_bad_names_in_aws_words(root_caller, name, constraint):
    with pytest.raises(ValidationError) as error:
        services.create_user(root_caller, name)
    assert error.value.message == f"1 validation error detected: Value '{name}' at 'userName' failed to satisfy constraint: {constraint}"


def test_create_user_rejects_a_path_without_slashes(root_caller):
    with pytest.raises(ValidationError, match="at 'path' failed to satisfy constraint"):
        services.create_user(root_caller, "carol", path="eng")


def test_create_user_beyond_the_account_quota_is_limit_exceeded(root_caller, monkeypatch, iam_user_factory):
    monkeypatch.setattr(rules, "MAX_USERS_PER_ACCOUNT", 2)
    iam_user_factory("a")
    services.create_user(root_caller, "b")
    with pytest.raises(LimitExceeded) as error:
        services.create_user(root_caller, "c")
    assert error.value.message == "Cannot exceed quota for UsersPerAccount: 2."
    assert not User.objects.filter(name="c").exists()


def test_create_user_accepts_fifty_tags_and_refuses_fifty_one(root_caller):
    tags = [{"Key": f"k{i}", "Value": "v"} for i in range(50)]
    assert len(services.create_user(root_caller, "fifty", tags=tags).tags) == 50
    with pytest.raises(ValidationError, match="at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50"):
        services.create_user(root_caller, "fiftyone", tags=tags + [{"Key": "k50", "Value": "v"}])


@pytest.mark.parametrize(
    ("tag", "error_type", "text"),
    [
        ({"Key": "k" * 129, "Value": ""}, ValidationError, "Member must have length less than or equal to 128"),
        ({"Key": "k", "Value": "v" * 257}, ValidationError, "Member must have length less than or equal to 256"),
        ({"Key": "bad#key", "Value": ""}, ValidationError, "Member must satisfy regular expression pattern"),
        ({"Key": "aws:team", "Value": "x"}, InvalidInput, "reserved"),
    ],
)
def test_create_user_validates_tags(root_caller, tag, error_type, text):
    with pytest.raises(error_type, match=text):
        services.create_user(root_caller, "tagged", tags=[tag])


def test_duplicate_tag_keys_are_refused_case_insensitively(root_caller):
    with pytest.raises(InvalidInput, match="Duplicate tag keys found"):
        services.create_user(root_caller, "dup", tags=[{"Key": "Team", "Value": "a"}, {"Key": "team", "Value": "b"}])


def test_create_user_with_a_boundary_attaches_it(root_caller, account):
    policy = ManagedPolicy.objects.create(account=account, name="Boundary", document=allow("s3:*"))
    user = services.create_user(root_caller, "bounded", permissions_boundary=policy.arn)
    assert PolicyAttachment.objects.get(user=user).kind == PolicyAttachment.Kind.BOUNDARY


def test_create_user_with_an_unknown_boundary_is_no_such_entity(root_caller, account):
    arn = f"arn:aws:iam::{account.account_id}:policy/Nope"
    with pytest.raises(NoSuchEntity, match=f"Policy {arn} does not exist or is not attachable."):
        services.create_user(root_caller, "bounded", permissions_boundary=arn)
    assert not User.objects.filter(name="bounded").exists()


# -------------------------------------------------------------------- authorization


def test_user_allowed_only_list_and_get_cannot_create(account, iam_user_factory):
    bob = iam_user_factory("bob", policies=[allow(["iam:ListUsers", "iam:GetUser"])])
    caller = caller_for(bob)
    assert [user.name for user in services.list_users(caller)] == ["bob"]
    assert services.get_user(caller, "bob") == bob
    with pytest.raises(AccessDenied) as error:
        services.create_user(caller, "carol")
    assert error.value.message == (
        f"User: arn:aws:iam::{account.account_id}:user/bob is not authorized to perform: iam:CreateUser "
        f"on resource: arn:aws:iam::{account.account_id}:user/carol because no identity-based policy allows the iam:CreateUser action"
    )
    assert not User.objects.filter(name="carol").exists()
    event = ActivityEvent.objects.get(event_name="CreateUser")
    assert event.result == "Failure" and event.error_code == "AccessDenied" and event.explanation


def test_user_without_list_users_permission_is_denied_the_list(iam_user_factory):
    bob = iam_user_factory("bob", policies=[allow("iam:GetUser")])
    with pytest.raises(AccessDenied, match="iam:ListUsers on resource: \\*"):
        services.list_users(caller_for(bob))


def test_self_management_policy_lets_a_user_manage_only_themselves(account, iam_user_factory):
    policy = allow("iam:*", "arn:aws:iam::*:user/${aws:username}")
    alice = iam_user_factory("alice", policies=[policy])
    iam_user_factory("dave")
    caller = caller_for(alice)
    services.tag_user(caller, "alice", [{"Key": "k", "Value": "v"}])
    assert services.list_user_tags(caller, "alice") == [{"Key": "k", "Value": "v"}]
    with pytest.raises(AccessDenied, match="iam:TagUser on resource: arn:aws:iam::\\d+:user/dave"):
        services.tag_user(caller, "dave", [{"Key": "k", "Value": "v"}])
    with pytest.raises(AccessDenied):
        services.get_user(caller, "dave")


def test_resource_tag_condition_limits_which_users_can_be_changed(iam_user_factory):
    manager = iam_user_factory(
        "manager",
        policies=[allow(["iam:TagUser", "iam:UntagUser"], "*", {"StringEquals": {"aws:ResourceTag/team": "blue"}})],
    )
    iam_user_factory("blue1", tags=[{"Key": "team", "Value": "blue"}])
    iam_user_factory("red1", tags=[{"Key": "team", "Value": "red"}])
    caller = caller_for(manager)
    services.tag_user(caller, "blue1", [{"Key": "cost", "Value": "1"}])
    with pytest.raises(AccessDenied):
        services.tag_user(caller, "red1", [{"Key": "cost", "Value": "1"}])
    assert User.objects.get(name="red1").tag_dict() == {"team": "red"}


def test_explicit_deny_wins_over_allow(iam_user_factory):
    admin = iam_user_factory(
        "admin",
        policies=[allow("iam:*"), {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "iam:DeleteUser", "Resource": "*"}]}],
    )
    iam_user_factory("victim", password=None)
    with pytest.raises(AccessDenied, match="with an explicit deny"):
        services.delete_user(caller_for(admin), "victim")
    assert User.objects.filter(name="victim").exists()


def test_tags_on_create_need_tag_user_with_request_tag_context(account, iam_user_factory):
    creator = iam_user_factory(
        "creator",
        policies=[allow("iam:CreateUser"), allow("iam:TagUser", "*", {"StringEquals": {"aws:RequestTag/team": "blue"}})],
    )
    caller = caller_for(creator)
    services.create_user(caller, "ok", tags=[{"Key": "team", "Value": "blue"}])
    with pytest.raises(AccessDenied, match="iam:TagUser"):
        services.create_user(caller, "nope", tags=[{"Key": "team", "Value": "red"}])
    assert not User.objects.filter(name="nope").exists()


def test_unauthorized_caller_cannot_learn_whether_a_user_exists(iam_user_factory):
    bob = iam_user_factory("bob", policies=[allow("iam:ListUsers")])
    with pytest.raises(AccessDenied):
        services.get_user(caller_for(bob), "ghost")


# --------------------------------------------------------------------------- tenancy


def test_another_accounts_user_does_not_exist_here(root_caller, other_root):
    make_iam_user(other_root.account, "stranger")
    for call in (
        lambda: services.get_user(root_caller, "stranger"),
        lambda: services.delete_user(root_caller, "stranger"),
        lambda: services.tag_user(root_caller, "stranger", [{"Key": "a", "Value": "b"}]),
        lambda: services.get_login_profile(root_caller, "stranger"),
        lambda: services.update_user(root_caller, "stranger", new_path="/x/"),
    ):
        with pytest.raises(NoSuchEntity, match="The user with name stranger cannot be found."):
            call()
    assert list(services.list_users(root_caller)) == []
    # The same name is free in this account.
    assert services.create_user(root_caller, "stranger").account == root_caller.account


# ------------------------------------------------------------------ Get / List / Update


def test_get_user_without_name_returns_the_calling_user(iam_user_factory):
    bob = iam_user_factory("bob", policies=[allow("iam:GetUser", "arn:aws:iam::*:user/${aws:username}")])
    assert services.get_user(caller_for(bob)) == bob


def test_list_users_filters_by_path_prefix(root_caller):
    services.create_user(root_caller, "a", path="/eng/")
    services.create_user(root_caller, "b", path="/ops/")
    assert [u.name for u in services.list_users(root_caller, "/eng/")] == ["a"]
    assert [u.name for u in services.list_users(root_caller)] == ["a", "b"]


def test_update_user_renames_and_moves(root_caller, account):
    services.create_user(root_caller, "old")
    user = services.update_user(root_caller, "old", new_user_name="new", new_path="/x/")
    assert user.arn == f"arn:aws:iam::{account.account_id}:user/x/new"
    assert user.login == services.iam_login(account, "new")


def test_update_user_to_a_taken_name_is_entity_already_exists(root_caller):
    services.create_user(root_caller, "a")
    services.create_user(root_caller, "b")
    with pytest.raises(EntityAlreadyExists, match="User with name B already exists."):
        services.update_user(root_caller, "a", new_user_name="B")


def test_update_user_needs_permission_on_the_new_name_too(iam_user_factory):
    editor = iam_user_factory("editor", policies=[allow("iam:UpdateUser", "arn:aws:iam::*:user/team-*")])
    iam_user_factory("team-a")
    services.update_user(caller_for(editor), "team-a", new_user_name="team-b")
    with pytest.raises(AccessDenied, match="user/other"):
        services.update_user(caller_for(editor), "team-b", new_user_name="other")


def test_update_missing_user_is_no_such_entity(root_caller):
    with pytest.raises(NoSuchEntity, match="The user with name ghost cannot be found."):
        services.update_user(root_caller, "ghost", new_path="/x/")


# ------------------------------------------------------------------------- DeleteUser


def test_delete_user_without_attachments_deletes(root_caller):
    services.create_user(root_caller, "gone")
    services.delete_user(root_caller, "gone")
    assert not User.objects.filter(name="gone").exists()


def test_delete_missing_user_is_no_such_entity(root_caller):
    with pytest.raises(NoSuchEntity):
        services.delete_user(root_caller, "ghost")


def _conflict(root_caller, setup):
    user = services.create_user(root_caller, "busy")
    setup(user)
    with pytest.raises(DeleteConflict) as error:
        services.delete_user(root_caller, "busy")
    assert User.objects.filter(name="busy").exists()
    return error.value.message


def test_delete_user_with_login_profile_is_delete_conflict(root_caller):
    message = _conflict(root_caller, lambda u: services.create_login_profile(root_caller, "busy", GOOD_PASSWORD))
    assert message == "Cannot delete entity, must delete login profile first."


def test_delete_user_with_access_keys_is_delete_conflict(root_caller):
    message = _conflict(root_caller, lambda u: AccessKey.objects.create(user=u, access_key_id="AKIAEXAMPLE000000001", secret_encrypted="x"))
    assert message == "Cannot delete entity, must delete access keys first."


def test_delete_user_with_attached_policy_is_delete_conflict(root_caller, account):
    policy = ManagedPolicy.objects.create(account=account, name="P", document=allow("s3:*"))
    message = _conflict(root_caller, lambda u: PolicyAttachment.objects.create(policy=policy, user=u))
    assert message == "Cannot delete entity, must detach all policies first."


def test_delete_user_with_inline_policy_is_delete_conflict(root_caller):
    message = _conflict(root_caller, lambda u: InlinePolicy.objects.create(user=u, name="i", document=allow("s3:*")))
    assert message == "Cannot delete entity, must delete policies first."


def test_delete_user_in_a_group_is_delete_conflict(root_caller, account):
    group = Group.objects.create(account=account, name="devs")
    message = _conflict(root_caller, lambda u: GroupMembership.objects.create(group=group, user=u))
    assert message == "Cannot delete entity, must remove users from group first."


def test_delete_user_console_removes_everything_in_one_go(root_caller, account):
    import json

    policy = ManagedPolicy.objects.create(account=account, name="P", document=json.dumps(allow("s3:*")))
    boundary = ManagedPolicy.objects.create(account=account, name="B", document=json.dumps(allow("s3:*")))
    user = services.create_user(root_caller, "busy", permissions_boundary=boundary.arn)
    services.create_login_profile(root_caller, "busy", GOOD_PASSWORD)
    PolicyAttachment.objects.create(policy=policy, user=user)
    InlinePolicy.objects.create(user=user, name="inline", document=json.dumps(allow("s3:*")))
    GroupMembership.objects.create(group=Group.objects.create(account=account, name="devs"), user=user)
    AccessKey.objects.create(user=user, access_key_id="AKIAEXAMPLE000000001", secret_encrypted="x")
    removed = services.delete_user_console(root_caller, "busy")
    assert not User.objects.filter(name="busy").exists()
    assert "console password" in removed and "inline policy inline" in removed
    assert "group membership devs" in removed and "access key AKIAEXAMPLE000000001" in removed
    assert "attached policy P" in removed and "permissions boundary B" in removed


def test_delete_user_console_rolls_back_when_one_step_is_denied(account, iam_user_factory):
    import json

    admin = iam_user_factory(
        "admin",
        policies=[allow("iam:*"), {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "iam:DeleteUser", "Resource": "*"}]}],
    )
    victim = iam_user_factory("victim")
    InlinePolicy.objects.create(user=victim, name="inline", document=json.dumps(allow("s3:*")))
    with pytest.raises(AccessDenied):
        services.delete_user_console(caller_for(admin), "victim")
    victim.refresh_from_db()
    assert victim.has_login_profile
    assert InlinePolicy.objects.filter(user=victim).exists()
    assert ActivityEvent.objects.filter(event_name="DeleteUser", result="Failure").exists()


# ------------------------------------------------------------------------------- tags


def test_tag_user_merges_and_overwrites_values(root_caller):
    services.create_user(root_caller, "t", tags=[{"Key": "a", "Value": "1"}])
    user = services.tag_user(root_caller, "t", [{"Key": "a", "Value": "2"}, {"Key": "b", "Value": "3"}])
    assert user.tag_dict() == {"a": "2", "b": "3"}


def test_tag_user_beyond_fifty_tags_is_limit_exceeded(root_caller):
    services.create_user(root_caller, "t", tags=[{"Key": f"k{i}", "Value": ""} for i in range(50)])
    with pytest.raises(LimitExceeded):
        services.tag_user(root_caller, "t", [{"Key": "one-more", "Value": ""}])


def test_untag_user_removes_keys(root_caller):
    services.create_user(root_caller, "t", tags=[{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}])
    services.untag_user(root_caller, "t", ["a"])
    assert services.list_user_tags(root_caller, "t") == [{"Key": "b", "Value": "2"}]


def test_untag_user_is_authorized_with_tag_keys_context(iam_user_factory):
    tagger = iam_user_factory(
        "tagger", policies=[allow("iam:UntagUser", "*", {"ForAllValues:StringEquals": {"aws:TagKeys": ["temp"]}})]
    )
    iam_user_factory("t", tags=[{"Key": "temp", "Value": "1"}, {"Key": "team", "Value": "x"}])
    services.untag_user(caller_for(tagger), "t", ["temp"])
    with pytest.raises(AccessDenied):
        services.untag_user(caller_for(tagger), "t", ["team"])


# --------------------------------------------------------------------- login profiles


def test_create_login_profile_enables_console_sign_in(root_caller):
    services.create_user(root_caller, "p")
    user = services.create_login_profile(root_caller, "p", GOOD_PASSWORD, True)
    assert user.check_password(GOOD_PASSWORD) and user.password_reset_required
    assert GOOD_PASSWORD not in user.password
    profile = services.get_login_profile(root_caller, "p")
    assert profile.user_name == "p" and profile.password_reset_required


def test_create_login_profile_twice_is_entity_already_exists(root_caller):
    services.create_user(root_caller, "p")
    services.create_login_profile(root_caller, "p", GOOD_PASSWORD)
    with pytest.raises(EntityAlreadyExists, match="Login Profile for user p already exists."):
        services.create_login_profile(root_caller, "p", GOOD_PASSWORD)


def test_create_login_profile_checks_the_account_password_policy(root_caller):
    services.create_user(root_caller, "p")
    with pytest.raises(PasswordPolicyViolation):
        services.create_login_profile(root_caller, "p", "short")
    assert not User.objects.get(name="p").has_login_profile


def test_login_profile_operations_on_a_user_without_one_are_no_such_entity(root_caller):
    services.create_user(root_caller, "p")
    for call in (
        lambda: services.get_login_profile(root_caller, "p"),
        lambda: services.update_login_profile(root_caller, "p", password=GOOD_PASSWORD),
        lambda: services.delete_login_profile(root_caller, "p"),
    ):
        with pytest.raises(NoSuchEntity, match="Login Profile for User p cannot be found."):
            call()


def test_update_login_profile_changes_password_and_reset_flag(root_caller):
    services.create_user(root_caller, "p")
    services.create_login_profile(root_caller, "p", GOOD_PASSWORD)
    user = services.update_login_profile(root_caller, "p", password="An0ther-Secret!", password_reset_required=True)
    assert user.check_password("An0ther-Secret!") and user.password_reset_required


def test_delete_login_profile_removes_console_access(root_caller):
    services.create_user(root_caller, "p")
    services.create_login_profile(root_caller, "p", GOOD_PASSWORD)
    user = services.delete_login_profile(root_caller, "p")
    assert not user.has_login_profile and user.login_profile_created is None


def test_login_profile_needs_its_own_permission(iam_user_factory):
    helper = iam_user_factory("helper", policies=[allow(["iam:GetUser", "iam:GetLoginProfile"])])
    iam_user_factory("p", password=None)
    with pytest.raises(AccessDenied, match="iam:CreateLoginProfile"):
        services.create_login_profile(caller_for(helper), "p", GOOD_PASSWORD)


# ------------------------------------------------------------- the wizard's composite


def test_create_user_console_with_console_access_returns_the_password_once(root_caller):
    created = services.create_user_console(
        root_caller, services.users.NewUserSpec(user_name="w", console_access=True, password_reset_required=False)
    )
    assert created.password and created.user.check_password(created.password)


def test_create_user_console_failure_leaves_no_half_created_user(root_caller):
    spec = services.users.NewUserSpec(user_name="w", console_access=True, autogenerate_password=False, custom_password="x")
    with pytest.raises(PasswordPolicyViolation):
        services.create_user_console(root_caller, spec)
    assert not User.objects.filter(name="w").exists()
    assert ActivityEvent.objects.filter(event_name="CreateUser", result="Failure").exists()


def test_delete_user_with_an_assigned_mfa_device_is_delete_conflict(root_caller):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    message = _conflict(root_caller, lambda u: TOTPDevice.objects.create(user=u, name="phone", confirmed=True))
    assert message == "Cannot delete entity, must delete MFA device first."


def test_delete_user_console_deactivates_and_deletes_mfa_devices(root_caller):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = services.create_user(root_caller, "busy")
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    removed = services.delete_user_console(root_caller, "busy")
    assert removed == ["MFA device phone"]
    assert not TOTPDevice.objects.filter(name="phone").exists()
    assert ActivityEvent.objects.filter(event_name="DeactivateMFADevice", result="Success").exists()
