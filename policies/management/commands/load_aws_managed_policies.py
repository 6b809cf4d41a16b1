"""Load the AWS managed policies (default version documents) from PyPI's moto.

Source: `moto/iam/aws_managed_policies.py`, variable `aws_managed_policies_data` (a JSON string
{name: {DefaultVersionId, Document, Path, CreateDate, UpdateDate, ...}}; iam-facts.md §5b).
moto ships no descriptions, so AWS managed policies get an empty description here.

Idempotent: new policies are bulk-created, changed ones (document, default version, dates)
updated in bulk; unchanged ones are left alone.
"""

from __future__ import annotations

import json
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from policies.models import ManagedPolicy, PolicyVersion


def moto_policy_data() -> dict[str, dict[str, Any]]:
    """moto's table, read as text so moto's own dependencies (boto3...) are not needed."""
    import importlib.util

    spec = importlib.util.find_spec("moto")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("moto is not installed: pip install moto")
    source = Path(next(iter(spec.submodule_search_locations))) / "iam" / "aws_managed_policies.py"
    text = source.read_text(encoding="utf-8")
    start = text.index('"""') + 3
    end = text.rindex('"""')
    return json.loads(text[start:end])


def document_text(document: Any) -> str:
    return document if isinstance(document, str) else json.dumps(document, indent=4)


def load(data: dict[str, dict[str, Any]]) -> tuple[int, int, int]:
    """(created, updated, unchanged)."""
    existing = {(p.path, p.name): p for p in ManagedPolicy.objects.filter(account__isnull=True)}
    to_create: list[ManagedPolicy] = []
    to_update: list[ManagedPolicy] = []
    unchanged = 0
    for name, entry in data.items():
        path = entry.get("Path", "/")
        document = document_text(entry["Document"])
        version_id = entry.get("DefaultVersionId", "v1")
        created = datetime.fromisoformat(entry["CreateDate"])
        updated = datetime.fromisoformat(entry.get("UpdateDate") or entry["CreateDate"])
        policy = existing.get((path, name))
        if policy is None:
            to_create.append(ManagedPolicy(
                account=None, name=name, path=path, document=document, default_version_id=version_id,
                created=created, updated=updated, next_version_number=_version_number(version_id) + 1,
            ))
        elif (policy.document, policy.default_version_id, policy.updated) != (document, version_id, updated):
            policy.document, policy.default_version_id, policy.updated = document, version_id, updated
            policy.next_version_number = _version_number(version_id) + 1
            to_update.append(policy)
        else:
            unchanged += 1
    with transaction.atomic():
        ManagedPolicy.objects.bulk_create(to_create, batch_size=500)
        if to_create:
            # SQLite and PostgreSQL return the primary keys from bulk_create; fetch them anyway
            # so other databases work too.
            ids = dict(
                ManagedPolicy.objects.filter(account__isnull=True, name__in=[p.name for p in to_create]).values_list("name", "pk")
            )
            PolicyVersion.objects.bulk_create(
                [
                    PolicyVersion(policy_id=ids[p.name], version_id=p.default_version_id, document=p.document,
                                  is_default=True, created=p.updated)
                    for p in to_create
                ],
                batch_size=500,
            )
        if to_update:
            ManagedPolicy.objects.bulk_update(
                to_update, ["document", "default_version_id", "updated", "next_version_number"], batch_size=500
            )
            # AWS keeps one stored version per AWS managed policy here: the current default.
            PolicyVersion.objects.filter(policy__in=to_update).delete()
            PolicyVersion.objects.bulk_create(
                [
                    PolicyVersion(policy=p, version_id=p.default_version_id, document=p.document, is_default=True, created=p.updated)
                    for p in to_update
                ],
                batch_size=500,
            )
    return len(to_create), len(to_update), unchanged


def _version_number(version_id: str) -> int:
    digits = "".join(ch for ch in version_id.split(".")[0] if ch.isdigit())
    return int(digits) if digits else 1


class Command(BaseCommand):
    help = "Load (or refresh) the AWS managed policies from moto's copy of AWS's documents."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when AWS managed policies are already loaded.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and ManagedPolicy.objects.filter(account__isnull=True).exists():
            count = ManagedPolicy.objects.filter(account__isnull=True).count()
            self.stdout.write(f"AWS managed policies already loaded ({count}); nothing to do.")
            return
        started = time.perf_counter()
        data = moto_policy_data()
        created, updated, unchanged = load(data)
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"AWS managed policies: {created} created, {updated} updated, {unchanged} unchanged "
            f"({len(data)} in moto's data) in {elapsed:.2f}s."
        )
