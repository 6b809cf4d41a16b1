"""The Test access page (policy simulator) through the Django test client."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from django.urls import reverse

from policies.models import PolicyAttachment
from tests.conftest import client_for

from .conftest import allow, deny, managed

URL = "/iam/simulator/"


def test_simulator_url_and_nav_link(root_client):
    assert reverse("simulator:simulator") == URL
    response = root_client.get(URL)
    assert response.status_code == 200
    assert b'class="side-nav__link side-nav__link--sub is-active" href="/iam/simulator/"' in response.content


def test_principal_mode_lists_principals_and_their_policies(root_client, iam_user_factory, make_group):
    bob = iam_user_factory("bob", policies=[allow("s3:GetObject")])
    make_group("readers", inline=[allow("s3:ListBucket")], members=[bob])
    page = root_client.get(URL, {"principal": bob.arn}).content.decode()
    assert f'<option value="{bob.arn}" selected>bob</option>' in page
    assert "inline0" in page and "readers-inline0" in page
    assert page.count('data-testid="principal-policy"') == 2


def test_principal_policies_fragment_for_htmx(root_client, iam_user_factory):
    bob = iam_user_factory("bob", policies=[allow("s3:GetObject")])
    response = root_client.get(reverse("simulator:principal_policies"), {"principal": bob.arn}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.strip().startswith('<div id="principal-policies"')
    assert "<html" not in body and "inline0" in body


def test_actions_fragment_lists_a_services_actions(root_client):
    response = root_client.get(reverse("simulator:actions"), {"service": "sqs"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert 'value="sqs:SendMessage"' in body and "<html" not in body


def test_running_a_simulation_shows_one_row_per_action(root_client, iam_user_factory, account):
    bob = iam_user_factory("bob", policies=[allow("s3:*")])
    PolicyAttachment.objects.create(user=bob, policy=managed(account, "NoDelete", deny("s3:DeleteObject")))
    query = {"principal": bob.arn, "service": "s3", "action": ["s3:GetObject", "s3:DeleteObject", "ec2:RunInstances"], "run": "1"}
    page = root_client.get(URL, query).content.decode()
    assert page.count('data-testid="result-row"') == 3
    assert 'data-action="s3:GetObject" data-decision="allowed"' in page
    assert 'data-action="s3:DeleteObject" data-decision="explicitDeny"' in page
    assert 'data-action="ec2:RunInstances" data-decision="implicitDeny"' in page
    assert "DenyIt" in page


def test_all_actions_of_a_service_come_back_in_one_request(root_client, iam_user_factory):
    bob = iam_user_factory("bob", policies=[allow("sqs:Get*")])
    page = root_client.get(URL, {"principal": bob.arn, "service": "sqs", "all_actions": "on", "run": "1"}).content.decode()
    from policies.catalog import get_catalog

    total = len(get_catalog().service("sqs").actions)
    assert page.count('data-testid="result-row"') == total
    assert 'data-action="sqs:GetQueueUrl" data-decision="allowed"' in page


def test_excluded_policy_is_left_out(root_client, iam_user_factory, account):
    bob = iam_user_factory("bob", policies=[allow("s3:*")])
    policy = managed(account, "NoDelete", deny("s3:DeleteObject"))
    PolicyAttachment.objects.create(user=bob, policy=policy)
    query = {"principal": bob.arn, "action": "s3:DeleteObject", "run": "1", "listed": "1",
             "include": "user/bob/inline/inline0"}
    page = root_client.get(URL, query).content.decode()
    assert 'data-decision="allowed"' in page
    assert f'value="{policy.arn}" aria-label="Include NoDelete" data-testid' in page  # listed, not ticked


def test_detail_panel_highlights_the_deciding_statement(root_client, iam_user_factory, account):
    bob = iam_user_factory("bob", policies=[allow("s3:*")])
    PolicyAttachment.objects.create(user=bob, policy=managed(account, "NoDelete", deny("s3:DeleteObject")))
    query = {"principal": bob.arn, "action": "s3:DeleteObject", "run": "1", "detail": "s3:DeleteObject *", "fragment": "detail"}
    body = root_client.get(URL, query, HTTP_HX_REQUEST="true").content.decode()
    assert body.strip().startswith('<div id="detail"')
    assert "data-testid=\"highlighted-line\"" in body
    highlighted = [line for line in body.splitlines() if 'data-testid="highlighted-line"' in line]
    assert any("DenyIt" in line for line in highlighted)
    assert 'data-testid="decision-steps"' in body and "explicitDeny" in body


def test_custom_mode_with_context_key(root_client):
    policy = json.dumps(allow("ec2:StopInstances", Condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}}))
    base = {"mode": "custom", "policy": policy, "action": "ec2:StopInstances", "run": "1"}
    page = root_client.get(URL, base).content.decode()
    assert 'data-decision="implicitDeny"' in page and "aws:MultiFactorAuthPresent" in page
    allowed = root_client.get(URL, {**base, "ctx_key": "aws:MultiFactorAuthPresent", "ctx_value": "true"}).content.decode()
    assert 'data-decision="allowed"' in allowed


def test_the_share_link_reproduces_the_simulation(root_client, iam_user_factory):
    bob = iam_user_factory("bob", policies=[allow("s3:GetObject")])
    url = URL + "?" + urlencode({"principal": bob.arn, "action": "s3:GetObject", "run": "1"})
    page = root_client.get(url).content.decode()
    assert 'data-testid="share-url"' in page and 'data-decision="allowed"' in page


def test_user_without_simulate_permission_sees_access_denied(account, iam_user_factory):
    alice = iam_user_factory("alice")
    bob = iam_user_factory("bob", policies=[allow(["iam:ListUsers", "iam:ListGroups", "iam:ListRoles"])])
    page = client_for(bob).get(URL, {"principal": alice.arn, "action": "s3:GetObject", "run": "1"}).content.decode()
    assert 'data-testid="simulation-error"' in page
    assert "is not authorized to perform: iam:SimulatePrincipalPolicy" in page


def test_principal_picker_shows_the_list_denials(account, iam_user_factory):
    bob = iam_user_factory("bob", policies=[allow("iam:SimulateCustomPolicy")])
    page = client_for(bob).get(URL).content.decode()
    assert "is not authorized to perform: iam:ListUsers" in page


def test_another_accounts_principal_is_not_found(root_client, other_root):
    from tests.conftest import make_iam_user

    stranger = make_iam_user(other_root.account, "stranger", policies=[allow("*")])
    page = root_client.get(URL, {"principal": stranger.arn, "action": "s3:GetObject", "run": "1"}).content.decode()
    assert "NoSuchEntity" in page and "cannot be found" in page
    assert 'data-testid="result-row"' not in page


def test_signed_out_visitor_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "signin" in response["Location"]


def test_resources_per_action_override_the_common_list(root_client, iam_user_factory):
    bob = iam_user_factory("bob", policies=[allow("s3:GetObject", "arn:aws:s3:::public/*"), allow("s3:ListBucket", "arn:aws:s3:::public")])
    query = {"principal": bob.arn, "action": ["s3:GetObject", "s3:ListBucket"], "run": "1",
             "resource": "arn:aws:s3:::public", "res:s3:GetObject": "arn:aws:s3:::public/a\narn:aws:s3:::private/a"}
    page = root_client.get(URL, query).content.decode()
    rows = [chunk.split('data-decision="')[1].split('"')[0] for chunk in page.split('data-testid="result-row"')[1:]]
    assert rows == ["allowed", "implicitDeny", "allowed"]  # GetObject x2, then ListBucket on the common list
    assert 'data-testid="resources-per-action"' in page and "object: arn:${Partition}:s3:::${BucketName}/${ObjectName}" in page


def test_test_access_from_a_policy_page_prefills_custom_mode(root_client, account):
    policy = managed(account, "ReadOnlyS3", allow("s3:Get*"))
    page = root_client.get(URL, {"policy_arn": policy.arn, "action": "s3:GetObject", "run": "1"}).content.decode()
    assert 'data-testid="custom-policy"' in page and "s3:Get*" in page
    assert 'data-decision="allowed"' in page


def test_prefill_from_another_accounts_policy_is_refused(root_client, other_root):
    policy = managed(other_root.account, "Secret", allow("s3:Get*"))
    page = root_client.get(URL, {"policy_arn": policy.arn}).content.decode()
    assert "NoSuchEntity" in page and "s3:Get*" not in page


def test_access_denied_panel_links_to_the_simulator_prefilled_with_the_request(account, iam_user_factory):
    from django.template.loader import render_to_string

    from policies.evaluation import Request, evaluate

    bob = iam_user_factory("bob")
    decision = evaluate(Request(principal=bob.arn, action="iam:CreateUser", resource=f"arn:aws:iam::{account.account_id}:user/x"))
    html = render_to_string("policies/includes/access_denied.html",
                            {"denial": {"message": decision.access_denied_message(), "decision": decision.to_dict()}})
    link = html.split('data-testid="test-access-denied"')[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
    client = client_for(iam_user_factory("admin", policies=[allow("iam:*")]))
    page = client.get(link).content.decode()
    assert 'data-action="iam:CreateUser" data-decision="implicitDeny"' in page


def test_detail_pages_link_to_test_access(root_client, iam_user_factory, make_group, make_role, account):
    bob = iam_user_factory("bob")
    group = make_group("devs")
    role = make_role("app")
    policy = managed(account, "P", allow("s3:*"))
    for url, target in ((reverse("users:detail", args=[bob.name]), bob.arn),
                        (reverse("groups:detail", args=[group.name]), group.arn),
                        (reverse("roles:detail", args=[role.name]), role.arn),
                        (reverse("policies:detail", args=[policy.arn]), policy.arn)):
        page = root_client.get(url).content.decode()
        href = page.split('data-testid="test-access"')[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
        response = root_client.get(href)
        assert response.status_code == 200
        body = response.content.decode()
        assert (f'value="{target}" selected' in body) or ("s3:*" in body), url


def test_principal_picker_uses_a_bounded_number_of_queries(root_client, account, django_assert_max_num_queries):
    from accounts.models import Group, Role, User

    User.objects.bulk_create([User(login=f"{account.account_id}/u{i}", kind=User.Kind.IAM, account=account, name=f"u{i}",
                                   unique_id=f"AIDA{i:017d}") for i in range(1000)])
    Group.objects.bulk_create([Group(account=account, name=f"g{i}", unique_id=f"AGPA{i:017d}") for i in range(1000)])
    Role.objects.bulk_create([Role(account=account, name=f"r{i}", trust_policy="{}", unique_id=f"AROA{i:017d}")
                              for i in range(1000)])
    with django_assert_max_num_queries(25):
        page = root_client.get(URL).content.decode()
    assert page.count("<option value=\"arn:aws:iam::") == 3000


def test_actions_of_several_services_accumulate(root_client):
    body = root_client.get(reverse("simulator:actions"), {"service": "sqs", "action": ["s3:GetObject", "sqs:SendMessage"]},
                           HTTP_HX_REQUEST="true").content.decode()
    assert 'value="s3:GetObject" checked' in body  # kept from the previous service
    assert body.count('value="sqs:SendMessage" checked') == 1


def test_result_rows_stay_small_in_custom_mode(root_client):
    # The detail buttons submit the form: rows do not repeat the pasted policies.
    policy = json.dumps(allow("ec2:Describe*", ["*", "arn:aws:ec2:::" + "X" * 2000]))
    page = root_client.get(URL, {"mode": "custom", "policy": policy, "service": "ec2", "all_actions": "on", "run": "1"}).content
    assert page.count(b'data-testid="result-row"') > 500
    assert page.count(b"X" * 2000) == 2  # in its textarea and the share link, not per row


def test_detail_panel_without_javascript(root_client, iam_user_factory):
    bob = iam_user_factory("bob", policies=[allow("s3:GetObject")])
    page = root_client.get(URL, {"principal": bob.arn, "action": "s3:GetObject", "run": "1",
                                 "detail": "s3:GetObject arn:aws:s3:::b/k"}).content.decode()
    assert "s3:GetObject on arn:aws:s3:::b/k" in page and 'data-testid="decision-steps"' in page


def test_information_messages_with_results(root_client, iam_user_factory, account):
    bob = iam_user_factory("bob", policies=[allow("s3:*")])
    PolicyAttachment.objects.create(user=bob, policy=managed(account, "NoDelete", deny("s3:DeleteObject")))
    page = root_client.get(URL, {"principal": bob.arn, "action": "s3:GetObject", "run": "1", "listed": "1",
                                 "include": "user/bob/inline/inline0"}).content.decode()
    assert "access control lists (ACLs) are not simulated" in page
    assert "Some of the principal&#x27;s policies were left out" in page
