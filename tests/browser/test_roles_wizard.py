"""The create-role wizard end to end in Chromium: an EC2 service role, its instance profile and
its trust relationship on the detail page."""

from __future__ import annotations

import json

from playwright.sync_api import expect

from accounts import services
from accounts.models import InstanceProfile, Role
from accounts.principal import Caller
from policies.models import ManagedPolicy, PolicyAttachment
from tests.conftest import ROOT_PASSWORD

READ_ONLY_S3 = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:Get*", "s3:List*"], "Resource": "*"}]}


def test_create_ec2_service_role_shows_instance_profile_and_trust(live_server, page, screenshot):
    root = services.create_account("owner@example.com", "Training", ROOT_PASSWORD)
    account = root.account
    ManagedPolicy.objects.create(account=None, name="AmazonS3ReadOnlyAccess", path="/", document=json.dumps(READ_ONLY_S3),
                                 description="Provides read only access to all buckets via the AWS Management Console.")

    page.goto(f"{live_server.url}/signin/")
    page.get_by_test_id("type-root").check()
    page.get_by_test_id("email").fill("owner@example.com")
    page.get_by_test_id("password").fill(ROOT_PASSWORD)
    page.get_by_test_id("sign-in").click()

    page.goto(f"{live_server.url}/iam/roles/")
    page.get_by_test_id("create-role").click()

    # Step 1: Select trusted entity: AWS service, EC2. Other types' options are hidden.
    expect(page.locator("h1")).to_have_text("Select trusted entity")
    page.get_by_test_id("entity-service").check()
    expect(page.get_by_test_id("section-account")).to_be_hidden()
    page.get_by_test_id("service-select").select_option("ec2")
    screenshot("roles-wizard-step1")
    page.get_by_test_id("wizard-next").click()

    # Step 2: Add permissions.
    expect(page.locator("h1")).to_have_text("Add permissions")
    page.get_by_test_id("attach-AmazonS3ReadOnlyAccess").check()
    page.get_by_test_id("wizard-next").click()

    # Step 3: Name, review, and create: the generated trust policy is previewed.
    expect(page.locator("h1")).to_have_text("Name, review, and create")
    expect(page.get_by_test_id("trust-preview")).to_contain_text('"ec2.amazonaws.com"')
    page.get_by_test_id("role-name").fill("WebServerRole")
    page.get_by_test_id("role-description").fill("Allows EC2 instances to call AWS services on your behalf.")
    page.get_by_test_id("tag-key").first.fill("team")
    page.get_by_test_id("tag-value").first.fill("web")
    page.get_by_test_id("create-role-submit").click()

    # The detail page: summary with the instance profile ARN, then the trust relationship.
    expect(page.get_by_test_id("flash-success")).to_contain_text("Role WebServerRole created.")
    expect(page.get_by_test_id("role-title")).to_have_text("WebServerRole")
    expect(page.get_by_test_id("instance-profile-arn")).to_have_text(f"arn:aws:iam::{account.account_id}:instance-profile/WebServerRole")
    expect(page.get_by_test_id("role-arn")).to_have_text(f"arn:aws:iam::{account.account_id}:role/WebServerRole")
    expect(page.get_by_test_id("switch-role-link")).to_have_attribute(
        "href", f"https://signin.aws.amazon.com/switchrole?roleName=WebServerRole&account={account.account_id}")
    screenshot("roles-detail-summary")
    page.get_by_test_id("tab-trust").click()
    expect(page.get_by_test_id("trusted-entities")).to_have_text("AWS Service: ec2")
    expect(page.get_by_test_id("trust-policy")).to_contain_text('"sts:AssumeRole"')
    screenshot("roles-detail-trust")

    role = Role.objects.get(account=account, name="WebServerRole")
    assert InstanceProfile.objects.get(account=account, name="WebServerRole").role == role
    assert PolicyAttachment.objects.filter(role=role, policy__name="AmazonS3ReadOnlyAccess").exists()
    assert role.tags == [{"Key": "team", "Value": "web"}]


def test_cross_account_role_with_external_id_and_mfa(live_server, page, screenshot):
    root = services.create_account("owner@example.com", "Training", ROOT_PASSWORD)
    account = root.account

    page.goto(f"{live_server.url}/signin/")
    page.get_by_test_id("type-root").check()
    page.get_by_test_id("email").fill("owner@example.com")
    page.get_by_test_id("password").fill(ROOT_PASSWORD)
    page.get_by_test_id("sign-in").click()

    page.goto(f"{live_server.url}/iam/roles/create/")
    # The custom trust policy option shows the shared policy editor.
    page.get_by_test_id("entity-custom").check()
    expect(page.get_by_test_id("section-custom")).to_be_visible()
    expect(page.get_by_test_id("section-service")).to_be_hidden()
    screenshot("roles-wizard-custom")

    page.get_by_test_id("entity-account").check()
    expect(page.get_by_test_id("account-id-input")).to_be_hidden()
    page.get_by_test_id("account-another").check()
    page.get_by_test_id("account-id-input").fill("444455556666")
    page.get_by_test_id("require-external-id").check()
    page.get_by_test_id("external-id-input").fill("partner-42")
    page.get_by_test_id("require-mfa").check()
    page.get_by_test_id("external-id-input").press("Enter")  # Enter means Next, not the editor's mode buttons

    expect(page.locator("h1")).to_have_text("Add permissions")
    page.get_by_test_id("wizard-next").click()
    expect(page.get_by_test_id("trust-preview")).to_contain_text('"sts:ExternalId": "partner-42"')
    expect(page.get_by_test_id("trust-preview")).to_contain_text('"aws:MultiFactorAuthPresent": "true"')
    page.get_by_test_id("role-name").fill("PartnerAccess")
    page.get_by_test_id("create-role-submit").click()

    expect(page.get_by_test_id("role-title")).to_have_text("PartnerAccess")
    expect(page.get_by_test_id("instance-profile-arn")).to_have_text("-")
    page.get_by_test_id("tab-trust").click()
    expect(page.get_by_test_id("trusted-entities")).to_have_text("Account: 444455556666")
    statement = json.loads(Role.objects.get(account=account, name="PartnerAccess").trust_policy)["Statement"][0]
    assert statement["Condition"] == {"StringEquals": {"sts:ExternalId": "partner-42"}, "Bool": {"aws:MultiFactorAuthPresent": "true"}}

    # The list shows both roles; a service-linked role is read-only on its page.
    services.create_service_linked_role(Caller.system_for(account), "autoscaling.amazonaws.com")
    page.goto(f"{live_server.url}/iam/roles/")
    expect(page.get_by_test_id("role-row")).to_have_count(2)
    expect(page.get_by_test_id("trusted-entities").first).to_have_text("AWS Service: autoscaling (Service-Linked Role)")
    screenshot("roles-list")
    page.get_by_role("link", name="AWSServiceRoleForAutoScaling").click()
    expect(page.get_by_test_id("service-linked-notice")).to_be_visible()
    expect(page.get_by_test_id("delete-button")).to_have_count(0)
    screenshot("roles-detail-service-linked")
    assert statement["Condition"] == {"StringEquals": {"sts:ExternalId": "partner-42"}, "Bool": {"aws:MultiFactorAuthPresent": "true"}}
