"""The JSON interface: `python -m policies.evaluation [FILE]` and evaluate_json_request (evaluation issue, item 5)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from policies.evaluation.jsonapi import evaluate_json_request

ROOT_DIR = Path(__file__).resolve().parents[2]
ALLOW_ALL = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}


def request(**overrides):
    base = {
        "request": {"principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:GetObject",
                    "resource": "arn:aws:s3:::bucket/key", "resource_account": "111122223333",
                    "context": {"aws:SourceIp": "203.0.113.5", "aws:TagKeys": ["a", "b"]}},
        "identity_policies": [ALLOW_ALL], "permission_boundary": None, "session_policy": None,
        "resource_policy": None, "scps": [], "rcps": [],
    }
    base.update(overrides)
    return base


def run_cli(stdin: str, *args: str) -> list[dict]:
    proc = subprocess.run([sys.executable, "-m", "policies.evaluation", *args], input=stdin, capture_output=True,
                          text=True, cwd=ROOT_DIR, check=True, timeout=60)
    return [json.loads(line) for line in proc.stdout.splitlines()]


def test_evaluate_json_request_returns_decision_and_explanation():
    out = evaluate_json_request(request())
    assert out["decision"] == "allowed"
    assert out["explanation"]["request"]["principal_type"] == "User"


def test_policies_may_be_given_as_json_text():
    out = evaluate_json_request(request(identity_policies=[json.dumps(ALLOW_ALL)]))
    assert out["decision"] == "allowed"


@pytest.mark.parametrize(("overrides", "path"), [
    ({"request": {"principal": 5, "action": "s3:GetObject", "resource": "*"}}, "request.principal"),
    ({"request": {"principal": "p", "action": "s3:GetObject"}}, "request.resource"),
    ({"request": {"principal": "p", "action": "a", "resource": "r", "context": []}}, "request.context"),
    ({"request": {"principal": "p", "action": "a", "resource": "r", "context": {"k": {"x": 1}}}}, "request.context.k"),
    ({"identity_policies": {"Statement": []}}, "identity_policies"),
    ({"identity_policies": [{"Statement": {"Effect": "Perhaps", "Action": "*"}}]}, "identity_policies[0].Statement[0].Effect"),
    ({"scps": [[ALLOW_ALL], [{"Version": "1999"}]]}, "scps[1][0].Version"),
    ({"resource_policy": 7}, "resource_policy"),
    ({"extra": 1}, "extra"),
    ({"request": {"principal": "p", "action": "a", "resource": "r", "context": {"k": float("nan")}}}, "request.context.k"),
    ({"identity_policies": [{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*",
                                           "Condition": {"NumericLessThan": {"k:v": float("inf")}}}}]}, "identity_policies[0]"),
], ids=["principal-type", "resource-missing", "context-type", "context-value", "identity-not-list", "bad-policy",
        "bad-scp", "policy-type", "unknown-field", "context-nan", "policy-infinity"])
def test_bad_input_gives_an_error_and_no_decision(overrides, path):
    out = evaluate_json_request(request(**overrides))
    assert "decision" not in out
    assert out["error"] and out["error_path"] == path


def test_cli_reads_a_list_and_writes_one_line_per_request_in_order(tmp_path):
    items = [request(), request(identity_policies=[]), "not an object", request(request={"principal": "x"})]
    path = tmp_path / "requests.json"
    path.write_text(json.dumps(items))
    results = run_cli("", str(path))
    assert [r.get("decision") for r in results] == ["allowed", "implicitDeny", None, None]
    assert "error" in results[2] and "error" in results[3]
    assert all("explanation" in r for r in results[:2])


def test_cli_reads_a_single_object_from_stdin():
    (result,) = run_cli(json.dumps(request()))
    assert result["decision"] == "allowed"


def test_cli_malformed_json_line_fails_only_that_request():
    stdin = "\n".join([json.dumps(request()), "{not json", json.dumps(request(identity_policies=[]))])
    results = run_cli(stdin)
    assert [r.get("decision") for r in results] == ["allowed", None, "implicitDeny"]
    assert results[1]["error"].startswith("Invalid JSON")


def test_cli_malformed_document_gives_one_error():
    (result,) = run_cli("{")
    assert "error" in result and "decision" not in result


def test_cli_nan_inside_a_policy_fails_only_that_request():
    bad = json.dumps(request()).replace('"Resource": "*"', '"Resource": "*", "Condition": {"NumericLessThan": {"k:v": NaN}}')
    stdin = "\n".join([bad, json.dumps(request())])
    results = run_cli(stdin)
    assert [r.get("decision") for r in results] == [None, "allowed"]
    assert "not JSON data" in results[0]["error"]
