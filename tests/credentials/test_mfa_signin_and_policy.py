"""Sign-in with MFA and the MFA condition keys: AWS's documented example policy
"IAM: Allows IAM users to self-manage an MFA device" (reference_policies_examples_iam_mfa-selfmanage.html),
whose BlockMostAccessUnlessSignedInWithMFA statement denies everything but MFA set-up until the
session signed in with MFA."""

from __future__ import annotations

import base64
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.errors import AccessDenied
from accounts.models import ActivityEvent
from accounts.principal import Caller
from accounts.views import SIGNIN_FAILED
from tests.conftest import ROOT_PASSWORD, USER_PASSWORD, make_iam_user

from .conftest import code, enrol, pair

pytestmark = pytest.mark.django_db

# Verbatim from the AWS documentation page cited above.
MFA_SELF_MANAGE = {
    "Version": "2012-10-17",
    "Statement": [
        {"Sid": "AllowListActions", "Effect": "Allow", "Action": ["iam:ListUsers", "iam:ListVirtualMFADevices"], "Resource": "*"},
        {"Sid": "AllowUserToCreateVirtualMFADevice", "Effect": "Allow", "Action": ["iam:CreateVirtualMFADevice"],
         "Resource": "arn:aws:iam::*:mfa/*"},
        {"Sid": "AllowUserToManageTheirOwnMFA", "Effect": "Allow",
         "Action": ["iam:EnableMFADevice", "iam:GetMFADevice", "iam:ListMFADevices", "iam:ResyncMFADevice"],
         "Resource": "arn:aws:iam::*:user/${aws:username}"},
        {"Sid": "AllowUserToDeactivateTheirOwnMFAOnlyWhenUsingMFA", "Effect": "Allow", "Action": ["iam:DeactivateMFADevice"],
         "Resource": ["arn:aws:iam::*:user/${aws:username}"], "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}},
        {"Sid": "BlockMostAccessUnlessSignedInWithMFA", "Effect": "Deny",
         "NotAction": ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:ListMFADevices", "iam:ListUsers",
                       "iam:ListVirtualMFADevices", "iam:ResyncMFADevice"],
         "Resource": "*", "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}},
    ],
}
# What the user may otherwise do: manage its own access keys.
OWN_ACCESS_KEYS = {"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Action": ["iam:CreateAccessKey", "iam:ListAccessKeys", "iam:UpdateAccessKey", "iam:DeleteAccessKey"],
    "Resource": "arn:aws:iam::*:user/${aws:username}"}]}


def sign_in_iam(client, account, name, password=USER_PASSWORD):
    return client.post(reverse("accounts:signin"), {"signin_type": "iam", "account": account.account_id, "user_name": name,
                                                    "password": password})


def sign_in_root(client, password=ROOT_PASSWORD, next_url=""):
    return client.post(reverse("accounts:signin"), {"signin_type": "root", "email": "owner@example.com", "password": password,
                                                    "next": next_url})


def test_password_then_code_signs_the_root_user_in_with_mfa(root_caller, account):
    device = enrol(root_caller, "root-phone")
    client = Client()
    response = sign_in_root(client, next_url=reverse("credentials:account_settings"))
    assert response.status_code == 302 and response["Location"] == reverse("credentials:signin_mfa")
    assert "_auth_user_id" not in client.session  # not signed in before the code
    page = client.get(reverse("credentials:signin_mfa"))
    assert "Multi-factor authentication" in page.content.decode()
    response = client.post(reverse("credentials:signin_mfa"), {"device": device.pk, "code": code(device.bin_key, 1)})
    assert response.status_code == 302 and response["Location"] == reverse("credentials:account_settings")
    assert client.session["_auth_user_id"] == str(root_caller.user.pk)
    assert client.session["mfa_authenticated_at"]
    event = ActivityEvent.objects.filter(event_name="ConsoleLogin", result="Success").get()
    assert event.mfa_used


def test_wrong_code_keeps_the_generic_message_and_records_a_failure(root_caller):
    device = enrol(root_caller, "root-phone")
    client = Client()
    sign_in_root(client)
    response = client.post(reverse("credentials:signin_mfa"), {"device": device.pk, "code": "000000"})
    assert response.status_code == 200 and SIGNIN_FAILED in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert ActivityEvent.objects.filter(event_name="ConsoleLogin", result="Failure", mfa_used=True).exists()


def test_wrong_codes_are_throttled(root_caller, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    device = enrol(root_caller, "root-phone")
    client = Client()
    sign_in_root(client)
    client.post(reverse("credentials:signin_mfa"), {"device": device.pk, "code": "000000"})
    response = client.post(reverse("credentials:signin_mfa"), {"device": device.pk, "code": code(device.bin_key, 1)})
    assert "Too many invalid codes" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_sign_in_code_is_never_accepted_twice(root_caller):
    device = enrol(root_caller, "root-phone")
    used = code(device.bin_key, 1)
    first = Client()
    sign_in_root(first)
    assert first.post(reverse("credentials:signin_mfa"), {"device": device.pk, "code": used}).status_code == 302
    second = Client()
    sign_in_root(second)
    response = second.post(reverse("credentials:signin_mfa"), {"device": device.pk, "code": used})
    assert response.status_code == 200 and "_auth_user_id" not in second.session


def test_several_devices_let_the_user_pick_one(root_caller, account):
    enrol(root_caller, "phone-a")
    device_b = enrol(root_caller, "phone-b")
    client = Client()
    sign_in_root(client)
    page = client.get(reverse("credentials:signin_mfa")).content.decode()
    assert "Choose an MFA device" in page and "mfa/phone-a" in page and "mfa/phone-b" in page
    response = client.post(reverse("credentials:signin_mfa"), {"device": device_b.pk, "code": code(device_b.bin_key, 1)})
    assert response.status_code == 302


def test_the_mfa_step_expires(root_caller):
    device = enrol(root_caller, "phone")
    client = Client()
    sign_in_root(client)
    session = client.session
    session["mfa_pending"]["at"] = (timezone.now() - timedelta(minutes=6)).isoformat()
    session.save()
    response = client.post(reverse("credentials:signin_mfa"), {"device": device.pk, "code": code(device.bin_key, 1)})
    assert response["Location"] == reverse("accounts:signin")
    assert "_auth_user_id" not in client.session


def test_wrong_password_never_reaches_the_mfa_step(root_caller):
    enrol(root_caller, "phone")
    response = sign_in_root(Client(), password="Wrong-Passw0rd")
    assert response.status_code == 200 and SIGNIN_FAILED in response.content.decode()


# ------------------------------------------------------------------ the documented policy


def test_block_most_access_policy_at_the_service_level(account):
    dana = make_iam_user(account, "dana", policies=[MFA_SELF_MANAGE, OWN_ACCESS_KEYS])
    without_mfa = Caller(account=account, user=dana)
    # MFA set-up is allowed before MFA...
    device = services.create_virtual_mfa_device(without_mfa, "dana")
    services.enable_mfa_device(without_mfa, None, f"arn:aws:iam::{account.account_id}:mfa/dana", *pair(device.bin_key))
    # ...everything else is denied explicitly, with AWS's wording.
    with pytest.raises(AccessDenied) as denied:
        services.create_access_key(without_mfa)
    assert denied.value.message.endswith("with an explicit deny in an identity-based policy")
    with pytest.raises(AccessDenied):
        services.deactivate_mfa_device(without_mfa, None, f"arn:aws:iam::{account.account_id}:mfa/dana")
    # Long-term access keys without MFA: the key is absent, and BoolIfExists still denies.
    with pytest.raises(AccessDenied):
        services.list_access_keys(Caller(account=account, user=dana, console=False))
    with_mfa = Caller(account=account, user=dana, mfa_authenticated_at=timezone.now())
    services.create_access_key(with_mfa)
    services.deactivate_mfa_device(with_mfa, None, f"arn:aws:iam::{account.account_id}:mfa/dana")


def test_block_most_access_policy_before_and_after_signing_in_with_mfa(account):
    make_iam_user(account, "dana", policies=[MFA_SELF_MANAGE, OWN_ACCESS_KEYS])
    client = Client()
    assert sign_in_iam(client, account, "dana").status_code == 302  # no device yet: password only
    page = client.get(reverse("credentials:my_security_credentials")).content.decode()
    assert 'data-testid="access-denied"' in page and "iam:ListAccessKeys" in page and "explicit deny" in page
    created = client.post(reverse("credentials:access_key_create"), {"step": "create"})
    assert "iam:CreateAccessKey" in created.content.decode() and "explicit deny" in created.content.decode()

    # Assign an MFA device from the page, reading the secret shown for manual entry.
    step2 = client.post(reverse("credentials:mfa_assign"), {"step": "name", "device_name": "dana-phone"}).content.decode()
    secret = re.search(r'data-testid="mfa-secret">([A-Z2-7]+)<', step2).group(1)
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    serial = f"arn:aws:iam::{account.account_id}:mfa/dana-phone"
    first, second = pair(key)
    done = client.post(reverse("credentials:mfa_assign"), {"step": "codes", "serial": serial, "code1": first, "code2": second})
    assert done.status_code == 302

    # Still the password-only session: still denied.
    assert "explicit deny" in client.get(reverse("credentials:my_security_credentials")).content.decode()

    client.post(reverse("accounts:signout"))
    assert sign_in_iam(client, account, "dana")["Location"] == reverse("credentials:signin_mfa")
    device_pk = re.search(r'name="device" value="(\d+)"', client.get(reverse("credentials:signin_mfa")).content.decode()).group(1)
    assert client.post(reverse("credentials:signin_mfa"), {"device": device_pk, "code": code(key, 1)}).status_code == 302
    page = client.get(reverse("credentials:my_security_credentials")).content.decode()
    assert 'data-testid="access-denied"' not in page
    created = client.post(reverse("credentials:access_key_create"), {"step": "create"})
    assert 'data-testid="new-secret-access-key"' in created.content.decode()



def test_multi_factor_auth_age_comes_from_the_mfa_sign_in_time(account):
    recent_mfa_only = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Action": "iam:ListAccessKeys", "Resource": "*",
        "Condition": {"NumericLessThan": {"aws:MultiFactorAuthAge": "3600"}}}]}
    erin = make_iam_user(account, "erin", policies=[recent_mfa_only])
    services.list_access_keys(Caller(account=account, user=erin, mfa_authenticated_at=timezone.now() - timedelta(minutes=5)))
    with pytest.raises(AccessDenied):
        services.list_access_keys(Caller(account=account, user=erin, mfa_authenticated_at=timezone.now() - timedelta(hours=2)))
    with pytest.raises(AccessDenied):  # no MFA: the key is absent, the condition does not match
        services.list_access_keys(Caller(account=account, user=erin))


def test_console_session_carries_the_mfa_time_into_authorization(root_caller, account):
    recent_mfa_only = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Action": ["iam:ListAccessKeys", "iam:ListMFADevices"], "Resource": "*",
        "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}]}
    make_iam_user(account, "erin", policies=[recent_mfa_only])
    enrol(root_caller, "erin-phone", "erin")
    device = services.list_mfa_devices(root_caller, "erin")[0]
    client = Client()
    sign_in_iam(client, account, "erin")
    client.post(reverse("credentials:signin_mfa"), {"device": device.pk, "code": code(device.bin_key, 1)})
    page = client.get(reverse("credentials:my_security_credentials")).content.decode()
    assert 'data-testid="access-denied"' not in page and "mfa/erin-phone" in page
