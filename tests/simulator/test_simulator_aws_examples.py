"""Simulator results for the examples of AWS's pages, through SimulateCustomPolicy:

- "Policy evaluation logic" and "Policy evaluation for requests within a single account"
  (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-basics.html)
- "Cross-account policy evaluation logic"
  (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html)
- "Permissions boundaries for IAM entities" (access_policies_boundaries.html)
- "Testing IAM policies with the IAM policy simulator" (access_policies_testing-policies.html):
  missing context values, and the home-folder example of "Amazon S3: Allows IAM users access to
  their S3 home directory" (reference_policies_examples_s3_home-directory-console.html).

Each case asserts the decision and why (the deciding step, and the deciding statement's Sid).
"""

from __future__ import annotations

import json

import pytest

from policies import simulator

ACCOUNT_USER = "arn:aws:iam::{account}:user/carlos"  # {account} is the test account's id
OTHER_ACCOUNT_USER = "arn:aws:iam::210987654321:user/pat"


def pol(*statements) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def st(sid, effect, action, resource="*", **extra) -> dict:
    return {"Sid": sid, "Effect": effect, "Action": action, "Resource": resource, **extra}


CASES = [
    # (id, kwargs for simulate_custom_policy, action, resource, decision, deciding step, Sid or None)
    ("identity allows", dict(policy_input_list=[pol(st("ReadObjects", "Allow", "s3:GetObject", "arn:aws:s3:::amzn-s3-demo-bucket/*"))]),
     "s3:GetObject", "arn:aws:s3:::amzn-s3-demo-bucket/report.csv", "allowed", "identityPolicy", "ReadObjects"),
    ("nothing allows: implicit deny", dict(policy_input_list=[pol(st("ReadObjects", "Allow", "s3:GetObject"))]),
     "s3:PutObject", "arn:aws:s3:::amzn-s3-demo-bucket/report.csv", "implicitDeny", "identityPolicy", None),
    ("explicit deny overrides allow", dict(policy_input_list=[pol(st("AllS3", "Allow", "s3:*"), st("NoDelete", "Deny", "s3:DeleteObject"))]),
     "s3:DeleteObject", "arn:aws:s3:::amzn-s3-demo-bucket/a", "explicitDeny", "explicitDeny", "NoDelete"),
    ("same account: the resource-based policy alone allows",
     dict(policy_input_list=[pol(st("Other", "Allow", "sqs:SendMessage"))], caller_arn=ACCOUNT_USER,
          resource_policy=pol(st("BucketGrant", "Allow", "s3:GetObject", "arn:aws:s3:::amzn-s3-demo-bucket/*",
                                 Principal={"AWS": ACCOUNT_USER})),
          resource_owner="arn:aws:iam::{account}:root"),
     "s3:GetObject", "arn:aws:s3:::amzn-s3-demo-bucket/a", "allowed", "resourcePolicy", "BucketGrant"),
    ("resource-based deny overrides identity allow",
     dict(policy_input_list=[pol(st("AllS3", "Allow", "s3:*"))], caller_arn=ACCOUNT_USER,
          resource_policy=pol(st("DenyAll", "Deny", "s3:*", "arn:aws:s3:::amzn-s3-demo-bucket/*", Principal="*"))),
     "s3:GetObject", "arn:aws:s3:::amzn-s3-demo-bucket/a", "explicitDeny", "explicitDeny", "DenyAll"),
    ("cross account: resource policy alone is not enough",
     dict(policy_input_list=[pol(st("Other", "Allow", "sqs:SendMessage"))], caller_arn=OTHER_ACCOUNT_USER,
          resource_policy=pol(st("BucketGrant", "Allow", "s3:GetObject", "arn:aws:s3:::amzn-s3-demo-bucket/*",
                                 Principal={"AWS": OTHER_ACCOUNT_USER})),
          resource_owner="arn:aws:iam::{account}:root"),
     "s3:GetObject", "arn:aws:s3:::amzn-s3-demo-bucket/a", "implicitDeny", "identityPolicy", None),
    ("cross account: identity and resource policies both allow",
     dict(policy_input_list=[pol(st("ReadOthers", "Allow", "s3:GetObject"))], caller_arn=OTHER_ACCOUNT_USER,
          resource_policy=pol(st("BucketGrant", "Allow", "s3:GetObject", "arn:aws:s3:::amzn-s3-demo-bucket/*",
                                 Principal={"AWS": OTHER_ACCOUNT_USER})),
          resource_owner="arn:aws:iam::{account}:root"),
     "s3:GetObject", "arn:aws:s3:::amzn-s3-demo-bucket/a", "allowed", "identityPolicy", ["ReadOthers", "BucketGrant"]),
    ("boundary: effective permissions are the intersection",
     dict(policy_input_list=[pol(st("AllS3", "Allow", "s3:*"))],
          permissions_boundary_policies=[pol(st("OnlyRead", "Allow", ["s3:GetObject", "s3:ListBucket"]))]),
     "s3:PutObject", "arn:aws:s3:::amzn-s3-demo-bucket/a", "implicitDeny", "permissionsBoundary", None),
    ("boundary allows what identity allows",
     dict(policy_input_list=[pol(st("AllS3", "Allow", "s3:*"))],
          permissions_boundary_policies=[pol(st("OnlyRead", "Allow", ["s3:GetObject", "s3:ListBucket"]))]),
     "s3:GetObject", "arn:aws:s3:::amzn-s3-demo-bucket/a", "allowed", "identityPolicy", ["AllS3", "OnlyRead"]),
    ("SCP explicit deny", dict(policy_input_list=[pol(st("All", "Allow", "*"))],
                               scps=[pol(st("FullAWSAccess", "Allow", "*"), st("DenyLeaveOrg", "Deny", "organizations:LeaveOrganization"))]),
     "organizations:LeaveOrganization", "*", "explicitDeny", "explicitDeny", "DenyLeaveOrg"),
    ("SCP without an allow: implicit deny", dict(policy_input_list=[pol(st("All", "Allow", "*"))], scps=[pol(st("OnlyS3", "Allow", "s3:*"))]),
     "ec2:RunInstances", "*", "implicitDeny", "scp", None),
    ("home folder with the policy variable and s3:prefix",
     dict(policy_input_list=[pol(st("AllowListingOfUserFolder", "Allow", "s3:ListBucket", "arn:aws:s3:::amzn-s3-demo-bucket",
                                     Condition={"StringLike": {"s3:prefix": ["home/${aws:username}/*", "home/${aws:username}"]}}))],
          caller_arn=ACCOUNT_USER, context_entries=[{"ContextKeyName": "s3:prefix", "ContextKeyValues": ["home/carlos/photos"],
                                                     "ContextKeyType": "string"}]),
     "s3:ListBucket", "arn:aws:s3:::amzn-s3-demo-bucket", "allowed", "identityPolicy", "AllowListingOfUserFolder"),
    ("home folder of another user is denied",
     dict(policy_input_list=[pol(st("AllowListingOfUserFolder", "Allow", "s3:ListBucket", "arn:aws:s3:::amzn-s3-demo-bucket",
                                     Condition={"StringLike": {"s3:prefix": ["home/${aws:username}/*"]}}))],
          caller_arn=ACCOUNT_USER, context_entries=[{"ContextKeyName": "s3:prefix", "ContextKeyValues": ["home/maria/"],
                                                     "ContextKeyType": "string"}]),
     "s3:ListBucket", "arn:aws:s3:::amzn-s3-demo-bucket", "implicitDeny", "identityPolicy", None),
]


@pytest.mark.parametrize(("kwargs", "action", "resource", "decision", "step", "sid"),
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_aws_documented_example(root_caller, account, kwargs, action, resource, decision, step, sid):
    filled = {k: (v.replace("{account}", account.account_id) if isinstance(v, str) else v) for k, v in kwargs.items()}
    result = simulator.simulate_custom_policy(root_caller, action_names=[action], resource_arns=[resource], **filled)[0]
    out = result.to_dict()
    assert out["EvalDecision"] == decision
    assert result.decision.deciding_step == step
    sids = [m["Sid"] for m in out["MatchedStatements"]]
    assert sids == (sid if isinstance(sid, list) else [sid] if sid else [])


def test_missing_context_value_is_reported_for_the_condition_key(root_caller):
    # "Testing IAM policies with the IAM policy simulator": a condition key with no value is
    # reported in MissingContextValues and the statement does not apply.
    policy = pol(st("OnlyFromOffice", "Allow", "ec2:*", Condition={"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}))
    out = simulator.simulate_custom_policy(root_caller, [policy], ["ec2:DescribeInstances"])[0].to_dict()
    assert out["EvalDecision"] == "implicitDeny" and out["MissingContextValues"] == ["aws:SourceIp"]
