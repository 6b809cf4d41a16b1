"""Account alias rules: https://docs.aws.amazon.com/IAM/latest/UserGuide/console-account-alias.html"""

from __future__ import annotations

import pytest

from accounts import services
from accounts.errors import AccessDenied, EntityAlreadyExists, NoSuchEntity, ValidationError
from accounts.models import ActivityEvent
from accounts.principal import Caller
from tests.conftest import make_iam_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("alias", ["abc", "my-training-account", "a1b2c3", "x" * 63, "123-456"])
def test_valid_aliases_are_accepted(root_caller, alias):
    services.create_account_alias(root_caller, alias)
    root_caller.account.refresh_from_db()
    assert root_caller.account.alias == alias


@pytest.mark.parametrize(
    "alias",
    ["ab", "x" * 64, "-start", "end-", "double--hyphen", "UPPER", "under_score", "dot.ted", "123456789012"],
)
def test_invalid_aliases_are_rejected_and_change_nothing(root_caller, alias):
    with pytest.raises(ValidationError):
        services.create_account_alias(root_caller, alias)
    root_caller.account.refresh_from_db()
    assert root_caller.account.alias is None


def test_alias_pattern_error_uses_aws_wording(root_caller):
    with pytest.raises(ValidationError) as error:
        services.create_account_alias(root_caller, "Bad_Alias")
    assert "failed to satisfy constraint: Member must satisfy regular expression pattern" in error.value.message


def test_alias_is_unique_across_accounts(root_caller, other_root):
    services.create_account_alias(root_caller, "training")
    with pytest.raises(EntityAlreadyExists, match="The account alias training already exists."):
        services.create_account_alias(Caller(account=other_root.account, user=other_root), "training")


def test_new_alias_replaces_the_old_one(root_caller):
    services.create_account_alias(root_caller, "first")
    services.create_account_alias(root_caller, "second")
    root_caller.account.refresh_from_db()
    assert root_caller.account.alias == "second"


def test_delete_alias(root_caller):
    services.create_account_alias(root_caller, "training")
    services.delete_account_alias(root_caller, "training")
    root_caller.account.refresh_from_db()
    assert root_caller.account.alias is None
    assert list(ActivityEvent.objects.filter(event_name__in=["CreateAccountAlias", "DeleteAccountAlias"]).values_list("event_name", "result")) == [
        ("DeleteAccountAlias", "Success"),
        ("CreateAccountAlias", "Success"),
    ]


def test_delete_unknown_alias_is_no_such_entity(root_caller):
    with pytest.raises(NoSuchEntity):
        services.delete_account_alias(root_caller, "nothing")


def test_iam_user_without_permission_cannot_create_alias_and_the_denial_is_recorded(account):
    user = make_iam_user(account, "bob")
    caller = Caller(account=account, user=user)
    with pytest.raises(AccessDenied) as error:
        services.create_account_alias(caller, "training")
    assert error.value.message == (
        f"User: arn:aws:iam::{account.account_id}:user/bob is not authorized to perform: iam:CreateAccountAlias "
        "on resource: * because no identity-based policy allows the iam:CreateAccountAlias action"
    )
    event = ActivityEvent.objects.get(event_name="CreateAccountAlias")
    assert (event.result, event.error_code, event.actor_arn) == ("Failure", "AccessDenied", user.arn)
    assert event.explanation["decision"] == "implicitDeny"


def test_iam_user_allowed_by_policy_can_create_alias(account):
    user = make_iam_user(account, "alice", policies=[{
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "iam:*AccountAlias", "Resource": "*"}],
    }])
    services.create_account_alias(Caller(account=account, user=user), "team-alias")
    account.refresh_from_db()
    assert account.alias == "team-alias"
