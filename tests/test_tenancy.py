"""Tenancy: one account never sees or touches another's data by changing names or ARNs in a URL.

Account B owns a user, a group, a role and a customer managed policy, all named like things
account A might probe for. A's root user (allowed everything in its own account) gets 404 for
every B page and every B action, and nothing of B's leaks into A's responses or changes.
"""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from accounts import services
from accounts.models import Group, Role, User
from accounts.principal import Caller
from policies.models import ManagedPolicy
from policies.services import create_policy

pytestmark = pytest.mark.django_db

SECRET = "b-only-secret"
TRUST = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
DOC = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}]})


@pytest.fixture
def other_account_entities(other_root):
    caller = Caller(account=other_root.account, user=other_root)
    services.create_user(caller, SECRET, tags=[{"Key": "owner", "Value": "account-b"}])
    services.create_group(caller, SECRET)
    services.create_role(caller, SECRET, TRUST)
    policy = create_policy(caller, SECRET, DOC)
    return other_root.account, policy.arn


def b_urls(policy_arn: str) -> list[tuple[str, str]]:
    return [
        ("get", reverse("users:detail", args=[SECRET])),
        ("get", reverse("groups:detail", args=[SECRET])),
        ("get", reverse("roles:detail", args=[SECRET])),
        ("get", reverse("policies:detail", args=[policy_arn])),
        ("get", reverse("policies:permissions_tab", args=["user", SECRET])),
        ("get", reverse("credentials:user_credentials_fragment", args=[SECRET])),
        ("post", reverse("users:delete", args=[SECRET])),
        ("post", reverse("groups:delete_one", args=[SECRET])),
        ("post", reverse("roles:delete_one", args=[SECRET])),
        ("post", reverse("policies:delete", args=[policy_arn])),
        ("post", reverse("users:tags", args=[SECRET])),
    ]


def test_other_accounts_pages_are_not_found_and_leak_nothing(root_client, other_account_entities):
    account_b, policy_arn = other_account_entities
    for method, url in b_urls(policy_arn):
        data = {"confirm": SECRET, "key": "x", "value": "y"} if method == "post" else None
        response = getattr(root_client, method)(url, data) if data else root_client.get(url)
        body = response.content.decode()
        assert response.status_code in (302, 404), (url, response.status_code)
        assert account_b.account_id not in body, url
        if response.status_code == 302:
            followed = root_client.get(response["Location"]).content.decode()
            assert account_b.account_id not in followed and "account-b" not in followed, url
    # Nothing of B's changed.
    assert User.objects.filter(account=account_b, name=SECRET).exists()
    assert Group.objects.filter(account=account_b, name=SECRET).exists()
    assert Role.objects.filter(account=account_b, name=SECRET).exists()
    assert ManagedPolicy.objects.filter(account=account_b, name=SECRET).exists()


def test_lists_show_only_the_accounts_own_entities(root_client, other_account_entities):
    account_b, _ = other_account_entities
    for url in (reverse("users:list"), reverse("groups:list"), reverse("roles:list"), reverse("policies:list") + "?q=" + SECRET):
        body = root_client.get(url).content.decode()
        assert f">{SECRET}<" not in body and account_b.account_id not in body, url


def test_services_treat_another_accounts_entities_as_missing(root_caller, other_account_entities):
    from accounts.errors import NoSuchEntity
    from policies.services import get_policy

    _, policy_arn = other_account_entities
    for call in (
        lambda: services.get_user(root_caller, SECRET),
        lambda: services.get_group(root_caller, SECRET),
        lambda: services.get_role(root_caller, SECRET),
        lambda: get_policy(root_caller, policy_arn),
        lambda: services.add_user_to_group(root_caller, SECRET, SECRET),
    ):
        with pytest.raises(NoSuchEntity):
            call()
