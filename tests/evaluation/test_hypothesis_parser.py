"""Property tests: the parser and the validator never crash.

Whatever arrives (a random JSON value, random text, a valid policy with a piece changed), the
engine's parser returns a :class:`Policy` or raises a clean :class:`PolicyParseError`, and
:func:`validate_policy` returns a list of findings whose positions lie inside the text. Whatever
the parser rejects, validation reports as an error, so the editor can never save a policy the
engine cannot evaluate ("Grammar of the IAM JSON policy language",
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html).
"""

from __future__ import annotations

import copy
import json
import os

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from policies.evaluation import Decision, Policy, PolicyParseError, Request, evaluate, parse_policy
from policies.evaluation.validation import CHECKS, POLICY_TYPES, SEVERITIES, Finding, has_errors, validate_policy

# HYPOTHESIS_MAX_EXAMPLES=5000 for a longer hunt; the default keeps the suite quick.
SETTINGS = settings(
    max_examples=int(os.environ.get("HYPOTHESIS_MAX_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# ------------------------------------------------------------------ strategies

# Words a policy is made of, so that random documents often get past the first check.
WORDS = [
    "*", "", "Allow", "Deny", "allow", "2012-10-17", "2008-10-17", "s3:GetObject", "s3:*", "s3:Get*", "iam:PassRole",
    "ec2:Describe*", "arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/${aws:username}/*", "arn:aws:iam::111122223333:root",
    "arn:aws:iam::111122223333:role/*", "arn:aws:iam::*:user/${aws:username}", "arn:aws:sqs:us-east-1:111122223333:q",
    "arn:", "arn:aws", "111122223333", "s3.amazonaws.com", "aws:username", "aws:SourceIp", "aws:PrincipalTag/team",
    "aws:MultiFactorAuthPresent", "aws:CurrentTime", "aws:TagKeys", "203.0.113.0/24", "10.0.0.0/8", "true", "false",
    "2026-01-01T00:00:00Z", "${aws:username}", "${", "${}", "${aws:username, 'x'}", "??", "*:*", "AWS", "Service",
]
ELEMENTS = ["Version", "Id", "Statement", "Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction",
            "Resource", "NotResource", "Condition", "effect", "Extra"]
OPERATORS = ["StringEquals", "StringLike", "StringNotEqualsIgnoreCase", "ArnLike", "NumericLessThan", "DateLessThan",
             "Bool", "IpAddress", "NotIpAddress", "Null", "NullIfExists", "BinaryEquals", "ForAllValues:StringEquals",
             "ForAnyValue:StringLike", "ForAnyValue:Null", "StringEqualsIfExists", "Bogus", "ForSomeValues:Bool"]

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20), st.sampled_from(WORDS),
)
json_values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.one_of(st.text(max_size=10), st.sampled_from(ELEMENTS + OPERATORS + WORDS)), children, max_size=4),
    ),
    max_leaves=25,
)
word_or_words = st.one_of(st.sampled_from(WORDS), st.lists(st.sampled_from(WORDS), max_size=4))
conditions = st.dictionaries(
    st.sampled_from(OPERATORS),
    st.dictionaries(st.sampled_from(WORDS), st.one_of(word_or_words, scalars), max_size=3),
    max_size=3,
)
principals = st.one_of(
    st.just("*"),
    st.dictionaries(st.sampled_from(["AWS", "Service", "Federated", "CanonicalUser", "Bogus"]), word_or_words, max_size=3),
    json_values,
)


@st.composite
def statements(draw: st.DrawFn) -> dict[str, object]:
    out: dict[str, object] = {}
    for element, values in (
        ("Sid", st.one_of(st.sampled_from(["", "A", "A1", "a b"]), scalars)),
        ("Effect", st.one_of(st.sampled_from(["Allow", "Deny"]), scalars)),
        ("Action", word_or_words), ("NotAction", word_or_words),
        ("Resource", word_or_words), ("NotResource", word_or_words),
        ("Principal", principals), ("NotPrincipal", principals),
        ("Condition", st.one_of(conditions, json_values)),
    ):
        if draw(st.booleans()):
            out[element] = draw(values)
    return out


policy_docs = st.fixed_dictionaries(
    {"Statement": st.one_of(statements(), st.lists(statements(), max_size=3))},
    optional={"Version": st.sampled_from(["2012-10-17", "2008-10-17", "2020-01-01"]), "Id": st.text(max_size=5)},
)

VALID = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "ReadOwnPrefix",
            "Effect": "Allow",
            "Action": ["s3:GetObject", "s3:PutObject"],
            "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/${aws:username}/*",
            "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}, "IpAddress": {"aws:SourceIp": "203.0.113.0/24"}},
        },
        {"Effect": "Deny", "NotAction": "iam:*", "Resource": "*", "Condition": {"StringNotEquals": {"aws:PrincipalTag/team": "ops"}}},
    ],
}
VALID_TEXT = json.dumps(VALID, indent=2)


def _paths(value: object, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            out += _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            out += _paths(child, (*prefix, i))
    return out


@st.composite
def mutated_policies(draw: st.DrawFn) -> object:
    """VALID with one element replaced by a random value, deleted, or its key renamed."""
    doc = copy.deepcopy(VALID)
    path = draw(st.sampled_from(_paths(doc)[1:]))
    parent = doc
    for token in path[:-1]:
        parent = parent[token]
    last = path[-1]
    how = draw(st.sampled_from(["replace", "delete", "rename"]))
    if how == "replace":
        parent[last] = draw(json_values)
    elif how == "delete":
        del parent[last]
    elif isinstance(parent, dict):
        parent[draw(st.sampled_from(ELEMENTS + OPERATORS + WORDS))] = parent.pop(last)
    return doc


@st.composite
def mutated_texts(draw: st.DrawFn) -> str:
    """VALID_TEXT with a few characters deleted, inserted or replaced."""
    text = VALID_TEXT
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.integers(0, len(text)))
        what = draw(st.sampled_from(["delete", "insert", "replace"]))
        char = draw(st.sampled_from(list('{}[]",: \n') + ["x", "\\", "0", "null", "*", "\u00e9"]))
        if what == "delete":
            text = text[:i] + text[i + 1:]
        elif what == "insert":
            text = text[:i] + char + text[i:]
        else:
            text = text[:i] + char + text[i + 1:]
    return text


# ------------------------------------------------------------------ properties


def parses_cleanly(doc: object) -> Policy | None:
    try:
        result = parse_policy(doc)  # type: ignore[arg-type]
    except PolicyParseError as err:
        assert isinstance(err.message, str) and err.message
        assert isinstance(err.path, str)
        return None
    assert isinstance(result, Policy)
    return result


def validates_cleanly(text: str, policy_type: str = "identity") -> list[Finding]:
    findings = validate_policy(text, policy_type)
    assert isinstance(findings, list)
    lines = text.splitlines() or [""]
    for f in findings:
        assert isinstance(f, Finding)
        assert f.code in CHECKS and f.severity in SEVERITIES and f.message
        assert 1 <= f.line <= max(len(lines), 1) + 1
        assert f.column >= 1
    return findings


def agrees_with_parser(text: str, findings: list[Finding]) -> None:
    try:
        parse_policy(text)
    except PolicyParseError:
        assert has_errors(findings), "the parser rejects this text, so validation must report an error"


@SETTINGS
@given(json_values)
def test_any_json_value_as_object_parses_or_raises_a_parse_error(value: object) -> None:
    parses_cleanly(value)


@SETTINGS
@given(json_values)
def test_any_json_text_parses_or_raises_a_parse_error_and_validates(value: object) -> None:
    text = json.dumps(value)
    parses_cleanly(text)
    agrees_with_parser(text, validates_cleanly(text))


@SETTINGS
@given(st.text(max_size=200))
@example("")
@example("{")
@example('{"Statement": [}')
@example("\ufeff{}")
@example('{"Version": NaN}')
@example('{"a": "\\ud800"}')
def test_random_text_parses_or_raises_a_parse_error_and_validates(text: str) -> None:
    parses_cleanly(text)
    agrees_with_parser(text, validates_cleanly(text))


@SETTINGS
@given(policy_docs, st.sampled_from(sorted(POLICY_TYPES)))
def test_policy_shaped_documents_parse_validate_and_evaluate(doc: dict, policy_type: str) -> None:
    for form in (doc, json.dumps(doc), json.dumps(doc, indent=1)):
        parsed = parses_cleanly(form)
        if parsed is not None:
            decision = evaluate(
                Request("arn:aws:iam::111122223333:user/alice", "s3:GetObject", "arn:aws:s3:::bucket/alice/key",
                        context={"aws:username": "alice", "aws:SourceIp": "203.0.113.9"}),
                identity_policies=[parsed],
            )
            assert isinstance(decision, Decision)
            assert decision.decision in ("allowed", "explicitDeny", "implicitDeny")
    text = json.dumps(doc, indent=2)
    agrees_with_parser(text, validates_cleanly(text, policy_type))


@SETTINGS
@given(mutated_policies(), st.sampled_from(sorted(POLICY_TYPES)))
def test_mutated_valid_policies_parse_or_raise_and_validate(doc: object, policy_type: str) -> None:
    parses_cleanly(doc)
    text = json.dumps(doc, indent=2)
    parses_cleanly(text)
    agrees_with_parser(text, validates_cleanly(text, policy_type))


@SETTINGS
@given(mutated_texts())
def test_mutated_policy_texts_parse_or_raise_and_validate(text: str) -> None:
    parses_cleanly(text)
    agrees_with_parser(text, validates_cleanly(text))


def test_the_unmutated_policy_is_valid() -> None:
    assert parses_cleanly(VALID) is not None
    assert not has_errors(validates_cleanly(VALID_TEXT))


# ------------------------------------------------------------------ found by looking for crashes

DEEP_TEXT = "[" * 5000 + "]" * 5000
HUGE_INTEGER_TEXT = '{"Version": ' + "1" * 5000 + "}"


def _deep_mapping() -> dict:
    inner: list = []
    root = {"Statement": inner}
    for _ in range(3000):
        child: list = []
        inner.append(child)
        inner = child
    return root


@pytest.mark.parametrize("text", [DEEP_TEXT, HUGE_INTEGER_TEXT], ids=["deep-nesting", "huge-integer"])
def test_validation_reports_unparseable_json_as_a_syntax_error(text: str) -> None:
    findings = validates_cleanly(text, "resource")  # no size quota for resource policies here
    assert [f.code for f in findings] == ["JSON_SYNTAX_ERROR"]


@pytest.mark.parametrize("doc", [DEEP_TEXT, HUGE_INTEGER_TEXT, "deep-mapping"], ids=["deep-text", "huge-integer", "deep-mapping"])
def test_parser_turns_json_limits_into_parse_errors(doc: object) -> None:
    parses_cleanly(_deep_mapping() if doc == "deep-mapping" else doc)
