"""Parsing policy documents.

https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
"""

from __future__ import annotations

import json

import pytest

from policies.evaluation import Policy, PolicyParseError, Statement, parse_policy


def test_statement_may_be_a_single_object_or_a_list():
    one = parse_policy({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}})
    many = parse_policy({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
        {"Sid": "Two", "Effect": "Deny", "NotAction": ["iam:*"], "NotResource": "arn:aws:s3:::b"},
    ]})
    assert len(one.statements) == 1
    assert [s.index for s in many.statements] == [0, 1]
    second = many.statements[1]
    assert isinstance(second, Statement)
    assert (second.sid, second.effect, second.not_actions, second.not_resources) == ("Two", "Deny", ("iam:*",), ("arn:aws:s3:::b",))
    assert second.actions is None and second.resources is None


# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html
@pytest.mark.parametrize(("doc", "version", "given"), [
    ({"Version": "2012-10-17"}, "2012-10-17", True),
    ({"Version": "2008-10-17"}, "2008-10-17", True),
    ({}, "2008-10-17", False),
], ids=["2012", "2008", "missing-is-2008"])
def test_version_missing_is_treated_as_2008(doc, version, given):
    p = parse_policy({**doc, "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})
    assert p.version == version
    assert p.version_given is given
    assert p.variables_enabled is (version == "2012-10-17")


def test_text_bytes_and_mapping_give_equal_policies_and_text_is_kept():
    text = '{"Version": "2012-10-17", "Id": "P1", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}'
    from_text = parse_policy(text)
    assert from_text.source_text == text
    assert from_text.id == "P1"
    assert parse_policy(text.encode()) == from_text
    assert parse_policy(json.loads(text)) == from_text


def test_parse_is_cached_by_content():
    text = '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ec2:*","Resource":"*"}}'
    assert parse_policy(text) is parse_policy(text)
    doc = {"Statement": {"Effect": "Allow", "Action": "ec2:*", "Resource": "*"}, "Version": "2012-10-17"}
    assert parse_policy(doc) is parse_policy(json.loads(json.dumps(doc)))


def test_principal_forms_are_normalised():
    p = parse_policy({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Principal": "*"},
        {"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Principal": {
            "AWS": ["111122223333", "arn:aws:iam::444455556666:user/bob"],
            "Service": "ec2.amazonaws.com", "Federated": "cognito-identity.amazonaws.com",
            "CanonicalUser": "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"}},
        {"Effect": "Deny", "Action": "s3:*", "Resource": "*", "NotPrincipal": {"AWS": "*"}},
    ]})
    assert p.statements[0].principal.wildcard
    second = p.statements[1].principal
    assert second.aws == ("arn:aws:iam::111122223333:root", "arn:aws:iam::444455556666:user/bob")
    assert second.service == ("ec2.amazonaws.com",)
    assert second.federated == ("cognito-identity.amazonaws.com",)
    assert len(second.canonical_user) == 1
    assert p.statements[2].not_principal.wildcard


def test_condition_values_are_normalised_to_strings():
    p = parse_policy({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {
        "Bool": {"aws:SecureTransport": True},
        "NumericLessThan": {"s3:max-keys": 10},
        "ForAnyValue:StringLikeIfExists": {"aws:TagKeys": ["a*", "b"]},
    }}})
    conds = p.statements[0].conditions
    assert [(c.base_operator, c.set_operator, c.if_exists, c.values) for c in conds] == [
        ("Bool", None, False, ("true",)),
        ("NumericLessThan", None, False, ("10",)),
        ("StringLike", "ForAnyValue", True, ("a*", "b")),
    ]


ERRORS = [
    ("not-json", '{"Version": "2012-10-17",', "", "Invalid JSON"),
    ("not-object", "[]", "", "must be a JSON object"),
    ("bad-version", '{"Version": "2012-10-18", "Statement": []}', "Version", "Version must be"),
    ("unknown-top", '{"Version": "2012-10-17", "Statment": []}', "Statment", "Unknown policy element"),
    ("no-statement", '{"Version": "2012-10-17"}', "", "no Statement"),
    ("bad-effect", '{"Statement": [{"Effect": "Allow", "Action": "*"}, {"Effect": "allow", "Action": "*"}]}',
     "Statement[1].Effect", "Effect must be"),
    ("no-effect", '{"Statement": [{"Action": "*"}]}', "Statement[0]", "no Effect"),
    ("no-action", '{"Statement": [{"Effect": "Allow", "Resource": "*"}]}', "Statement[0]", "neither Action nor NotAction"),
    ("both-actions", '{"Statement": [{"Effect": "Allow", "Action": "*", "NotAction": "s3:*"}]}', "Statement[0].NotAction", "both"),
    ("action-type", '{"Statement": [{"Effect": "Allow", "Action": 5}]}', "Statement[0].Action", "string or an array"),
    ("action-entry", '{"Statement": [{"Effect": "Allow", "Action": ["s3:*", 3]}]}', "Statement[0].Action[1]", "entries must be strings"),
    ("unknown-element", '{"Statement": [{"Effect": "Allow", "Action": "*", "Resorce": "*"}]}', "Statement[0].Resorce", "Unknown statement element"),
    ("bad-principal", '{"Statement": [{"Effect": "Allow", "Action": "*", "Principal": "bob"}]}', "Statement[0].Principal", "principal must be"),
    ("bad-principal-type", '{"Statement": [{"Effect": "Allow", "Action": "*", "Principal": {"Users": "x"}}]}', "Statement[0].Principal.Users", "Unknown principal type"),
    ("bad-operator", '{"Statement": [{"Effect": "Allow", "Action": "*", "Condition": {"StringEqual": {"a": "b"}}}]}',
     "Statement[0].Condition.StringEqual", "Unknown condition operator"),
    ("null-ifexists", '{"Statement": [{"Effect": "Allow", "Action": "*", "Condition": {"NullIfExists": {"a": "true"}}}]}',
     "Statement[0].Condition.NullIfExists", "Unknown condition operator"),
    ("bad-qualifier", '{"Statement": [{"Effect": "Allow", "Action": "*", "Condition": {"ForSomeValues:StringEquals": {"a": "b"}}}]}',
     "Statement[0].Condition.ForSomeValues:StringEquals", "Unknown condition operator"),
    ("condition-value", '{"Statement": [{"Effect": "Allow", "Action": "*", "Condition": {"StringEquals": {"a": {"b": 1}}}}]}',
     "Statement[0].Condition.StringEquals.a", "condition value"),
    ("null-value", '{"Statement": [{"Effect": "Allow", "Action": "*", "Condition": {"Null": {"a": "yes"}}}]}',
     "Statement[0].Condition.Null.a", "Null takes"),
]


@pytest.mark.parametrize(("text", "path", "message"), [e[1:] for e in ERRORS], ids=[e[0] for e in ERRORS])
def test_parse_errors_name_the_element(text, path, message):
    with pytest.raises(PolicyParseError) as info:
        parse_policy(text)
    assert info.value.path == path
    assert message in info.value.message
    assert info.value.line is not None and info.value.column is not None


def test_parse_error_line_and_column_point_at_the_value():
    text = '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {"Effect": "Allow", "Action": "*"},\n    {"Effect": "Alow", "Action": "*"}\n  ]\n}'
    with pytest.raises(PolicyParseError) as info:
        parse_policy(text)
    assert (info.value.path, info.value.line, info.value.column) == ("Statement[1].Effect", 5, 16)


def test_parse_error_for_mapping_input_has_no_line():
    with pytest.raises(PolicyParseError) as info:
        parse_policy({"Statement": {"Effect": "Maybe", "Action": "*"}})
    assert info.value.path == "Statement[0].Effect"
    assert info.value.line is None and info.value.column is None


def test_policy_is_frozen():
    p = parse_policy('{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}')
    assert isinstance(p, Policy)
    with pytest.raises(AttributeError):
        p.version = "x"  # type: ignore[misc]


@pytest.mark.parametrize("doc", [
    "[" * 5000 + "]" * 5000,
    '{"Version": ' + "1" * 5000 + "}",
], ids=["deep-nesting", "huge-integer"])
def test_json_limits_become_parse_errors(doc):
    with pytest.raises(PolicyParseError) as info:
        parse_policy(doc)
    assert info.value.message.startswith("Invalid JSON")


def test_deeply_nested_mapping_is_a_parse_error():
    inner: list = []
    root = {"Statement": inner}
    for _ in range(3000):
        child: list = []
        inner.append(child)
        inner = child
    with pytest.raises(PolicyParseError):
        parse_policy(root)


def test_mapping_cache_keeps_json_types_and_list_boundaries_apart():
    def values(v):
        doc = {"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"StringEquals": {"k": v}}}}
        return parse_policy(doc).statements[0].conditions[0].values

    assert [values([1]), values([True]), values([1.0]), values(["1"])] == [("1",), ("true",), ("1.0",), ("1",)]
    assert values(["a\x00", "b"]) == ("a\x00", "b")
    assert values(["a", "\x00b"]) == ("a", "\x00b")


def test_mapping_that_is_not_json_data_is_a_parse_error():
    with pytest.raises(PolicyParseError):
        parse_policy({"Statement": {"Effect": "Allow", "Action": {1, 2}}})


# ---- review fixes: JSON constants, empty Statement, in-place changes of cached mappings


@pytest.mark.parametrize(("text", "token"), [
    ('{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*", '
     '"Condition": {"NumericLessThan": {"s3:max-keys": NaN}}}}', "NaN"),
    ('{"Version": "2012-10-17", "Statement": {"Sid": "NaN", "Effect": "Allow", "Action": "*", "Resource": "*", '
     '"Condition": {"NumericLessThan": {"s3:max-keys": Infinity}}}}', "Infinity"),
    ('{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*", '
     '"Condition": {"NumericGreaterThan": {"s3:max-keys": [1, -Infinity]}}}}', "-Infinity"),
], ids=["nan", "infinity-after-a-string-NaN", "minus-infinity"])
def test_nan_and_infinity_are_json_syntax_errors(text, token):
    # RFC 8259 has no NaN or Infinity; Python's json module accepts them, IAM rejects the document
    # ("Grammar of the IAM JSON policy language": values are JSON strings, numbers, booleans).
    with pytest.raises(PolicyParseError) as info:
        parse_policy(text)
    offset = text.index(token, text.index("Condition"))
    assert info.value.message == f"Invalid JSON: {token} is not a JSON value"
    assert (info.value.line, info.value.column) == (1, offset + 1)


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -float("inf")], ids=["nan", "inf", "-inf"])
def test_nan_and_infinity_in_a_mapping_are_parse_errors(value):
    with pytest.raises(PolicyParseError) as info:
        parse_policy({"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*",
                                    "Condition": {"NumericLessThan": {"s3:max-keys": value}}}})
    assert "not JSON data" in info.value.message


def test_empty_statement_list_parses_to_a_policy_that_grants_nothing():
    # IAM refuses to store it (MalformedPolicyDocument "Syntax errors in policy.", and validation
    # reports MISSING_STATEMENT as an error, see test_validation); the engine still reads it as a
    # document without statements, which authz uses for "a session policy that allows nothing".
    from policies.evaluation import Request, evaluate, has_errors, validate_policy

    text = '{"Version": "2012-10-17", "Statement": []}'
    assert parse_policy(text).statements == ()
    assert [f.code for f in validate_policy(text)] == ["MISSING_STATEMENT"] and has_errors(validate_policy(text))
    everything = parse_policy('{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}')
    d = evaluate(Request("arn:aws:iam::111122223333:user/alice", "s3:GetObject", "arn:aws:s3:::b/k"),
                 identity_policies=[everything], session_policy=parse_policy(text))
    assert d.decision == "implicitDeny" and d.deciding_step == "sessionPolicy"


def _doc(value):
    return {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "*",
                                                    "Condition": {"NumericLessThan": {"s3:max-keys": value}}}]}


def test_same_mapping_object_is_served_from_the_cache():
    doc = _doc(10)
    assert parse_policy(doc) is parse_policy(doc)


@pytest.mark.parametrize(("change", "expected_values", "expected_actions"), [
    (lambda d: d["Statement"][0]["Condition"]["NumericLessThan"].__setitem__("s3:max-keys", True), ("true",), ("s3:GetObject",)),
    (lambda d: d["Statement"][0]["Condition"]["NumericLessThan"].__setitem__("s3:max-keys", 1.0), ("1.0",), ("s3:GetObject",)),
    (lambda d: d["Statement"][0]["Action"].append("s3:PutObject"), ("1",), ("s3:GetObject", "s3:PutObject")),
    (lambda d: d["Statement"][0]["Action"].__setitem__(0, "s3:ListBucket"), ("1",), ("s3:ListBucket",)),
], ids=["int-to-bool", "int-to-float", "list-append", "list-item"])
@pytest.mark.parametrize("sightings", [1, 3], ids=["seen-once", "seen-three-times"])
def test_a_mapping_changed_in_place_is_parsed_again(change, expected_values, expected_actions, sightings):
    # Seen once, the cache knows the dict's content key; seen again, it keeps a snapshot.
    doc = _doc(1)
    for _ in range(sightings):
        first = parse_policy(doc)
    assert first.statements[0].conditions[0].values == ("1",)
    change(doc)
    again = parse_policy(doc)
    assert again.statements[0].conditions[0].values == expected_values
    assert again.statements[0].actions == expected_actions


def test_mapping_with_a_tuple_inside_is_not_trusted_by_identity():
    inner = ["s3:GetObject"]
    doc = {"Statement": {"Effect": "Allow", "Action": inner, "Resource": "*"}}
    wrapped = {"Statement": (doc["Statement"],)}
    for _ in range(3):
        assert parse_policy(wrapped).statements[0].actions == ("s3:GetObject",)
    inner.append("s3:PutObject")  # changes what the tuple holds, not the tuple
    assert parse_policy(wrapped).statements[0].actions == ("s3:GetObject", "s3:PutObject")


def test_content_cache_keeps_lists_tuples_and_other_mappings_consistent():
    from collections import OrderedDict

    doc = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "*"}]}
    as_tuple = {"Version": "2012-10-17", "Statement": ({"Effect": "Allow", "Action": ("s3:GetObject",), "Resource": "*"},)}
    ordered = OrderedDict(doc)
    assert parse_policy(doc) == parse_policy(as_tuple) == parse_policy(ordered)
    # NaN survives marshal (the cache key) but not the JSON the document is built from
    for _ in range(2):
        with pytest.raises(PolicyParseError):
            parse_policy({**doc, "Statement": [{**doc["Statement"][0], "Condition": {"NumericEquals": {"a:b": float("nan")}}}]})
        with pytest.raises(PolicyParseError):
            parse_policy({**doc, "Statement": [{**doc["Statement"][0], "Action": {"s3:GetObject"}}]})


def test_replace_recomputes_the_service_index():
    # policies/authz.py merges session policies with dataclasses.replace(policy, statements=...).
    from dataclasses import replace

    from policies.evaluation import Request, evaluate

    s3 = parse_policy({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}})
    sqs = parse_policy({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "sqs:*", "Resource": "*"}})
    merged = replace(s3, statements=s3.statements + sqs.statements)
    assert merged.candidate_positions("sqs") == (1,) and merged.candidate_positions("s3") == (0,)
    d = evaluate(Request("arn:aws:iam::111122223333:user/alice", "sqs:SendMessage", "arn:aws:sqs:us-east-1:111122223333:q"),
                 identity_policies=[merged])
    assert d.allowed
