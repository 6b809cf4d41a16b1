"""The loader of AWS managed policies (moto's copy of AWS's documents)."""

from __future__ import annotations

import json
from io import StringIO

from django.core.management import call_command

from policies.models import ManagedPolicy, PolicyVersion

ADMINISTRATOR_ACCESS = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}


def run(*args: str) -> str:
    out = StringIO()
    call_command("load_aws_managed_policies", *args, stdout=out)
    return out.getvalue()


def test_loads_every_policy_with_its_default_version(db, moto_data):
    output = run()
    count = len(moto_data)
    assert count > 1500
    assert f"{count} created" in output
    assert ManagedPolicy.objects.filter(account__isnull=True).count() == count
    assert PolicyVersion.objects.filter(is_default=True).count() == count
    admin = ManagedPolicy.objects.get(account__isnull=True, name="AdministratorAccess")
    assert admin.arn == "arn:aws:iam::aws:policy/AdministratorAccess"
    assert json.loads(admin.document) == ADMINISTRATOR_ACCESS
    assert admin.default_version_id == moto_data["AdministratorAccess"]["DefaultVersionId"]
    assert admin.versions.get().version_id == admin.default_version_id
    view_only = ManagedPolicy.objects.get(account__isnull=True, name="ViewOnlyAccess")
    assert view_only.arn == "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"
    assert view_only.policy_type == "AWS managed - job function"
    read_only = ManagedPolicy.objects.get(name="ReadOnlyAccess")
    assert json.loads(read_only.document) == moto_data["ReadOnlyAccess"]["Document"]
    assert read_only.created.isoformat().startswith(moto_data["ReadOnlyAccess"]["CreateDate"][:19])


def test_is_idempotent_and_updates_changed_policies(db, moto_data):
    run()
    admin = ManagedPolicy.objects.get(name="AdministratorAccess")
    admin.document = "{}"
    admin.default_version_id = "v0"
    admin.save()
    output = run()
    assert "0 created, 1 updated" in output
    admin.refresh_from_db()
    assert json.loads(admin.document) == ADMINISTRATOR_ACCESS
    assert [v.version_id for v in admin.versions.all()] == [admin.default_version_id]
    assert ManagedPolicy.objects.filter(account__isnull=True).count() == len(moto_data)
    assert PolicyVersion.objects.count() == len(moto_data)


def test_if_empty_does_nothing_when_loaded(db, moto_data):
    run()
    assert "nothing to do" in run("--if-empty")
