"""Resource and NotResource matching (ARNs).

https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html
"""

from __future__ import annotations

import pytest

from policies.evaluation import evaluate
from policies.evaluation.matching import compile_resource, resource_pattern_matches
from tests.evaluation._helpers import allow, req

CASES = [
    ("star", "*", "arn:aws:s3:::b/k", True),
    ("exact", "arn:aws:s3:::b/k", "arn:aws:s3:::b/k", True),
    ("case-sensitive", "arn:aws:s3:::B/k", "arn:aws:s3:::b/k", False),
    ("case-sensitive-wildcard", "arn:aws:s3:::B/*", "arn:aws:s3:::b/k", False),
    ("object-wildcard", "arn:aws:s3:::b/*", "arn:aws:s3:::b/a/b/c", True),
    ("bucket-is-not-object", "arn:aws:s3:::b/*", "arn:aws:s3:::b", False),
    ("question-mark", "arn:aws:s3:::b/?", "arn:aws:s3:::b/k", True),
    ("region-wildcard", "arn:aws:sqs:*:111122223333:queue1", "arn:aws:sqs:us-east-1:111122223333:queue1", True),
    ("account-wildcard-does-not-cross-colon", "arn:aws:sqs:us-east-1:*:queue1", "arn:aws:sqs:us-east-1:111122223333:x:queue1", False),
    # A short pattern with a wildcard is completed with "*" segments (IAM keeps such entries; this is
    # how @cloud-copilot/iam-simulate treats them), so it covers the service's ARNs; one without a
    # wildcard (in an Allow) matches only a value with as many segments.
    ("short-pattern-with-wildcard-is-completed", "arn:aws:sqs:us-east-1:*", "arn:aws:sqs:us-east-1:111122223333:queue1", True),
    ("short-service-pattern-is-completed", "arn:aws:sqs:*", "arn:aws:sqs:us-east-1:111122223333:queue1", True),
    ("short-pattern-other-service", "arn:aws:sqs:*", "arn:aws:sns:us-east-1:111122223333:topic", False),
    ("short-pattern-without-wildcard", "arn:aws:sqs:us-east-1", "arn:aws:sqs:us-east-1:111122223333:queue1", False),
    ("resource-part-may-contain-colons", "arn:aws:logs:us-east-1:111122223333:log-group:app:*",
     "arn:aws:logs:us-east-1:111122223333:log-group:app:log-stream:x", True),
    ("wildcard-across-segments-stays-in-segment", "arn:aws:s3:::*", "arn:aws:sqs:us-east-1:1:q", False),
    ("all-segments-wildcard", "arn:*:*:*:*:*", "arn:aws:iam::111122223333:user/alice", True),
    ("star-does-not-match-non-arn", "arn:aws:s3:::*", "*", False),
]


@pytest.mark.parametrize(("pattern", "resource", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_resource_patterns_match_case_sensitively_segment_by_segment(pattern, resource, expected):
    assert resource_pattern_matches(compile_resource(pattern, True), resource, {}) is expected


def test_not_resource_applies_to_every_other_resource():
    p = allow(action="s3:*", resource=None, NotResource="arn:aws:s3:::secret/*")
    assert evaluate(req(resource="arn:aws:s3:::public/k"), identity_policies=[p]).allowed
    d = evaluate(req(resource="arn:aws:s3:::secret/k"), identity_policies=[p])
    assert not d.allowed
    assert d.explanation["policies"][0]["statements"][0]["reason"] == "resource not matched"


def test_statement_without_resource_applies_to_the_resource_it_is_attached_to():
    # Role trust policies have no Resource element; the policy is the role's.
    p = allow(action="sts:AssumeRole", resource=None)
    assert p.statements[0].resource_patterns is None
    assert evaluate(req(action="sts:AssumeRole", resource="arn:aws:s3:::b"), identity_policies=[p]).allowed
