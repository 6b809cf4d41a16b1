"""Create an access key for an IAM user in the browser and download its .csv (the secret is
shown once, then never again)."""

from __future__ import annotations

from playwright.sync_api import expect

from accounts.models import AccessKey
from tests.conftest import ROOT_PASSWORD, make_iam_user


def test_create_access_key_and_download_the_csv(live_server, page, screenshot, root_user, account, tmp_path):
    make_iam_user(account, "bob")
    page.goto(live_server.url + "/signin/")
    page.get_by_test_id("type-root").check()
    page.get_by_test_id("email").fill("owner@example.com")
    page.get_by_test_id("password").fill(ROOT_PASSWORD)
    page.get_by_test_id("sign-in").click()
    expect(page.get_by_role("heading", name="IAM Dashboard")).to_be_visible()

    page.goto(live_server.url + "/iam/security-credentials/users/bob/")
    page.get_by_test_id("create-access-key").click()
    page.get_by_test_id("use-case-cli").check()
    page.get_by_test_id("confirm-alternative").check()
    screenshot("credentials-access-key-use-case")
    page.get_by_test_id("access-key-next").click()
    page.get_by_test_id("access-key-description").fill("laptop CLI")
    page.get_by_test_id("access-key-create").click()

    expect(page.get_by_test_id("access-key-created")).to_be_visible()
    key_id = page.get_by_test_id("new-access-key-id").inner_text().strip()
    page.get_by_test_id("secret-toggle").locator("summary").click()
    secret = page.get_by_test_id("new-secret-access-key").inner_text().strip()
    assert len(secret) == 40 and key_id.startswith("AKIA")
    screenshot("credentials-access-key-retrieve")
    with page.expect_download() as download_info:
        page.get_by_test_id("download-csv").click()
    download = download_info.value
    assert download.suggested_filename == "bob_accessKeys.csv"
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    assert target.read_bytes().decode() == f"Access key ID,Secret access key\r\n{key_id},{secret}\r\n"

    page.get_by_test_id("access-key-done").click()
    expect(page.get_by_test_id("access-key-id")).to_have_text(key_id)
    expect(page.get_by_test_id("access-keys-section")).to_contain_text("laptop CLI")
    assert secret not in page.content()
    assert AccessKey.objects.get().access_key_id == key_id
    screenshot("credentials-access-keys-panel")
