import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_root_key_lists_users_and_creates_one(root_iam):
    created = root_iam.create_user(UserName="alice", Tags=[{"Key": "team", "Value": "red"}])["User"]
    assert created["UserName"] == "alice"
    users = root_iam.list_users()["Users"]
    assert [u["UserName"] for u in users] == ["alice"]
