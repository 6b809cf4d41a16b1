"""Benchmark of the Query API (``.venv/bin/python bench/api_bench.py``): the same sequential boto3
workload against our server (gunicorn; SQLite, and PostgreSQL when reachable) and against
``moto_server`` in the same run, printing ops/s, p50/p95 latency per operation and the ratio.

Workload (issue 7): create 200 users, 50 customer managed policies, 20 groups, 30 roles; attach
policies to users, groups and roles; add users to groups; list users/groups/roles/policies
(paged); GetAccountAuthorizationDetails; create an access key per user; then delete
everything. Every call is one sequential HTTP request from one client.

moto (``moto[server]`` from PyPI) is installed by this script into a scratch virtualenv outside
the repository (``$BENCH_SCRATCH``, default ``/tmp/api-bench``). Our server runs from a scratch
database too (``$BENCH_SCRATCH/bench.sqlite3``; PostgreSQL database ``iam_api_bench``, dropped
and created again). Options: ``--scale F`` (multiply the entity counts), ``--no-moto``,
``--no-postgres``, ``--workers N`` (gunicorn workers, default 1: the load is sequential),
``--json FILE``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PYTHON = REPO / ".venv" / "bin" / "python"
SCRATCH = Path(os.environ.get("BENCH_SCRATCH", "/tmp/api-bench"))
MOTO_VERSION = "5.2.5"
PG_URL = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
PG_DB = "iam_api_bench"

POLICY = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": "*"}]})
TRUST = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]})


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port: int, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("server did not start")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


# ------------------------------------------------------------------------------ workload


def workload(iam, scale: float, account_id: str) -> dict[str, list[float]]:
    """Run the workload; returns seconds per call, by operation name."""
    times: dict[str, list[float]] = defaultdict(list)

    def call(name: str, function: Callable, **kwargs):
        started = time.perf_counter()
        result = function(**kwargs)
        times[name].append(time.perf_counter() - started)
        return result

    n_users, n_policies, n_groups, n_roles = (max(1, int(n * scale)) for n in (200, 50, 20, 30))
    users = [f"bench-user-{i:03d}" for i in range(n_users)]
    groups = [f"bench-group-{i:02d}" for i in range(n_groups)]
    roles = [f"bench-role-{i:02d}" for i in range(n_roles)]
    policy_arns = []
    for i in range(n_policies):
        arn = call("CreatePolicy", iam.create_policy, PolicyName=f"bench-policy-{i:02d}", PolicyDocument=POLICY)["Policy"]["Arn"]
        policy_arns.append(arn)
    for name in users:
        call("CreateUser", iam.create_user, UserName=name)
    for name in groups:
        call("CreateGroup", iam.create_group, GroupName=name)
    for name in roles:
        call("CreateRole", iam.create_role, RoleName=name, AssumeRolePolicyDocument=TRUST)
    for i, name in enumerate(users):
        call("AttachUserPolicy", iam.attach_user_policy, UserName=name, PolicyArn=policy_arns[i % n_policies])
        call("AddUserToGroup", iam.add_user_to_group, GroupName=groups[i % n_groups], UserName=name)
    for i, name in enumerate(groups):
        call("AttachGroupPolicy", iam.attach_group_policy, GroupName=name, PolicyArn=policy_arns[i % n_policies])
    for i, name in enumerate(roles):
        call("AttachRolePolicy", iam.attach_role_policy, RoleName=name, PolicyArn=policy_arns[i % n_policies])
    for method, operation in (("list_users", "ListUsers"), ("list_groups", "ListGroups"), ("list_roles", "ListRoles")):
        marker = None
        while True:
            kwargs = {"MaxItems": 100, **({"Marker": marker} if marker else {})}
            page = call(operation, getattr(iam, method), **kwargs)
            if not page.get("IsTruncated"):
                break
            marker = page["Marker"]
    page = call("ListPolicies", iam.list_policies, Scope="Local", MaxItems=100)
    assert len(page["Policies"]) == n_policies, len(page["Policies"])
    details = call("GetAccountAuthorizationDetails", iam.get_account_authorization_details)
    assert len(details["UserDetailList"]) >= n_users
    for name in users:
        key = call("CreateAccessKey", iam.create_access_key, UserName=name)["AccessKey"]
        call("DeleteAccessKey", iam.delete_access_key, UserName=name, AccessKeyId=key["AccessKeyId"])
    for i, name in enumerate(users):
        call("DetachUserPolicy", iam.detach_user_policy, UserName=name, PolicyArn=policy_arns[i % n_policies])
        call("RemoveUserFromGroup", iam.remove_user_from_group, GroupName=groups[i % n_groups], UserName=name)
        call("DeleteUser", iam.delete_user, UserName=name)
    for i, name in enumerate(groups):
        call("DetachGroupPolicy", iam.detach_group_policy, GroupName=name, PolicyArn=policy_arns[i % n_policies])
        call("DeleteGroup", iam.delete_group, GroupName=name)
    for i, name in enumerate(roles):
        call("DetachRolePolicy", iam.detach_role_policy, RoleName=name, PolicyArn=policy_arns[i % n_policies])
        call("DeleteRole", iam.delete_role, RoleName=name)
    for arn in policy_arns:
        call("DeletePolicy", iam.delete_policy, PolicyArn=arn)
    return times


def client(url: str, key_id: str, secret: str):
    import boto3
    from botocore.config import Config

    return boto3.client("iam", endpoint_url=url, region_name="us-east-1", aws_access_key_id=key_id,
                        aws_secret_access_key=secret, config=Config(retries={"max_attempts": 1}))


# -------------------------------------------------------------------------------- targets


def run_ours(label: str, env: dict[str, str], workers: int, scale: float) -> dict[str, list[float]]:
    env = {**os.environ, **env, "LOG_LEVEL": "ERROR", "ALLOWED_HOSTS": "127.0.0.1,localhost"}
    subprocess.run([str(PYTHON), "manage.py", "migrate", "--noinput", "-v", "0"], cwd=REPO, env=env, check=True)
    out = subprocess.run([str(PYTHON), "manage.py", "create_sandbox", "--name", "bench"], cwd=REPO, env=env, check=True,
                         capture_output=True, text=True).stdout
    values = dict(line.split("=", 1) for line in out.splitlines() if "=" in line and not line.startswith("reset:"))
    port = free_port()
    server = subprocess.Popen(
        [str(REPO / ".venv" / "bin" / "gunicorn"), "iamconsole.wsgi", "-b", f"127.0.0.1:{port}", "-w", str(workers),
         "--log-level", "warning"], cwd=REPO, env=env)
    try:
        wait_for(port, server)
        iam = client(f"http://127.0.0.1:{port}", values["AWS_ACCESS_KEY_ID"], values["AWS_SECRET_ACCESS_KEY"])
        print(f"[{label}] running the workload ...", flush=True)
        return workload(iam, scale, values["account_id"])
    finally:
        stop(server)


def run_moto(scale: float) -> dict[str, list[float]] | None:
    venv = SCRATCH / "moto-venv"
    moto_server = venv / "bin" / "moto_server"
    if not moto_server.exists():
        print(f"[moto] installing moto[server]=={MOTO_VERSION} into {venv} ...", flush=True)
        try:
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
            subprocess.run([str(venv / "bin" / "pip"), "install", "-q", f"moto[server]=={MOTO_VERSION}"], check=True)
        except subprocess.CalledProcessError as error:
            print(f"[moto] could not install moto[server]: {error}; skipping the comparison")
            return None
    port = free_port()
    server = subprocess.Popen([str(moto_server), "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        wait_for(port, server)
        iam = client(f"http://127.0.0.1:{port}", "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
        print("[moto] running the workload ...", flush=True)
        return workload(iam, scale, "123456789012")
    finally:
        stop(server)


def postgres_env() -> dict[str, str] | None:
    try:
        import psycopg
    except ImportError:
        return None
    try:
        with psycopg.connect(f"{PG_URL}/postgres", autocommit=True, connect_timeout=3) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {PG_DB}")
    except Exception as error:  # noqa: BLE001 - report and go on without PostgreSQL
        print(f"[postgres] not available ({error}); skipping")
        return None
    return {"DATABASE_URL": f"{PG_URL}/{PG_DB}"}


# -------------------------------------------------------------------------------- report


def summarize(times: dict[str, list[float]]) -> dict[str, object]:
    total_calls = sum(len(v) for v in times.values())
    total_time = sum(sum(v) for v in times.values())
    per_op = {}
    for name, values in sorted(times.items()):
        ordered = sorted(values)
        p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
        per_op[name] = {"calls": len(values), "p50_ms": statistics.median(values) * 1000, "p95_ms": p95 * 1000}
    return {"calls": total_calls, "seconds": total_time, "ops_per_s": total_calls / total_time if total_time else 0,
            "per_op": per_op}


def report(results: dict[str, dict]) -> None:
    labels = list(results)
    print()
    print("| target | calls | seconds | ops/s |" + (" vs moto |" if "moto" in results else ""))
    print("|---|---:|---:|---:|" + ("---:|" if "moto" in results else ""))
    for label in labels:
        r = results[label]
        ratio = ""
        if "moto" in results:
            ratio = f" {r['ops_per_s'] / results['moto']['ops_per_s']:.2f}x |"
        print(f"| {label} | {r['calls']} | {r['seconds']:.1f} | {r['ops_per_s']:.0f} |{ratio}")
    print()
    ops = sorted({op for r in results.values() for op in r["per_op"]})
    print("| operation | calls | " + " | ".join(f"{label} p50 / p95 ms" for label in labels) + " |")
    print("|---|---:|" + "---:|" * len(labels))
    for op in ops:
        cells = []
        calls = 0
        for label in labels:
            stats = results[label]["per_op"].get(op)
            if stats:
                calls = stats["calls"]
                cells.append(f"{stats['p50_ms']:.1f} / {stats['p95_ms']:.1f}")
            else:
                cells.append("-")
        print(f"| {op} | {calls} | " + " | ".join(cells) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--no-moto", action="store_true")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--json", default=None)
    args = parser.parse_args()
    SCRATCH.mkdir(parents=True, exist_ok=True)

    results: dict[str, dict] = {}
    sqlite = SCRATCH / "bench.sqlite3"
    for path in (sqlite, Path(str(sqlite) + "-wal"), Path(str(sqlite) + "-shm")):
        path.unlink(missing_ok=True)
    data_dir = SCRATCH / "data"
    shutil.rmtree(data_dir, ignore_errors=True)
    data_dir.mkdir()
    common = {"DATA_DIR": str(data_dir), "SECRET_KEY": "api-bench-not-secret"}
    results["ours (SQLite)"] = summarize(run_ours("SQLite", {**common, "DATABASE_URL": f"sqlite:///{sqlite}"},
                                                  args.workers, args.scale))
    if not args.no_postgres:
        env = postgres_env()
        if env:
            results["ours (PostgreSQL)"] = summarize(run_ours("PostgreSQL", {**common, **env}, args.workers, args.scale))
    if not args.no_moto:
        moto = run_moto(args.scale)
        if moto:
            results["moto"] = summarize(moto)
    report(results)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
