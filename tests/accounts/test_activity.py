"""The Activity page: every operation, allowed or denied, with who, what, result and why."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts import services
from accounts.errors import AccessDenied
from accounts.models import ActivityEvent
from accounts.principal import Caller
from tests.conftest import client_for, make_iam_user

pytestmark = pytest.mark.django_db


def test_activity_lists_events_newest_first_with_denials(root_client, root_caller, account):
    services.create_account_alias(root_caller, "first-alias")
    bob = make_iam_user(account, "bob")
    with pytest.raises(AccessDenied):
        services.delete_account_alias(Caller(account=account, user=bob), "first-alias")
    html = root_client.get(reverse("accounts:activity")).content.decode()
    assert html.index("DeleteAccountAlias") < html.index("CreateAccountAlias")
    assert "AccessDenied" in html and "bob" in html


def test_activity_filters_by_result_event_and_user(root_client, root_caller, account):
    services.create_account_alias(root_caller, "first-alias")
    bob = make_iam_user(account, "bob")
    with pytest.raises(AccessDenied):
        services.create_account_alias(Caller(account=account, user=bob), "other")
    html = root_client.get(reverse("accounts:activity"), {"result": "Failure"}).content.decode()
    assert html.count('data-testid="event-row"') == 1
    html = root_client.get(reverse("accounts:activity"), {"event_name": "createaccountalias", "user": "bob"}).content.decode()
    assert html.count('data-testid="event-row"') == 1
    fragment = root_client.get(reverse("accounts:activity"), {"result": "Success"}, HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith('<div id="events">')


def test_activity_never_shows_another_accounts_events(root_client, other_root):
    services.create_account_alias(Caller(account=other_root.account, user=other_root), "secret-alias")
    html = root_client.get(reverse("accounts:activity")).content.decode()
    assert "secret-alias" not in html and other_root.account.account_id not in html


def test_activity_needs_lookup_events_permission(account):
    bob = make_iam_user(account, "bob")
    html = client_for(bob).get(reverse("accounts:activity")).content.decode()
    assert "is not authorized to perform: cloudtrail:LookupEvents" in html
    assert 'data-testid="events-table"' not in html


def test_activity_page_query_count_is_constant(root_client, account, django_assert_max_num_queries):
    ActivityEvent.objects.bulk_create(
        ActivityEvent(account=account, event_name="GetUser", result="Success", actor_name="x") for _ in range(500)
    )
    with django_assert_max_num_queries(8):
        assert root_client.get(reverse("accounts:activity")).status_code == 200
