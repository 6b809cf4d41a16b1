"""The create-user wizard end to end in Chromium, then the new user's first sign-in."""

from __future__ import annotations

import json

from playwright.sync_api import expect

from accounts import services
from accounts.models import User
from accounts.principal import Caller
from policies.models import ManagedPolicy, PolicyAttachment
from tests.conftest import ROOT_PASSWORD

NEW_PASSWORD = "Carol-Passw0rd!"
CHANGED_PASSWORD = "Carol-Changed9!"

# AWS's IAMUserChangePassword managed policy document.
CHANGE_PASSWORD_DOCUMENT = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Action": ["iam:ChangePassword"], "Resource": ["arn:aws:iam::*:user/${aws:username}"]},
        {"Effect": "Allow", "Action": ["iam:GetAccountPasswordPolicy"], "Resource": "*"},
    ],
}


def test_create_user_wizard_then_first_sign_in_forces_a_password_change(live_server, page, screenshot, tmp_path):
    root = services.create_account("owner@example.com", "Training", ROOT_PASSWORD)
    account = root.account
    services.create_group(Caller.system_for(account), "Developers")
    change_password = ManagedPolicy.objects.create(
        account=None, name="IAMUserChangePassword", path="/", document=json.dumps(CHANGE_PASSWORD_DOCUMENT)
    )

    # The root user signs in.
    page.goto(f"{live_server.url}/signin/")
    page.get_by_test_id("type-root").check()
    page.get_by_test_id("email").fill("owner@example.com")
    page.get_by_test_id("password").fill(ROOT_PASSWORD)
    page.get_by_test_id("sign-in").click()

    # Users list -> Create user.
    page.goto(f"{live_server.url}/iam/users/")
    page.get_by_test_id("create-user").click()

    # Step 1: Specify user details.
    expect(page.locator("h1")).to_have_text("Specify user details")
    page.get_by_test_id("user-name-input").fill("carol")
    page.get_by_test_id("console-access-checkbox").check()
    page.get_by_test_id("password-custom").check()
    page.get_by_test_id("custom-password-input").fill(NEW_PASSWORD)
    expect(page.get_by_test_id("password-reset-checkbox")).to_be_checked()
    screenshot("users-wizard-1-details")
    page.get_by_test_id("wizard-next").click()

    # Step 2: Set permissions: add the user to a group.
    expect(page.locator("h1")).to_have_text("Set permissions")
    page.get_by_test_id("option-policies").check()
    expect(page.get_by_test_id("groups-section")).to_be_hidden()
    expect(page.get_by_test_id("policies-section")).to_be_visible()
    page.get_by_test_id("option-groups").check()
    expect(page.get_by_test_id("policies-section")).to_be_hidden()
    page.get_by_test_id("group-checkbox").first.check()
    screenshot("users-wizard-2-permissions")
    page.get_by_test_id("wizard-next").click()

    # Step 3: Review and create, with a tag.
    expect(page.locator("h1")).to_have_text("Review and create")
    expect(page.get_by_test_id("review-user-name")).to_have_text("carol")
    expect(page.get_by_test_id("review-change-password")).to_be_visible()
    page.get_by_test_id("add-tag").click()
    page.get_by_test_id("tag-key").first.fill("team")
    page.get_by_test_id("tag-value").first.fill("blue")
    screenshot("users-wizard-3-review")
    page.get_by_test_id("create-user-submit").click()

    # Step 4: Retrieve password.
    expect(page.locator("h1")).to_have_text("Retrieve password")
    signin_url = f"{live_server.url}/signin/{account.account_id}/"
    expect(page.get_by_test_id("retrieve-signin-url")).to_have_text(signin_url)
    expect(page.get_by_test_id("retrieve-user-name")).to_have_text("carol")
    expect(page.get_by_test_id("retrieve-password")).not_to_be_visible()
    page.get_by_test_id("show-password").locator("summary").click()
    expect(page.get_by_test_id("retrieve-password")).to_have_text(NEW_PASSWORD)
    screenshot("users-wizard-4-retrieve")
    with page.expect_download() as download_info:
        page.get_by_test_id("download-csv").click()
    target = tmp_path / "credentials.csv"
    download_info.value.save_as(target)
    assert target.read_text().splitlines() == ["User name,Password,Console sign-in URL", f"carol,{NEW_PASSWORD},{signin_url}"]

    carol = User.objects.get(account=account, name="carol")
    assert carol.tag_dict() == {"team": "blue"}
    assert carol.password_reset_required
    assert list(carol.iam_groups.values_list("name", flat=True)) == ["Developers"]
    assert PolicyAttachment.objects.filter(user=carol, policy=change_password).exists()

    # Leaving the page: the user list shows carol; the password cannot be shown again.
    page.get_by_test_id("return-to-users").click()
    expect(page.locator('[data-user-name="carol"] [data-testid="user-groups"]')).to_have_text("Developers")
    screenshot("users-list")
    page.goto(f"{live_server.url}/iam/users/create/retrieve-password/")
    expect(page.locator("h1")).not_to_have_text("Retrieve password")

    # carol signs in at the account's sign-in URL and must change her password first.
    page.get_by_test_id("account-menu").click()
    page.get_by_test_id("sign-out").click()
    page.goto(signin_url)
    page.get_by_test_id("user-name").fill("carol")
    page.get_by_test_id("password").fill(NEW_PASSWORD)
    page.get_by_test_id("sign-in").click()
    expect(page.locator("h1")).to_have_text("Change password")
    page.goto(f"{live_server.url}/iam/users/")
    expect(page.locator("h1")).to_have_text("Change password")
    page.get_by_test_id("old-password").fill(NEW_PASSWORD)
    page.get_by_test_id("new-password").fill(CHANGED_PASSWORD)
    page.get_by_test_id("confirm-password").fill(CHANGED_PASSWORD)
    page.get_by_test_id("change-password").click()
    expect(page.get_by_test_id("principal-label")).to_have_text("IAM user: carol")
    carol.refresh_from_db()
    assert not carol.password_reset_required and carol.check_password(CHANGED_PASSWORD)


def test_user_detail_tabs_switch_in_place_and_delete_with_typed_name(live_server, page, screenshot):
    root = services.create_account("owner@example.com", "Training", ROOT_PASSWORD)
    caller = Caller.system_for(root.account)
    services.create_user(caller, "dave", tags=[{"Key": "team", "Value": "red"}])
    services.create_login_profile(caller, "dave", NEW_PASSWORD)

    page.goto(f"{live_server.url}/signin/")
    page.get_by_test_id("type-root").check()
    page.get_by_test_id("email").fill("owner@example.com")
    page.get_by_test_id("password").fill(ROOT_PASSWORD)
    page.get_by_test_id("sign-in").click()
    page.goto(f"{live_server.url}/iam/users/details/dave/")
    expect(page.get_by_test_id("user-arn")).to_have_text(f"arn:aws:iam::{root.account.account_id}:user/dave")
    page.get_by_test_id("tab-tags").click()
    expect(page.get_by_test_id("user-tab")).to_have_attribute("data-tab", "tags")
    expect(page).to_have_url(f"{live_server.url}/iam/users/details/dave/?tab=tags")
    expect(page.get_by_test_id("tab-tags")).to_have_attribute("aria-selected", "true")
    expect(page.get_by_test_id("tab-permissions")).to_have_attribute("aria-selected", "false")
    page.get_by_test_id("new-tag-key").fill("cost")
    page.get_by_test_id("new-tag-value").fill("42")
    page.get_by_test_id("save-tags").click()
    expect(page.locator('[data-testid="tag-key"][value="cost"]')).to_have_count(1)
    page.get_by_test_id("tab-security_credentials").click()
    expect(page.get_by_test_id("console-password-status")).to_contain_text("Enabled")
    page.get_by_test_id("tab-groups").click()
    expect(page.get_by_test_id("no-groups")).to_be_visible()
    page.get_by_test_id("tab-security_credentials").click()
    expect(page.get_by_test_id("console-password-status")).to_contain_text("Enabled")
    screenshot("users-detail-security-credentials")
    page.get_by_test_id("delete-button").click()
    page.get_by_test_id("confirm-input").fill("dave")
    page.get_by_test_id("confirm-delete-button").click()
    expect(page.get_by_test_id("flash-success")).to_contain_text("User dave deleted.")
    assert not User.objects.filter(name="dave").exists()


def test_users_list_search_then_delete_selected_rows_in_the_modal(live_server, page, screenshot):
    root = services.create_account("owner@example.com", "Training", ROOT_PASSWORD)
    caller = Caller.system_for(root.account)
    for name in ("alpha", "beta", "gamma"):
        services.create_user(caller, name)

    page.goto(f"{live_server.url}/signin/")
    page.get_by_test_id("type-root").check()
    page.get_by_test_id("email").fill("owner@example.com")
    page.get_by_test_id("password").fill(ROOT_PASSWORD)
    page.get_by_test_id("sign-in").click()
    page.goto(f"{live_server.url}/iam/users/")
    page.get_by_test_id("table-search").fill("a")
    expect(page.get_by_test_id("user-row")).to_have_count(3)
    page.get_by_test_id("table-search").fill("bet")
    expect(page.get_by_test_id("user-row")).to_have_count(1)
    page.get_by_test_id("table-search").fill("")
    expect(page.get_by_test_id("user-row")).to_have_count(3)
    page.locator('[data-user-name="alpha"] [data-testid="select-user"]').check()
    page.locator('[data-user-name="gamma"] [data-testid="select-user"]').check()
    page.get_by_test_id("users-delete").click()
    expect(page.get_by_role("dialog", name="Delete users")).to_be_visible()
    screenshot("users-delete-modal")
    page.get_by_test_id("confirm-input").fill("confirm")
    page.get_by_test_id("confirm-delete-button").click()
    expect(page.get_by_test_id("flash-success").first).to_contain_text("User alpha deleted.")
    expect(page.get_by_test_id("user-row")).to_have_count(1)
    assert list(User.objects.filter(kind="iam").values_list("name", flat=True)) == ["beta"]
