"""The dashboard's Security recommendations: each open item links to its fix and disappears once fixed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import AccessKey, User
from tests.conftest import client_for, make_iam_user

from .conftest import enrol

pytestmark = pytest.mark.django_db


def keys_of(account):
    return [item.key for item in services.security_recommendations(account)]


def test_root_mfa_recommendation_disappears_once_fixed(root_caller, account, root_client):
    assert keys_of(account) == ["root-mfa"]
    page = root_client.get(reverse("accounts:dashboard")).content.decode()
    assert 'data-testid="recommendation-root-mfa"' in page
    assert reverse("credentials:my_security_credentials") in page
    enrol(root_caller, "root-phone")
    assert keys_of(account) == []
    assert 'data-testid="recommendations-none"' in root_client.get(reverse("accounts:dashboard")).content.decode()


def test_root_access_keys_are_flagged_while_active(root_caller, account):
    enrol(root_caller, "root-phone")
    key, _ = services.create_access_key(root_caller)
    assert keys_of(account) == ["root-keys"]
    services.update_access_key(root_caller, key.access_key_id, "Inactive")
    assert keys_of(account) == []


def test_iam_users_without_mfa(root_caller, account):
    enrol(root_caller, "root-phone")
    make_iam_user(account, "alice")
    make_iam_user(account, "api-only", password=None)  # no console access: not counted
    items = services.security_recommendations(account)
    assert [item.key for item in items] == ["users-mfa"] and items[0].title.startswith("1 IAM user ")
    enrol(root_caller, "alice-phone", "alice")
    assert keys_of(account) == []


def test_old_keys_and_unused_passwords(root_caller, account):
    enrol(root_caller, "root-phone")
    alice = make_iam_user(account, "alice")
    enrol(root_caller, "alice-phone", "alice")
    key, _ = services.create_access_key(root_caller, "alice")
    old = timezone.now() - timedelta(days=91)
    AccessKey.objects.filter(pk=key.pk).update(created=old)
    User.objects.filter(pk=alice.pk).update(password_last_used=old)
    assert keys_of(account) == ["keys-unrotated", "passwords-unused"]
    services.delete_access_key(root_caller, key.access_key_id, "alice")
    User.objects.filter(pk=alice.pk).update(password_last_used=timezone.now())
    assert keys_of(account) == []


def test_hidden_for_a_user_who_may_not_read_the_account_summary(account):
    bob = make_iam_user(account, "bob")
    page = client_for(bob).get(reverse("accounts:dashboard")).content.decode()
    assert 'data-testid="security-recommendations"' not in page


def test_recommendations_are_hidden_from_a_user_without_get_account_summary(account):
    from django.urls import reverse

    from tests.conftest import client_for, make_iam_user

    html = client_for(make_iam_user(account, "nobody")).get(reverse("accounts:dashboard")).content.decode()
    assert "is not authorized to perform: iam:GetAccountSummary" in html
    assert "Add MFA for root user" not in html
