"""The Permissions tab of a user (rendered by the users page from policies' include):
attach through the picker, policies through a group, inline policy, htmx remove, boundary."""

from __future__ import annotations

import json

from playwright.sync_api import expect

from accounts import services
from accounts.models import Group, GroupMembership
from accounts.principal import Caller
from policies import services as policy_services
from policies.management.commands.load_aws_managed_policies import load, moto_policy_data
from policies.models import InlinePolicy, PolicyAttachment
from tests.conftest import ROOT_PASSWORD, make_iam_user

S3_READ = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}


def test_user_permissions_tab_attach_inline_remove_and_boundary(live_server, page, screenshot):
    root = services.create_account("owner@example.com", "Training", ROOT_PASSWORD)
    account = root.account
    data = moto_policy_data()
    load({name: data[name] for name in ("ReadOnlyAccess", "IAMReadOnlyAccess", "PowerUserAccess", "ViewOnlyAccess")})
    alice = make_iam_user(account, "alice")
    devs = Group.objects.create(account=account, name="devs")
    GroupMembership.objects.create(group=devs, user=alice)
    policy_services.attach_group_policy(Caller.system_for(account), "devs", "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess")

    page.goto(f"{live_server.url}/signin/")
    page.get_by_test_id("type-root").check()
    page.get_by_test_id("email").fill("owner@example.com")
    page.get_by_test_id("password").fill(ROOT_PASSWORD)
    page.get_by_test_id("sign-in").click()

    page.goto(f"{live_server.url}/iam/users/details/alice/?tab=permissions")
    tab = page.get_by_test_id("permissions-tab")
    expect(tab.get_by_test_id("permission-row")).to_have_count(1)
    expect(tab.get_by_test_id("permission-attached-via")).to_have_text("Group devs")

    # Add permissions -> Attach policies: filter the picker, select one, attach.
    page.get_by_test_id("add-permissions").locator("summary").click()
    page.get_by_test_id("attach-policies-link").click()
    page.get_by_test_id("table-search").fill("IAMRead")
    expect(page.get_by_test_id("picker-row")).to_have_count(1)
    page.get_by_test_id("select-IAMReadOnlyAccess").check()
    page.get_by_test_id("picker-submit").click()
    expect(page.get_by_test_id("permissions-tab").get_by_test_id("permission-row")).to_have_count(2)

    # Create inline policy.
    page.get_by_test_id("add-permissions").locator("summary").click()
    page.get_by_test_id("create-inline-link").click()
    page.get_by_test_id("policy-name").fill("ReadObjects")
    page.get_by_test_id("policy-json").fill(json.dumps(S3_READ, indent=2))
    page.get_by_test_id("save-inline").click()
    rows = page.get_by_test_id("permissions-tab").get_by_test_id("permission-row")
    expect(rows).to_have_count(3)
    expect(page.locator('[data-policy-name="ReadObjects"] [data-testid="permission-type"]')).to_have_text("Customer inline")
    assert InlinePolicy.objects.filter(user=alice, name="ReadObjects").exists()

    # Set a permissions boundary.
    page.get_by_test_id("set-boundary").click()
    page.get_by_test_id("table-search").fill("PowerUser")
    expect(page.get_by_test_id("picker-row")).to_have_count(1)
    page.get_by_test_id("select-PowerUserAccess").check()
    page.get_by_test_id("picker-submit").click()
    expect(page.get_by_test_id("boundary-policy-link")).to_have_text("PowerUserAccess")
    screenshot("policies-user-permissions-tab")

    # Remove the attached managed policy in place (htmx; the confirm dialog is accepted).
    page.on("dialog", lambda dialog: dialog.accept())
    page.locator('[data-policy-name="IAMReadOnlyAccess"] [data-testid="remove-policy"]').click()
    expect(page.get_by_test_id("permissions-tab").get_by_test_id("permission-row")).to_have_count(2)
    expect(page.get_by_test_id("permissions-tab").get_by_test_id("flash-success")).to_contain_text("IAMReadOnlyAccess removed")
    assert not PolicyAttachment.objects.filter(user=alice, policy__name="IAMReadOnlyAccess").exists()

    # The Policies list: types, "Used as" with counts, filter by type in place (htmx).
    page.goto(f"{live_server.url}/iam/policies/")
    expect(page.get_by_test_id("policy-row")).to_have_count(4)
    expect(page.locator('[data-testid="policy-row"]', has_text="PowerUserAccess").get_by_test_id("used-as")).to_have_text(
        "Permissions boundary (1)")
    page.get_by_test_id("filter-type").select_option("job_function")
    expect(page.get_by_test_id("policy-row")).to_have_count(1)
    expect(page.get_by_test_id("policy-row")).to_contain_text("ViewOnlyAccess")
    expect(page.get_by_test_id("policy-count")).to_have_text("(1)")
    screenshot("policies-list")
