"""Policy variables.

https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
"""

from __future__ import annotations

import pytest

from policies.evaluation import evaluate
from policies.evaluation.variables import referenced_keys, substitute
from tests.evaluation._helpers import ACCT, ALICE, allow, check, policy, req, stmt


def test_username_variable_in_resource():
    p = allow("s3:GetObject", "arn:aws:s3:::home/${aws:username}/*")
    assert evaluate(req(ALICE, resource="arn:aws:s3:::home/alice/notes"), identity_policies=[p]).allowed
    assert not evaluate(req(ALICE, resource="arn:aws:s3:::home/bob/notes"), identity_policies=[p]).allowed


def test_username_comes_from_the_user_arn_without_path():
    p = allow("s3:GetObject", "arn:aws:s3:::home/${aws:username}/*")
    bob = f"arn:aws:iam::{ACCT}:user/division/bob"
    assert evaluate(req(bob, resource="arn:aws:s3:::home/bob/x"), identity_policies=[p]).allowed


def test_variables_are_literal_under_version_2008_and_without_version():
    for version in ("2008-10-17", None):
        p = policy(stmt("Allow", "s3:GetObject", "arn:aws:s3:::home/${aws:username}/*"), version=version)
        assert not evaluate(req(ALICE, resource="arn:aws:s3:::home/alice/x"), identity_policies=[p]).allowed
        assert evaluate(req(ALICE, resource="arn:aws:s3:::home/${aws:username}/x"), identity_policies=[p]).allowed
    assert check("StringEquals", "s3:prefix", ["${aws:username}"], {"s3:prefix": "${aws:username}"}, version="2008-10-17")


def test_unresolved_variable_makes_the_resource_match_nothing():
    p = allow("s3:GetObject", "arn:aws:s3:::home/${aws:PrincipalTag/team}/*")
    d = evaluate(req(resource="arn:aws:s3:::home/x/y"), identity_policies=[p])
    assert not d.allowed
    assert "aws:PrincipalTag/team" in d.missing_context_values
    assert "could not be resolved" in d.explanation["policies"][0]["statements"][0]["detail"]


def test_negated_operator_against_unresolved_variable_matches():
    assert check("StringNotEquals", "s3:prefix", ["${aws:PrincipalTag/team}"], {"s3:prefix": "x"}) is True
    assert check("StringEquals", "s3:prefix", ["${aws:PrincipalTag/team}"], {"s3:prefix": "x"}) is False


def test_tag_variables_and_any_context_key_resolve():
    ctx = {"aws:PrincipalTag/team": "blue"}
    p = allow("s3:GetObject", "arn:aws:s3:::${aws:PrincipalTag/team}-bucket/*")
    assert evaluate(req(resource="arn:aws:s3:::blue-bucket/k", context=ctx), identity_policies=[p]).allowed
    assert check("StringEquals", "aws:ResourceTag/team", ["${aws:PrincipalTag/team}"], {**ctx, "aws:ResourceTag/team": "blue"})


def test_variable_key_names_are_case_insensitive():
    p = allow("s3:GetObject", "arn:aws:s3:::home/${AWS:UserName}/*")
    assert evaluate(req(ALICE, resource="arn:aws:s3:::home/alice/k"), identity_policies=[p]).allowed


@pytest.mark.parametrize(("pattern", "matching", "not_matching"), [
    ("arn:aws:s3:::b/${*}", "arn:aws:s3:::b/*", "arn:aws:s3:::b/anything"),
    ("arn:aws:s3:::b/${?}", "arn:aws:s3:::b/?", "arn:aws:s3:::b/x"),
    ("arn:aws:s3:::b/${$}x", "arn:aws:s3:::b/$x", "arn:aws:s3:::b/x"),
], ids=["star", "question", "dollar"])
def test_special_characters_are_literal(pattern, matching, not_matching):
    p = allow("s3:GetObject", pattern)
    assert evaluate(req(resource=matching), identity_policies=[p]).allowed
    assert not evaluate(req(resource=not_matching), identity_policies=[p]).allowed


def test_default_value_form():
    p = allow("s3:GetObject", "arn:aws:s3:::b/${aws:PrincipalTag/team, 'shared'}/*")
    assert evaluate(req(resource="arn:aws:s3:::b/shared/k"), identity_policies=[p]).allowed
    tagged = req(resource="arn:aws:s3:::b/red/k", context={"aws:PrincipalTag/team": "red"})
    assert evaluate(tagged, identity_policies=[p]).allowed
    assert substitute("${missing, 'dflt'}", {}) == "dflt"


def test_variables_are_substituted_before_the_arn_is_split():
    # The variable's name contains a colon; splitting the ARN first would break it.
    p = allow("sqs:SendMessage", "arn:aws:sqs:us-east-1:${aws:PrincipalAccount}:queue-${aws:username}")
    assert evaluate(req(ALICE, action="sqs:SendMessage", resource=f"arn:aws:sqs:us-east-1:{ACCT}:queue-alice"),
                    identity_policies=[p]).allowed


def test_variable_value_wildcards_are_literal_in_like_operators():
    ctx = {"aws:PrincipalTag/prefix": "a*", "s3:prefix": "abc"}
    assert check("StringLike", "s3:prefix", ["${aws:PrincipalTag/prefix}"], ctx) is False
    assert check("StringLike", "s3:prefix", ["${aws:PrincipalTag/prefix}"], {**ctx, "s3:prefix": "a*"}) is True
    assert check("StringLike", "s3:prefix", ["${aws:PrincipalTag/prefix}*"], {**ctx, "s3:prefix": "a*bc"}) is True


def test_multivalued_key_cannot_be_a_variable():
    assert substitute("${aws:TagKeys}", {"aws:tagkeys": ("a",)}) is None


def test_referenced_keys():
    assert referenced_keys("a/${aws:username}/${*}/${x:y, 'd'}") == ("aws:username", "x:y")
