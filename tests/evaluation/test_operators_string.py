"""String condition operators.

https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_String
"""

from __future__ import annotations

import pytest

from tests.evaluation._helpers import check

CASES = [
    ("equals", "StringEquals", ["alice"], "alice", True),
    ("equals-case-sensitive", "StringEquals", ["Alice"], "alice", False),
    ("equals-any-of-values", "StringEquals", ["bob", "alice"], "alice", True),
    ("equals-no-wildcards", "StringEquals", ["ali*"], "alice", False),
    ("not-equals", "StringNotEquals", ["bob"], "alice", True),
    ("not-equals-means-none-of-these", "StringNotEquals", ["bob", "alice"], "alice", False),
    ("equals-ignore-case", "StringEqualsIgnoreCase", ["ALICE"], "alice", True),
    ("not-equals-ignore-case", "StringNotEqualsIgnoreCase", ["ALICE"], "alice", False),
    ("not-equals-ignore-case-other", "StringNotEqualsIgnoreCase", ["BOB"], "alice", True),
    ("like-star", "StringLike", ["home/*"], "home/alice/x", True),
    ("like-question", "StringLike", ["a?ice"], "alice", True),
    ("like-case-sensitive", "StringLike", ["HOME/*"], "home/alice", False),
    ("like-spans-colons", "StringLike", ["arn:*"], "arn:aws:s3:::b", True),
    ("not-like", "StringNotLike", ["home/*", "tmp/*"], "etc/passwd", True),
    ("not-like-none-of-these", "StringNotLike", ["home/*", "etc/*"], "etc/passwd", False),
]


@pytest.mark.parametrize(("operator", "values", "context_value", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_string_operators(operator, values, context_value, expected):
    assert check(operator, "aws:username", values, {"aws:username": context_value}) is expected


MISSING = [
    ("StringEquals", False), ("StringNotEquals", True), ("StringEqualsIgnoreCase", False),
    ("StringNotEqualsIgnoreCase", True), ("StringLike", False), ("StringNotLike", True),
    ("StringEqualsIfExists", True), ("StringLikeIfExists", True),
]


# "If the key that you specify in a policy condition is not present in the request context, the values do
# not match" -- and the negated operators are true (condition operators page, negated matching).
@pytest.mark.parametrize(("operator", "expected"), MISSING)
def test_missing_key_makes_negated_string_operators_true(operator, expected):
    assert check(operator, "aws:PrincipalTag/team", ["x"], {}) is expected


# "The condition tag key Owner matches both Owner and owner because condition key names are not
# case-sensitive" (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html).
def test_condition_key_names_are_case_insensitive():
    assert check("StringEquals", "AWS:PrincipalTag/Team", ["blue"], {"aws:principaltag/team": "blue"})
    assert check("StringEquals", "aws:principaltag/team", ["blue"], {"aws:PrincipalTag/Team": "blue"})
