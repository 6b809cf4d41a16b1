"""Role trust policies decide sts:AssumeRole.

https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_compare-resource-policies.html
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
"""

from __future__ import annotations

from policies.evaluation import ALLOWED, EXPLICIT_DENY, IMPLICIT_DENY, evaluate
from tests.evaluation._helpers import ACCT, ALICE, OTHER, OTHER_USER, ROOT, allow, policy, req, stmt

ROLE_ARN = f"arn:aws:iam::{ACCT}:role/Auditor"


def trust(principal: object, **extra: object):
    return policy(stmt("Allow", "sts:AssumeRole", None, Principal=principal, **extra))


def assume(principal: str = ALICE):
    return req(principal, action="sts:AssumeRole", resource=ROLE_ARN)


def test_trust_policy_must_allow_even_with_an_identity_allow():
    d = evaluate(assume(), identity_policies=[allow("sts:AssumeRole")])
    assert (d.decision, d.deciding_step, d.deciding_policy_type) == (IMPLICIT_DENY, "trustPolicy", "resource-based policy")
    d = evaluate(assume(), identity_policies=[allow("sts:AssumeRole")], resource_policy=trust({"AWS": OTHER}))
    assert (d.decision, d.deciding_step) == (IMPLICIT_DENY, "trustPolicy")


def test_trust_policy_naming_the_user_suffices_in_the_same_account():
    d = evaluate(assume(), resource_policy=trust({"AWS": ALICE}))
    assert (d.decision, d.deciding_step) == (ALLOWED, "trustPolicy")


def test_trust_policy_naming_the_account_delegates_to_identity_policies():
    assert not evaluate(assume(), resource_policy=trust({"AWS": ACCT})).allowed
    assert evaluate(assume(), resource_policy=trust({"AWS": ACCT}), identity_policies=[allow("sts:AssumeRole")]).allowed


def test_cross_account_assume_role_needs_both_sides():
    r = req(OTHER_USER, action="sts:AssumeRole", resource=ROLE_ARN)
    tp = trust({"AWS": f"arn:aws:iam::{OTHER}:root"})
    assert not evaluate(r, resource_policy=tp).allowed
    d = evaluate(r, resource_policy=tp, identity_policies=[allow("sts:AssumeRole", ROLE_ARN)])
    assert d.allowed
    refs = {(ref.policy_type, ref.effect) for ref in d.matched_statements}
    assert refs == {("identity-based policy", "Allow"), ("resource-based policy", "Allow")}


def test_service_principal_assumes_a_role_through_the_trust_policy():
    r = req("ec2.amazonaws.com", action="sts:AssumeRole", resource=ROLE_ARN)
    assert evaluate(r, resource_policy=trust({"Service": "ec2.amazonaws.com"})).allowed
    assert not evaluate(r, resource_policy=trust({"Service": "lambda.amazonaws.com"})).allowed


def test_trust_policy_conditions_apply():
    tp = trust({"AWS": ALICE}, Condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}})
    assert not evaluate(assume(), resource_policy=tp).allowed
    assert evaluate(req(ALICE, action="sts:AssumeRole", resource=ROLE_ARN, context={"aws:MultiFactorAuthPresent": True}),
                    resource_policy=tp).allowed


def test_trust_policy_explicit_deny():
    tp = policy(stmt("Allow", "sts:AssumeRole", None, Principal={"AWS": ACCT}),
                stmt("Deny", "sts:AssumeRole", None, Principal={"AWS": ALICE}))
    assert evaluate(assume(), resource_policy=tp, identity_policies=[allow()]).decision == EXPLICIT_DENY


def test_root_user_cannot_assume_a_role():
    d = evaluate(assume(ROOT), resource_policy=trust({"AWS": ACCT}))
    assert (d.decision, d.deciding_step) == (IMPLICIT_DENY, "root")
