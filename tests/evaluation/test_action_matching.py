"""Action and NotAction matching.

https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html
"""

from __future__ import annotations

import pytest

from policies.evaluation.matching import action_matches, compile_actions

CASES = [
    ("exact", ["s3:GetObject"], "s3:GetObject", True),
    ("case-insensitive-name", ["s3:getobject"], "s3:GetObject", True),
    ("case-insensitive-service", ["S3:GETOBJECT"], "s3:GetObject", True),
    ("other-action", ["s3:GetObject"], "s3:PutObject", False),
    ("star", ["*"], "iam:CreateUser", True),
    ("service-star", ["s3:*"], "s3:PutObject", True),
    ("service-star-other-service", ["s3:*"], "s3express:CreateSession", False),
    ("prefix", ["iam:Get*"], "iam:GetUser", True),
    ("prefix-no-match", ["iam:Get*"], "iam:ListUsers", False),
    ("suffix", ["iam:*Report"], "iam:GetCredentialReport", True),
    ("question-mark", ["ec2:?escribeInstances"], "ec2:DescribeInstances", True),
    ("question-mark-one-char", ["ec2:?DescribeInstances"], "ec2:DescribeInstances", False),
    ("wildcard-service", ["*:Describe*"], "ec2:DescribeVpcs", True),
    ("wildcard-service-no", ["*:Describe*"], "ec2:RunInstances", False),
    ("prefix-does-not-cross-service", ["s3:Get*"], "s3-object-lambda:GetObject", False),
    ("empty-list-matches-nothing", [], "s3:GetObject", False),
    ("one-of-many", ["sqs:SendMessage", "s3:List*", "s3:GetObject"], "s3:GetObject", True),
]


@pytest.mark.parametrize(("patterns", "action", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_action_patterns_match_case_insensitively(patterns, action, expected):
    assert action_matches(compile_actions(patterns), action.lower()) is expected


def test_large_managed_policy_uses_set_lookup_and_per_service_regexes():
    names = [f"svc{i}:Action{j}" for i in range(300) for j in range(20)] + ["s3:Get*", "ec2:Describe*"]
    matcher = compile_actions(names)
    assert "svc10:action3" in matcher.exact
    assert set(matcher.by_service) == {"s3", "ec2"}
    assert action_matches(matcher, "svc299:action19")
    assert action_matches(matcher, "ec2:describeregions")
    assert not action_matches(matcher, "svc299:action20")


def test_not_action_statement_applies_to_every_other_action():
    from policies.evaluation import evaluate
    from tests.evaluation._helpers import allow, req

    p = allow(action=None, NotAction="iam:*")
    assert evaluate(req(action="s3:GetObject"), identity_policies=[p]).allowed
    denied = evaluate(req(action="IAM:CreateUser"), identity_policies=[p])
    assert not denied.allowed
    statement = denied.explanation["policies"][0]["statements"][0]
    assert statement["reason"] == "action not matched"
    assert "NotAction" in statement["detail"]
