"""Customer managed policy end to end in Chromium: create from JSON, attach to a user from the
policy's Entities attached tab, edit to create v2, see the Policy versions tab."""

from __future__ import annotations

import json

from playwright.sync_api import expect

from accounts import services
from policies.models import ManagedPolicy, PolicyAttachment
from tests.conftest import ROOT_PASSWORD, make_iam_user

S3_READ = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": "*"}]}
EC2_DESCRIBE = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ec2:Describe*", "Resource": "*"}]}


def test_create_attach_edit_policy_and_see_versions(live_server, page, screenshot):
    root = services.create_account("owner@example.com", "Training", ROOT_PASSWORD)
    account = root.account
    make_iam_user(account, "alice")

    page.goto(f"{live_server.url}/signin/")
    page.get_by_test_id("type-root").check()
    page.get_by_test_id("email").fill("owner@example.com")
    page.get_by_test_id("password").fill(ROOT_PASSWORD)
    page.get_by_test_id("sign-in").click()

    page.goto(f"{live_server.url}/iam/policies/")
    page.get_by_test_id("create-policy").click()
    expect(page.locator("h1")).to_have_text("Specify permissions")

    # A syntax error shows an Error finding (live, via htmx) and blocks the next step.
    editor = page.get_by_test_id("policy-json")
    editor.fill('{"Version": "2012-10-17", "Statement": [')
    expect(page.locator('[data-testid="editor-finding"][data-severity="ERROR"]').first).to_be_visible()
    page.get_by_test_id("next").click()
    expect(page.get_by_test_id("blocked")).to_be_visible()

    page.get_by_test_id("policy-json").fill(json.dumps(S3_READ, indent=2))
    expect(page.locator('[data-testid="editor-finding"][data-severity="ERROR"]')).to_have_count(0)
    screenshot("policies-create-json")
    page.get_by_test_id("next").click()
    expect(page.locator("h1")).to_have_text("Review and create")
    expect(page.get_by_test_id("policy-summary")).to_contain_text("s3:GetObject")
    page.get_by_test_id("policy-name").fill("S3ReadForAlice")
    page.get_by_test_id("policy-description").fill("Read objects")
    page.get_by_test_id("create").click()

    expect(page.get_by_test_id("policy-name")).to_have_text("S3ReadForAlice")
    expect(page.get_by_test_id("policy-type")).to_have_text("Customer managed")
    expect(page.get_by_test_id("flash-success")).to_contain_text("Policy S3ReadForAlice created.")
    expect(page.get_by_test_id("policy-summary")).to_contain_text("S3")
    screenshot("policies-detail-permissions")

    # Entities attached -> Attach -> alice.
    page.get_by_test_id("tab-entities").click()
    expect(page.get_by_test_id("entities-table")).to_contain_text("No entities attached")
    page.get_by_test_id("attach-entities").click()
    page.get_by_test_id("select-user-alice").check()
    page.get_by_test_id("attach-policy").click()
    expect(page.get_by_test_id("entities-table")).to_contain_text("alice")
    expect(page.get_by_test_id("entities-table")).to_contain_text("Permissions policy")
    policy = ManagedPolicy.objects.get(account=account, name="S3ReadForAlice")
    assert PolicyAttachment.objects.filter(policy=policy, user__name="alice").exists()
    screenshot("policies-entities-attached")

    # Edit -> a new version v2, set as default.
    page.get_by_test_id("edit-policy").click()
    page.get_by_test_id("policy-json").fill(json.dumps(EC2_DESCRIBE, indent=2))
    page.get_by_test_id("save-changes").click()
    expect(page.get_by_test_id("policy-tab-versions")).to_be_visible()
    rows = page.get_by_test_id("version-row")
    expect(rows).to_have_count(2)
    expect(page.locator('[data-testid="version-row"][data-version="v2"]')).to_contain_text("Default")
    expect(page.get_by_test_id("default-version")).to_have_text("v2")
    screenshot("policies-versions")

    # The Policies list shows it as a customer managed permissions policy.
    page.goto(f"{live_server.url}/iam/policies/?type=customer")
    expect(page.get_by_test_id("policy-row")).to_have_count(1)
    expect(page.get_by_test_id("used-as")).to_have_text("Permissions policy (1)")
    policy.refresh_from_db()
    assert policy.default_version_id == "v2" and json.loads(policy.document) == EC2_DESCRIBE
