"""Sign up, sign out, sign in as root and as an IAM user, in headless Chromium."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from accounts.models import Account
from tests.conftest import USER_PASSWORD, make_iam_user

ROOT_PASSWORD = "Browser-Passw0rd!"


def test_sign_up_sign_out_and_sign_in_again_as_root(live_server, page, screenshot):
    page.goto(live_server.url + "/signin/")
    page.get_by_test_id("signup-link").click()
    page.get_by_test_id("email").fill("learner@example.com")
    page.get_by_test_id("account-name").fill("My training account")
    page.get_by_test_id("password").fill(ROOT_PASSWORD)
    page.get_by_test_id("confirm-password").fill(ROOT_PASSWORD)
    page.get_by_test_id("create-account").click()

    expect(page.get_by_role("heading", name="IAM Dashboard")).to_be_visible()
    account_id = Account.objects.get().account_id
    expect(page.get_by_test_id("dashboard-account-id")).to_have_text(account_id)
    expect(page.get_by_test_id("count-users")).to_have_text("0")
    page.get_by_test_id("alias-edit").click()
    page.get_by_test_id("alias-input").fill("my-training-lab")
    page.get_by_test_id("alias-save").click()
    expect(page.get_by_test_id("dashboard-alias")).to_have_text("my-training-lab")
    expect(page.get_by_test_id("signin-url")).to_contain_text("/signin/my-training-lab/")
    screenshot("dashboard")

    page.get_by_test_id("account-menu").click()
    expect(page.get_by_test_id("principal-label")).to_have_text("root user")
    page.get_by_test_id("sign-out").click()
    expect(page.get_by_test_id("signin-form")).to_be_visible()

    page.get_by_test_id("type-root").check()
    page.get_by_test_id("email").fill("learner@example.com")
    page.get_by_test_id("password").fill("Wrong-Passw0rd!")
    page.get_by_test_id("sign-in").click()
    expect(page.get_by_test_id("signin-error")).to_have_text("Your authentication information is incorrect. Please try again.")
    page.get_by_test_id("password").fill(ROOT_PASSWORD)
    page.get_by_test_id("sign-in").click()
    expect(page.get_by_role("heading", name="IAM Dashboard")).to_be_visible()


def test_iam_user_signs_in_through_the_account_sign_in_url(live_server, page, screenshot, account):
    make_iam_user(account, "alice")
    page.goto(f"{live_server.url}/signin/{account.account_id}/")
    expect(page.get_by_test_id("account")).to_have_value(account.account_id)
    page.get_by_test_id("user-name").fill("alice")
    page.get_by_test_id("password").fill(USER_PASSWORD)
    page.get_by_test_id("sign-in").click()
    expect(page.get_by_role("heading", name="IAM Dashboard")).to_be_visible()
    # alice has no policies: the resource counters are denied, with AWS's message.
    expect(page.get_by_test_id("access-denied-message")).to_contain_text(
        re.compile(r"User: arn:aws:iam::\d{12}:user/alice is not authorized to perform: iam:GetAccountSummary")
    )
    page.get_by_test_id("account-menu").click()
    expect(page.get_by_test_id("principal-label")).to_have_text("IAM user: alice")
    screenshot("dashboard-iam-user")
