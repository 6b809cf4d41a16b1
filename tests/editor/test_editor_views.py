"""The policy editor's endpoints: validation (htmx), catalog data, visual editor, summary, diff."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from policies.catalog import visual
from policies.catalog.summary import policy_summary
from policies.editor_views import diff_rows
from policies.models import ManagedPolicy, PolicyVersion
from tests.conftest import client_for

VALIDATE = "/iam/editor/validate/"


def doc(*statements) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)}, indent=4)


def test_validation_fragment_lists_findings_with_line_and_column(root_client):
    text = doc({"Effect": "Allow", "Action": "s3:GetObjekt", "Resource": "*"})
    response = root_client.post(VALIDATE, {"policy_document": text, "policy_type": "identity"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert 'data-code="INVALID_ACTION"' in body
    line = next(i for i, x in enumerate(text.splitlines(), 1) if "GetObjekt" in x)
    assert f'data-line="{line}"' in body
    assert "Did you mean s3:GetObject?" in body


def test_findings_are_listed_by_severity(root_client):
    text = doc({"Effect": "Allow", "Action": ["iam:PassRole", "s3:Gett*"], "Resource": "*"},
               {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket"})
    body = root_client.post(VALIDATE, {"policy_document": text}).content.decode()
    severities = [part.split('"')[0] for part in body.split('data-severity="')[1:]]
    order = ["ERROR", "SECURITY_WARNING", "WARNING", "SUGGESTION"]
    assert severities == sorted(severities, key=order.index)
    assert {"ERROR", "SECURITY_WARNING", "WARNING"} <= set(severities)


def test_character_counter_against_the_policy_type_limit(root_client):
    text = doc({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::" + "b" * 2100})
    body = root_client.post(VALIDATE, {"policy_document": text, "policy_type": "inline_user"}).content.decode()
    assert "of 2048 characters" in body and "is-over" in body
    body = root_client.post(VALIDATE, {"policy_document": text, "policy_type": "identity"}).content.decode()
    assert "of 6144 characters" in body and "is-over" not in body


def test_clean_policy_has_no_findings(root_client):
    body = root_client.post(VALIDATE, {"policy_document": doc({"Effect": "Allow", "Action": "s3:GetObject",
                                                                "Resource": "arn:aws:s3:::b/*"})}).content.decode()
    assert 'data-testid="no-findings"' in body


def test_validation_needs_access_analyzer_permission(account, iam_user_factory):
    bob = iam_user_factory("bob", policies=[{"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "iam:CreatePolicy", "Resource": "*"}]}])
    body = client_for(bob).post(VALIDATE, {"policy_document": doc()}).content.decode()
    assert "is not authorized to perform: access-analyzer:ValidatePolicy" in body


def test_catalog_endpoints_feed_completion(root_client):
    data = root_client.get(reverse("simulator:catalog_services")).json()
    assert ["s3", "Amazon S3"] in data["services"]
    assert any(k[0] == "aws:SourceIp" for k in data["global_keys"])
    s3 = root_client.get(reverse("simulator:catalog_service", args=["s3"])).json()
    assert ["GetObject", "Read"] in s3["actions"]
    assert any(k[0] == "s3:prefix" for k in s3["condition_keys"])
    assert root_client.get(reverse("simulator:catalog_service", args=["nosuch"])).status_code == 404


# ------------------------------------------------------------------ visual <-> JSON


ROUND_TRIPS = [
    doc({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}),
    doc({"Effect": "Deny", "Action": ["iam:CreateUser", "iam:DeleteUser"], "Resource": "*",
         "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}}}),
    doc({"Sid": "All", "Effect": "Allow", "Action": "ec2:*", "Resource": "*"}),
    doc({"Effect": "Allow", "Action": ["s3:Get*", "s3:ListBucket"], "Resource": ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
         "Condition": {"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "198.51.100.0/24"]}}}),
]


@pytest.mark.parametrize("text", ROUND_TRIPS)
def test_json_to_visual_and_back_keeps_the_policy(text):
    statements, note = visual.from_json(text)
    assert note == "" and statements is not None
    assert json.loads(visual.to_json(statements)) == json.loads(text)


def test_statement_with_several_services_becomes_one_block_per_service():
    text = doc({"Effect": "Allow", "Action": ["s3:GetObject", "sqs:SendMessage"], "Resource": "*"})
    statements, _ = visual.from_json(text)
    assert [s.service for s in statements] == ["s3", "sqs"]
    assert json.loads(visual.to_json(statements))["Statement"] == [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
        {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*"}]


@pytest.mark.parametrize("statement", [
    {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"},
    {"Effect": "Allow", "Action": "*", "Resource": "*"},
    {"Effect": "Allow", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::b/*"},
    {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"},
])
def test_json_the_visual_editor_cannot_show_stays_json(statement):
    statements, note = visual.from_json(doc(statement))
    assert statements is None and note


def test_visual_form_to_json():
    form = {"statement_count": "1", "st-0-service": "s3", "st-0-effect": "Allow", "st-0-action": ["GetObject", "PutObject"],
            "st-0-resource_mode": "specific", "st-0-arns": "arn:aws:s3:::b/*",
            "st-0-cond_key": ["aws:SecureTransport", ""], "st-0-cond_op": ["Bool", ""], "st-0-cond_value": ["true", ""]}
    assert json.loads(visual.to_json(visual.from_form(form))) == {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::b/*",
        "Condition": {"Bool": {"aws:SecureTransport": "true"}}}]}


def test_arn_builder_fills_fields_and_any():
    assert visual.build_arn("arn:${Partition}:s3:::${BucketName}/${ObjectName}", {"BucketName": "reports"}) == "arn:aws:s3:::reports/*"


def test_visual_editor_fragment_switches_from_json(root_client):
    text = doc({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"})
    body = root_client.post(reverse("simulator:visual_editor"), {"policy_document": text, "op": "from_json"},
                            HTTP_HX_REQUEST="true").content.decode()
    assert body.strip().startswith('<div class="policy-editor"') or 'data-testid="visual-mode"' in body
    assert 'data-testid="visual-action-GetObject"' in body and "checked" in body.split('data-testid="visual-action-GetObject"')[0][-200:]


def test_visual_editor_keeps_unshowable_json_in_json_mode(root_client):
    text = doc({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"})
    body = root_client.post(reverse("simulator:visual_editor"), {"policy_document": text, "op": "from_json"},
                            HTTP_HX_REQUEST="true").content.decode()
    assert 'data-testid="editor-note"' in body and 'data-testid="json-mode"' in body and "NotAction" in body


def test_visual_editor_add_arn_and_statement_without_javascript(root_client):
    form = {"statement_count": "1", "st-0-service": "s3", "st-0-action": "GetObject", "st-0-resource_mode": "specific",
            "st-0-arn-object-BucketName": "reports", "op": "addarn-0-object"}
    page = root_client.post(reverse("simulator:visual_editor"), form).content.decode()
    assert "<html" in page and "arn:aws:s3:::reports/*" in page
    form["op"] = "add"
    page = root_client.post(reverse("simulator:visual_editor"), form).content.decode()
    assert page.count('data-testid="visual-block"') == 2


def test_json_mode_from_visual_fields(root_client):
    form = {"statement_count": "1", "st-0-service": "sqs", "st-0-all_actions": "on"}
    body = root_client.post(reverse("simulator:json_mode"), form, HTTP_HX_REQUEST="true").content.decode()
    assert "sqs:*" in body and 'data-testid="json-mode"' in body


# ------------------------------------------------------------------ summary and diff


def test_policy_summary_access_levels():
    summary = policy_summary(doc({"Effect": "Allow", "Action": ["s3:*", "iam:Get*", "iam:ListUsers"], "Resource": "*"},
                                 {"Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "arn:aws:s3:::b"}))
    rows = {r.service: r for r in summary.allow}
    assert rows["s3"].access_level == "Full access"
    assert rows["iam"].access_level == "Limited: List, Read"
    assert rows["iam"].resource_text == "All resources"
    assert summary.deny[0].access_level == "Limited: Write" and summary.deny[0].resource_text == "arn:aws:s3:::b"


def test_summary_fragment_before_saving(root_client):
    body = root_client.post(reverse("simulator:policy_summary"),
                            {"policy_document": doc({"Effect": "Allow", "Action": "sqs:*", "Resource": "*"})}).content.decode()
    assert "Amazon SQS" in body and "Full access" in body


def _policy_with_versions(account) -> ManagedPolicy:
    v1 = doc({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"})
    v2 = doc({"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "*"})
    policy = ManagedPolicy.objects.create(account=account, name="Data", document=v2, default_version_id="v2", next_version_number=3)
    PolicyVersion.objects.create(policy=policy, version_id="v1", document=v1)
    PolicyVersion.objects.create(policy=policy, version_id="v2", document=v2, is_default=True)
    return policy


def test_summary_of_a_managed_policy(root_client, account):
    policy = _policy_with_versions(account)
    body = root_client.get(reverse("simulator:managed_policy_summary", args=[policy.arn])).content.decode()
    assert "Amazon S3" in body and "Limited: Read, Write" in body


def test_version_diff_side_by_side(root_client, account):
    policy = _policy_with_versions(account)
    page = root_client.get(reverse("simulator:version_diff", args=[policy.arn]), {"left": "v1", "right": "v2"}).content.decode()
    assert 'data-kind="replace"' in page or 'data-kind="insert"' in page
    assert "s3:PutObject" in page


def test_diff_rows_align_changes():
    rows = diff_rows('{"a": 1, "b": 2}', '{"a": 1, "b": 3, "c": 4}')
    kinds = [r["kind"] for r in rows]
    assert "equal" in kinds and ("replace" in kinds or "insert" in kinds)


def test_version_diff_of_another_accounts_policy_is_not_found(root_client, other_root):
    policy = _policy_with_versions(other_root.account)
    response = root_client.get(reverse("simulator:version_diff", args=[policy.arn]))
    assert response.status_code == 404 and b"s3:PutObject" not in response.content


def test_version_diff_needs_permission(account, iam_user_factory):
    policy = _policy_with_versions(account)
    bob = iam_user_factory("bob")
    page = client_for(bob).get(reverse("simulator:version_diff", args=[policy.arn])).content.decode()
    assert "is not authorized to perform: iam:ListPolicyVersions" in page and "s3:PutObject" not in page


def test_visual_sync_returns_only_the_json(root_client):
    form = {"statement_count": "1", "st-0-service": "s3", "st-0-action": "GetObject", "st-0-effect": "Deny",
            "op": "addarn-0-object"}
    body = root_client.post(reverse("simulator:visual_editor") + "?sync=1", form, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-testid="visual-json"' in body
    assert 'data-testid="visual-block"' not in body
    assert '&quot;Effect&quot;: &quot;Deny&quot;' in body
    assert "arn:aws:s3" not in body  # the op of a button is not applied by a sync


def test_trust_policy_type_is_validated_as_a_trust_policy(root_client):
    trust = doc({"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"})
    body = root_client.post(VALIDATE, {"policy_document": trust, "policy_type": "trust"}).content.decode()
    assert 'data-testid="no-findings"' in body and "of 2048 characters" in body
    body = root_client.post(VALIDATE, {"policy_document": trust, "policy_type": "identity"}).content.decode()
    assert 'data-severity="ERROR"' in body  # an identity policy has no Principal and needs a Resource
