"""Explanations: per policy, per statement, why it did (not) match; the steps of the flow;
AWS's access denied wording; missing context values.

https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html
https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulatePrincipalPolicy.html (MissingContextValues)
"""

from __future__ import annotations

import json

import pytest

from policies.evaluation import evaluate
from policies.evaluation.explain import StatementRef
from tests.evaluation._helpers import ALICE, BUCKET_OBJ, QUEUE, ROLE_SESSION, allow, deny, policy, req, stmt

MIXED = policy(
    stmt("Allow", "ec2:*", "*", Sid="Ec2"),
    stmt("Allow", "s3:GetObject", "arn:aws:s3:::other/*", Sid="OtherBucket"),
    stmt("Allow", "s3:GetObject", "*", Sid="FromOffice", Condition={"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}),
    stmt("Allow", "s3:GetObject", "*", Condition={"StringEquals": {"aws:PrincipalTag/team": "blue"}}),
)


def statements(decision, label="identity_policies[0]"):
    (pol,) = [p for p in decision.explanation["policies"] if p["label"] == label]
    return pol["statements"]


def test_each_statement_says_why_it_did_not_match():
    d = evaluate(req(context={"aws:SourceIp": "198.51.100.7"}), identity_policies=[MIXED])
    ec2, other, office, team = statements(d)
    assert (ec2["sid"], ec2["matched"], ec2["reason"]) == ("Ec2", False, "action not matched")
    assert other["reason"] == "resource not matched" and BUCKET_OBJ in other["detail"]
    assert office["reason"] == "condition not matched"
    assert office["failed_condition"] == {"key": "aws:SourceIp", "operator": "IpAddress"}
    assert office["conditions"][0]["context_value"] == "198.51.100.7"
    assert office["conditions"][0]["policy_values"] == ["203.0.113.0/24"]
    assert (team["sid"], team["index"], team["reason"]) == (None, 3, "condition not matched")
    assert "missing" in team["detail"] and team["conditions"][0]["missing"] is True


def test_missing_context_values_lists_keys_referenced_but_absent():
    d = evaluate(req(), identity_policies=[MIXED])
    assert d.missing_context_values == ("aws:SourceIp", "aws:PrincipalTag/team")


def test_principal_mismatch_is_explained_in_resource_policies():
    rp = policy(stmt("Allow", "sqs:*", "*", Principal={"AWS": "arn:aws:iam::111122223333:user/bob"}))
    d = evaluate(req(action="sqs:SendMessage", resource=QUEUE), resource_policy=rp)
    (st,) = statements(d, "resource_policy")
    assert st["reason"] == "principal not matched" and ALICE in st["detail"]


def test_matched_statements_reference_policy_label_type_sid_and_index():
    d = evaluate(req(context={"aws:SourceIp": "203.0.113.10"}), identity_policies=[("arn:aws:iam::aws:policy/Mine", MIXED)])
    assert d.matched_statements == (StatementRef("arn:aws:iam::aws:policy/Mine", "identity-based policy", "FromOffice", 2, "Allow"),)


def test_steps_are_listed_in_aws_order_with_outcomes():
    d = evaluate(req(ROLE_SESSION), identity_policies=[allow()], permission_boundary=allow("ec2:*"))
    steps = [(s["step"], s["outcome"]) for s in d.explanation["steps"]]
    assert steps == [
        ("explicitDeny", "passed"), ("rcp", "skipped"), ("scp", "skipped"), ("resourcePolicy", "skipped"),
        ("identityPolicy", "passed"), ("permissionsBoundary", "denied"), ("sessionPolicy", "notReached"),
    ]


REASONS = [
    ("identity-implicit", {}, "because no identity-based policy allows the s3:GetObject action"),
    ("identity-explicit", {"identity_policies": [deny()]}, "with an explicit deny in an identity-based policy"),
    ("boundary-implicit", {"identity_policies": [allow()], "permission_boundary": allow("ec2:*")},
     "because no permissions boundary allows the s3:GetObject action"),
    ("boundary-explicit", {"identity_policies": [allow()], "permission_boundary": policy(stmt(), stmt("Deny"))},
     "with an explicit deny in a permissions boundary"),
    ("session-implicit", {"identity_policies": [allow()], "session_policy": allow("ec2:*")},
     "because no session policy allows the s3:GetObject action"),
    ("scp-explicit", {"identity_policies": [allow()], "scps": [[deny()]]}, "with an explicit deny in a service control policy"),
    ("scp-implicit", {"identity_policies": [allow()], "scps": [[allow("ec2:*")]]},
     "because no service control policy allows the s3:GetObject action"),
    ("resource-explicit", {"identity_policies": [allow()], "resource_policy": deny(Principal="*")},
     "with an explicit deny in a resource-based policy"),
]


@pytest.mark.parametrize(("kwargs", "phrase"), [r[1:] for r in REASONS], ids=[r[0] for r in REASONS])
def test_reason_phrase_uses_aws_access_denied_wording(kwargs, phrase):
    d = evaluate(req(ROLE_SESSION), **kwargs)
    assert d.reason_phrase("s3:GetObject") == phrase
    assert d.access_denied_message().endswith(phrase)


def test_allowed_decision_has_no_reason_phrase():
    assert evaluate(req(), identity_policies=[allow()]).reason_phrase() == ""


def test_to_dict_is_json_serialisable_and_complete():
    d = evaluate(req(context={"aws:TagKeys": ["a"], "n": 3, "flag": True}), identity_policies=[MIXED, deny("s3:*")],
                 scps=[[allow()]], rcps=[[allow(Principal="*")]])
    out = json.loads(json.dumps(d.to_dict()))
    assert {"decision", "explanation", "deciding_step", "deciding_policy_type", "matched_statements",
            "missing_context_values", "reason"} <= set(out)
    assert out["decision"] == "explicitDeny"
    assert out["matched_statements"][0]["policy_label"] == "identity_policies[1]"
    types = [p["policy_type"] for p in out["explanation"]["policies"]]
    assert types == ["service control policy", "resource control policy", "identity-based policy", "identity-based policy"]
    by_type = {g["policy_type"]: g for g in out["explanation"]["policy_types"]}
    assert by_type["identity-based policy"] == {"policy_type": "identity-based policy", "allows": False, "denies": True,
                                                "policies": ["identity_policies[0]", "identity_policies[1]"]}


def test_statements_skipped_by_the_service_index_are_explained_alike_either_way():
    # Statements of other services are not evaluated; their explanation is built on demand and must
    # be the same whether built directly by to_dict() or through PolicyResult.statements.
    from policies.evaluation import evaluate, parse_policy
    from tests.evaluation._helpers import req

    p = parse_policy({"Version": "2012-10-17", "Statement": [
        {"Sid": "Ec2", "Effect": "Allow", "Action": ["ec2:Describe*", "ec2:StartInstances"], "Resource": "*"},
        {"Sid": "NotIam", "Effect": "Deny", "NotAction": "iam:*", "Resource": "arn:aws:s3:::other/*"},
        {"Sid": "S3", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
    ]})
    assert p.candidate_positions("s3") == (1, 2)
    assert p.candidate_positions("sqs") == (1,)
    first = evaluate(req(), identity_policies=[p]).explanation["policies"]
    d = evaluate(req(), identity_policies=[p])
    (result,) = d.policy_results
    assert [s.reason for s in result.statements] == ["action not matched", "resource not matched", None]
    assert d.explanation["policies"] == first
    assert first[0]["statements"][0] == {"sid": "Ec2", "index": 0, "effect": "Allow", "matched": False,
                                         "reason": "action not matched",
                                         "detail": "s3:GetObject is not matched by Action ['ec2:Describe*', 'ec2:StartInstances']"}
