"""The trust policies the create-role wizard generates for each trusted entity type."""

from __future__ import annotations

import json

import pytest

from accounts.errors import ValidationError
from accounts.role_views import build_trust_policy
from accounts.services.roles import (
    TRUSTED_SERVICES,
    account_trust_policy,
    check_trust_policy,
    service_trust_policy,
    trusted_entities,
)

BASE_DRAFT = {"entity_type": "service", "service": "ec2", "account_choice": "this", "account_id": "",
              "require_external_id": False, "external_id": "", "require_mfa": False, "policy_document": ""}


@pytest.mark.parametrize("service", TRUSTED_SERVICES, ids=lambda s: s.key)
def test_service_trust_policy_lets_the_service_assume_the_role(service):
    document = json.loads(service_trust_policy(service.principal))
    assert document == {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["sts:AssumeRole"], "Principal": {"Service": [service.principal]}}]}
    assert service.principal.endswith(".amazonaws.com")
    check_trust_policy(service_trust_policy(service.principal))  # accepted by CreateRole's checks


def test_common_services_are_offered():
    principals = {service.principal for service in TRUSTED_SERVICES}
    for expected in ("ec2", "lambda", "ecs-tasks", "glue", "codebuild", "cloudformation", "sagemaker", "states",
                     "apigateway", "batch", "events", "firehose", "rds", "redshift", "ssm"):
        assert f"{expected}.amazonaws.com" in principals


def test_this_account_trust_policy():
    draft = {**BASE_DRAFT, "entity_type": "account"}
    assert json.loads(build_trust_policy(draft, "111122223333")) == {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sts:AssumeRole"}]}


def test_another_account_with_external_id_and_mfa():
    draft = {**BASE_DRAFT, "entity_type": "account", "account_choice": "another", "account_id": "4444-5555-6666",
             "require_external_id": True, "external_id": "partner-42", "require_mfa": True}
    assert json.loads(build_trust_policy(draft, "111122223333")) == {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "sts:AssumeRole",
         "Condition": {"StringEquals": {"sts:ExternalId": "partner-42"}, "Bool": {"aws:MultiFactorAuthPresent": "true"}}}]}


def test_another_account_requires_a_12_digit_id():
    with pytest.raises(ValidationError):
        build_trust_policy({**BASE_DRAFT, "entity_type": "account", "account_choice": "another", "account_id": "123"}, "111122223333")


def test_external_id_must_be_at_least_2_characters():
    draft = {**BASE_DRAFT, "entity_type": "account", "require_external_id": True, "external_id": "x"}
    with pytest.raises(ValidationError):
        build_trust_policy(draft, "111122223333")


def test_custom_trust_policy_is_kept_as_typed_after_validation():
    text = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": "cognito-identity.amazonaws.com"}, "Action": "sts:AssumeRoleWithWebIdentity"}]}'
    assert build_trust_policy({**BASE_DRAFT, "entity_type": "custom", "policy_document": text}, "111122223333") == text


def test_trusted_entities_wording():
    assert trusted_entities(service_trust_policy("ec2.amazonaws.com")) == ["AWS Service: ec2"]
    assert trusted_entities(account_trust_policy("123456789012")) == ["Account: 123456789012"]
    text = json.dumps({"Statement": [{"Effect": "Allow", "Principal": {"Federated": "accounts.google.com"}, "Action": "sts:AssumeRoleWithWebIdentity"}]})
    assert trusted_entities(text) == ["Identity Provider: accounts.google.com"]
    assert trusted_entities(json.dumps({"Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:user/bob"}}]})) == \
        ["arn:aws:iam::123456789012:user/bob"]
