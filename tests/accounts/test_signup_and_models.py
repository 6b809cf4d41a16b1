"""Accounts, root users and IAM users: the rules AWS applies to them."""

from __future__ import annotations

import re

import pytest
from django.db import IntegrityError

from accounts import services
from accounts.errors import EntityAlreadyExists, PasswordPolicyViolation, ValidationError
from accounts.models import Account, ActivityEvent, User, new_account_id, new_unique_id
from tests.conftest import ROOT_PASSWORD, make_iam_user

pytestmark = pytest.mark.django_db


def test_sign_up_creates_account_with_12_digit_id_and_root_user():
    root = services.create_account("Owner@Example.com", "Training", ROOT_PASSWORD)
    assert re.fullmatch(r"[1-9]\d{11}", root.account.account_id)
    assert root.is_root and root.email == "Owner@Example.com"
    assert root.arn == f"arn:aws:iam::{root.account.account_id}:root"
    assert root.check_password(ROOT_PASSWORD)
    assert root.password != ROOT_PASSWORD  # stored hashed


def test_sign_up_rejects_an_email_already_used_by_another_account():
    services.create_account("owner@example.com", "One", ROOT_PASSWORD)
    with pytest.raises(EntityAlreadyExists):
        services.create_account("OWNER@example.com", "Two", ROOT_PASSWORD)
    assert Account.objects.count() == 1


def test_sign_up_with_a_weak_password_creates_nothing():
    with pytest.raises(PasswordPolicyViolation, match="at least three of the following"):
        services.create_account("owner@example.com", "Training", "alllowercase")
    assert Account.objects.count() == 0
    assert User.objects.count() == 0


def test_sign_up_password_cannot_equal_the_email():
    with pytest.raises(PasswordPolicyViolation, match="identical to your AWS account name or email"):
        services.create_account("Ab1@example.com", "Training", "Ab1@example.com")


@pytest.mark.parametrize("email", ["", "not-an-email"])
def test_sign_up_requires_an_email(email):
    with pytest.raises(ValidationError):
        services.create_account(email, "Training", ROOT_PASSWORD)


def test_sign_up_records_an_event():
    root = services.create_account("owner@example.com", "Training", ROOT_PASSWORD)
    assert ActivityEvent.objects.filter(account=root.account, event_name="CreateAccount").exists()


def test_ids_have_aws_shapes():
    assert re.fullmatch(r"\d{12}", new_account_id())
    assert re.fullmatch(r"AIDA[A-Z2-7]{17}", new_unique_id("AIDA"))


def test_iam_user_names_are_unique_case_insensitively_within_an_account(account, other_root):
    make_iam_user(account, "Alice")
    make_iam_user(other_root.account, "alice")  # another account may use the name
    with pytest.raises(IntegrityError):
        make_iam_user(account, "ALICE")


def test_iam_user_arn_includes_the_path(account):
    user = make_iam_user(account, "bob")
    user.path = "/engineering/"
    assert user.arn == f"arn:aws:iam::{account.account_id}:user/engineering/bob"


def test_operator_is_not_an_aws_principal(db):
    operator = User.objects.create_superuser("admin", "x")
    assert not operator.is_principal
    assert operator.arn == ""
