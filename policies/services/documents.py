"""Checks the IAM API makes on a policy document before storing it, with AWS's wording.

The engine's parser decides what a document means; this module only turns its verdict into
the API's errors (MalformedPolicyDocument, LimitExceeded). The console's editor shows the
engine's validation findings (`policies.evaluation.validation`) on top of these.
"""

from __future__ import annotations

import re

from accounts.errors import LimitExceeded, MalformedPolicyDocument
from policies.evaluation import Policy, PolicyParseError, parse_policy
from policies.evaluation.validation import policy_size

MAX_MANAGED_POLICY_SIZE = 6144
MAX_DOCUMENT_CHARS = 131072
# Inline policies: the aggregate size of all inline policies of one entity
# (reference_iam-quotas.html, "IAM and AWS STS character limits").
MAX_INLINE_AGGREGATE = {"user": 2048, "group": 5120, "role": 10240}

IDENTITY_POLICY = "IDENTITY_POLICY"
# Policy document characters the API accepts (API reference, PolicyDocument: TAB, LF, CR and
# U+0020 to U+00FF).
_ALLOWED_CHARS = re.compile(r"^[\u0009\u000A\u000D\u0020-\u00FF]+$")


def check_identity_policy(text: str) -> Policy:
    """Parse an identity-based policy as CreatePolicy / PutUserPolicy do, or raise
    MalformedPolicyDocument with the API's message. `details` carries the parser's location."""
    if not isinstance(text, str) or not text.strip():
        raise MalformedPolicyDocument("Syntax errors in policy.")
    if len(text) > MAX_DOCUMENT_CHARS or not _ALLOWED_CHARS.match(text):
        raise MalformedPolicyDocument("Syntax errors in policy.")
    try:
        policy = parse_policy(text)
    except PolicyParseError as error:
        message = "Syntax errors in policy."
        if "no Effect element" in error.message:
            message = "Missing required field Effect"
        elif "neither Action nor NotAction" in error.message:
            message = "Policy statement must contain actions."
        elif "neither Resource nor NotResource" in error.message:
            message = "Policy statement must contain resources."
        raise MalformedPolicyDocument(message, path=error.path, line=error.line, column=error.column,
                                      parser_message=error.message) from None
    for statement in policy.statements:
        if statement.principal is not None or statement.not_principal is not None:
            raise MalformedPolicyDocument("Policy document should not specify a principal.")
        if statement.actions is None and statement.not_actions is None:
            raise MalformedPolicyDocument("Policy statement must contain actions.")
        if statement.resources is None and statement.not_resources is None:
            raise MalformedPolicyDocument("Policy statement must contain resources.")
        for resource in (statement.resources or ()) + (statement.not_resources or ()):
            if resource != "*" and not resource.startswith("arn:"):
                raise MalformedPolicyDocument(f'Resource {resource} must be in ARN format or "*".')
        for action in (statement.actions or ()) + (statement.not_actions or ()):
            if action != "*" and ":" not in action:
                raise MalformedPolicyDocument("Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.")
    return policy


def check_managed_policy(text: str) -> Policy:
    policy = check_identity_policy(text)
    if policy_size(text) > MAX_MANAGED_POLICY_SIZE:
        raise LimitExceeded(f"Cannot exceed quota for PolicySize: {MAX_MANAGED_POLICY_SIZE}")
    return policy
