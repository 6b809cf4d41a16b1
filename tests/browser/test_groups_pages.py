"""User groups in Chromium: create a group with a member and a policy, then add and remove
users in place (htmx) on the Users tab, then delete the group by typing its name."""

from __future__ import annotations

import json

from playwright.sync_api import expect

from accounts import services
from accounts.models import Group, GroupMembership
from policies.models import ManagedPolicy
from tests.conftest import ROOT_PASSWORD, make_iam_user

READ_ONLY = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:Get*"], "Resource": "*"}]}


def test_create_group_then_manage_members_in_place(live_server, page, screenshot):
    root = services.create_account("owner@example.com", "Training", ROOT_PASSWORD)
    account = root.account
    for name in ("alice", "bob", "carol"):
        make_iam_user(account, name)
    ManagedPolicy.objects.create(account=None, name="AmazonS3ReadOnlyAccess", document=json.dumps(READ_ONLY))

    page.goto(f"{live_server.url}/signin/")
    page.get_by_test_id("type-root").check()
    page.get_by_test_id("email").fill("owner@example.com")
    page.get_by_test_id("password").fill(ROOT_PASSWORD)
    page.get_by_test_id("sign-in").click()

    page.goto(f"{live_server.url}/iam/groups/")
    page.get_by_test_id("create-group").click()
    expect(page.locator("h1")).to_have_text("Create user group")
    page.get_by_test_id("group-name").fill("Developers")
    page.get_by_test_id("add-user-alice").check()
    page.get_by_test_id("policy-search").fill("S3Read")
    page.get_by_test_id("attach-AmazonS3ReadOnlyAccess").check()
    page.get_by_test_id("create-group-submit").click()

    expect(page.get_by_test_id("group-title")).to_have_text("Developers")
    expect(page.get_by_test_id("member-row")).to_have_count(1)

    # Add bob in place: the Users tab is swapped by htmx, the page is not reloaded.
    page.evaluate("window.__marker = 'same page'")
    page.get_by_test_id("add-users").click()
    page.get_by_test_id("add-select-bob").check()
    page.get_by_test_id("add-users-submit").click()
    expect(page.get_by_test_id("member-row")).to_have_count(2)
    expect(page.locator("#group-tab").get_by_test_id("flash-success")).to_contain_text("bob added to this group.")
    assert page.evaluate("window.__marker") == "same page"
    screenshot("groups-detail-users")

    page.get_by_test_id("remove-select-alice").check()
    page.get_by_test_id("remove-users").click()
    expect(page.get_by_test_id("member-row")).to_have_count(1)
    assert list(GroupMembership.objects.values_list("user__name", flat=True)) == ["bob"]

    page.get_by_test_id("tab-permissions").click()
    expect(page.get_by_test_id("permissions-tab")).to_contain_text("AmazonS3ReadOnlyAccess")

    page.goto(f"{live_server.url}/iam/groups/")
    expect(page.get_by_test_id("user-count")).to_have_text("1")
    screenshot("groups-list")
    page.get_by_test_id("select-Developers").check()
    page.get_by_test_id("delete-button").click()
    page.get_by_test_id("confirm-input").fill("Developers")
    page.get_by_test_id("confirm-delete-button").click()
    expect(page.get_by_test_id("flash-success")).to_contain_text("User group Developers deleted.")
    assert not Group.objects.exists()
