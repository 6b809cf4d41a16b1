"""Account settings -> Password policy and the credential report, in the browser."""

from __future__ import annotations

from playwright.sync_api import expect

from accounts.models import PasswordPolicy
from tests.conftest import ROOT_PASSWORD, make_iam_user


def sign_in_as_root(page, live_server):
    page.goto(live_server.url + "/signin/")
    page.get_by_test_id("type-root").check()
    page.get_by_test_id("email").fill("owner@example.com")
    page.get_by_test_id("password").fill(ROOT_PASSWORD)
    page.get_by_test_id("sign-in").click()
    expect(page.get_by_role("heading", name="IAM Dashboard")).to_be_visible()


def test_edit_password_policy_and_read_the_credential_report(live_server, page, screenshot, root_user, account):
    make_iam_user(account, "alice")
    sign_in_as_root(page, live_server)
    expect(page.get_by_test_id("security-recommendations")).to_be_visible()
    screenshot("credentials-dashboard-recommendations")

    page.get_by_role("link", name="Account settings").click()
    expect(page.get_by_test_id("policy-kind")).to_contain_text("default password policy")
    page.get_by_test_id("password-policy-edit").click()
    page.get_by_test_id("mode-custom").check()
    page.get_by_test_id("min-length").fill("14")
    page.get_by_test_id("require-symbols").check()
    page.get_by_test_id("expire").check()
    page.get_by_test_id("max-age").fill("90")
    page.get_by_test_id("prevent-reuse").check()
    page.get_by_test_id("reuse-count").fill("24")
    screenshot("credentials-password-policy-edit")
    page.get_by_test_id("policy-save").click()
    expect(page.get_by_test_id("flash-success")).to_contain_text("Password policy updated.")
    expect(page.get_by_test_id("policy-rules")).to_contain_text("Password minimum length: 14 characters")
    expect(page.get_by_test_id("policy-rules")).to_contain_text("Remember last 24 password(s)")
    policy = PasswordPolicy.objects.get(account=account)
    assert (policy.minimum_password_length, policy.max_password_age, policy.password_reuse_prevention) == (14, 90, 24)

    page.get_by_role("link", name="Credential report").click()
    expect(page.get_by_test_id("report-none")).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_test_id("report-download").click()
    assert download_info.value.suggested_filename.startswith("status_reports_")
    page.get_by_test_id("report-generate").click()
    expect(page.get_by_test_id("report-row")).to_have_count(2)
    expect(page.get_by_test_id("report-table")).to_contain_text("<root_account>")
    screenshot("credentials-report")
