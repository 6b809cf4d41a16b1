"""Root user MFA in the browser: enrol by reading the secret from the page (as a learner would
type it into an authenticator), sign out, sign in again with a code computed from that secret."""

from __future__ import annotations

import base64

from django_otp.oath import totp
from playwright.sync_api import expect

from tests.conftest import ROOT_PASSWORD


def key_from(secret: str) -> bytes:
    return base64.b32decode(secret + "=" * (-len(secret) % 8))


def code(key: bytes, offset: int = 0) -> str:
    return f"{totp(key, drift=offset):06d}"


def sign_in_as_root(page, live_server):
    page.goto(live_server.url + "/signin/")
    page.get_by_test_id("type-root").check()
    page.get_by_test_id("email").fill("owner@example.com")
    page.get_by_test_id("password").fill(ROOT_PASSWORD)
    page.get_by_test_id("sign-in").click()


def test_root_enrols_mfa_signs_out_and_signs_in_with_a_code(live_server, page, screenshot, root_user):
    sign_in_as_root(page, live_server)
    expect(page.get_by_test_id("recommendation-root-mfa")).to_be_visible()
    page.get_by_test_id("account-menu").click()
    page.get_by_test_id("security-credentials-link").click()
    expect(page.get_by_test_id("mfa-empty")).to_be_visible()

    page.get_by_test_id("assign-mfa").click()
    page.get_by_test_id("mfa-device-name").fill("root-phone")
    page.get_by_test_id("mfa-next").click()
    expect(page.get_by_test_id("mfa-qr").locator("svg")).to_be_visible()
    page.get_by_test_id("mfa-show-secret").locator("summary").click()
    key = key_from(page.get_by_test_id("mfa-secret").inner_text().strip())
    screenshot("credentials-mfa-setup")
    page.get_by_test_id("mfa-code1").fill(code(key, -1))
    page.get_by_test_id("mfa-code2").fill(code(key, 0))
    page.get_by_test_id("mfa-add").click()

    expect(page.get_by_test_id("flash-success")).to_contain_text("MFA device assigned")
    expect(page.get_by_test_id("mfa-serial")).to_have_text(f"arn:aws:iam::{root_user.account.account_id}:mfa/root-phone")
    screenshot("credentials-mfa-assigned")

    page.get_by_test_id("account-menu").click()
    page.get_by_test_id("sign-out").click()
    sign_in_as_root(page, live_server)
    expect(page.get_by_test_id("mfa-signin-form")).to_be_visible()
    page.get_by_test_id("mfa-code").fill("000000")
    page.get_by_test_id("mfa-submit").click()
    expect(page.get_by_test_id("mfa-signin-error")).to_have_text("Your authentication information is incorrect. Please try again.")
    screenshot("credentials-mfa-signin")
    # django-otp's back-off after the wrong code: one second.
    page.wait_for_timeout(1100)
    page.get_by_test_id("mfa-code").fill(code(key, 1))
    page.get_by_test_id("mfa-submit").click()
    expect(page.get_by_role("heading", name="IAM Dashboard")).to_be_visible()
    expect(page.get_by_test_id("recommendation-root-mfa")).to_have_count(0)
