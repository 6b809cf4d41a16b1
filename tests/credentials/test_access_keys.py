"""Access keys: at most two per user (inactive ones count), AKIA IDs, 40-character secrets kept
encrypted, activate/deactivate/delete, last used (docs: id_credentials_access-keys.html)."""

from __future__ import annotations

import re

import pytest
from django.db import connection

from accounts import services
from accounts.crypto import decrypt_secret, encrypt_text
from accounts.errors import AccessDenied, LimitExceeded, NoSuchEntity, ValidationError
from accounts.models import AccessKey, ActivityEvent
from accounts.principal import Caller
from tests.conftest import make_iam_user

pytestmark = pytest.mark.django_db


def test_created_key_has_aws_formats_and_is_active(root_caller, account):
    make_iam_user(account, "bob")
    key, secret = services.create_access_key(root_caller, "bob")
    assert re.fullmatch(r"AKIA[A-Z0-9]{16}", key.access_key_id)
    assert re.fullmatch(r"[A-Za-z0-9/+]{40}", secret)
    assert key.status == "Active" and key.user.name == "bob"
    assert ActivityEvent.objects.filter(event_name="CreateAccessKey", result="Success").exists()


def test_secret_is_stored_encrypted_never_in_plain_text(root_caller, account):
    make_iam_user(account, "bob")
    key, secret = services.create_access_key(root_caller, "bob")
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_accesskey")
        stored = " ".join(str(value) for row in cursor.fetchall() for value in row)
    assert secret not in stored
    assert decrypt_secret(AccessKey.objects.get(pk=key.pk)) == secret


def test_encryption_key_comes_from_settings(settings, root_caller, account):
    make_iam_user(account, "bob")
    key, secret = services.create_access_key(root_caller, "bob")
    settings.ACCESS_KEY_ENCRYPTION_KEY = "another deployment's key"
    with pytest.raises(ValueError):
        decrypt_secret(key)
    token = encrypt_text("plain")
    settings.ACCESS_KEY_ENCRYPTION_KEY = "rotated key,another deployment's key"
    assert decrypt_secret(type("K", (), {"secret_encrypted": token})()) == "plain"


def test_at_most_two_keys_and_inactive_ones_count(root_caller, account):
    make_iam_user(account, "bob")
    first, _ = services.create_access_key(root_caller, "bob")
    services.create_access_key(root_caller, "bob")
    services.update_access_key(root_caller, first.access_key_id, "Inactive", "bob")
    with pytest.raises(LimitExceeded, match="Cannot exceed quota for AccessKeysPerUser: 2"):
        services.create_access_key(root_caller, "bob")
    assert AccessKey.objects.count() == 2


def test_activate_deactivate_delete(root_caller, account):
    make_iam_user(account, "bob")
    key, _ = services.create_access_key(root_caller, "bob")
    assert services.update_access_key(root_caller, key.access_key_id, "Inactive", "bob").status == "Inactive"
    assert services.update_access_key(root_caller, key.access_key_id, "Active", "bob").status == "Active"
    with pytest.raises(ValidationError, match="enum value set"):
        services.update_access_key(root_caller, key.access_key_id, "Paused", "bob")
    services.delete_access_key(root_caller, key.access_key_id, "bob")
    assert services.list_access_keys(root_caller, "bob") == []
    with pytest.raises(NoSuchEntity, match=f"The Access Key with id {key.access_key_id} cannot be found"):
        services.delete_access_key(root_caller, key.access_key_id, "bob")


def test_root_has_its_own_keys(root_caller):
    key, _ = services.create_access_key(root_caller)
    assert key.user == root_caller.user
    assert [k.access_key_id for k in services.list_access_keys(root_caller)] == [key.access_key_id]


def test_last_used_is_recorded_for_the_api(root_caller, account):
    make_iam_user(account, "bob")
    key, _ = services.create_access_key(root_caller, "bob")
    assert services.get_access_key_last_used(root_caller, key.access_key_id).last_used_date is None
    services.record_access_key_use(key, "s3", "eu-west-1")
    used = services.get_access_key_last_used(root_caller, key.access_key_id)
    assert (used.last_used_service, used.last_used_region) == ("s3", "eu-west-1") and used.last_used_date


def test_another_accounts_key_does_not_exist_here(root_caller, account, other_root):
    other = Caller(account=other_root.account, user=other_root)
    theirs, _ = services.create_access_key(other)
    with pytest.raises(NoSuchEntity):
        services.get_access_key_last_used(root_caller, theirs.access_key_id)
    with pytest.raises(NoSuchEntity):
        services.delete_access_key(root_caller, theirs.access_key_id)
    with pytest.raises(NoSuchEntity, match="The user with name ghost cannot be found."):
        services.create_access_key(root_caller, "ghost")
    assert AccessKey.objects.filter(pk=theirs.pk).exists()


def test_iam_user_without_permission_is_denied_with_aws_message(account):
    bob = make_iam_user(account, "bob")
    caller = Caller(account=account, user=bob)
    with pytest.raises(AccessDenied) as denied:
        services.create_access_key(caller)
    assert denied.value.message == (
        f"User: {bob.arn} is not authorized to perform: iam:CreateAccessKey on resource: {bob.arn} "
        "because no identity-based policy allows the iam:CreateAccessKey action"
    )
    assert not AccessKey.objects.exists()


def test_self_service_policy_on_own_user_arn(account):
    policy = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Action": ["iam:CreateAccessKey", "iam:ListAccessKeys", "iam:UpdateAccessKey", "iam:DeleteAccessKey"],
        "Resource": "arn:aws:iam::*:user/${aws:username}"}]}
    bob = make_iam_user(account, "bob", policies=[policy])
    make_iam_user(account, "erin")
    caller = Caller(account=account, user=bob)
    key, _ = services.create_access_key(caller)
    services.update_access_key(caller, key.access_key_id, "Inactive")
    with pytest.raises(AccessDenied, match="iam:CreateAccessKey"):
        services.create_access_key(caller, "erin")
