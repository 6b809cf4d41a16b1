"""The console pages: own Security credentials, the user credentials panel (for the user detail
page), the access key wizard (secret shown once, .csv), MFA assign/remove/resync."""

from __future__ import annotations

import base64
import re

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from accounts import mfa, services
from accounts.models import AccessKey, User
from accounts.principal import Caller
from tests.conftest import client_for, make_iam_user

from .conftest import enrol, pair

pytestmark = pytest.mark.django_db


def test_account_menu_links_to_my_security_credentials(root_client):
    page = root_client.get(reverse("accounts:dashboard")).content.decode()
    assert f'href="{reverse("credentials:my_security_credentials")}" data-testid="security-credentials-link"' in page


def test_root_page_shows_mfa_keys_and_the_root_key_warning(root_client):
    page = root_client.get(reverse("credentials:my_security_credentials")).content.decode()
    for marker in ("mfa-section", "access-keys-section", "root-keys-warning", "mfa-empty", "access-keys-empty"):
        assert f'data-testid="{marker}"' in page


def create_key(client, user_name="", description=""):
    first = client.post(reverse("credentials:access_key_create"), {"step": "use_case", "use_case": "cli", "user": user_name,
                                                                  "confirm_alternative": "on"})
    assert 'data-testid="access-key-description-form"' in first.content.decode()
    return client.post(reverse("credentials:access_key_create"), {"step": "create", "user": user_name, "description": description})


def test_access_key_wizard_shows_the_secret_once_with_a_csv(root_client, account):
    make_iam_user(account, "bob")
    response = create_key(root_client, "bob", "laptop CLI")
    page = response.content.decode()
    assert "no-store" in response["Cache-Control"]
    key = AccessKey.objects.get()
    secret = re.search(r'data-testid="new-secret-access-key">([^<]+)<', page).group(1)
    csv_url = re.search(r'href="data:text/csv;base64,([^"]+)"', page).group(1)
    assert base64.b64decode(csv_url).decode() == f"Access key ID,Secret access key\r\n{key.access_key_id},{secret}\r\n"
    assert 'download="bob_accessKeys.csv"' in page
    # Never again: the panel lists the key and its description, not the secret.
    panel = root_client.get(reverse("credentials:user_credentials_fragment", args=["bob"]), HTTP_HX_REQUEST="true")
    assert key.access_key_id in panel.content.decode() and "laptop CLI" in panel.content.decode()
    assert secret not in panel.content.decode()
    assert User.objects.get(name="bob").tag_dict() == {key.access_key_id: "laptop CLI"}


def test_wizard_asks_for_a_use_case_and_the_confirmation(root_client, account):
    make_iam_user(account, "bob")
    response = root_client.post(reverse("credentials:access_key_create"), {"step": "use_case", "user": "bob"})
    assert "Choose a use case." in response.content.decode()
    response = root_client.post(reverse("credentials:access_key_create"), {"step": "use_case", "user": "bob", "use_case": "cli"})
    assert "Confirm that you understand" in response.content.decode()


def test_root_access_key_needs_the_not_a_best_practice_confirmation(root_client, root_user):
    page = root_client.get(reverse("credentials:access_key_create")).content.decode()
    assert 'data-testid="root-access-key-warning"' in page
    response = root_client.post(reverse("credentials:access_key_create"), {"step": "use_case", "use_case": "other"})
    assert "creating a root access key is not a best practice" in response.content.decode()
    root_client.post(reverse("credentials:access_key_create"), {"step": "use_case", "use_case": "other", "confirm_root": "on"})
    response = root_client.post(reverse("credentials:access_key_create"), {"step": "create"})
    assert 'data-testid="new-secret-access-key"' in response.content.decode()
    assert AccessKey.objects.get().user == root_user
    assert 'download="rootkey_accessKeys.csv"' in response.content.decode()


def test_third_key_is_refused_and_the_button_disabled(root_client, account):
    make_iam_user(account, "bob")
    create_key(root_client, "bob")
    create_key(root_client, "bob")
    panel = root_client.get(reverse("credentials:user_credentials_fragment", args=["bob"]), HTTP_HX_REQUEST="true").content.decode()
    assert 'aria-disabled="true" data-testid="create-access-key"' in panel
    response = root_client.post(reverse("credentials:access_key_create"), {"step": "create", "user": "bob"})
    assert response.status_code == 200 and "LimitExceeded: Cannot exceed quota for AccessKeysPerUser: 2" in response.content.decode()


def test_deactivate_then_delete_after_typing_the_id(root_client, account):
    make_iam_user(account, "bob")
    create_key(root_client, "bob", "to delete")
    key = AccessKey.objects.get()
    root_client.post(reverse("credentials:access_key_update"), {"user": "bob", "access_key_id": key.access_key_id, "status": "Inactive"})
    key.refresh_from_db()
    assert key.status == "Inactive"
    root_client.post(reverse("credentials:access_key_delete"), {"user": "bob", "access_key_id": key.access_key_id, "confirm": "nope"})
    assert AccessKey.objects.exists()
    response = root_client.post(reverse("credentials:access_key_delete"),
                                {"user": "bob", "access_key_id": key.access_key_id, "confirm": key.access_key_id})
    assert response.status_code == 302 and not AccessKey.objects.exists()
    assert User.objects.get(name="bob").tags == []


def test_user_panel_is_scoped_to_the_account(root_client, other_root):
    make_iam_user(other_root.account, "theirs")
    assert root_client.get(reverse("credentials:user_credentials_fragment", args=["theirs"])).status_code == 404


def test_user_panel_denied_lists_show_the_access_denied_panel(account):
    make_iam_user(account, "target")
    viewer = make_iam_user(account, "viewer")
    page = client_for(viewer).get(reverse("credentials:user_credentials_fragment", args=["target"])).content.decode()
    assert page.count('data-testid="access-denied"') == 2
    assert "iam:ListMFADevices" in page and "iam:ListAccessKeys" in page


def test_include_for_the_user_detail_page_is_self_contained(root_caller, account):
    bob = make_iam_user(account, "bob")
    enrol(root_caller, "bob-phone", "bob")
    request = RequestFactory().get("/iam/users/details/bob/")
    request.user = root_caller.user
    request.caller = Caller(account=account, user=root_caller.user)
    html = render_to_string("credentials/includes/user_mfa_and_keys.html", {"user": bob, "request": request})
    assert f"arn:aws:iam::{account.account_id}:mfa/bob-phone" in html
    assert "?user=bob" in html


def test_mfa_assign_wizard_for_an_iam_user(root_client, account):
    bob = make_iam_user(account, "bob")
    response = root_client.post(reverse("credentials:mfa_assign"), {"step": "name", "device_name": "bob-phone", "user": "bob"})
    assert response.context["device"].user == bob  # the otpauth label names bob, not the administrator
    assert "iam%3A" in response.context["device"].config_url and "bob" in response.context["device"].config_url
    page = response.content.decode()
    assert "<svg" in page and 'data-testid="mfa-qr"' in page  # QR code rendered inline by the server
    secret = re.search(r'data-testid="mfa-secret">([A-Z2-7]+)<', page).group(1)
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    serial = mfa.serial_number(account.account_id, "bob-phone")
    wrong = root_client.post(reverse("credentials:mfa_assign"), {"step": "codes", "serial": serial, "user": "bob", "code1": "000000", "code2": "111111"})
    assert wrong.status_code == 200 and "Authentication code for device is not valid." in wrong.content.decode()
    bob_device = mfa.confirmed_devices(bob)
    assert not bob_device.exists()
    first, second = pair(key)
    # Wait out django-otp's back-off started by the wrong pair.
    from django_otp.plugins.otp_totp.models import TOTPDevice
    TOTPDevice.objects.update(throttling_failure_count=0, throttling_failure_timestamp=None)
    done = root_client.post(reverse("credentials:mfa_assign"), {"step": "codes", "serial": serial, "user": "bob", "code1": first, "code2": second})
    assert done.status_code == 302
    assert [d.name for d in mfa.confirmed_devices(bob)] == ["bob-phone"]


def test_interrupted_assignment_offers_the_same_device_again(root_client):
    first = root_client.post(reverse("credentials:mfa_assign"), {"step": "name", "device_name": "phone"}).content.decode()
    again = root_client.post(reverse("credentials:mfa_assign"), {"step": "name", "device_name": "phone"}).content.decode()
    secret = re.compile(r'data-testid="mfa-secret">([A-Z2-7]+)<')
    assert secret.search(first).group(1) == secret.search(again).group(1)


def test_remove_deactivates_and_deletes(root_client, root_caller, account):
    enrol(root_caller, "phone")
    serial = mfa.serial_number(account.account_id, "phone")
    root_client.post(reverse("credentials:mfa_remove"), {"serial": serial})
    assert services.list_virtual_mfa_devices(root_caller) == []


def test_resync_page(root_client, root_caller, account):
    device = enrol(root_caller, "phone")
    serial = mfa.serial_number(account.account_id, "phone")
    page = root_client.get(reverse("credentials:mfa_resync") + f"?serial={serial}").content.decode()
    assert serial in page
    from .conftest import code
    response = root_client.post(reverse("credentials:mfa_resync"),
                                {"serial": serial, "code1": code(device.bin_key, 1), "code2": code(device.bin_key, 2)})
    assert response.status_code == 302


def test_htmx_deactivate_returns_the_updated_panel_in_place(root_client, account):
    make_iam_user(account, "bob")
    create_key(root_client, "bob")
    key = AccessKey.objects.get()
    response = root_client.post(reverse("credentials:access_key_update"),
                                {"user": "bob", "access_key_id": key.access_key_id, "status": "Inactive"}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200 and 'id="credentials-panel"' in page
    assert 'data-testid="panel-success"' in page and f"Access key {key.access_key_id} deactivated." in page
    assert 'data-testid="access-key-activate"' in page and "<html" not in page


def test_htmx_denied_action_shows_the_error_in_the_panel(account):
    viewer_policy = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["iam:ListAccessKeys", "iam:ListMFADevices"], "Resource": "*"}]}
    make_iam_user(account, "bob")
    root = account.users.get(kind="root")
    key, _ = services.create_access_key(Caller(account=account, user=root), "bob")
    viewer = make_iam_user(account, "viewer", policies=[viewer_policy])
    response = client_for(viewer).post(reverse("credentials:access_key_update"),
                                       {"user": "bob", "access_key_id": key.access_key_id, "status": "Inactive"},
                                       HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200 and 'data-testid="panel-error"' in page
    assert "AccessDenied: User: arn:aws:iam::" in page and "iam:UpdateAccessKey" in page
    key.refresh_from_db()
    assert key.status == "Active"


def test_root_recommendations_are_not_links_for_iam_users(account):
    reader = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:GetAccountSummary", "Resource": "*"}]}
    bob = make_iam_user(account, "bob", policies=[reader])
    page = client_for(bob).get(reverse("accounts:dashboard")).content.decode()
    assert 'data-testid="recommendation-root-mfa"' in page and "Sign in as the root user to fix this." in page
