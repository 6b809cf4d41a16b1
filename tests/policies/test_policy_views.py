"""Console pages for policies, through the Django test client (plain posts and htmx)."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from accounts.principal import Caller
from policies import services
from policies.models import ManagedPolicy, PolicyAttachment
from tests.conftest import client_for

from .conftest import ALLOW_EC2_DESCRIBE, ALLOW_S3_READ, aws_arn


def detail(arn: str, tab: str = "") -> str:
    return reverse("policies:detail", args=[arn]) + (f"?tab={tab}" if tab else "")


def test_list_shows_type_used_as_and_filters(root_client, root_caller, some_aws_policies, alice):
    mine = services.create_policy(root_caller, "MyS3Read", ALLOW_S3_READ, description="Reads S3")
    services.attach_user_policy(root_caller, "alice", mine.arn)
    services.put_user_permissions_boundary(root_caller, "alice", aws_arn("PowerUserAccess"))
    response = root_client.get(reverse("policies:list"), {"q": "s3"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "MyS3Read" in body and "AmazonS3ReadOnlyAccess" in body and "AdministratorAccess" not in body
    assert "Permissions policy (1)" in body and "Reads S3" in body
    customer = root_client.get(reverse("policies:list"), {"type": "customer"}).content.decode()
    assert "MyS3Read" in customer and "AmazonS3ReadOnlyAccess" not in customer
    job = root_client.get(reverse("policies:list"), {"type": "job_function"}).content.decode()
    assert "ViewOnlyAccess" in job and "ReadOnlyAccess<" not in job
    boundary = root_client.get(reverse("policies:list"), {"used_as": "boundary"}).content.decode()
    assert "PowerUserAccess" in boundary and "MyS3Read" not in boundary
    unused = root_client.get(reverse("policies:list"), {"used_as": "none", "type": "customer"}).content.decode()
    assert "No policies to display" in unused


def test_list_htmx_returns_only_the_table(root_client, some_aws_policies):
    response = root_client.get(reverse("policies:list"), {"q": "Admin"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert 'id="policy-table"' in body and "<html" not in body and "AdministratorAccess" in body


def test_list_query_count_is_constant_with_all_aws_managed_and_many_customer_policies(
    root_client, root_caller, account, aws_policies, alice, django_assert_max_num_queries
):
    ManagedPolicy.objects.bulk_create(
        [ManagedPolicy(account=account, name=f"Customer{i:04d}", document=ALLOW_S3_READ) for i in range(1000)]
    )
    services.attach_user_policy(root_caller, "alice", aws_arn("ReadOnlyAccess"))
    assert ManagedPolicy.objects.count() > 2500
    with django_assert_max_num_queries(8):
        first = root_client.get(reverse("policies:list"))
    with django_assert_max_num_queries(8):
        later = root_client.get(reverse("policies:list"), {"page": "60", "used_as": "permissions"})
    assert first.status_code == later.status_code == 200
    assert "ReadOnlyAccess" in later.content.decode()


def test_list_shows_access_denied_panel_to_a_user_without_permission(iam_user_factory, some_aws_policies):
    nobody = iam_user_factory("nobody")
    body = client_for(nobody).get(reverse("policies:list")).content.decode()
    assert 'data-testid="access-denied"' in body
    assert "is not authorized to perform: iam:ListPolicies on resource: *" in body
    assert 'data-testid="policy-row"' not in body


def test_create_policy_two_steps_then_detail(root_client, account):
    url = reverse("policies:create")
    assert root_client.get(url).status_code == 200
    review = root_client.post(url, {"policy_document": ALLOW_S3_READ, "step": "review"})
    assert review.status_code == 200 and b"Review and create" in review.content
    created = root_client.post(url, {
        "policy_document": ALLOW_S3_READ, "step": "create", "policy_name": "S3Read", "description": "d",
        "tag_key": ["env"], "tag_value": ["dev"],
    })
    policy = ManagedPolicy.objects.get(account=account, name="S3Read")
    assert created.status_code == 302 and created["Location"] == detail(policy.arn)
    assert policy.tags == [{"Key": "env", "Value": "dev"}]
    page = root_client.get(detail(policy.arn)).content.decode()
    assert "Customer managed" in page and "s3:GetObject" in page


def test_create_policy_with_errors_is_blocked_and_rerendered(root_client, account):
    response = root_client.post(reverse("policies:create"), {"policy_document": '{"Version": "2012-10-17", "Statement": [', "step": "review"})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="blocked"' in body and 'data-severity="ERROR"' in body and "Review and create</h1>" not in body
    assert not ManagedPolicy.objects.filter(account=account).exists()


def test_create_policy_duplicate_name_shows_aws_error(root_client, root_caller):
    services.create_policy(root_caller, "S3Read", ALLOW_S3_READ)
    response = root_client.post(reverse("policies:create"), {"policy_document": ALLOW_S3_READ, "step": "create", "policy_name": "s3read"})
    assert response.status_code == 200
    assert "A policy called s3read already exists. Duplicate names are not allowed." in response.content.decode()


def test_detail_tabs_of_an_aws_managed_policy(root_client, some_aws_policies):
    arn = aws_arn("AdministratorAccess")
    for tab in ("permissions", "entities", "versions", "tags"):
        response = root_client.get(detail(arn, tab))
        assert response.status_code == 200
        assert f'data-testid="policy-tab-{tab}"' in response.content.decode()
    assert b"edit-policy" not in root_client.get(detail(arn)).content


def test_another_accounts_policy_page_is_404(root_client, other_root):
    theirs = services.create_policy(Caller(account=other_root.account, user=other_root), "Theirs", ALLOW_S3_READ)
    assert root_client.get(detail(theirs.arn)).status_code == 404
    assert root_client.post(reverse("policies:delete", args=[theirs.arn]), {"confirm": "Theirs"}).status_code == 404
    assert ManagedPolicy.objects.filter(pk=theirs.pk).exists()


def test_attach_from_entities_tab_and_detach(root_client, root_caller, alice, devs):
    policy = services.create_policy(root_caller, "P", ALLOW_S3_READ)
    picker = root_client.get(reverse("policies:attach_entities", args=[policy.arn])).content.decode()
    assert "select-user-alice" in picker and "select-group-devs" in picker
    root_client.post(reverse("policies:attach_entities", args=[policy.arn]), {"entity": ["user:alice", "group:devs"]})
    assert set(PolicyAttachment.objects.values_list("user__name", "group__name")) == {("alice", None), (None, "devs")}
    tab = root_client.get(detail(policy.arn, "entities")).content.decode()
    assert tab.count('data-testid="entity-row"') == 2
    root_client.post(reverse("policies:detach_entity", args=[policy.arn]), {"entity": "user:alice:Permissions policy"})
    assert list(PolicyAttachment.objects.values_list("group__name", flat=True)) == ["devs"]


def test_edit_creates_a_new_default_version(root_client, root_caller):
    policy = services.create_policy(root_caller, "P", ALLOW_S3_READ)
    response = root_client.post(reverse("policies:edit", args=[policy.arn]), {"policy_document": ALLOW_EC2_DESCRIBE})
    assert response.status_code == 302
    policy.refresh_from_db()
    assert policy.default_version_id == "v2" and policy.document == ALLOW_EC2_DESCRIBE
    versions = root_client.get(detail(policy.arn, "versions")).content.decode()
    assert versions.count('data-testid="version-row"') == 2


def test_edit_with_five_versions_asks_which_version_to_delete(root_client, root_caller):
    policy = services.create_policy(root_caller, "P", ALLOW_S3_READ)
    for _ in range(4):
        services.create_policy_version(root_caller, policy.arn, ALLOW_S3_READ)
    url = reverse("policies:edit", args=[policy.arn])
    asked = root_client.post(url, {"policy_document": ALLOW_EC2_DESCRIBE})
    assert asked.status_code == 200 and b'data-testid="choose-version"' in asked.content
    assert b"delete-version-v1" not in asked.content  # the default version cannot be chosen
    done = root_client.post(url, {"policy_document": ALLOW_EC2_DESCRIBE, "delete_version": "v3"})
    assert done.status_code == 302
    ids = sorted(policy.versions.values_list("version_id", flat=True))
    assert ids == ["v1", "v2", "v4", "v5", "v6"]
    policy.refresh_from_db()
    assert policy.default_version_id == "v6"


def test_versions_set_default_and_delete(root_client, root_caller):
    policy = services.create_policy(root_caller, "P", ALLOW_S3_READ)
    services.create_policy_version(root_caller, policy.arn, ALLOW_EC2_DESCRIBE)
    url = reverse("policies:versions_action", args=[policy.arn])
    root_client.post(url, {"op": "set_default", "version_id": "v2"})
    policy.refresh_from_db()
    assert policy.default_version_id == "v2"
    response = root_client.post(url, {"op": "delete", "version_id": "v2"}, follow=True)
    assert "Cannot delete the default version of a policy." in response.content.decode()
    root_client.post(url, {"op": "delete", "version_id": "v1"})
    assert list(policy.versions.values_list("version_id", flat=True)) == ["v2"]


def test_delete_policy_detaches_everything_and_deletes_versions_first(root_client, root_caller, alice, app_role):
    policy = services.create_policy(root_caller, "P", ALLOW_S3_READ)
    services.create_policy_version(root_caller, policy.arn, ALLOW_EC2_DESCRIBE)
    services.attach_user_policy(root_caller, "alice", policy.arn)
    services.put_role_permissions_boundary(root_caller, "app-role", policy.arn)
    url = reverse("policies:delete", args=[policy.arn])
    root_client.post(url, {"confirm": "wrong"})
    assert ManagedPolicy.objects.filter(pk=policy.pk).exists()
    response = root_client.post(url, {"confirm": "P"})
    assert response.status_code == 302 and response["Location"] == reverse("policies:list")
    assert not ManagedPolicy.objects.filter(pk=policy.pk).exists()
    assert not PolicyAttachment.objects.exists()


def test_tags_tab_adds_and_removes(root_client, root_caller):
    policy = services.create_policy(root_caller, "P", ALLOW_S3_READ)
    url = reverse("policies:tags", args=[policy.arn])
    root_client.post(url, {"tag_key": "env", "tag_value": "dev"})
    assert services.list_policy_tags(root_caller, policy.arn) == [{"Key": "env", "Value": "dev"}]
    root_client.post(url, {"op": "remove", "key": "env"})
    assert services.list_policy_tags(root_caller, policy.arn) == []


# ---------------------------------------------------------------------- the Permissions tab's actions


def test_permissions_tab_fragment_and_htmx_detach(root_client, root_caller, some_aws_policies, alice):
    services.attach_user_policy(root_caller, "alice", aws_arn("ReadOnlyAccess"))
    tab = root_client.get(reverse("policies:permissions_tab", args=["user", "alice"])).content.decode()
    assert "ReadOnlyAccess" in tab and "AWS managed" in tab and "Directly" in tab
    response = root_client.post(
        reverse("policies:entity_detach", args=["user", "alice"]), {"policy_arn": aws_arn("ReadOnlyAccess"), "next": "/iam/"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and 'id="permissions-tab"' in response.content.decode()
    assert "No resources to display" in response.content.decode()
    assert not PolicyAttachment.objects.exists()


def test_attach_picker_attaches_selected_policies_without_javascript(root_client, some_aws_policies, alice):
    url = reverse("policies:entity_attach", args=["user", "alice"])
    page = root_client.get(url, {"q": "ReadOnly"}).content.decode()
    assert "select-ReadOnlyAccess" in page and "AWSSupportServiceRolePolicy" not in page
    response = root_client.post(url, {"policy_arn": [aws_arn("ReadOnlyAccess"), aws_arn("IAMReadOnlyAccess")], "next": "/iam/"})
    assert response.status_code == 302 and response["Location"] == "/iam/"
    assert set(PolicyAttachment.objects.values_list("policy__name", flat=True)) == {"ReadOnlyAccess", "IAMReadOnlyAccess"}


def test_boundary_set_and_remove_pages(root_client, some_aws_policies, app_role):
    url = reverse("policies:boundary_set", args=["role", "app-role"])
    assert b'type="radio"' in root_client.get(url).content
    root_client.post(url, {"policy_arn": aws_arn("PowerUserAccess")})
    assert PolicyAttachment.objects.get(kind="boundary").role == app_role
    root_client.post(reverse("policies:boundary_delete", args=["role", "app-role"]))
    assert not PolicyAttachment.objects.exists()
    assert root_client.get(reverse("policies:boundary_set", args=["group", "x"])).status_code == 404


def test_inline_policy_create_edit_delete_pages(root_client, root_caller, devs):
    create = reverse("policies:inline_create", args=["group", "devs"])
    blocked = root_client.post(create, {"policy_name": "Inline", "policy_document": "{"})
    assert blocked.status_code == 200 and b'data-testid="blocked"' in blocked.content
    root_client.post(create, {"policy_name": "Inline", "policy_document": ALLOW_S3_READ})
    assert services.get_group_policy(root_caller, "devs", "Inline").document == ALLOW_S3_READ
    edit = reverse("policies:inline_edit", args=["group", "devs", "Inline"])
    assert b"s3:GetObject" in root_client.get(edit).content
    root_client.post(edit, {"policy_name": "Inline", "policy_document": ALLOW_EC2_DESCRIBE})
    assert json.loads(services.get_group_policy(root_caller, "devs", "Inline").document) == json.loads(ALLOW_EC2_DESCRIBE)
    root_client.post(reverse("policies:inline_delete", args=["group", "devs", "Inline"]))
    assert services.list_group_policies(root_caller, "devs") == []


def test_inline_policy_size_error_is_shown_on_the_form(root_client, alice):
    big = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::" + "x" * 2100}]})
    response = root_client.post(reverse("policies:inline_create", args=["user", "alice"]), {"policy_name": "Big", "policy_document": big})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Maximum policy size of 2048 bytes exceeded for user alice" in body or 'data-testid="blocked"' in body


@pytest.mark.parametrize("kind", ["user", "group", "role"])
def test_entity_pages_of_another_account_are_404(root_client, other_root, kind):
    assert root_client.get(reverse("policies:entity_attach", args=[kind, "ghost"])).status_code == 404


def test_access_denied_panel_explains_a_permissions_boundary(root_caller, some_aws_policies, iam_user_factory):
    admin = iam_user_factory("boxed")
    services.attach_user_policy(root_caller, "boxed", aws_arn("AdministratorAccess"))
    services.put_user_permissions_boundary(root_caller, "boxed", aws_arn("AmazonS3ReadOnlyAccess"))
    body = client_for(admin).get(reverse("policies:list")).content.decode()
    assert "is not authorized to perform: iam:ListPolicies on resource: * because no permissions boundary allows" in body
    assert 'data-testid="decision-policy-types"' in body
    assert "Why <code>arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess</code> does not allow it" in body


def test_detail_page_shows_access_denied_to_a_user_without_get_policy(some_aws_policies, iam_user_factory):
    nobody = iam_user_factory("nobody")
    body = client_for(nobody).get(detail(aws_arn("AdministratorAccess"))).content.decode()
    assert "is not authorized to perform: iam:GetPolicy on resource: arn:aws:iam::aws:policy/AdministratorAccess" in body
    assert 'data-testid="policy-document"' not in body


def test_denied_detach_shows_aws_message_in_the_htmx_fragment(root_caller, some_aws_policies, iam_user_factory, alice):
    services.attach_user_policy(root_caller, "alice", aws_arn("ReadOnlyAccess"))
    reader = iam_user_factory("reader")
    services.attach_user_policy(root_caller, "reader", aws_arn("IAMReadOnlyAccess"))
    response = client_for(reader).post(
        reverse("policies:entity_detach", args=["user", "alice"]), {"policy_arn": aws_arn("ReadOnlyAccess")}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200 and 'data-testid="flash-error"' in body
    assert f"User: {reader.arn} is not authorized to perform: iam:DetachUserPolicy on resource: {alice.arn}" in body
    assert PolicyAttachment.objects.filter(user=alice).exists()
