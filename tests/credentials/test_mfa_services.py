"""Virtual MFA devices on django-otp's TOTP: create, enable with two consecutive codes, list,
resync, deactivate, delete (docs: id_credentials_mfa_enable_virtual.html, API_EnableMFADevice.html)."""

from __future__ import annotations

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import mfa, services
from accounts.errors import (
    AccessDenied,
    DeleteConflict,
    EntityAlreadyExists,
    InvalidAuthenticationCode,
    LimitExceeded,
    NoSuchEntity,
    ValidationError,
)
from accounts.models import ActivityEvent
from accounts.principal import Caller
from tests.conftest import make_iam_user

from .conftest import code, enrol, pair

pytestmark = pytest.mark.django_db


def serial(account, name):
    return f"arn:aws:iam::{account.account_id}:mfa/{name}"


def test_root_creates_and_enables_a_virtual_device_with_two_consecutive_codes(root_caller, account):
    device = services.create_virtual_mfa_device(root_caller, "root-phone")
    assert not device.confirmed
    assert mfa.serial_number(account.account_id, "root-phone") == serial(account, "root-phone")
    first, second = pair(device.bin_key)
    enabled = services.enable_mfa_device(root_caller, None, serial(account, "root-phone"), first, second)
    assert enabled.confirmed and enabled.user == root_caller.user
    assert [d.name for d in services.list_mfa_devices(root_caller)] == ["root-phone"]
    event = ActivityEvent.objects.filter(event_name="EnableMFADevice").get()
    assert event.result == "Success" and event.resource == root_caller.user.arn


def test_the_pair_may_also_be_the_current_code_and_the_next(root_caller, account):
    device = services.create_virtual_mfa_device(root_caller, "phone")
    first, second = pair(device.bin_key, offset=0)
    assert services.enable_mfa_device(root_caller, None, serial(account, "phone"), first, second).confirmed


def test_admin_enables_a_device_for_an_iam_user(root_caller, account):
    bob = make_iam_user(account, "bob")
    device = enrol(root_caller, "bob-phone", "bob")
    assert device.user == bob and device.confirmed
    assert [d.name for d in services.list_mfa_devices(root_caller, "bob")] == ["bob-phone"]
    assert services.list_mfa_devices(root_caller) == []


@pytest.mark.parametrize("codes", [("000000", "000000"), "swapped", "not-consecutive", "too-old"])
def test_wrong_codes_are_refused_and_the_device_stays_unassigned(root_caller, account, codes):
    device = services.create_virtual_mfa_device(root_caller, "phone")
    key = device.bin_key
    if codes == "swapped":
        codes = tuple(reversed(pair(key)))
    elif codes == "not-consecutive":
        codes = (code(key, -1), code(key, 1))
    elif codes == "too-old":
        codes = pair(key, offset=-10)
    with pytest.raises(InvalidAuthenticationCode, match="Authentication code for device is not valid."):
        services.enable_mfa_device(root_caller, None, serial(account, "phone"), *codes)
    device.refresh_from_db()
    assert not device.confirmed
    assert device.throttling_failure_count == 1  # counted although the operation rolled back


@pytest.mark.parametrize("bad", ["12345", "1234567", "12a456", ""])
def test_codes_must_be_six_digits(root_caller, account, bad):
    services.create_virtual_mfa_device(root_caller, "phone")
    with pytest.raises(ValidationError, match="authenticationCode1"):
        services.enable_mfa_device(root_caller, None, serial(account, "phone"), bad, "123456")


def test_throttling_refuses_even_right_codes_after_a_failure(root_caller, account, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    device = services.create_virtual_mfa_device(root_caller, "phone")
    with pytest.raises(InvalidAuthenticationCode):
        services.enable_mfa_device(root_caller, None, serial(account, "phone"), "000000", "000000")
    with pytest.raises(InvalidAuthenticationCode, match="Too many invalid authentication codes"):
        services.enable_mfa_device(root_caller, None, serial(account, "phone"), *pair(device.bin_key))


def test_a_code_pair_is_never_accepted_twice(root_caller, account):
    device = enrol(root_caller, "phone")
    device.refresh_from_db()
    used = (code(device.bin_key, -1), code(device.bin_key, 0))
    with pytest.raises(InvalidAuthenticationCode):
        services.resync_mfa_device(root_caller, None, serial(account, "phone"), *used)
    # The sign-in check (django-otp's verify_token) refuses the already used code as well.
    assert not device.verify_token(used[1])
    device.refresh_from_db()
    device.throttle_reset()  # the refused code started django-otp's back-off
    assert device.verify_token(code(device.bin_key, 1))
    assert not device.verify_token(code(device.bin_key, 1))  # replayed


def test_resync_learns_a_drifted_clock(root_caller, account):
    device = enrol(root_caller, "phone")
    device.refresh_from_db()
    # The authenticator's clock runs 5 steps (2.5 minutes) ahead: sign-in codes fail.
    assert not device.verify_token(code(device.bin_key, 6))
    device.throttle_reset()
    services.resync_mfa_device(root_caller, None, serial(account, "phone"), code(device.bin_key, 5), code(device.bin_key, 6))
    device.refresh_from_db()
    assert device.drift == 6
    assert device.verify_token(code(device.bin_key, 7))


def test_device_names_are_unique_in_the_account(root_caller, account, other_root):
    services.create_virtual_mfa_device(root_caller, "phone")
    with pytest.raises(EntityAlreadyExists, match="MFADevice entity at the same path and name already exists."):
        services.create_virtual_mfa_device(root_caller, "PHONE")
    # Another account may use the same name.
    services.create_virtual_mfa_device(Caller(account=other_root.account, user=other_root), "phone")


@pytest.mark.parametrize("name", ["", "has space", "x" * 65])
def test_device_name_follows_aws_rules(root_caller, name):
    with pytest.raises(ValidationError, match="virtualMFADeviceName"):
        services.create_virtual_mfa_device(root_caller, name)


def test_at_most_eight_devices_per_principal(root_caller, account):
    for number in range(8):
        enrol(root_caller, f"phone{number}")
    device = services.create_virtual_mfa_device(root_caller, "phone8")
    with pytest.raises(LimitExceeded, match="MFADevicesPerUser: 8"):
        services.enable_mfa_device(root_caller, None, serial(account, "phone8"), *pair(device.bin_key))


def test_enabling_an_assigned_or_missing_device_fails(root_caller, account):
    enrol(root_caller, "phone")
    with pytest.raises(EntityAlreadyExists):
        services.enable_mfa_device(root_caller, None, serial(account, "phone"), "123456", "654321")
    with pytest.raises(NoSuchEntity, match="doesn't exist"):
        services.enable_mfa_device(root_caller, None, serial(account, "nothing"), "123456", "654321")


def test_deactivate_then_delete(root_caller, account):
    enrol(root_caller, "phone")
    with pytest.raises(DeleteConflict, match="Must deactivate first"):
        services.delete_virtual_mfa_device(root_caller, serial(account, "phone"))
    services.deactivate_mfa_device(root_caller, None, serial(account, "phone"))
    assert services.list_mfa_devices(root_caller) == []
    assert [d.name for d in services.list_virtual_mfa_devices(root_caller, "Unassigned")] == ["phone"]
    services.delete_virtual_mfa_device(root_caller, serial(account, "phone"))
    assert not TOTPDevice.objects.exists()
    with pytest.raises(NoSuchEntity):
        services.deactivate_mfa_device(root_caller, None, serial(account, "phone"))


def test_another_accounts_device_does_not_exist_here(root_caller, account, other_root):
    other = Caller(account=other_root.account, user=other_root)
    enrol(other, "theirs")
    their_serial = serial(other_root.account, "theirs")
    with pytest.raises(NoSuchEntity):
        services.deactivate_mfa_device(root_caller, None, their_serial)
    with pytest.raises(NoSuchEntity):
        services.delete_virtual_mfa_device(root_caller, their_serial)
    assert services.list_virtual_mfa_devices(root_caller) == []
    with pytest.raises(NoSuchEntity):
        services.list_mfa_devices(root_caller, "nobody")


def test_iam_user_without_permission_gets_aws_access_denied(account):
    carol = make_iam_user(account, "carol")
    caller = Caller(account=account, user=carol)
    with pytest.raises(AccessDenied) as denied:
        services.create_virtual_mfa_device(caller, "carol")
    assert denied.value.message.startswith(
        f"User: {carol.arn} is not authorized to perform: iam:CreateVirtualMFADevice on resource: {serial(account, 'carol')} "
    )
    with pytest.raises(AccessDenied, match="iam:ListMFADevices"):
        services.list_mfa_devices(caller)
    assert ActivityEvent.objects.filter(event_name="CreateVirtualMFADevice", result="Failure", error_code="AccessDenied").exists()


def test_iam_user_with_self_service_policy_manages_only_its_own_device(account):
    policy = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "iam:CreateVirtualMFADevice", "Resource": "arn:aws:iam::*:mfa/*"},
        {"Effect": "Allow", "Action": ["iam:EnableMFADevice", "iam:ListMFADevices"],
         "Resource": "arn:aws:iam::*:user/${aws:username}"},
    ]}
    dave = make_iam_user(account, "dave", policies=[policy])
    make_iam_user(account, "erin")
    caller = Caller(account=account, user=dave)
    device = services.create_virtual_mfa_device(caller, "dave-phone")
    with pytest.raises(AccessDenied, match="iam:EnableMFADevice"):
        services.enable_mfa_device(caller, "erin", serial(account, "dave-phone"), *pair(device.bin_key))
    services.enable_mfa_device(caller, None, serial(account, "dave-phone"), *pair(device.bin_key))
    assert [d.name for d in services.list_mfa_devices(caller)] == ["dave-phone"]
