"""An IAM user whose permissions boundary caps AdministratorAccess sees, on the Policies page,
AWS's AccessDenied message and the explanation (which policy type did not allow it)."""

from __future__ import annotations

from playwright.sync_api import expect

from accounts import services
from accounts.principal import Caller
from policies import services as policy_services
from policies.management.commands.load_aws_managed_policies import load, moto_policy_data
from tests.conftest import ROOT_PASSWORD, USER_PASSWORD, make_iam_user


def test_boundary_denial_is_explained_on_the_policies_page(live_server, page, screenshot):
    root = services.create_account("owner@example.com", "Training", ROOT_PASSWORD)
    account = root.account
    data = moto_policy_data()
    load({name: data[name] for name in ("AdministratorAccess", "AmazonS3ReadOnlyAccess")})
    make_iam_user(account, "boxed")
    system = Caller.system_for(account)
    policy_services.attach_user_policy(system, "boxed", "arn:aws:iam::aws:policy/AdministratorAccess")
    policy_services.put_user_permissions_boundary(system, "boxed", "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")

    page.goto(f"{live_server.url}/signin/{account.account_id}/")
    page.get_by_test_id("user-name").fill("boxed")
    page.get_by_test_id("password").fill(USER_PASSWORD)
    page.get_by_test_id("sign-in").click()
    page.goto(f"{live_server.url}/iam/policies/")
    expect(page.get_by_test_id("access-denied-message")).to_contain_text(
        "is not authorized to perform: iam:ListPolicies on resource: * because no permissions boundary allows the iam:ListPolicies action"
    )
    page.get_by_test_id("why-panel").locator("summary").first.click()
    expect(page.get_by_test_id("decision-policy-types")).to_contain_text("permissions boundary")
    page.get_by_test_id("decision-policy").locator("summary").click()
    expect(page.get_by_test_id("decision-policy")).to_contain_text("iam:ListPolicies is not matched by")
    screenshot("policies-boundary-denied")
