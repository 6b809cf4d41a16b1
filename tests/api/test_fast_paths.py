"""The Query API's fast paths give the same answers as the ORM code they replace: the signing
key's row (one prebuilt SELECT), the activity event (one prebuilt INSERT), the merged duplicate and
quota checks, and authorization context skipped only where nothing evaluates it."""

from __future__ import annotations

import json

import pytest

from accounts import rules
from accounts import services as acc
from accounts.activity import record_event
from accounts.errors import AccessDenied, LimitExceeded
from accounts.models import AccessKey, ActivityEvent, Group
from accounts.principal import Caller
from api.dispatch import access_key_with_owner
from policies import authz
from policies import services as pol
from policies.models import ManagedPolicy, PolicyAttachment

DOC = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]})


@pytest.mark.django_db
def test_key_row_lookup_matches_the_orm_with_user_and_account(root_caller, iam_user_factory):
    user = iam_user_factory("keyowner", tags=[{"Key": "team", "Value": "red"}])
    key, _ = acc.create_access_key(root_caller, "keyowner")
    expected = AccessKey.objects.select_related("user", "user__account").get(access_key_id=key.access_key_id)

    found = access_key_with_owner(key.access_key_id)

    assert found is not None and found.pk == expected.pk
    for name in ("access_key_id", "secret_encrypted", "status", "created", "last_used_date", "user_id"):
        assert getattr(found, name) == getattr(expected, name), name
    for name in ("name", "kind", "tags", "is_active", "created", "unique_id", "path", "account_id", "password_last_used"):
        assert getattr(found.user, name) == getattr(expected.user, name), name
    assert found.user.pk == user.pk and found.user.arn == expected.user.arn
    assert found.user.account.account_id == expected.user.account.account_id
    assert found.user.account.created == expected.user.account.created


@pytest.mark.django_db
def test_key_row_lookup_sees_deactivation_and_deletion_at_once(root_caller, iam_user_factory):
    iam_user_factory("keyowner")
    key, _ = acc.create_access_key(root_caller, "keyowner")
    acc.update_access_key(root_caller, key.access_key_id, "Inactive", "keyowner")
    assert access_key_with_owner(key.access_key_id).status == "Inactive"
    acc.delete_access_key(root_caller, key.access_key_id, "keyowner")
    assert access_key_with_owner(key.access_key_id) is None
    assert access_key_with_owner("AKIANOSUCHKEY0000000") is None


@pytest.mark.django_db
def test_recorded_event_is_the_row_stored(root_caller, iam_user_factory):
    caller = Caller(account=root_caller.account, user=root_caller.user, source_ip="10.1.2.3", user_agent="boto3",
                    access_key_id="AKIAEXAMPLE000000000", console=False)
    user = iam_user_factory("denied")
    with pytest.raises(AccessDenied) as denied:
        authz.require(Caller(account=user.account, user=user), "iam:CreateUser", "arn:aws:iam::1:user/x")

    event = record_event(caller.account, "CreateUser", caller=caller, resource="arn:x", error=denied.value)

    stored = ActivityEvent.objects.get(pk=event.pk)
    assert event.pk is not None and not event._state.adding
    for field in ActivityEvent._meta.concrete_fields:
        assert getattr(stored, field.attname) == getattr(event, field.attname), field.name
    assert stored.explanation["decision"] == "implicitDeny"
    assert (stored.result, stored.error_code, stored.source_ip, stored.mfa_used) == ("Failure", "AccessDenied", "10.1.2.3",
                                                                                       False)


@pytest.mark.django_db
def test_attaching_an_attached_policy_at_the_quota_is_a_no_op_and_one_more_is_refused(root_caller, iam_user_factory):
    iam_user_factory("full")
    arns = [pol.create_policy(root_caller, f"p{i}", DOC).arn for i in range(rules.MAX_MANAGED_POLICIES_PER_ENTITY + 1)]
    for arn in arns[:-1]:
        pol.attach_user_policy(root_caller, "full", arn)

    pol.attach_user_policy(root_caller, "full", arns[0])
    with pytest.raises(LimitExceeded):
        pol.attach_user_policy(root_caller, "full", arns[-1])
    assert PolicyAttachment.objects.filter(user__name="full").count() == rules.MAX_MANAGED_POLICIES_PER_ENTITY
    assert not PolicyAttachment.objects.filter(policy=ManagedPolicy.objects.get(name=f"p{len(arns) - 1}")).exists()


@pytest.mark.django_db
def test_adding_a_member_again_at_the_quota_is_a_no_op_and_one_more_group_is_refused(root_caller, iam_user_factory):
    iam_user_factory("joiner")
    names = [acc.create_group(root_caller, f"g{i}").name for i in range(rules.MAX_GROUPS_PER_USER + 1)]
    for name in names[:-1]:
        acc.add_user_to_group(root_caller, name, "joiner")

    again = acc.add_user_to_group(root_caller, names[0], "joiner")
    assert again.group == Group.objects.get(name=names[0])
    with pytest.raises(LimitExceeded):
        acc.add_user_to_group(root_caller, names[-1], "joiner")


@pytest.mark.django_db
def test_only_root_and_system_skip_evaluation(root_caller, iam_user_factory, other_root):
    user = iam_user_factory("plain")
    assert not authz.evaluates(root_caller)
    assert not authz.evaluates(Caller.system_for(root_caller.account))
    assert authz.evaluates(root_caller, resource_account=other_root.account.account_id)
    assert authz.evaluates(Caller(account=user.account, user=user))


@pytest.mark.django_db
def test_an_iam_user_is_still_judged_with_the_entitys_boundary(root_caller, iam_user_factory):
    """The boundary lookup skipped for root still feeds iam:PermissionsBoundary for IAM users."""
    boundary = pol.create_policy(root_caller, "boundary", DOC)
    target = pol.create_policy(root_caller, "target", DOC)
    iam_user_factory("bounded")
    pol.put_user_permissions_boundary(root_caller, "bounded", boundary.arn)
    admin = iam_user_factory("admin", policies=[{"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "iam:AttachUserPolicy", "Resource": "*",
         "Condition": {"StringEquals": {"iam:PermissionsBoundary": boundary.arn}}}]}])
    plain = iam_user_factory("plain2")
    caller = Caller(account=admin.account, user=admin)

    pol.attach_user_policy(caller, "bounded", target.arn)
    with pytest.raises(AccessDenied):
        pol.attach_user_policy(caller, "plain2", target.arn)
    assert PolicyAttachment.objects.filter(user=plain).count() == 0
