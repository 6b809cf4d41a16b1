"""Role sessions, federated user sessions and session policies.

https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session
https://docs.aws.amazon.com/STS/latest/APIReference/API_GetFederationToken.html
"""

from __future__ import annotations

from policies.evaluation import ALLOWED, IMPLICIT_DENY, evaluate
from tests.evaluation._helpers import ACCT, FED_USER, QUEUE, ROLE_SESSION, allow, policy, req, stmt


def test_role_session_without_session_policy_has_the_roles_permissions():
    assert evaluate(req(ROLE_SESSION), identity_policies=[allow("s3:*")]).allowed


def test_session_policy_limits_a_role_session():
    d = evaluate(req(ROLE_SESSION), identity_policies=[allow("s3:*")], session_policy=allow("s3:PutObject"))
    assert (d.decision, d.deciding_step, d.deciding_policy_type) == (IMPLICIT_DENY, "sessionPolicy", "session policy")
    assert d.reason_phrase() == "because no session policy allows the s3:GetObject action"


def test_session_policy_does_not_grant_more_than_the_identity_policy():
    d = evaluate(req(ROLE_SESSION), identity_policies=[allow("ec2:*")], session_policy=allow())
    assert (d.decision, d.deciding_step) == (IMPLICIT_DENY, "identityPolicy")


def test_federated_user_without_session_policy_has_no_permissions():
    d = evaluate(req(FED_USER), identity_policies=[allow()])
    assert (d.decision, d.deciding_step) == (IMPLICIT_DENY, "sessionPolicy")


def test_federated_user_with_session_policy_gets_the_intersection():
    assert evaluate(req(FED_USER), identity_policies=[allow()], session_policy=allow("s3:GetObject")).allowed
    assert not evaluate(req(FED_USER, action="s3:PutObject"), identity_policies=[allow()], session_policy=allow("s3:GetObject")).allowed


def test_resource_policy_naming_the_federated_user_session_is_enough():
    rp = policy(stmt("Allow", "sqs:SendMessage", "*", Principal={"AWS": FED_USER}))
    d = evaluate(req(FED_USER, action="sqs:SendMessage", resource=QUEUE), resource_policy=rp)
    assert (d.decision, d.deciding_step) == (ALLOWED, "resourcePolicy")


def test_principal_context_keys_are_derived_only_when_absent():
    p = allow(Condition={"StringEquals": {"aws:PrincipalArn": f"arn:aws:iam::{ACCT}:role/Deployer",
                                          "aws:PrincipalType": "AssumedRole", "aws:PrincipalAccount": ACCT}})
    assert evaluate(req(ROLE_SESSION), identity_policies=[p]).allowed
    given = req(ROLE_SESSION, context={"aws:PrincipalType": "User"})
    assert not evaluate(given, identity_policies=[p]).allowed


def test_username_is_only_set_for_iam_users():
    p = allow(Condition={"Null": {"aws:username": "true"}})
    assert evaluate(req(ROLE_SESSION), identity_policies=[p]).allowed
    assert not evaluate(req(), identity_policies=[p]).allowed
