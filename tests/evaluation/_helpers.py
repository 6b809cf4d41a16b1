"""Small builders shared by the evaluation tests (plain Python, no Django)."""

from __future__ import annotations

from collections.abc import Mapping

from policies.evaluation import Policy, Request, parse_policy
from policies.evaluation.conditions import evaluate_condition
from policies.evaluation.decision import normalise_context

ACCT = "111122223333"
OTHER = "444455556666"
ALICE = f"arn:aws:iam::{ACCT}:user/alice"
BOB = f"arn:aws:iam::{ACCT}:user/division/bob"
ROOT = f"arn:aws:iam::{ACCT}:root"
ROLE = f"arn:aws:iam::{ACCT}:role/app/Deployer"
ROLE_SESSION = f"arn:aws:sts::{ACCT}:assumed-role/Deployer/ci-run"
FED_USER = f"arn:aws:sts::{ACCT}:federated-user/carol"
OTHER_USER = f"arn:aws:iam::{OTHER}:user/mallory"
OTHER_ROOT = f"arn:aws:iam::{OTHER}:root"
BUCKET_OBJ = "arn:aws:s3:::amzn-s3-demo-bucket/key"
QUEUE = f"arn:aws:sqs:us-east-1:{ACCT}:queue1"


def stmt(effect: str = "Allow", action: object = "*", resource: object = "*", **extra: object) -> dict[str, object]:
    out: dict[str, object] = {"Effect": effect}
    if action is not None:
        out["Action"] = action
    if resource is not None:
        out["Resource"] = resource
    out.update(extra)
    return out


def policy(*statements: Mapping[str, object], version: str | None = "2012-10-17") -> Policy:
    doc: dict[str, object] = {"Statement": list(statements)}
    if version is not None:
        doc["Version"] = version
    return parse_policy(doc)


def allow(action: object = "*", resource: object = "*", **extra: object) -> Policy:
    return policy(stmt("Allow", action, resource, **extra))


def deny(action: object = "*", resource: object = "*", **extra: object) -> Policy:
    return policy(stmt("Deny", action, resource, **extra))


def req(principal: str = ALICE, action: str = "s3:GetObject", resource: str = BUCKET_OBJ,
        resource_account: str | None = None, context: Mapping[str, object] | None = None) -> Request:
    return Request(principal, action, resource, resource_account, dict(context or {}))


def check(operator: str, key: str, values: object, context: Mapping[str, object], version: str = "2012-10-17") -> bool:
    """Evaluate one condition in isolation."""
    p = policy(stmt(Condition={operator: {key: values}}), version=version)
    return evaluate_condition(p.statements[0].conditions[0], normalise_context(context), p.variables_enabled).result
