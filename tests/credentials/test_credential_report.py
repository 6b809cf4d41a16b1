"""Credential report: AWS's 22 columns in AWS's order, sentinel values, regenerated at most
every 4 hours (docs: id_credentials_getting-report.html)."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.errors import AccessDenied, ReportNotPresent
from accounts.models import CredentialReport, User
from accounts.principal import Caller
from tests.conftest import client_for, make_iam_user

from .conftest import enrol

pytestmark = pytest.mark.django_db

AWS_COLUMNS = (
    "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,"
    "mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,"
    "access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,"
    "access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,"
    "cert_2_last_rotated"
)


def rows(content):
    return list(csv.DictReader(io.StringIO(content)))


def test_report_has_aws_columns_and_sentinels(root_caller, account):
    services.update_account_password_policy(root_caller, max_password_age=90)
    make_iam_user(account, "alice")
    make_iam_user(account, "nopass", password=None)
    enrol(root_caller, "alice-phone", "alice")
    key, _ = services.create_access_key(root_caller, "alice")
    services.record_access_key_use(key, "iam", "us-east-1")
    services.update_access_key(root_caller, key.access_key_id, "Inactive", "alice")
    assert services.generate_credential_report(root_caller) == "STARTED"
    content = services.get_credential_report(root_caller).content
    assert content.splitlines()[0] == AWS_COLUMNS
    assert len(content.splitlines()[0].split(",")) == 22
    by_user = {row["user"]: row for row in rows(content)}
    assert list(by_user) == ["<root_account>", "alice", "nopass"]
    root = by_user["<root_account>"]
    assert root["arn"] == account.root_arn
    assert (root["password_enabled"], root["password_last_changed"], root["password_next_rotation"]) == ("not_supported",) * 3
    assert root["password_last_used"] == "no_information"
    alice = by_user["alice"]
    assert alice["password_enabled"] == "true" and alice["password_last_used"] == "no_information"
    assert alice["password_next_rotation"].endswith("+00:00") and alice["mfa_active"] == "true"
    assert alice["access_key_1_active"] == "false" and alice["access_key_1_last_used_service"] == "iam"
    assert alice["access_key_1_last_used_region"] == "us-east-1"
    assert alice["access_key_2_active"] == "false" and alice["access_key_2_last_rotated"] == "N/A"
    assert alice["cert_1_active"] == "false" and alice["cert_2_last_rotated"] == "N/A"
    nopass = by_user["nopass"]
    assert (nopass["password_enabled"], nopass["password_last_used"], nopass["password_next_rotation"]) == ("false", "N/A", "N/A")
    assert nopass["mfa_active"] == "false"


def test_report_is_regenerated_at_most_every_four_hours(root_caller, account):
    services.generate_credential_report(root_caller)
    make_iam_user(account, "late")
    assert services.generate_credential_report(root_caller) == "COMPLETE"
    assert "late" not in services.get_credential_report(root_caller).content
    CredentialReport.objects.update(generated=timezone.now() - timedelta(hours=4, seconds=1))
    assert services.generate_credential_report(root_caller) == "STARTED"
    assert "late" in services.get_credential_report(root_caller).content


def test_get_before_generate_is_report_not_present(root_caller):
    with pytest.raises(ReportNotPresent, match="credential report does not exist"):
        services.get_credential_report(root_caller)


def test_report_is_per_account_and_needs_permission(root_caller, account, other_root):
    services.generate_credential_report(root_caller)
    with pytest.raises(ReportNotPresent):
        services.get_credential_report(Caller(account=other_root.account, user=other_root))
    bob = make_iam_user(account, "bob")
    with pytest.raises(AccessDenied, match="iam:GenerateCredentialReport on resource: \\*"):
        services.generate_credential_report(Caller(account=account, user=bob))


def test_download_and_table(root_client):
    response = root_client.post(reverse("credentials:credential_report_generate"), {"download": "1"})
    assert response["Content-Type"] == "text/csv" and "attachment" in response["Content-Disposition"]
    assert response.content.decode().splitlines()[0] == AWS_COLUMNS
    page = root_client.get(reverse("credentials:credential_report")).content.decode()
    assert "&lt;root_account&gt;" in page and 'data-testid="report-row"' in page


def test_report_page_denied_shows_the_panel(account):
    bob = make_iam_user(account, "bob")
    page = client_for(bob).get(reverse("credentials:credential_report")).content.decode()
    assert 'data-testid="access-denied"' in page and "iam:GetCredentialReport" in page


def test_report_queries_do_not_grow_with_users(root_caller, account, django_assert_max_num_queries):
    User.objects.bulk_create([
        User(login=f"iam:{account.account_id}:u{i}", kind=User.Kind.IAM, account=account, name=f"u{i}", password="!")
        for i in range(1000)
    ])
    with django_assert_max_num_queries(12):
        services.generate_credential_report(root_caller)
    assert len(rows(services.get_credential_report(root_caller).content)) == 1001


def test_password_last_changed_is_known_for_every_password(root_caller, account):
    make_iam_user(account, "alice")
    services.generate_credential_report(root_caller)
    alice = next(row for row in rows(services.get_credential_report(root_caller).content) if row["user"] == "alice")
    assert alice["password_last_changed"].endswith("+00:00")
