"""Test access (policy simulator) in Chromium: a denied action in Principal mode, with the
deciding statement highlighted."""

from __future__ import annotations

import json

from playwright.sync_api import expect

from policies.models import ManagedPolicy, PolicyAttachment
from tests.browser.test_editor_browser import sign_in_root
from tests.conftest import make_iam_user


def test_simulate_denied_action_in_principal_mode_highlights_the_deciding_statement(live_server, page, screenshot):
    sign_in_root(page, live_server)
    from accounts.models import Account

    account = Account.objects.get()
    bob = make_iam_user(account, "bob", policies=[{"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}])
    deny = ManagedPolicy.objects.create(account=account, name="NoDeletes", document=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Sid": "DenyDeletes", "Effect": "Deny", "Action": "s3:Delete*", "Resource": "*"}]}))
    PolicyAttachment.objects.create(user=bob, policy=deny)

    page.goto(f"{live_server.url}/iam/")
    page.get_by_role("link", name="Policy simulator").click()
    expect(page.locator("h1")).to_have_text("Policy simulator")
    page.get_by_test_id("principal-select").select_option(bob.arn)
    expect(page.get_by_test_id("principal-policy")).to_have_count(2)
    page.get_by_test_id("service-select").select_option("s3")
    page.get_by_test_id("action-filter").fill("deleteobject")
    page.locator('input[name="action"][value="s3:DeleteObject"]').check()
    page.get_by_test_id("action-filter").fill("")
    page.locator('input[name="action"][value="s3:GetObject"]').check()
    page.get_by_test_id("run-simulation").click()

    denied = page.locator('[data-testid="result-row"][data-action="s3:DeleteObject"]')
    expect(denied).to_have_attribute("data-decision", "explicitDeny")
    expect(page.locator('[data-testid="result-row"][data-action="s3:GetObject"]')).to_have_attribute("data-decision", "allowed")
    denied.get_by_test_id("result-link").click()
    highlighted = page.get_by_test_id("highlighted-line")
    expect(highlighted.first).to_be_visible()
    expect(page.get_by_test_id("result-detail")).to_contain_text("DenyDeletes")
    assert any("DenyDeletes" in t for t in highlighted.all_inner_texts())
    expect(page.get_by_test_id("decision-steps")).to_contain_text("explicitDeny")
    screenshot("simulator-principal-denied")

    # The URL is shareable: opening it again shows the same results.
    page.goto(page.url)
    expect(page.locator('[data-testid="result-row"][data-action="s3:DeleteObject"]')).to_have_attribute("data-decision", "explicitDeny")
