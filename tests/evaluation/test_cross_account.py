"""Cross-account requests need both sides.

https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
"""

from __future__ import annotations

import pytest

from policies.evaluation import ALLOWED, IMPLICIT_DENY, evaluate
from tests.evaluation._helpers import ACCT, OTHER, OTHER_ROOT, OTHER_USER, QUEUE, allow, policy, req, stmt

BUCKET_POLICY_FOR_OTHER_ACCOUNT = policy(stmt("Allow", "s3:GetObject", "arn:aws:s3:::shared/*", Principal={"AWS": OTHER}))
BUCKET_POLICY_FOR_MALLORY = policy(stmt("Allow", "s3:GetObject", "arn:aws:s3:::shared/*", Principal={"AWS": OTHER_USER}))
OBJ = "arn:aws:s3:::shared/report.csv"


@pytest.mark.parametrize(("identity", "resource_policy", "decision", "step"), [
    ([allow("s3:GetObject")], BUCKET_POLICY_FOR_OTHER_ACCOUNT, ALLOWED, "identityPolicy"),
    ([allow("s3:GetObject")], BUCKET_POLICY_FOR_MALLORY, ALLOWED, "identityPolicy"),
    ([], BUCKET_POLICY_FOR_MALLORY, IMPLICIT_DENY, "identityPolicy"),
    ([allow("s3:GetObject")], None, IMPLICIT_DENY, "resourcePolicy"),
    ([allow("s3:GetObject")], policy(stmt("Allow", "s3:GetObject", "*", Principal={"AWS": ACCT})), IMPLICIT_DENY, "resourcePolicy"),
], ids=["account-principal", "user-principal", "no-identity-allow", "no-resource-policy", "resource-policy-names-other-account"])
def test_cross_account_needs_identity_and_resource_policy(identity, resource_policy, decision, step):
    d = evaluate(req(OTHER_USER, resource=OBJ, resource_account=ACCT), identity_policies=identity, resource_policy=resource_policy)
    assert (d.decision, d.deciding_step) == (decision, step)
    assert d.cross_account


def test_cross_account_denial_names_the_resource_based_policy():
    d = evaluate(req(OTHER_USER, resource=OBJ, resource_account=ACCT), identity_policies=[allow()])
    assert d.deciding_policy_type == "resource-based policy"
    assert d.reason_phrase() == "because no resource-based policy allows the s3:GetObject action"


def test_cross_account_is_limited_by_the_callers_boundary():
    d = evaluate(req(OTHER_USER, resource=OBJ, resource_account=ACCT), identity_policies=[allow()],
                 resource_policy=BUCKET_POLICY_FOR_MALLORY, permission_boundary=allow("ec2:*"))
    assert (d.decision, d.deciding_step) == (IMPLICIT_DENY, "permissionsBoundary")


def test_cross_account_is_limited_by_the_callers_scps_only():
    r = req(OTHER_USER, resource=OBJ, resource_account=ACCT)
    kw = {"identity_policies": [allow()], "resource_policy": BUCKET_POLICY_FOR_MALLORY}
    assert evaluate(r, **kw, scps=[[allow("s3:*")]]).allowed
    assert evaluate(r, **kw, scps=[[allow("ec2:*")]]).deciding_step == "scp"


def test_other_accounts_root_needs_a_resource_policy():
    r = req(OTHER_ROOT, resource=OBJ, resource_account=ACCT)
    assert not evaluate(r).allowed
    assert evaluate(r, resource_policy=BUCKET_POLICY_FOR_OTHER_ACCOUNT).allowed


def test_resource_account_defaults_to_the_arn_account_then_the_principals():
    d = evaluate(req(OTHER_USER, action="sqs:SendMessage", resource=QUEUE), identity_policies=[allow()])
    assert (d.resource_account, d.cross_account, d.allowed) == (ACCT, True, False)
    d = evaluate(req(OTHER_USER, resource="arn:aws:s3:::bucket/k"), identity_policies=[allow()])
    assert (d.resource_account, d.cross_account, d.allowed) == (OTHER, False, True)
