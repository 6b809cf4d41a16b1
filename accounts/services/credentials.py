"""Security credentials: access keys and virtual MFA devices.

One function per AWS operation, acting Caller first, decorated with `operation` (one
transaction + an activity event). Resources as the Service Authorization Reference names them:
the access key and MFA operations act on the `user` resource (the root user on its own ARN,
without authorization: root may do anything in its account), CreateVirtualMFADevice and
DeleteVirtualMFADevice on the `mfa` resource `arn:aws:iam::ACCOUNT:mfa/NAME`,
ListVirtualMFADevices on "*".

A `user_name` of None means the caller's own credentials, as AWS's APIs do when UserName is
omitted (so the root user manages its own keys and devices that way).
"""

from __future__ import annotations

import secrets
import string
from typing import Any

from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from policies import authz

from .. import mfa, rules
from ..activity import operation
from ..crypto import encrypt_text
from ..errors import (
    DeleteConflict,
    EntityAlreadyExists,
    InvalidAuthenticationCode,
    LimitExceeded,
    NoSuchEntity,
    ValidationError,
)
from ..models import AccessKey, User, iam_arn
from ..principal import Caller

ACCESS_KEY_ID_ALPHABET = string.ascii_uppercase + string.digits
# AWS's secret access keys: 40 characters of the base64 alphabet.
SECRET_ALPHABET = string.ascii_letters + string.digits + "/+"
ACCESS_KEY_STATUSES = ("Active", "Inactive")
MFA_DEVICE_NAME_PATTERN = r"[\w+=,.@-]+"
# django-otp's Device.name holds at most 64 characters (AWS allows 226).
MAX_MFA_DEVICE_NAME = 64
CODE_PATTERN = r"[\d]+"
INVALID_CODE = "Authentication code for device is not valid."


def new_access_key_id() -> str:
    """`AKIA` + 16 uppercase letters and digits (docs: reference_identifiers.html)."""
    return "AKIA" + "".join(secrets.choice(ACCESS_KEY_ID_ALPHABET) for _ in range(16))


def new_secret_access_key() -> str:
    return "".join(secrets.choice(SECRET_ALPHABET) for _ in range(40))


# ------------------------------------------------------------------------------ helpers


def _principal_arn_for(caller: Caller, user_name: str | None) -> str:
    """The ARN a missing user would have, so authorization happens before NoSuchEntity."""
    return iam_arn(caller.account.account_id, "user", "/", user_name or "")


def _users(*, for_update: bool):
    queryset = User.objects.select_related("account")
    # Lock only the user row: PostgreSQL refuses FOR UPDATE on the nullable side of the join.
    return queryset.select_for_update(of=("self",)) if for_update else queryset


def _target(caller: Caller, action: str, user_name: str | None, *, for_update: bool = False) -> User:
    """The principal whose credentials the call names, authorized for `action` on its ARN.

    No user name: the caller itself (root acts on its own credentials without authorization).
    A user of another account does not exist here.
    """
    if not user_name:
        if caller.user is None:
            raise ValidationError("Must specify userName when calling with non-User credentials")
        user = caller.user
        if for_update:
            user = _users(for_update=True).get(pk=user.pk)
        authz.require(caller, action, user.arn, resource_tags=user.tag_dict() if user.is_iam_user else None)
        return user
    queryset = User.objects.select_for_update(of=("self",)) if for_update else User.objects.all()
    user = queryset.filter(account=caller.account, kind=User.Kind.IAM, name__iexact=user_name).first()
    if user is not None:
        user.account = caller.account  # the account the query is scoped by: no join needed
    if user is None:
        authz.require(caller, action, _principal_arn_for(caller, user_name))
        raise NoSuchEntity(f"The user with name {user_name} cannot be found.")
    authz.require(caller, action, user.arn, resource_tags=user.tag_dict())
    return user


def _check_code(value: Any, field: str) -> str:
    code = str(value or "").strip()
    rules.check_length(code, field, 6, 6)
    rules.check_pattern(code, field, CODE_PATTERN)
    return code


def _key_of(user: User, access_key_id: str) -> AccessKey:
    key = AccessKey.objects.filter(user=user, access_key_id=access_key_id or "").first()
    if key is None:
        raise NoSuchEntity(f"The Access Key with id {access_key_id} cannot be found")
    return key


# -------------------------------------------------------------------------- access keys


@operation("CreateAccessKey")
def create_access_key(caller: Caller, user_name: str | None = None) -> tuple[AccessKey, str]:
    """CreateAccessKey: a new Active key pair; returns the key and its secret, which is shown
    this once and kept only encrypted. At most 2 keys per user, inactive ones included
    (LimitExceeded, reference_iam-quotas.html)."""
    user = _target(caller, "iam:CreateAccessKey", user_name, for_update=True)
    if AccessKey.objects.filter(user=user).count() >= rules.MAX_ACCESS_KEYS_PER_USER:
        raise LimitExceeded(f"Cannot exceed quota for AccessKeysPerUser: {rules.MAX_ACCESS_KEYS_PER_USER}")
    secret = new_secret_access_key()
    key_id = new_access_key_id()
    while AccessKey.objects.filter(access_key_id=key_id).exists():  # 36^16: practically never
        key_id = new_access_key_id()
    key = AccessKey.objects.create(user=user, access_key_id=key_id, secret_encrypted=encrypt_text(secret))
    return key, secret


@operation("UpdateAccessKey")
def update_access_key(caller: Caller, access_key_id: str, status: str, user_name: str | None = None) -> AccessKey:
    """UpdateAccessKey: make a key Active or Inactive (an inactive key cannot sign requests)."""
    if status not in ACCESS_KEY_STATUSES:
        raise rules.constraint_error(status, "status", "Member must satisfy enum value set: [Active, Inactive, Expired]")
    user = _target(caller, "iam:UpdateAccessKey", user_name)
    key = _key_of(user, access_key_id)
    key.status = status
    key.save(update_fields=["status"])
    return key


@operation("DeleteAccessKey")
def delete_access_key(caller: Caller, access_key_id: str, user_name: str | None = None) -> None:
    user = _target(caller, "iam:DeleteAccessKey", user_name)
    _key_of(user, access_key_id).delete()


@operation("ListAccessKeys", read_only=True)
def list_access_keys(caller: Caller, user_name: str | None = None) -> list[AccessKey]:
    user = _target(caller, "iam:ListAccessKeys", user_name)
    return list(AccessKey.objects.filter(user=user).order_by("created", "id"))


@operation("GetAccessKeyLastUsed", read_only=True)
def get_access_key_last_used(caller: Caller, access_key_id: str) -> AccessKey:
    """GetAccessKeyLastUsed: the key (with its owner) whose last_used_* fields answer; authorized
    on the owner's ARN. A key of another account does not exist here."""
    key = AccessKey.objects.select_related("user", "user__account").filter(
        access_key_id=access_key_id or "", user__account=caller.account
    ).first()
    if key is None:
        authz.require(caller, "iam:GetAccessKeyLastUsed", "*")
        raise NoSuchEntity(f"The Access Key with id {access_key_id} cannot be found")
    owner = key.user
    authz.require(caller, "iam:GetAccessKeyLastUsed", owner.arn, resource_tags=owner.tag_dict() if owner.is_iam_user else None)
    return key


def record_access_key_use(access_key: AccessKey, service: str, region: str, *, when: Any = None) -> None:
    """What the request verifier (SigV4, a later issue) calls after a signed request: AWS's
    "last used" date, service and region. Not an IAM operation: no authorization, no event."""
    AccessKey.objects.filter(pk=access_key.pk).update(
        last_used_date=when or timezone.now(), last_used_service=service[:64], last_used_region=region[:32]
    )


# ------------------------------------------------------------------------ MFA devices


def _device_in_account(caller: Caller, serial_number: str) -> TOTPDevice | None:
    name = mfa.device_name_from_serial(serial_number or "", caller.account.account_id)
    if name is None:
        return None
    return TOTPDevice.objects.select_related("user").filter(user__account=caller.account, name=name).first()


def _validate_serial(serial_number: str) -> str:
    serial = serial_number or ""
    rules.check_length(serial, "serialNumber", 9, 256)
    rules.check_pattern(serial, "serialNumber", r"[\w+=/:,.@-]+")
    return serial


@operation("CreateVirtualMFADevice")
def create_virtual_mfa_device(caller: Caller, virtual_mfa_device_name: str) -> TOTPDevice:
    """CreateVirtualMFADevice: a new TOTP secret, not yet assigned to anyone (unconfirmed),
    held by the caller until EnableMFADevice assigns it. Names are unique in the account."""
    name = virtual_mfa_device_name or ""
    rules.check_length(name, "virtualMFADeviceName", 1, MAX_MFA_DEVICE_NAME)
    rules.check_pattern(name, "virtualMFADeviceName", MFA_DEVICE_NAME_PATTERN)
    serial = mfa.serial_number(caller.account.account_id, name)
    authz.require(caller, "iam:CreateVirtualMFADevice", serial)
    if TOTPDevice.objects.filter(user__account=caller.account, name__iexact=name).exists():
        raise EntityAlreadyExists("MFADevice entity at the same path and name already exists.")
    holder = caller.user or User.objects.filter(account=caller.account, kind=User.Kind.ROOT).first()
    return TOTPDevice.objects.create(user=holder, name=name, confirmed=False)


def _enable_or_resync(caller: Caller, action: str, user_name: str | None, serial_number: str, code1: Any, code2: Any,
                      *, enable: bool) -> TOTPDevice:
    serial = _validate_serial(serial_number)
    first = _check_code(code1, "authenticationCode1")
    second = _check_code(code2, "authenticationCode2")
    user = _target(caller, action, user_name, for_update=True)
    device = _device_in_account(caller, serial)
    if enable:
        if device is None:
            raise NoSuchEntity(f"VirtualMFADevice with serial number {serial} doesn't exist.")
        if device.confirmed:
            raise EntityAlreadyExists("MFA Device is already in use.")
        if mfa.confirmed_devices(user).count() >= rules.MAX_MFA_DEVICES:
            raise LimitExceeded(f"Cannot exceed quota for MFADevicesPerUser: {rules.MAX_MFA_DEVICES}")
    elif device is None or not device.confirmed or device.user_id != user.pk:
        raise NoSuchEntity(f"MFA Device with serial number {serial} does not exist.")
    allowed, wait = mfa.verify_is_allowed(device)
    if not allowed:
        raise InvalidAuthenticationCode(
            f"Too many invalid authentication codes. Try again in {wait} seconds.", device_pk=device.pk
        )
    t = mfa.find_consecutive_pair(device, first, second, window=mfa.PAIR_WINDOW if enable else mfa.RESYNC_WINDOW)
    if t is None:
        raise InvalidAuthenticationCode(INVALID_CODE, device_pk=device.pk, count_failure=True)
    mfa.accept_pair(device, t)
    if enable:
        device.user = user
        device.confirmed = True
    device.save()
    return device


def _count_failure(error: InvalidAuthenticationCode) -> None:
    """django-otp's throttling: each wrong pair doubles the wait before the next try. Written
    after the operation's rollback, so the count survives the failure."""
    if error.details.get("count_failure"):
        device = TOTPDevice.objects.filter(pk=error.details.get("device_pk")).first()
        if device is not None:
            device.throttle_increment(commit=True)


@operation("EnableMFADevice")
def _enable_mfa_device(caller: Caller, user_name: str | None, serial_number: str, code1: Any, code2: Any) -> TOTPDevice:
    return _enable_or_resync(caller, "iam:EnableMFADevice", user_name, serial_number, code1, code2, enable=True)


def enable_mfa_device(caller: Caller, user_name: str | None, serial_number: str, authentication_code1: Any,
                      authentication_code2: Any) -> TOTPDevice:
    """EnableMFADevice: assign a virtual MFA device to the user after two consecutive codes
    (code 1 at a time step, code 2 at the next), as AWS's activation asks. At most 8 devices
    per principal. Codes at or before the device's last accepted step are refused."""
    try:
        return _enable_mfa_device(caller, user_name, serial_number, authentication_code1, authentication_code2)
    except InvalidAuthenticationCode as error:
        _count_failure(error)
        raise


@operation("ResyncMFADevice")
def _resync_mfa_device(caller: Caller, user_name: str | None, serial_number: str, code1: Any, code2: Any) -> TOTPDevice:
    return _enable_or_resync(caller, "iam:ResyncMFADevice", user_name, serial_number, code1, code2, enable=False)


def resync_mfa_device(caller: Caller, user_name: str | None, serial_number: str, authentication_code1: Any,
                      authentication_code2: Any) -> TOTPDevice:
    """ResyncMFADevice: two consecutive codes found within a wider window re-learn the device's drift."""
    try:
        return _resync_mfa_device(caller, user_name, serial_number, authentication_code1, authentication_code2)
    except InvalidAuthenticationCode as error:
        _count_failure(error)
        raise


@operation("DeactivateMFADevice")
def deactivate_mfa_device(caller: Caller, user_name: str | None, serial_number: str) -> TOTPDevice:
    """DeactivateMFADevice: the device no longer protects the user's sign-in; the virtual device
    remains, unassigned, until DeleteVirtualMFADevice."""
    serial = _validate_serial(serial_number)
    user = _target(caller, "iam:DeactivateMFADevice", user_name, for_update=True)
    device = _device_in_account(caller, serial)
    if device is None or not device.confirmed or device.user_id != user.pk:
        raise NoSuchEntity(f"MFA Device with serial number {serial} does not exist.")
    device.confirmed = False
    device.throttle_reset(commit=False)
    device.save()
    return device


@operation("DeleteVirtualMFADevice")
def delete_virtual_mfa_device(caller: Caller, serial_number: str) -> None:
    serial = _validate_serial(serial_number)
    authz.require(caller, "iam:DeleteVirtualMFADevice", serial)
    device = _device_in_account(caller, serial)
    if device is None:
        raise NoSuchEntity(f"VirtualMFADevice with serial number {serial} doesn't exist.")
    if device.confirmed:
        raise DeleteConflict("MFA VirtualDevice in use. Must deactivate first.")
    device.delete()


@operation("ListMFADevices", read_only=True)
def list_mfa_devices(caller: Caller, user_name: str | None = None) -> list[TOTPDevice]:
    user = _target(caller, "iam:ListMFADevices", user_name)
    return list(mfa.confirmed_devices(user))


@operation("ListVirtualMFADevices", read_only=True)
def list_virtual_mfa_devices(caller: Caller, assignment_status: str = "Any") -> list[TOTPDevice]:
    if assignment_status not in ("Assigned", "Unassigned", "Any"):
        raise rules.constraint_error(assignment_status, "assignmentStatus",
                                     "Member must satisfy enum value set: [Unassigned, Any, Assigned]")
    authz.require(caller, "iam:ListVirtualMFADevices", "*")
    devices = TOTPDevice.objects.select_related("user", "user__account").filter(user__account=caller.account)
    if assignment_status == "Assigned":
        devices = devices.filter(confirmed=True)
    elif assignment_status == "Unassigned":
        devices = devices.filter(confirmed=False)
    return list(devices.order_by("name"))


def unassigned_device_held_by(caller: Caller, name: str) -> TOTPDevice | None:
    """An unassigned virtual device this principal created (an interrupted "Assign MFA device"),
    which the console's wizard offers again instead of failing on the name."""
    if caller.user is None:
        return None
    return TOTPDevice.objects.filter(user=caller.user, name__iexact=name, confirmed=False).first()


def device_serial(device: TOTPDevice) -> str:
    return mfa.serial_number(device.user.account.account_id, device.name)


__all__ = [
    "create_access_key",
    "create_virtual_mfa_device",
    "deactivate_mfa_device",
    "delete_access_key",
    "delete_virtual_mfa_device",
    "enable_mfa_device",
    "get_access_key_last_used",
    "list_access_keys",
    "list_mfa_devices",
    "list_virtual_mfa_devices",
    "new_access_key_id",
    "new_secret_access_key",
    "record_access_key_use",
    "resync_mfa_device",
    "update_access_key",
]
