"""The decision flow within one account: explicit deny, SCPs, RCPs, identity policies,
permissions boundaries, resource-based policies, the root user.

https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-basics.html
"""

from __future__ import annotations

from policies.evaluation import ALLOWED, EXPLICIT_DENY, IMPLICIT_DENY, evaluate
from tests.evaluation._helpers import (
    ACCT,
    ALICE,
    BOB,
    QUEUE,
    ROLE,
    ROLE_SESSION,
    ROOT,
    allow,
    deny,
    policy,
    req,
    stmt,
)

FULL = allow()


def test_requests_are_implicitly_denied_by_default():
    d = evaluate(req())
    assert (d.decision, d.deciding_step, d.deciding_policy_type) == (IMPLICIT_DENY, "identityPolicy", "identity-based policy")
    assert d.matched_statements == ()


def test_identity_policy_allow_allows():
    d = evaluate(req(), identity_policies=[allow("s3:GetObject")])
    assert (d.decision, d.deciding_step, d.allowed) == (ALLOWED, "identityPolicy", True)
    assert [r.effect for r in d.matched_statements] == ["Allow"]


def test_explicit_deny_beats_allow():
    d = evaluate(req(), identity_policies=[FULL, deny("s3:*")])
    assert (d.decision, d.deciding_step, d.deciding_policy_type) == (EXPLICIT_DENY, "explicitDeny", "identity-based policy")
    assert [(r.policy_label, r.effect) for r in d.matched_statements] == [("identity_policies[1]", "Deny")]


def test_explicit_deny_in_resource_policy_beats_identity_allow():
    rp = policy(stmt("Deny", "s3:*", "*", Principal="*"))
    d = evaluate(req(), identity_policies=[FULL], resource_policy=rp)
    assert (d.decision, d.deciding_policy_type) == (EXPLICIT_DENY, "resource-based policy")


def test_explicit_deny_in_permissions_boundary_and_session_policy():
    d = evaluate(req(ROLE_SESSION), identity_policies=[FULL], permission_boundary=policy(stmt(), stmt("Deny", "s3:Get*")))
    assert (d.decision, d.deciding_policy_type) == (EXPLICIT_DENY, "permissions boundary")
    d = evaluate(req(ROLE_SESSION), identity_policies=[FULL], session_policy=policy(stmt(), stmt("Deny", "s3:Get*")))
    assert (d.decision, d.deciding_policy_type) == (EXPLICIT_DENY, "session policy")


# https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html
def test_every_scp_level_must_allow():
    ok = evaluate(req(), identity_policies=[FULL], scps=[[FULL], [allow("s3:*")]])
    assert ok.allowed
    d = evaluate(req(), identity_policies=[FULL], scps=[[FULL], [allow("ec2:*")], [FULL]])
    assert (d.decision, d.deciding_step, d.deciding_policy_type) == (IMPLICIT_DENY, "scp", "service control policy")
    assert d.reason_phrase() == "because no service control policy allows the s3:GetObject action"


def test_scp_explicit_deny():
    d = evaluate(req(), identity_policies=[FULL], scps=[[FULL, deny("s3:GetObject")]])
    assert (d.decision, d.deciding_policy_type) == (EXPLICIT_DENY, "service control policy")
    assert d.reason_phrase() == "with an explicit deny in a service control policy"


def test_scps_do_not_grant_permissions():
    assert evaluate(req(), scps=[[FULL]]).decision == IMPLICIT_DENY


def test_scps_cap_what_resource_policies_grant_to_the_accounts_own_principals():
    rp = policy(stmt("Allow", "sqs:SendMessage", "*", Principal={"AWS": ALICE}))
    r = req(action="sqs:SendMessage", resource=QUEUE)
    assert evaluate(r, resource_policy=rp).allowed
    d = evaluate(r, resource_policy=rp, scps=[[allow("s3:*")]])
    assert (d.decision, d.deciding_step) == (IMPLICIT_DENY, "scp")


def test_scps_restrict_the_root_user_of_a_member_account():
    assert evaluate(req(ROOT)).decision == ALLOWED
    d = evaluate(req(ROOT), scps=[[deny("s3:*"), FULL]])
    assert d.decision == EXPLICIT_DENY


# https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
def test_rcp_explicit_deny_applies_to_supported_services():
    rcp = policy(stmt("Deny", "s3:*", "*", Principal="*", Condition={"StringNotEquals": {"aws:PrincipalOrgID": "o-123"}}))
    d = evaluate(req(), identity_policies=[FULL], rcps=[[rcp]])
    assert (d.decision, d.deciding_policy_type) == (EXPLICIT_DENY, "resource control policy")
    assert d.reason_phrase() == "with an explicit deny in a resource control policy"
    assert evaluate(req(context={"aws:PrincipalOrgID": "o-123"}), identity_policies=[FULL], rcps=[[rcp]]).allowed


def test_rcp_full_aws_access_is_assumed_so_rcps_without_allow_do_not_deny():
    d = evaluate(req(), identity_policies=[FULL], rcps=[[], [deny("sqs:*", Principal="*")]])
    assert d.allowed
    assert any(s.name == "rcp" and s.outcome == "passed" for s in d.steps)


def test_rcps_do_not_apply_to_services_that_do_not_support_them():
    rcp = policy(stmt("Deny", "*", "*", Principal="*"))
    d = evaluate(req(action="iam:GetUser", resource=f"arn:aws:iam::{ACCT}:user/x"), identity_policies=[FULL], rcps=[[rcp]])
    assert d.allowed


def test_permissions_boundary_limits_identity_policy():
    d = evaluate(req(), identity_policies=[FULL], permission_boundary=allow("ec2:*"))
    assert (d.decision, d.deciding_step, d.deciding_policy_type) == (IMPLICIT_DENY, "permissionsBoundary", "permissions boundary")
    assert d.reason_phrase("s3:GetObject") == "because no permissions boundary allows the s3:GetObject action"
    assert evaluate(req(), identity_policies=[FULL], permission_boundary=allow("s3:*")).allowed


def test_permissions_boundary_does_not_grant_permissions():
    assert evaluate(req(), permission_boundary=FULL).decision == IMPLICIT_DENY


# In the same account an allow in either the identity policy or the resource policy suffices.
def test_same_account_resource_policy_naming_the_user_suffices_without_identity_policy():
    rp = policy(stmt("Allow", "sqs:SendMessage", "*", Principal={"AWS": ALICE}))
    d = evaluate(req(action="sqs:SendMessage", resource=QUEUE), resource_policy=rp)
    assert (d.decision, d.deciding_step) == (ALLOWED, "resourcePolicy")
    assert d.matched_statements[0].policy_type == "resource-based policy"


def test_same_account_identity_policy_suffices_without_resource_policy_allow():
    rp = policy(stmt("Allow", "sqs:SendMessage", "*", Principal={"AWS": BOB}))
    assert evaluate(req(action="sqs:SendMessage", resource=QUEUE), identity_policies=[FULL], resource_policy=rp).allowed


# https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
def test_resource_policy_naming_a_user_is_not_limited_by_the_boundary():
    rp = policy(stmt("Allow", "sqs:SendMessage", "*", Principal={"AWS": ALICE}))
    d = evaluate(req(action="sqs:SendMessage", resource=QUEUE), resource_policy=rp, permission_boundary=allow("ec2:*"))
    assert d.allowed


def test_resource_policy_naming_the_role_is_limited_by_boundary_and_session_policy():
    rp = policy(stmt("Allow", "sqs:SendMessage", "*", Principal={"AWS": ROLE}))
    r = req(ROLE_SESSION, action="sqs:SendMessage", resource=QUEUE)
    assert evaluate(r, resource_policy=rp).allowed
    d = evaluate(r, resource_policy=rp, permission_boundary=allow("ec2:*"))
    assert (d.decision, d.deciding_step) == (IMPLICIT_DENY, "permissionsBoundary")
    d = evaluate(r, resource_policy=rp, session_policy=allow("ec2:*"))
    assert (d.decision, d.deciding_step) == (IMPLICIT_DENY, "sessionPolicy")
    assert evaluate(r, resource_policy=rp, permission_boundary=allow("sqs:*"), session_policy=allow("sqs:*")).allowed


def test_resource_policy_naming_the_role_session_is_not_limited_by_boundary_or_session_policy():
    rp = policy(stmt("Allow", "sqs:SendMessage", "*", Principal={"AWS": ROLE_SESSION}))
    r = req(ROLE_SESSION, action="sqs:SendMessage", resource=QUEUE)
    assert evaluate(r, resource_policy=rp, permission_boundary=allow("ec2:*"), session_policy=allow("ec2:*")).allowed


def test_resource_policy_naming_the_account_only_delegates_to_identity_policies():
    rp = policy(stmt("Allow", "sqs:SendMessage", "*", Principal={"AWS": ACCT}))
    r = req(action="sqs:SendMessage", resource=QUEUE)
    d = evaluate(r, resource_policy=rp)
    assert (d.decision, d.deciding_step) == (IMPLICIT_DENY, "identityPolicy")
    assert evaluate(r, resource_policy=rp, identity_policies=[allow("sqs:*")]).allowed


# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
def test_deny_with_not_principal_applies_to_principals_with_a_boundary_whatever_the_list_says():
    rp = policy(stmt("Allow", "sqs:*", "*", Principal={"AWS": ALICE}),
                stmt("Deny", "sqs:*", "*", NotPrincipal={"AWS": [ALICE, ACCT]}))
    r = req(action="sqs:SendMessage", resource=QUEUE)
    assert evaluate(r, resource_policy=rp).allowed
    d = evaluate(r, resource_policy=rp, permission_boundary=FULL)
    assert d.decision == EXPLICIT_DENY


def test_deny_with_not_principal_listing_the_user_but_not_its_account_still_denies():
    rp = policy(stmt("Allow", "sqs:*", "*", Principal={"AWS": ALICE}), stmt("Deny", "sqs:*", "*", NotPrincipal={"AWS": ALICE}))
    assert evaluate(req(action="sqs:SendMessage", resource=QUEUE), resource_policy=rp).decision == EXPLICIT_DENY


def test_deny_with_not_principal_applies_to_other_principals():
    rp = policy(stmt("Deny", "sqs:*", "*", NotPrincipal={"AWS": ALICE}))
    d = evaluate(req(BOB, action="sqs:SendMessage", resource=QUEUE), identity_policies=[FULL], resource_policy=rp)
    assert d.decision == EXPLICIT_DENY


# "By default, all requests are implicitly denied with the exception of the AWS account root user".
def test_root_user_is_allowed_in_its_own_account():
    d = evaluate(req(ROOT, action="iam:CreateUser", resource=f"arn:aws:iam::{ACCT}:user/x"))
    assert (d.decision, d.deciding_step) == (ALLOWED, "root")


def test_root_user_is_stopped_by_an_explicit_deny_in_a_resource_policy():
    rp = policy(stmt("Deny", "s3:*", "*", Principal={"AWS": ACCT}))
    assert evaluate(req(ROOT), resource_policy=rp).decision == EXPLICIT_DENY


# https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html
def test_kms_key_policy_must_allow_even_in_the_same_account():
    key = f"arn:aws:kms:us-east-1:{ACCT}:key/1234"
    r = req(action="kms:Decrypt", resource=key)
    empty_key_policy = policy(stmt("Allow", "kms:DescribeKey", "*", Principal={"AWS": ALICE}))
    d = evaluate(r, identity_policies=[FULL], resource_policy=empty_key_policy)
    assert (d.decision, d.deciding_step, d.deciding_policy_type) == (IMPLICIT_DENY, "resourcePolicy", "resource-based policy")
    delegating = policy(stmt("Allow", "kms:*", "*", Principal={"AWS": f"arn:aws:iam::{ACCT}:root"}))
    assert evaluate(r, identity_policies=[FULL], resource_policy=delegating).allowed
    assert not evaluate(r, resource_policy=delegating).allowed
    assert not evaluate(req(ROOT, action="kms:Decrypt", resource=key), resource_policy=empty_key_policy).allowed


def test_service_principal_needs_a_resource_policy():
    r = req("sns.amazonaws.com", action="sqs:SendMessage", resource=QUEUE)
    assert evaluate(r).decision == IMPLICIT_DENY
    rp = policy(stmt("Allow", "sqs:SendMessage", "*", Principal={"Service": "sns.amazonaws.com"}))
    assert evaluate(r, resource_policy=rp).allowed
    assert evaluate(r, resource_policy=rp, scps=[[deny()]]).allowed  # SCPs govern the account's principals only


def test_unresolvable_identity_policy_inputs_are_parsed():
    d = evaluate(req(), identity_policies=[("inline:user/alice/P", '{"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}}')])  # type: ignore[list-item]
    assert d.allowed and d.matched_statements[0].policy_label == "inline:user/alice/P"
