"""Scenario files: whole requests through the JSON interface, asserting the decision and its reasons.

Each case in tests/evaluation/scenarios/*.json names the AWS documentation page it comes from.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from policies.evaluation.jsonapi import evaluate_json_request

SCENARIO_DIR = Path(__file__).parent / "scenarios"
CASES = [case for path in sorted(SCENARIO_DIR.glob("*.json")) for case in json.loads(path.read_text())]


def test_scenario_files_are_present():
    assert len(CASES) >= 10
    assert all(case["doc"].startswith("https://docs.aws.amazon.com/") for case in CASES)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_scenario(case):
    out = evaluate_json_request(case["input"])
    expect = case["expect"]
    assert out["decision"] == expect["decision"]
    assert out["deciding_step"] == expect["deciding_step"]
    assert out["reason"] == expect["reason"]
    assert [s["sid"] for s in out["matched_statements"]] == expect["matched_sids"]
