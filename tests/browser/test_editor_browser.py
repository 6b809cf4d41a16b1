"""The policy editor in Chromium: Ace with live findings, and the visual editor saving a policy."""

from __future__ import annotations

import json

from playwright.sync_api import expect

from accounts import services
from policies.models import ManagedPolicy
from tests.conftest import ROOT_PASSWORD


def sign_in_root(page, live_server):
    services.create_account("owner@example.com", "Training", ROOT_PASSWORD)
    page.goto(f"{live_server.url}/signin/")
    page.get_by_test_id("type-root").check()
    page.get_by_test_id("email").fill("owner@example.com")
    page.get_by_test_id("password").fill(ROOT_PASSWORD)
    page.get_by_test_id("sign-in").click()
    expect(page.get_by_test_id("account-menu")).to_be_visible()


def test_misspelt_action_finding_appears_at_its_line_and_moves_the_cursor(live_server, page, screenshot):
    sign_in_root(page, live_server)
    page.goto(f"{live_server.url}/iam/editor/json/")
    ace = page.get_by_test_id("ace-editor")
    expect(ace).to_be_visible()
    ace.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    text = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetObjekt"], "Resource": "*"}]}, indent=2)
    page.keyboard.insert_text(text)
    line = next(i for i, x in enumerate(text.splitlines(), 1) if "GetObjekt" in x)
    finding = page.locator('[data-testid="editor-finding"][data-code="INVALID_ACTION"]')
    expect(finding).to_have_count(1)
    expect(finding).to_have_attribute("data-line", str(line))
    expect(finding).to_contain_text("Did you mean s3:GetObject?")
    expect(page.get_by_test_id("char-count")).to_contain_text("of 6144 characters")
    finding.get_by_test_id("finding-goto").click()
    row = page.evaluate("window.PolicyEditor.last.getCursorPosition().row")
    assert row == line - 1
    screenshot("editor-misspelt-action")

    # Completion of action names comes from the catalog.
    page.keyboard.press("End")
    page.keyboard.insert_text(" ")
    page.keyboard.type("sqs:SendMe", delay=60)
    page.keyboard.press("Control+Space")  # opens the list if live completion closed it meanwhile
    page.wait_for_function("""() => { const c = window.PolicyEditor.last.completer;
        return c && c.completions && c.completions.filtered.some(x => x.value === "sqs:SendMessage"); }""")
    expect(page.locator(".ace_autocomplete")).to_be_visible()


def test_build_a_policy_in_the_visual_editor_and_save_it(live_server, page, screenshot):
    sign_in_root(page, live_server)
    page.goto(f"{live_server.url}/iam/editor/visual/")
    expect(page.get_by_test_id("visual-mode")).to_be_visible()
    page.get_by_test_id("visual-service-0").select_option("sqs")
    expect(page.get_by_test_id("level-write")).to_be_visible()
    page.get_by_test_id("visual-filter-0").fill("sendmessage")
    page.get_by_test_id("visual-action-SendMessage").check()
    expect(page.get_by_test_id("visual-json-preview")).to_contain_text("sqs:SendMessage")
    page.get_by_test_id("visual-specific-0").check()
    expect(page.get_by_test_id("arn-builder-queue")).to_be_visible()
    page.get_by_test_id("arn-queue-QueueName").fill("orders")
    page.get_by_test_id("add-arn-queue").click()
    expect(page.get_by_test_id("visual-arns-0")).to_have_value("arn:aws:sqs:*:*:orders")
    # Switching to JSON and back keeps the policy.
    page.get_by_test_id("mode-json").click()
    expect(page.get_by_test_id("ace-editor")).to_contain_text("sqs:SendMessage")
    assert page.url.endswith("/iam/editor/visual/")  # swapped in place by htmx, no navigation
    page.get_by_test_id("mode-visual").click()
    expect(page.get_by_test_id("visual-action-SendMessage")).to_be_checked()
    # A field without its own request (Effect), then straight to Next: the JSON follows.
    page.get_by_test_id("cond-key-0").fill("aws:SecureTransport")
    page.get_by_test_id("cond-op-0").fill("Bool")
    page.get_by_test_id("cond-value-0").fill("true")
    screenshot("editor-visual")
    page.get_by_test_id("editor-next").click()
    expect(page.locator("h1")).to_have_text("Review and create")
    page.get_by_test_id("policy-name").fill("SendOrders")
    page.get_by_test_id("create").click()
    expect(page.get_by_test_id("policy-name")).to_have_text("SendOrders")
    saved = json.loads(ManagedPolicy.objects.get(name="SendOrders").document)
    assert saved["Statement"] == [{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:*:*:orders",
                                   "Condition": {"Bool": {"aws:SecureTransport": "true"}}}]
