"""Review cases: one row per documented rule or adversarial input, each citing its AWS page.

The worst bug an engine can have is saying "allowed" where AWS denies, so most rows pin a denial.
Pages (https://docs.aws.amazon.com/IAM/latest/UserGuide/ unless a full address is given):
EVAL   reference_policies_evaluation-logic.html, ..._policy-eval-denyallow.html, ..._policy-eval-basics.html
XACCT  reference_policies_evaluation-logic-cross-account.html
BOUND  access_policies_boundaries.html
SESS   access_policies.html#policies_session
SCP    https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html
RCP    https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
COND   reference_policies_elements_condition_operators.html
VARS   reference_policies_variables.html
NOTP   reference_policies_elements_notprincipal.html
NOTA   reference_policies_elements_notaction.html
NOTR   reference_policies_elements_notresource.html
ACT    reference_policies_elements_action.html  RES reference_policies_elements_resource.html
KEYS   reference_policies_condition-keys.html ("Condition key names are not case-sensitive")
ROOT   id_root-user.html
TRUST  id_roles_compare-resource-policies.html, id_roles_terms-and-concepts.html (role trust policy)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from policies.evaluation import ALLOWED, EXPLICIT_DENY, IMPLICIT_DENY, Policy, evaluate
from tests.evaluation._helpers import (
    ACCT,
    ALICE,
    BUCKET_OBJ,
    FED_USER,
    OTHER,
    OTHER_USER,
    QUEUE,
    ROLE_SESSION,
    ROOT,
    allow,
    deny,
    policy,
    req,
    stmt,
)

FULL = allow()
ROLE_ARN = f"arn:aws:iam::{ACCT}:role/Deployer"  # the role of ROLE_SESSION (sessions drop the path)
TARGET_ROLE = f"arn:aws:iam::{ACCT}:role/Target"
OTHER_TARGET_ROLE = f"arn:aws:iam::{OTHER}:role/Target"


@dataclass(frozen=True)
class Case:
    id: str
    page: str
    principal: str
    action: str
    resource: str
    expect: str
    step: str | None = None
    context: dict = field(default_factory=dict)
    identity: tuple[Policy, ...] = ()
    boundary: Policy | None = None
    session: Policy | None = None
    resource_policy: Policy | None = None
    scps: tuple[tuple[Policy, ...], ...] = ()
    rcps: tuple[tuple[Policy, ...], ...] = ()
    resource_account: str | None = None


def trust(principal: object, **extra: object) -> Policy:
    return policy(stmt("Allow", "sts:AssumeRole", None, Principal=principal, **extra))


CASES = [
    # ---- explicit deny, NotAction, NotResource
    Case("deny-notaction-denies-everything-else", "NOTA", ALICE, "s3:GetObject", BUCKET_OBJ, EXPLICIT_DENY, "explicitDeny",
         identity=(FULL, policy(stmt("Deny", None, "*", NotAction=["iam:*"])))),
    Case("deny-notaction-spares-the-listed-actions", "NOTA", ALICE, "iam:GetUser", f"arn:aws:iam::{ACCT}:user/alice", ALLOWED,
         identity=(FULL, policy(stmt("Deny", None, "*", NotAction=["iam:*"])))),
    Case("allow-notaction-does-not-allow-the-listed-action", "NOTA", ALICE, "iam:CreateUser", f"arn:aws:iam::{ACCT}:user/x",
         IMPLICIT_DENY, "identityPolicy", identity=(policy(stmt("Allow", None, "*", NotAction="iam:*")),)),
    Case("allow-notresource-wildcard-excludes-matching-resources", "NOTR", ALICE, "s3:GetObject", "arn:aws:s3:::secret/x",
         IMPLICIT_DENY, "identityPolicy", identity=(policy(stmt("Allow", "s3:*", None, NotResource="arn:aws:s3:::secret/*")),)),
    Case("allow-notresource-wildcard-allows-others", "NOTR", ALICE, "s3:GetObject", "arn:aws:s3:::public/x", ALLOWED,
         identity=(policy(stmt("Allow", "s3:*", None, NotResource="arn:aws:s3:::secret/*")),)),
    Case("deny-notresource-wildcard-denies-others", "NOTR", ALICE, "s3:GetObject", "arn:aws:s3:::other/x", EXPLICIT_DENY,
         identity=(FULL, policy(stmt("Deny", "s3:*", None, NotResource=["arn:aws:s3:::HRBucket/Payroll", "arn:aws:s3:::HRBucket/Payroll/*"])))),
    Case("deny-notresource-spares-listed", "NOTR", ALICE, "s3:GetObject", "arn:aws:s3:::HRBucket/Payroll/x", ALLOWED,
         identity=(FULL, policy(stmt("Deny", "s3:*", None, NotResource=["arn:aws:s3:::HRBucket/Payroll", "arn:aws:s3:::HRBucket/Payroll/*"])))),
    Case("deny-with-short-arn-pattern-denies", "RES", ALICE, "sqs:SendMessage", QUEUE, EXPLICIT_DENY,
         identity=(FULL, deny("sqs:*", "arn:aws:sqs:*"))),
    Case("deny-with-short-arn-without-wildcard-denies", "RES", ALICE, "sqs:SendMessage", QUEUE, EXPLICIT_DENY,
         identity=(FULL, deny("sqs:*", "arn:aws:sqs:us-east-1"))),
    Case("deny-notresource-short-arn-spares-the-service", "NOTR", ALICE, "sqs:SendMessage", QUEUE, ALLOWED,
         identity=(FULL, policy(stmt("Deny", "*", None, NotResource="arn:aws:sqs:*")))),
    Case("short-arn-with-variable-is-completed", "VARS", ALICE, "sqs:SendMessage", f"arn:aws:sqs:us-east-1:{ACCT}:alice",
         EXPLICIT_DENY, identity=(FULL, deny("sqs:*", "arn:aws:sqs:*:${aws:PrincipalAccount}"))),
    Case("allow-with-principal-in-an-identity-policy-grants-nothing", "EVAL", ALICE, "s3:GetObject", BUCKET_OBJ, IMPLICIT_DENY,
         identity=(policy(stmt("Allow", "s3:*", "*", Principal={"AWS": ALICE})),)),
    Case("deny-with-principal-in-an-identity-policy-still-denies", "EVAL", ALICE, "s3:GetObject", BUCKET_OBJ, EXPLICIT_DENY,
         identity=(FULL, policy(stmt("Deny", "s3:*", "*", Principal={"AWS": f"arn:aws:iam::{ACCT}:user/bob"})))),
    # ---- case: actions insensitive, resources sensitive, key names insensitive
    Case("action-names-are-case-insensitive", "ACT", ALICE, "s3:GetObject", BUCKET_OBJ, ALLOWED, identity=(allow("S3:getOBJECT"),)),
    Case("resource-arns-are-case-sensitive", "RES", ALICE, "s3:GetObject", "arn:aws:s3:::bucket/Key", IMPLICIT_DENY,
         identity=(allow("s3:GetObject", "arn:aws:s3:::bucket/key"),)),
    Case("resource-wildcard-is-case-sensitive", "RES", ALICE, "s3:GetObject", "arn:aws:s3:::Bucket/key", IMPLICIT_DENY,
         identity=(allow("s3:GetObject", "arn:aws:s3:::bucket/*"),)),
    Case("condition-key-name-case-does-not-matter", "KEYS", ALICE, "s3:GetObject", BUCKET_OBJ, ALLOWED,
         context={"aws:SourceIp": "203.0.113.9"}, identity=(allow(Condition={"IpAddress": {"AWS:SOURCEIP": "203.0.113.0/24"}}),)),
    Case("principaltag-key-case-does-not-matter", "KEYS", ALICE, "s3:GetObject", BUCKET_OBJ, ALLOWED,
         context={"aws:principaltag/team": "blue"}, identity=(allow(Condition={"StringEquals": {"aws:PrincipalTag/Team": "blue"}}),)),
    Case("principaltag-value-case-matters-for-stringequals", "COND", ALICE, "s3:GetObject", BUCKET_OBJ, IMPLICIT_DENY,
         context={"aws:PrincipalTag/team": "Blue"}, identity=(allow(Condition={"StringEquals": {"aws:PrincipalTag/team": "blue"}}),)),
    Case("deny-on-a-key-in-other-case-still-denies", "KEYS", ALICE, "s3:GetObject", BUCKET_OBJ, EXPLICIT_DENY,
         context={"AWS:SecureTransport": "false"}, identity=(FULL, deny(Condition={"Bool": {"aws:securetransport": "false"}}))),
    # ---- ${*}: a literal asterisk
    Case("stringlike-dollar-star-is-a-literal-star", "VARS", ALICE, "s3:ListBucket", "arn:aws:s3:::b", IMPLICIT_DENY,
         context={"s3:prefix": "abc"}, identity=(allow(Condition={"StringLike": {"s3:prefix": "a${*}"}}),)),
    Case("stringlike-dollar-star-matches-a-star", "VARS", ALICE, "s3:ListBucket", "arn:aws:s3:::b", ALLOWED,
         context={"s3:prefix": "a*"}, identity=(allow(Condition={"StringLike": {"s3:prefix": "a${*}"}}),)),
    Case("resource-dollar-star-is-a-literal-star", "VARS", ALICE, "s3:GetObject", "arn:aws:s3:::b/anything", IMPLICIT_DENY,
         identity=(allow("s3:GetObject", "arn:aws:s3:::b/${*}"),)),
    # ---- a Deny whose condition key is missing
    Case("deny-stringequals-missing-key-does-not-deny", "COND", ALICE, "s3:GetObject", BUCKET_OBJ, ALLOWED,
         identity=(FULL, deny(Condition={"StringEquals": {"aws:RequestedRegion": "us-west-2"}}))),
    Case("deny-stringnotequals-missing-key-denies", "COND", ALICE, "s3:GetObject", BUCKET_OBJ, EXPLICIT_DENY,
         identity=(FULL, deny(Condition={"StringNotEquals": {"aws:RequestedRegion": "us-east-1"}}))),
    Case("deny-bool-missing-key-does-not-deny", "COND", ALICE, "s3:GetObject", BUCKET_OBJ, ALLOWED,
         identity=(FULL, deny(Condition={"Bool": {"aws:MultiFactorAuthPresent": "false"}}))),
    Case("deny-boolifexists-missing-key-denies", "COND", ALICE, "s3:GetObject", BUCKET_OBJ, EXPLICIT_DENY,
         identity=(FULL, deny(Condition={"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}))),
    Case("deny-notipaddress-missing-key-denies", "COND", ALICE, "s3:GetObject", BUCKET_OBJ, EXPLICIT_DENY,
         identity=(FULL, deny(Condition={"NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}}))),
    Case("deny-null-true-missing-key-denies", "COND", ALICE, "s3:GetObject", BUCKET_OBJ, EXPLICIT_DENY,
         identity=(FULL, deny(Condition={"Null": {"aws:MultiFactorAuthAge": "true"}}))),
    Case("deny-foranyvalue-missing-key-does-not-deny", "COND", ALICE, "s3:GetObject", BUCKET_OBJ, ALLOWED,
         identity=(FULL, deny(Condition={"ForAnyValue:StringEquals": {"aws:TagKeys": "secret"}}))),
    Case("deny-forallvalues-missing-key-denies", "COND", ALICE, "s3:GetObject", BUCKET_OBJ, EXPLICIT_DENY,
         identity=(FULL, deny(Condition={"ForAllValues:StringEquals": {"aws:TagKeys": "secret"}}))),
    Case("deny-forallvalues-empty-string-denies", "COND", ALICE, "s3:GetObject", BUCKET_OBJ, EXPLICIT_DENY,
         context={"aws:TagKeys": ""}, identity=(FULL, deny(Condition={"ForAllValues:StringEquals": {"aws:TagKeys": "secret"}}))),
    Case("negated-multivalued-means-none-of-these", "COND", ALICE, "s3:GetObject", BUCKET_OBJ, EXPLICIT_DENY,
         context={"aws:RequestedRegion": "ap-south-1"},
         identity=(FULL, deny(Condition={"StringNotEquals": {"aws:RequestedRegion": ["us-east-1", "eu-west-1"]}}))),
    # ---- unresolved variables
    Case("unresolved-variable-in-resource-matches-nothing", "VARS", ROLE_SESSION, "s3:GetObject",
         "arn:aws:s3:::home/${aws:username}/x", IMPLICIT_DENY, identity=(allow("s3:GetObject", "arn:aws:s3:::home/${aws:username}/*"),)),
    Case("unresolved-variable-in-allow-notresource-grants-nothing", "VARS", ROLE_SESSION, "s3:GetObject", BUCKET_OBJ,
         IMPLICIT_DENY, identity=(policy(stmt("Allow", "s3:*", None, NotResource="arn:aws:s3:::home/${aws:username}/*")),)),
    Case("unresolved-variable-in-deny-notresource-still-denies", "VARS", ROLE_SESSION, "s3:GetObject", BUCKET_OBJ,
         EXPLICIT_DENY, identity=(FULL, policy(stmt("Deny", "s3:*", None, NotResource="arn:aws:s3:::home/${aws:username}/*")))),
    Case("negated-operator-against-unresolved-variable-matches", "VARS", ROLE_SESSION, "s3:GetObject", BUCKET_OBJ,
         EXPLICIT_DENY, context={"aws:ResourceTag/owner": "x"},
         identity=(FULL, deny(Condition={"StringNotEquals": {"aws:ResourceTag/owner": "${aws:username}"}}))),
    # ---- permissions boundaries
    Case("boundary-allows-identity-denies", "BOUND", ALICE, "s3:GetObject", BUCKET_OBJ, EXPLICIT_DENY, "explicitDeny",
         identity=(FULL, deny("s3:GetObject")), boundary=FULL),
    Case("boundary-does-not-grant", "BOUND", ALICE, "s3:GetObject", BUCKET_OBJ, IMPLICIT_DENY, "identityPolicy", boundary=FULL),
    Case("boundary-explicit-deny-beats-resource-policy-naming-the-user", "BOUND", ALICE, "sqs:SendMessage", QUEUE, EXPLICIT_DENY,
         boundary=policy(stmt(), stmt("Deny", "sqs:*")),
         resource_policy=policy(stmt("Allow", "sqs:SendMessage", QUEUE, Principal={"AWS": ALICE}))),
    Case("resource-policy-naming-the-user-ignores-boundary-implicit-deny", "BOUND", ALICE, "sqs:SendMessage", QUEUE, ALLOWED,
         boundary=allow("s3:*"), resource_policy=policy(stmt("Allow", "sqs:SendMessage", QUEUE, Principal={"AWS": ALICE}))),
    Case("resource-policy-naming-the-role-is-limited-by-boundary", "BOUND", ROLE_SESSION, "sqs:SendMessage", QUEUE, IMPLICIT_DENY,
         "permissionsBoundary", boundary=allow("s3:*"),
         resource_policy=policy(stmt("Allow", "sqs:SendMessage", QUEUE, Principal={"AWS": ROLE_ARN}))),
    Case("resource-policy-naming-the-session-ignores-boundary", "BOUND", ROLE_SESSION, "sqs:SendMessage", QUEUE, ALLOWED,
         boundary=allow("s3:*"), resource_policy=policy(stmt("Allow", "sqs:SendMessage", QUEUE, Principal={"AWS": ROLE_SESSION}))),
    Case("resource-policy-naming-the-account-needs-identity-and-boundary", "BOUND", ALICE, "sqs:SendMessage", QUEUE, IMPLICIT_DENY,
         "permissionsBoundary", identity=(FULL,), boundary=allow("s3:*"),
         resource_policy=policy(stmt("Allow", "sqs:SendMessage", QUEUE, Principal={"AWS": ACCT}))),
    # ---- session policies
    Case("session-policy-and-resource-policy-naming-the-session", "SESS", ROLE_SESSION, "sqs:SendMessage", QUEUE, ALLOWED,
         session=allow("s3:*"), resource_policy=policy(stmt("Allow", "sqs:SendMessage", QUEUE, Principal={"AWS": ROLE_SESSION}))),
    Case("session-policy-limits-resource-policy-naming-the-role", "SESS", ROLE_SESSION, "sqs:SendMessage", QUEUE, IMPLICIT_DENY,
         "sessionPolicy", session=allow("s3:*"),
         resource_policy=policy(stmt("Allow", "sqs:SendMessage", QUEUE, Principal={"AWS": ROLE_ARN}))),
    Case("session-policy-does-not-grant", "SESS", ROLE_SESSION, "s3:GetObject", BUCKET_OBJ, IMPLICIT_DENY, "identityPolicy",
         session=FULL),
    Case("session-policy-explicit-deny-beats-resource-policy-naming-the-session", "SESS", ROLE_SESSION, "sqs:SendMessage", QUEUE,
         EXPLICIT_DENY, session=policy(stmt(), stmt("Deny", "sqs:SendMessage")),
         resource_policy=policy(stmt("Allow", "sqs:SendMessage", QUEUE, Principal={"AWS": ROLE_SESSION}))),
    Case("federated-user-without-session-policy-has-nothing", "SESS", FED_USER, "s3:GetObject", BUCKET_OBJ, IMPLICIT_DENY,
         identity=(FULL,)),
    # ---- SCPs
    Case("scp-allowing-only-via-notaction-allows-other-services", "SCP", ALICE, "s3:GetObject", BUCKET_OBJ, ALLOWED,
         identity=(FULL,), scps=((policy(stmt("Allow", None, "*", NotAction=["ec2:*"])),),)),
    Case("scp-allowing-only-via-notaction-denies-the-listed", "SCP", ALICE, "ec2:RunInstances", "*", IMPLICIT_DENY, "scp",
         identity=(FULL,), scps=((policy(stmt("Allow", None, "*", NotAction=["ec2:*"])),),)),
    Case("scp-implicit-deny-applies-to-the-root-user", "SCP", ROOT, "s3:GetObject", BUCKET_OBJ, IMPLICIT_DENY, "scp",
         scps=((allow("ec2:*"),),)),
    Case("scp-caps-resource-policy-naming-the-user", "SCP", ALICE, "sqs:SendMessage", QUEUE, IMPLICIT_DENY, "scp",
         scps=((allow("s3:*"),),), resource_policy=policy(stmt("Allow", "sqs:SendMessage", QUEUE, Principal={"AWS": ALICE}))),
    Case("scp-of-the-callers-account-applies-cross-account", "XACCT", OTHER_USER, "sqs:SendMessage", QUEUE, IMPLICIT_DENY, "scp",
         identity=(FULL,), scps=((allow("s3:*"),),), resource_policy=policy(stmt("Allow", "sqs:SendMessage", QUEUE, Principal={"AWS": OTHER}))),
    Case("scp-level-without-allow-denies", "SCP", ALICE, "s3:GetObject", BUCKET_OBJ, IMPLICIT_DENY, "scp",
         identity=(FULL,), scps=((FULL,), (deny("ec2:*"),))),
    Case("scps-do-not-affect-service-linked-roles", "SCP", f"arn:aws:sts::{ACCT}:assumed-role/AWSServiceRoleForSupport/s",
         "s3:GetObject", BUCKET_OBJ, ALLOWED, identity=(FULL,), scps=((deny("*"),),),
         context={"aws:PrincipalArn": f"arn:aws:iam::{ACCT}:role/aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport"}),
    Case("scps-affect-a-session-whose-role-path-is-unknown", "SCP", f"arn:aws:sts::{ACCT}:assumed-role/AWSServiceRoleForSupport/s",
         "s3:GetObject", BUCKET_OBJ, EXPLICIT_DENY, identity=(FULL,), scps=((deny("*"),),)),
    Case("scps-affect-a-session-when-principalarn-names-another-role", "SCP", ROLE_SESSION, "s3:GetObject", BUCKET_OBJ,
         EXPLICIT_DENY, identity=(FULL,), scps=((deny("*"),),),
         context={"aws:PrincipalArn": f"arn:aws:iam::{ACCT}:role/aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport"}),
    # ---- RCPs
    Case("rcp-deny-applies-to-the-accounts-own-principals", "RCP", ALICE, "s3:GetObject", BUCKET_OBJ, EXPLICIT_DENY,
         identity=(FULL,), rcps=((policy(stmt("Deny", "s3:*", "*", Principal="*", Condition={"Bool": {"aws:SecureTransport": "false"}})),),),
         context={"aws:SecureTransport": "false"}),
    # ---- role trust policies
    Case("trust-naming-account-root-cross-account-without-identity-allow", "TRUST", OTHER_USER, "sts:AssumeRole", TARGET_ROLE,
         IMPLICIT_DENY, "identityPolicy", identity=(allow("s3:*"),), resource_policy=trust({"AWS": f"arn:aws:iam::{OTHER}:root"})),
    Case("trust-naming-account-root-cross-account-with-identity-allow", "TRUST", OTHER_USER, "sts:AssumeRole", TARGET_ROLE,
         ALLOWED, identity=(allow("sts:AssumeRole", TARGET_ROLE),), resource_policy=trust({"AWS": f"arn:aws:iam::{OTHER}:root"})),
    Case("trust-naming-the-user-same-account-needs-no-identity-policy", "TRUST", ALICE, "sts:AssumeRole", TARGET_ROLE, ALLOWED,
         resource_policy=trust({"AWS": ALICE})),
    Case("trust-naming-the-account-same-account-needs-identity-policy", "TRUST", ALICE, "sts:AssumeRole", TARGET_ROLE,
         IMPLICIT_DENY, "identityPolicy", resource_policy=trust({"AWS": ACCT})),
    Case("trust-policy-must-allow-even-with-identity-allow", "TRUST", ALICE, "sts:AssumeRole", TARGET_ROLE, IMPLICIT_DENY,
         "trustPolicy", identity=(FULL,), resource_policy=trust({"AWS": f"arn:aws:iam::{ACCT}:user/bob"})),
    Case("no-trust-policy-no-assume", "TRUST", ALICE, "sts:AssumeRole", TARGET_ROLE, IMPLICIT_DENY, "trustPolicy",
         identity=(FULL,)),
    Case("cross-account-trust-naming-user-still-needs-identity-allow", "XACCT", ALICE, "sts:AssumeRole", OTHER_TARGET_ROLE,
         IMPLICIT_DENY, "identityPolicy", resource_policy=trust({"AWS": ALICE})),
    # ---- cross-account
    Case("cross-account-resource-policy-alone-is-not-enough", "XACCT", OTHER_USER, "s3:GetObject", BUCKET_OBJ, IMPLICIT_DENY,
         "identityPolicy", resource_account=ACCT, resource_policy=policy(stmt("Allow", "s3:GetObject", "*", Principal={"AWS": OTHER_USER}))),
    Case("cross-account-identity-policy-alone-is-not-enough", "XACCT", OTHER_USER, "s3:GetObject", BUCKET_OBJ, IMPLICIT_DENY,
         "resourcePolicy", resource_account=ACCT, identity=(FULL,)),
    Case("cross-account-boundary-of-the-caller-applies", "XACCT", OTHER_USER, "s3:GetObject", BUCKET_OBJ, IMPLICIT_DENY,
         "permissionsBoundary", resource_account=ACCT, identity=(FULL,), boundary=allow("ec2:*"),
         resource_policy=policy(stmt("Allow", "s3:GetObject", "*", Principal={"AWS": OTHER_USER}))),
    Case("cross-account-session-policy-limits-even-when-the-session-is-named", "XACCT",
         f"arn:aws:sts::{OTHER}:assumed-role/Reader/s1", "s3:GetObject", BUCKET_OBJ, IMPLICIT_DENY, "sessionPolicy",
         resource_account=ACCT, identity=(FULL,), session=allow("ec2:*"),
         resource_policy=policy(stmt("Allow", "s3:GetObject", "*", Principal={"AWS": f"arn:aws:sts::{OTHER}:assumed-role/Reader/s1"}))),
    Case("cross-account-rcp-of-the-resource-account-applies", "RCP", OTHER_USER, "s3:GetObject", BUCKET_OBJ, EXPLICIT_DENY,
         resource_account=ACCT, identity=(FULL,),
         resource_policy=policy(stmt("Allow", "s3:GetObject", "*", Principal={"AWS": OTHER_USER})),
         rcps=((policy(stmt("Deny", "s3:*", "*", Principal="*", Condition={"StringNotEqualsIfExists": {"aws:PrincipalAccount": ACCT}})),),)),
    # ---- root user
    Case("root-cannot-assume-a-role", "ROOT", ROOT, "sts:AssumeRole", TARGET_ROLE, IMPLICIT_DENY,
         resource_policy=trust({"AWS": ACCT})),
    Case("root-of-another-account-needs-resource-policy", "ROOT", f"arn:aws:iam::{OTHER}:root", "s3:GetObject", BUCKET_OBJ,
         IMPLICIT_DENY, resource_account=ACCT),
    Case("root-explicit-deny-in-resource-policy", "ROOT", ROOT, "s3:GetObject", BUCKET_OBJ, EXPLICIT_DENY,
         resource_account=ACCT, resource_policy=policy(stmt("Deny", "s3:*", "*", Principal="*"))),
    # ---- NotPrincipal
    Case("deny-notprincipal-with-boundary-always-applies", "NOTP", ALICE, "s3:GetObject", BUCKET_OBJ, EXPLICIT_DENY,
         identity=(FULL,), boundary=FULL,
         resource_policy=policy(stmt("Deny", "s3:*", "*", NotPrincipal={"AWS": [ALICE, f"arn:aws:iam::{ACCT}:root"]}))),
    Case("deny-notprincipal-listing-only-the-session-still-denies", "NOTP", ROLE_SESSION, "s3:GetObject", BUCKET_OBJ, EXPLICIT_DENY,
         identity=(FULL,), resource_policy=policy(stmt("Deny", "s3:*", "*", NotPrincipal={"AWS": [ROLE_SESSION]}))),
]


@pytest.mark.parametrize("case", [pytest.param(c, id=f"{c.page}:{c.id}") for c in CASES])
def test_review_case(case: Case) -> None:
    d = evaluate(
        req(case.principal, case.action, case.resource, case.resource_account, case.context),
        identity_policies=list(case.identity), permission_boundary=case.boundary, session_policy=case.session,
        resource_policy=case.resource_policy, scps=[list(level) for level in case.scps],
        rcps=[list(level) for level in case.rcps],
    )
    assert d.decision == case.expect, d.explanation["summary"]
    if case.step is not None:
        assert d.deciding_step == case.step, d.explanation["summary"]
