"""Bool, BinaryEquals, IpAddress/NotIpAddress, ARN and Null condition operators.

https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
"""

from __future__ import annotations

import base64

import pytest

from policies.evaluation.conditions import OPERATORS, parse_operator
from tests.evaluation._helpers import check

BOOL = [
    ("true", ["true"], "true", True),
    ("false-vs-true", ["true"], "false", False),
    ("json-boolean-policy-value", [True], "true", True),
    ("case-insensitive", ["TRUE"], "True", True),
    ("not-a-boolean", ["true"], "yes", False),
]


# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Boolean
@pytest.mark.parametrize(("values", "context_value", "expected"), [c[1:] for c in BOOL], ids=[c[0] for c in BOOL])
def test_bool_operator(values, context_value, expected):
    assert check("Bool", "aws:SecureTransport", values, {"aws:SecureTransport": context_value}) is expected


def test_bool_context_values_may_be_python_booleans():
    assert check("Bool", "aws:MultiFactorAuthPresent", ["true"], {"aws:MultiFactorAuthPresent": True})
    assert not check("Bool", "aws:MultiFactorAuthPresent", ["true"], {"aws:MultiFactorAuthPresent": False})


# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_BinaryEquals
def test_binary_equals_compares_base64_bytes():
    value = base64.b64encode(b"\x00\x01binary").decode()
    assert check("BinaryEquals", "key", [value], {"key": value})
    assert not check("BinaryEquals", "key", [value], {"key": base64.b64encode(b"other").decode()})


IP = [
    ("v4-in-cidr", "IpAddress", ["203.0.113.0/24"], "203.0.113.5", True),
    ("v4-outside", "IpAddress", ["203.0.113.0/24"], "198.51.100.1", False),
    ("v4-single-address", "IpAddress", ["203.0.113.5"], "203.0.113.5", True),
    ("v4-any-of-ranges", "IpAddress", ["10.0.0.0/8", "203.0.113.0/24"], "203.0.113.9", True),
    ("v6-in-cidr", "IpAddress", ["2001:db8::/32"], "2001:db8:1234::1", True),
    ("v6-outside", "IpAddress", ["2001:db8::/32"], "2001:db9::1", False),
    ("v4-address-vs-v6-range", "IpAddress", ["::/0"], "203.0.113.5", False),
    ("not-ip-outside", "NotIpAddress", ["203.0.113.0/24"], "198.51.100.1", True),
    ("not-ip-inside", "NotIpAddress", ["203.0.113.0/24"], "203.0.113.1", False),
    ("not-ip-none-of-these", "NotIpAddress", ["10.0.0.0/8", "203.0.113.0/24"], "203.0.113.1", False),
    ("not-an-ip", "IpAddress", ["0.0.0.0/0"], "localhost", False),
]


# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IPAddress
@pytest.mark.parametrize(("operator", "values", "context_value", "expected"), [c[1:] for c in IP], ids=[c[0] for c in IP])
def test_ip_address_operators_for_ipv4_and_ipv6(operator, values, context_value, expected):
    assert check(operator, "aws:SourceIp", values, {"aws:SourceIp": context_value}) is expected


def test_not_ip_address_is_true_when_the_key_is_missing():
    assert check("NotIpAddress", "aws:SourceIp", ["203.0.113.0/24"], {}) is True
    assert check("IpAddress", "aws:SourceIp", ["203.0.113.0/24"], {}) is False


ARN = [
    ("equals-exact", "ArnEquals", ["arn:aws:sns:us-east-1:111122223333:topic"], "arn:aws:sns:us-east-1:111122223333:topic", True),
    ("equals-allows-wildcards", "ArnEquals", ["arn:aws:sns:*:111122223333:*"], "arn:aws:sns:us-east-1:111122223333:topic", True),
    ("like-region-wildcard", "ArnLike", ["arn:aws:sns:*:111122223333:topic"], "arn:aws:sns:eu-west-1:111122223333:topic", True),
    # ArnLike compares segment by segment: a * in the account segment cannot swallow the region too.
    ("like-is-segment-wise", "ArnLike", ["arn:aws:sns:*:topic"], "arn:aws:sns:us-east-1:111122223333:topic", False),
    ("like-case-sensitive", "ArnLike", ["arn:aws:sns:*:111122223333:Topic"], "arn:aws:sns:us-east-1:111122223333:topic", False),
    ("not-like", "ArnNotLike", ["arn:aws:iam::*:role/Admin*"], "arn:aws:iam::111122223333:role/Dev", True),
    ("not-like-match", "ArnNotLike", ["arn:aws:iam::*:role/Admin*"], "arn:aws:iam::111122223333:role/AdminX", False),
    ("not-equals", "ArnNotEquals", ["arn:aws:iam::111122223333:role/A"], "arn:aws:iam::111122223333:role/B", True),
]


# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN
@pytest.mark.parametrize(("operator", "values", "context_value", "expected"), [c[1:] for c in ARN], ids=[c[0] for c in ARN])
def test_arn_operators_compare_segment_by_segment(operator, values, context_value, expected):
    assert check(operator, "aws:SourceArn", values, {"aws:SourceArn": context_value}) is expected


def test_string_like_is_not_segment_wise_unlike_arn_like():
    pattern = ["arn:aws:sns:*:topic"]
    ctx = {"aws:SourceArn": "arn:aws:sns:us-east-1:111122223333:topic"}
    assert check("StringLike", "aws:SourceArn", pattern, ctx) is True
    assert check("ArnLike", "aws:SourceArn", pattern, ctx) is False


def test_arn_not_like_is_true_when_the_key_is_missing():
    assert check("ArnNotLike", "aws:SourceArn", ["arn:aws:sns:*:*:*"], {}) is True


NULL = [
    ("true-missing", ["true"], {}, True),
    ("true-present", ["true"], {"aws:TokenIssueTime": "2026-01-01T00:00:00Z"}, False),
    ("false-present", ["false"], {"aws:TokenIssueTime": "2026-01-01T00:00:00Z"}, True),
    ("false-missing", ["false"], {}, False),
    ("empty-list-is-present", ["false"], {"aws:TokenIssueTime": []}, True),
]


# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Null
@pytest.mark.parametrize(("values", "context", "expected"), [c[1:] for c in NULL], ids=[c[0] for c in NULL])
def test_null_operator_tests_presence(values, context, expected):
    assert check("Null", "aws:TokenIssueTime", values, context) is expected


def test_every_documented_operator_is_registered_by_its_aws_name():
    documented = {
        "StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase", "StringLike",
        "StringNotLike", "NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals",
        "NumericGreaterThan", "NumericGreaterThanEquals", "DateEquals", "DateNotEquals", "DateLessThan",
        "DateLessThanEquals", "DateGreaterThan", "DateGreaterThanEquals", "Bool", "BinaryEquals", "IpAddress",
        "NotIpAddress", "ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike", "Null",
    }
    assert set(OPERATORS) == documented
    assert parse_operator("ForAllValues:StringNotLikeIfExists") == ("StringNotLike", "ForAllValues", True)
    assert parse_operator("StringEqualsIgnorecase") is None
