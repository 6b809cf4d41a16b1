"""Catalog-based findings, merged with validate_policy's findings (never repeated)."""

from __future__ import annotations

import json

import pytest

from policies.catalog_checks import check_policy


def policy(*statements) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)}, indent=2)


def st(action, resource="*", effect="Allow", **extra) -> dict:
    return {"Effect": effect, "Action": action, "Resource": resource, **extra}


GOOD = [
    policy(st("s3:GetObject", "arn:aws:s3:::bucket/*")),
    policy(st(["s3:ListBucket"], "arn:aws:s3:::bucket", Condition={"StringLike": {"s3:prefix": ["home/*"]}})),
    policy(st("iam:CreateUser", "arn:aws:iam::*:user/*", Condition={"StringEquals": {"iam:PermissionsBoundary": "arn:aws:iam::123456789012:policy/B"}})),
    policy(st("ec2:Describe*")),
    policy(st("s3:*", "arn:aws:s3:::*")),
    policy(st("ec2:*", Condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}})),
    policy(st("s3:PutObject", "arn:aws:s3:::b/${aws:username}/*")),
    policy(st("ec2:RunInstances", Condition={"ForAnyValue:StringEquals": {"aws:TagKeys": ["team"]}})),
    # Shapes found in AWS managed policies (moto's copy), which the catalog checks must accept:
    policy(st("ec2:DeleteSnapshot", "arn:aws:ec2:*:*:snapshot/*")),  # the SAR format has no account
    policy(st("organizations:DescribeAccount", "arn:aws:organizations::*:account/*")),
    policy(st("secretsmanager:GetSecretValue", Condition={"StringEquals": {
        "secretsmanager:ResourceTag/aws:secretsmanager:owningService": "datasync"}})),
    policy(st("s3:GetObject", Condition={"StringEquals": {"s3:ExistingObjectTag/UseWithCodeDeploy": "true"}})),
    policy(st("ec2:DescribeInstances", Condition={"StringEquals": {"ec2:SourceInstanceARN": "arn:aws:ec2:us-east-1:123456789012:instance/i-1"}})),
    policy(st("kms:Decrypt", Condition={"ArnLike": {"kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::b/*"}})),
]


@pytest.mark.parametrize("text", GOOD)
def test_good_policies_have_no_findings(text):
    assert [(f.code, f.path) for f in check_policy(text)] == []


BAD = [
    # (statement, code, path, severity)
    (st("s3:GetObjekt"), "INVALID_ACTION", "Statement[0].Action", "ERROR"),  # the validator's, with the catalog
    (st("s3:Gett*"), "INVALID_ACTION", "Statement[0].Action", "ERROR"),  # ours: a pattern matching nothing
    (st("s4:GetObject"), "INVALID_SERVICE_IN_ACTION", "Statement[0].Action", "ERROR"),
    (st("s3:GetObject", "arn:aws:s3:::bucket"), "RESOURCE_TYPE_MISMATCH", "Statement[0].Resource", "WARNING"),
    (st("s3:ListAllMyBuckets", "arn:aws:s3:::bucket"), "RESOURCE_TYPE_MISMATCH", "Statement[0].Resource", "WARNING"),
    (st("iam:CreateUser", "arn:aws:iam::*:role/*"), "RESOURCE_TYPE_MISMATCH", "Statement[0].Resource", "WARNING"),
    (st("s3:GetObject", Condition={"StringEquals": {"s3:nosuchkey": "x"}}), "INVALID_SERVICE_CONDITION_KEY",
     "Statement[0].Condition.StringEquals.s3:nosuchkey", "WARNING"),
    (st("s3:GetObject", Condition={"StringEquals": {"s3:prefix": "x"}}), "UNSUPPORTED_CONDITION_KEY_FOR_ACTIONS",
     "Statement[0].Condition.StringEquals.s3:prefix", "WARNING"),
    (st("s3:GetObject", Condition={"StringEquals": {"aws:NoSuchGlobal": "x"}}), "UNKNOWN_GLOBAL_CONDITION_KEY",
     "Statement[0].Condition.StringEquals.aws:NoSuchGlobal", "WARNING"),
    (st("iam:CreateUser", Condition={"NumericEquals": {"iam:PermissionsBoundary": "1"}}), "TYPE_MISMATCH",
     "Statement[0].Condition.NumericEquals.iam:PermissionsBoundary", "WARNING"),
    (st("s3:PutObject", Condition={"StringEquals": {"s3:x-amz-server-side-encryption-aws-kms-key-id": "k"},
                                   "Bool": {"aws:SecureTransport": "yes"}}), "TYPE_MISMATCH_BOOLEAN",
     "Statement[0].Condition.Bool.aws:SecureTransport", "WARNING"),
    (st("ec2:RunInstances", Condition={"StringEquals": {"ec2:ResourceTag/team": "x", "aws:CurrentTime": "x"}}),
     "TYPE_MISMATCH", "Statement[0].Condition.StringEquals.aws:CurrentTime", "WARNING"),
]


@pytest.mark.parametrize(("statement", "code", "path", "severity"), BAD)
def test_bad_policies_have_the_finding(statement, code, path, severity):
    findings = check_policy(policy(statement))
    hits = [f for f in findings if f.code == code and f.path == path]
    assert len(hits) == 1, [(f.code, f.path) for f in findings]
    assert hits[0].severity == severity


def test_findings_point_at_line_and_column():
    text = policy(st("s3:GetObject"), st(["s3:ListBucket", "s3:Lisst*"]))
    finding = next(f for f in check_policy(text) if f.code == "INVALID_ACTION")
    line = text.splitlines()[finding.line - 1]
    assert line[finding.column - 1:].startswith('"s3:Lisst*"')


def test_a_finding_both_make_is_reported_once():
    # TYPE_MISMATCH on a global key: the validator knows aws:MultiFactorAuthPresent too.
    text = policy(st("s3:GetObject", Condition={"StringEquals": {"aws:MultiFactorAuthPresent": "true"}}))
    codes = [(f.code, f.path) for f in check_policy(text)]
    assert codes.count(("TYPE_MISMATCH", "Statement[0].Condition.StringEquals.aws:MultiFactorAuthPresent")) == 1


def test_single_statement_object_positions():
    text = json.dumps({"Version": "2012-10-17", "Statement": st("s3:Gett*")}, indent=2)
    finding = next(f for f in check_policy(text) if f.code == "INVALID_ACTION")
    assert finding.path == "Statement[0].Action"
    assert '"s3:Gett*"' in text.splitlines()[finding.line - 1]


def test_syntax_errors_stop_before_catalog_checks():
    findings = check_policy('{"Version": "2012-10-17", "Statement": [')
    assert [f.code for f in findings] == ["JSON_SYNTAX_ERROR"]


@pytest.mark.parametrize(("a", "b", "expected"), [
    ("arn:aws:s3:::b/*", "arn:*:s3:::*/*", True),
    ("arn:aws:s3:::b", "arn:*:s3:::*/*", False),
    ("arn:aws:organizations::*:account/*", "arn:*:organizations::*:account/o-*/*", True),
    ("arn:aws:iam::*:role/*", "arn:*:iam::*:user/*", True),  # as whole strings a * may span colons
    ("arn:aws:iam::123456789012:user/a?c", "arn:*:iam::*:user/abc", True),
    ("*", "arn:*:iam::*:user/*", True),
])
def test_glob_intersection_of_whole_strings(a, b, expected):
    from policies.catalog import globs_intersect

    assert globs_intersect(a, b) is expected


def test_arn_fits_field_by_field():
    from policies.catalog import get_catalog

    user = get_catalog().service("iam").resource_types["user"]
    assert user.fits("arn:aws:iam::*:user/*")
    assert not user.fits("arn:aws:iam::*:role/*")
    assert user.fits("arn:aws:iam::123456789012:user/${aws:username}")
