"""Numeric and date condition operators.

https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Numeric
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Date
"""

from __future__ import annotations

import pytest

from tests.evaluation._helpers import check

NUMERIC = [
    ("equals", "NumericEquals", ["10"], "10", True),
    ("equals-decimal-forms", "NumericEquals", ["10"], "10.0", True),
    ("not-equals", "NumericNotEquals", ["10"], "11", True),
    ("not-equals-equal", "NumericNotEquals", ["10"], "10", False),
    ("less", "NumericLessThan", ["10"], "9", True),
    ("less-equal-boundary", "NumericLessThan", ["10"], "10", False),
    ("less-equals", "NumericLessThanEquals", ["10"], "10", True),
    ("greater", "NumericGreaterThan", ["10"], "11", True),
    ("greater-equals", "NumericGreaterThanEquals", ["10"], "9", False),
    ("compares-numbers-not-strings", "NumericLessThan", ["100"], "9", True),
    ("not-a-number", "NumericEquals", ["10"], "ten", False),
]


@pytest.mark.parametrize(("operator", "values", "context_value", "expected"), [c[1:] for c in NUMERIC], ids=[c[0] for c in NUMERIC])
def test_numeric_operators(operator, values, context_value, expected):
    assert check(operator, "s3:max-keys", values, {"s3:max-keys": context_value}) is expected


def test_numeric_policy_value_may_be_a_json_number():
    assert check("NumericLessThanEquals", "s3:max-keys", 10, {"s3:max-keys": 10})


DATES = [
    ("iso-before", "DateLessThan", ["2026-01-01T00:00:00Z"], "2025-12-31T23:59:59Z", True),
    ("iso-after", "DateLessThan", ["2026-01-01T00:00:00Z"], "2026-01-01T00:00:01Z", False),
    ("date-only-is-midnight-utc", "DateEquals", ["2026-01-01"], "2026-01-01T00:00:00Z", True),
    ("offsets-are-honoured", "DateEquals", ["2026-01-01T01:00:00+01:00"], "2026-01-01T00:00:00Z", True),
    ("fractional-seconds", "DateGreaterThan", ["2026-01-01T00:00:00Z"], "2026-01-01T00:00:00.500Z", True),
    ("epoch-context-vs-iso-policy", "DateGreaterThanEquals", ["2026-01-01T00:00:00Z"], "1767225600", True),
    ("epoch-context-vs-iso-policy-before", "DateGreaterThan", ["2026-01-01T00:00:00Z"], "1767225599", False),
    ("iso-context-vs-epoch-policy", "DateLessThanEquals", ["1767225600"], "2026-01-01T00:00:00Z", True),
    ("not-equals", "DateNotEquals", ["2026-01-01T00:00:00Z"], "1767225600", False),
    ("not-equals-different", "DateNotEquals", ["2026-01-01T00:00:00Z"], "1767225601", True),
    ("greater-equals-equal", "DateGreaterThanEquals", ["2026-01-01"], "2026-01-01T00:00:00Z", True),
    ("less-equals", "DateLessThanEquals", ["2026-01-01"], "2025-06-01", True),
    ("garbage-never-matches", "DateLessThan", ["2026-01-01"], "yesterday", False),
]


# Date operators compare ISO 8601 and epoch (POSIX) times against each other.
@pytest.mark.parametrize(("operator", "values", "context_value", "expected"), [c[1:] for c in DATES], ids=[c[0] for c in DATES])
def test_date_operators_compare_iso_and_epoch(operator, values, context_value, expected):
    assert check(operator, "aws:CurrentTime", values, {"aws:CurrentTime": context_value}) is expected


def test_date_operators_on_missing_key():
    assert check("DateLessThan", "aws:CurrentTime", ["2026-01-01"], {}) is False
    assert check("DateNotEquals", "aws:CurrentTime", ["2026-01-01"], {}) is True
    assert check("NumericNotEquals", "s3:max-keys", ["1"], {}) is True
