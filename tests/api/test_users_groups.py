"""Users, login profiles, groups and tags through boto3, with AWS's errors and paging."""

import pytest
from botocore.exceptions import ClientError

pytestmark = pytest.mark.django_db(transaction=True)


def error_of(excinfo):
    error = excinfo.value.response["Error"]
    return error["Code"], error["Message"], excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"]


def test_user_lifecycle_tags_and_aws_errors(root_iam):
    user = root_iam.create_user(UserName="alice", Path="/staff/", Tags=[{"Key": "team", "Value": "red"}])["User"]
    assert user["Arn"].endswith(":user/staff/alice") and user["UserId"].startswith("AIDA")
    assert user["Tags"] == [{"Key": "team", "Value": "red"}]
    got = root_iam.get_user(UserName="alice")["User"]
    assert got["Path"] == "/staff/" and got["CreateDate"].tzinfo is not None

    with pytest.raises(ClientError) as exc:
        root_iam.create_user(UserName="alice")
    assert error_of(exc) == ("EntityAlreadyExists", "User with name alice already exists.", 409)
    with pytest.raises(ClientError) as exc:
        root_iam.get_user(UserName="nobody")
    assert error_of(exc) == ("NoSuchEntity", "The user with name nobody cannot be found.", 404)
    with pytest.raises(ClientError) as exc:
        root_iam.create_user(UserName="bad name!")
    assert exc.value.response["Error"]["Code"] == "ValidationError"

    root_iam.tag_user(UserName="alice", Tags=[{"Key": "env", "Value": "lab"}])
    assert {t["Key"] for t in root_iam.list_user_tags(UserName="alice")["Tags"]} == {"team", "env"}
    root_iam.untag_user(UserName="alice", TagKeys=["team"])
    assert root_iam.list_user_tags(UserName="alice")["Tags"] == [{"Key": "env", "Value": "lab"}]

    root_iam.update_user(UserName="alice", NewUserName="alicia")
    assert root_iam.get_user(UserName="alicia")["User"]["UserName"] == "alicia"
    root_iam.delete_user(UserName="alicia")
    assert root_iam.list_users()["Users"] == []


def test_get_user_without_name_is_the_caller_root(root_iam, sandbox):
    root, _key, _secret = sandbox
    me = root_iam.get_user()["User"]
    assert me["Arn"] == f"arn:aws:iam::{root.account.account_id}:root"
    assert me["UserId"] == root.account.account_id


def test_list_users_pages_with_marker_and_max_items(root_iam):
    for name in ("u1", "u2", "u3"):
        root_iam.create_user(UserName=name)
    first = root_iam.list_users(MaxItems=2)
    assert [u["UserName"] for u in first["Users"]] == ["u1", "u2"]
    assert first["IsTruncated"] is True and first["Marker"]
    second = root_iam.list_users(MaxItems=2, Marker=first["Marker"])
    assert [u["UserName"] for u in second["Users"]] == ["u3"] and second["IsTruncated"] is False
    paginated = [u["UserName"] for page in root_iam.get_paginator("list_users").paginate(PaginationConfig={"PageSize": 1})
                 for u in page["Users"]]
    assert paginated == ["u1", "u2", "u3"]


def test_login_profile_lifecycle(root_iam):
    root_iam.create_user(UserName="bob")
    profile = root_iam.create_login_profile(UserName="bob", Password="Str0ng-Passw0rd!", PasswordResetRequired=True)
    assert profile["LoginProfile"]["PasswordResetRequired"] is True
    assert root_iam.get_login_profile(UserName="bob")["LoginProfile"]["UserName"] == "bob"
    with pytest.raises(ClientError) as exc:
        root_iam.create_login_profile(UserName="bob", Password="Str0ng-Passw0rd!")
    assert error_of(exc)[0] == "EntityAlreadyExists"
    root_iam.update_login_profile(UserName="bob", PasswordResetRequired=False)
    root_iam.delete_login_profile(UserName="bob")
    with pytest.raises(ClientError) as exc:
        root_iam.get_login_profile(UserName="bob")
    assert error_of(exc)[0] == "NoSuchEntity"


def test_groups_membership_and_errors(root_iam):
    group = root_iam.create_group(GroupName="devs")["Group"]
    assert group["GroupId"].startswith("AGPA")
    root_iam.create_user(UserName="carol")
    root_iam.add_user_to_group(GroupName="devs", UserName="carol")
    got = root_iam.get_group(GroupName="devs")
    assert [u["UserName"] for u in got["Users"]] == ["carol"] and got["IsTruncated"] is False
    assert [g["GroupName"] for g in root_iam.list_groups_for_user(UserName="carol")["Groups"]] == ["devs"]
    with pytest.raises(ClientError) as exc:
        root_iam.delete_group(GroupName="devs")
    assert error_of(exc)[0] == "DeleteConflict"
    with pytest.raises(ClientError) as exc:
        root_iam.create_group(GroupName="devs")
    assert error_of(exc)[0] == "EntityAlreadyExists"
    root_iam.remove_user_from_group(GroupName="devs", UserName="carol")
    root_iam.update_group(GroupName="devs", NewGroupName="developers")
    assert [g["GroupName"] for g in root_iam.list_groups()["Groups"]] == ["developers"]
    root_iam.delete_group(GroupName="developers")
    with pytest.raises(ClientError) as exc:
        root_iam.get_group(GroupName="developers")
    assert error_of(exc)[:2] == ("NoSuchEntity", "The group with name developers cannot be found.")


def test_another_accounts_keys_see_nothing_of_this_account(root_iam, sandbox, make_client):
    from accounts import services
    from accounts.principal import Caller

    from ..conftest import ROOT_PASSWORD

    root_iam.create_user(UserName="private")
    other = services.create_account("other-lab@example.com", "Other", ROOT_PASSWORD)
    key, secret = services.create_access_key(Caller(account=other.account, user=other))
    other_iam = make_client("iam", key.access_key_id, secret)
    assert other_iam.list_users()["Users"] == []
    with pytest.raises(ClientError) as exc:
        other_iam.get_user(UserName="private")
    assert error_of(exc)[:2] == ("NoSuchEntity", "The user with name private cannot be found.")
