"""A missing group on a user's page (or a missing user on a group's page) is an error shown on
that page, not a missing page, whatever the missing name contains."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts import services
from tests.conftest import make_iam_user

pytestmark = pytest.mark.django_db


def test_adding_a_user_to_a_missing_group_named_like_a_user_flashes_the_error(root_client, account):
    make_iam_user(account, "carol")
    response = root_client.post(reverse("users:groups_add", args=["carol"]), {"group": ["user-admins"]}, follow=True)
    assert response.status_code == 200
    assert "The group with name user-admins cannot be found." in response.content.decode()


def test_adding_a_missing_user_named_like_a_group_to_a_group_flashes_the_error(root_client, root_caller):
    services.create_group(root_caller, "Developers")
    response = root_client.post(reverse("groups:add_users", args=["Developers"]), {"users": ["group-bot"]}, follow=True)
    assert response.status_code == 200
    assert "The user with name group-bot cannot be found." in response.content.decode()


def test_adding_a_missing_user_to_an_existing_group_is_not_found(root_client, root_caller):
    services.create_group(root_caller, "Developers")
    assert root_client.post(reverse("users:groups_add", args=["nobody"]), {"group": ["Developers"]}).status_code == 404
