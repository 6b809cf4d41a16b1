"""ForAllValues:/ForAnyValue: set operators, ...IfExists, and multivalued context keys.

https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IfExists
"""

from __future__ import annotations

import pytest

from policies.evaluation import EXPLICIT_DENY, evaluate
from tests.evaluation._helpers import allow, check, policy, req, stmt

SETS = [
    ("all-values-subset", "ForAllValues:StringEquals", ["a", "b", "c"], ["a", "b"], True),
    ("all-values-not-subset", "ForAllValues:StringEquals", ["a", "b"], ["a", "z"], False),
    ("all-values-missing-key-is-true", "ForAllValues:StringEquals", ["a"], None, True),
    ("all-values-empty-list-is-true", "ForAllValues:StringEquals", ["a"], [], True),
    ("any-value-overlap", "ForAnyValue:StringEquals", ["a", "b"], ["z", "b"], True),
    ("any-value-no-overlap", "ForAnyValue:StringEquals", ["a", "b"], ["y", "z"], False),
    ("any-value-missing-key-is-false", "ForAnyValue:StringEquals", ["a"], None, False),
    ("any-value-empty-list-is-false", "ForAnyValue:StringEquals", ["a"], [], False),
    ("all-values-like", "ForAllValues:StringLike", ["env*", "team"], ["env-prod", "team"], True),
    ("any-value-not-equals", "ForAnyValue:StringNotEquals", ["a"], ["a", "b"], True),
    ("all-values-not-equals", "ForAllValues:StringNotEquals", ["a"], ["b", "c"], True),
    ("all-values-not-equals-one-listed", "ForAllValues:StringNotEquals", ["a"], ["a", "c"], False),
    ("any-value-single-string", "ForAnyValue:StringEquals", ["a"], "a", True),
    ("any-value-if-exists-missing", "ForAnyValue:StringEqualsIfExists", ["a"], None, True),
    # "...or if the context key value resolves to a null data set, such as an empty string"
    ("all-values-empty-string-is-true", "ForAllValues:StringEquals", ["a"], "", True),
    ("all-values-like-empty-string-is-true", "ForAllValues:StringLike", ["x*"], "", True),
]


@pytest.mark.parametrize(("operator", "values", "context_value", "expected"), [c[1:] for c in SETS], ids=[c[0] for c in SETS])
def test_set_operators(operator, values, context_value, expected):
    context = {} if context_value is None else {"aws:TagKeys": context_value}
    assert check(operator, "aws:TagKeys", values, context) is expected


def test_plain_operator_on_multivalued_key_needs_one_match_and_negated_needs_none():
    ctx = {"aws:TagKeys": ["a", "b"]}
    assert check("StringEquals", "aws:TagKeys", ["b"], ctx) is True
    assert check("StringNotEquals", "aws:TagKeys", ["b"], ctx) is False
    assert check("StringNotEquals", "aws:TagKeys", ["c"], ctx) is True


IF_EXISTS = [
    ("present-and-matching", {"ec2:InstanceType": "t3.micro"}, True),
    ("present-not-matching", {"ec2:InstanceType": "m5.large"}, False),
    ("missing-is-true", {}, True),
]


@pytest.mark.parametrize(("context", "expected"), [c[1:] for c in IF_EXISTS], ids=[c[0] for c in IF_EXISTS])
def test_if_exists_is_true_when_the_key_is_missing(context, expected):
    assert check("StringEqualsIfExists", "ec2:InstanceType", ["t3.micro", "t3.small"], context) is expected


def test_if_exists_in_a_deny_denies_when_the_key_is_missing():
    # A Deny with StringNotEqualsIfExists applies when the key is absent: the condition is true.
    p = policy(
        stmt("Allow", "ec2:RunInstances", "*"),
        stmt("Deny", "ec2:RunInstances", "*", Condition={"StringNotEqualsIfExists": {"ec2:InstanceType": "t3.micro"}}),
    )
    missing = evaluate(req(action="ec2:RunInstances", resource="*"), identity_policies=[p])
    assert missing.decision == EXPLICIT_DENY
    ok = evaluate(req(action="ec2:RunInstances", resource="*", context={"ec2:InstanceType": "t3.micro"}), identity_policies=[p])
    assert ok.allowed


def test_conditions_are_anded_and_values_ored():
    p = allow(Condition={
        "StringEquals": {"aws:RequestedRegion": ["us-east-1", "eu-west-1"]},
        "Bool": {"aws:SecureTransport": "true"},
    })
    both = {"aws:RequestedRegion": "eu-west-1", "aws:SecureTransport": "true"}
    assert evaluate(req(context=both), identity_policies=[p]).allowed
    assert not evaluate(req(context={**both, "aws:SecureTransport": "false"}), identity_policies=[p]).allowed
    assert not evaluate(req(context={**both, "aws:RequestedRegion": "ap-south-1"}), identity_policies=[p]).allowed


# ForAllValues:Null / ForAnyValue:Null: IAM accepts them (IAM Access Analyzer only suggests
# NULL_WITH_QUALIFIER, "IAM policy validation check reference": "Avoid using the Null condition
# operator with the ForAllValues or ForAnyValue qualifiers because they always return a true or
# false respectively"). The engine gives exactly that: true / false whatever the key and value.
# https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html
NULL_QUALIFIED = [
    (qualifier, value, context, qualifier == "ForAllValues")
    for qualifier in ("ForAllValues", "ForAnyValue")
    for value in ("true", "false")
    for context in (None, [], ["a"], "a")
]


@pytest.mark.parametrize(("qualifier", "value", "context_value", "expected"), NULL_QUALIFIED,
                         ids=[f"{q}-{v}-{c!r}" for q, v, c, _ in NULL_QUALIFIED])
def test_null_with_a_qualifier_is_constant(qualifier, value, context_value, expected):
    context = {} if context_value is None else {"aws:TagKeys": context_value}
    assert check(f"{qualifier}:Null", "aws:TagKeys", value, context) is expected


def test_null_with_a_qualifier_is_a_suggestion_not_an_error():
    from policies.evaluation import has_errors, parse_policy, validate_policy

    text = ('{"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Action": "s3:*", "Resource": "*", '
            '"Condition": {"ForAnyValue:Null": {"aws:TagKeys": "true"}}}}')
    findings = validate_policy(text)
    assert [(f.code, f.severity) for f in findings] == [("NULL_WITH_QUALIFIER", "SUGGESTION")]
    assert not has_errors(findings)
    cond = parse_policy(text).statements[0].conditions[0]
    assert (cond.base_operator, cond.set_operator, cond.if_exists) == ("Null", "ForAnyValue", False)
    # and a Deny guarded by it never applies
    allowed = evaluate(req(action="s3:GetObject"), identity_policies=[allow("s3:*"), parse_policy(text)])
    assert allowed.allowed
    (deny_result,) = allowed.explanation["policies"][1]["statements"]
    assert deny_result["detail"].startswith("ForAnyValue:Null on aws:TagKeys is always false")
