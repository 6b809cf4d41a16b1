"""User groups console pages through the Django test client."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts import services
from accounts.models import Group, GroupMembership, User
from accounts.principal import Caller
from policies.models import ManagedPolicy, PolicyAttachment
from tests.conftest import client_for, make_iam_user


def test_list_shows_groups_with_user_counts_and_permissions(root_client, root_caller, account, iam_user_factory):
    services.create_group(root_caller, "Admins")
    group = services.create_group(root_caller, "Readers")
    iam_user_factory("bob")
    services.add_user_to_group(root_caller, "Admins", "bob")
    policy = ManagedPolicy.objects.create(account=account, name="p", document="{}")
    PolicyAttachment.objects.create(policy=policy, group=group)
    response = root_client.get(reverse("groups:list"))
    assert response.status_code == 200
    rows = response.context["table"].rows
    assert [(g.name, g.user_count, g.has_attached) for g in rows] == [("Admins", 1, False), ("Readers", 0, True)]
    html = response.content.decode()
    assert "Create group" in html and "Not defined" in html and "Defined" in html


def test_list_search_filters_and_htmx_returns_the_table_fragment(root_client, root_caller):
    services.create_group(root_caller, "Admins")
    services.create_group(root_caller, "Readers")
    response = root_client.get(reverse("groups:list"), {"q": "read"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "Readers" in html and "Admins" not in html
    assert "<html" not in html and 'id="group-table"' in html


def test_list_uses_constant_queries_at_1000_groups(root_client, account, django_assert_max_num_queries):
    Group.objects.bulk_create([Group(account=account, name=f"group-{i:04d}") for i in range(1000)])
    users = User.objects.bulk_create([User(login=f"iam:{account.account_id}:u{i}", kind="iam", account=account, name=f"u{i}")
                                      for i in range(50)])
    groups = list(Group.objects.filter(account=account)[:50])
    GroupMembership.objects.bulk_create([GroupMembership(group=g, user=u) for g, u in zip(groups, users, strict=True)])
    with django_assert_max_num_queries(12):
        response = root_client.get(reverse("groups:list"), {"page": "3"})
    assert response.context["table"].total == 1000
    assert len(response.context["table"].rows) == 20


def test_user_without_list_groups_sees_access_denied_panel(account):
    alice = make_iam_user(account, "alice")
    response = client_for(alice).get(reverse("groups:list"))
    assert response.status_code == 200
    assert "table" not in response.context
    assert "is not authorized to perform: iam:ListGroups" in response.content.decode()


def test_create_group_page_creates_group_with_users_in_one_post(root_client, account):
    make_iam_user(account, "bob")
    make_iam_user(account, "carol")
    response = root_client.post(reverse("groups:create"), {"group_name": "Team", "users": ["bob", "carol"]})
    assert response.status_code == 302
    assert response["Location"] == reverse("groups:detail", args=["Team"])
    assert sorted(Group.objects.get(name="Team").members.values_list("name", flat=True)) == ["bob", "carol"]


def test_create_group_page_rerenders_errors_with_status_200(root_client, root_caller):
    services.create_group(root_caller, "Team")
    response = root_client.post(reverse("groups:create"), {"group_name": "team"})
    assert response.status_code == 200
    assert "EntityAlreadyExists: Group with name team already exists." in response.content.decode()


def test_create_group_attaches_policies_through_the_policies_area(root_client, account):
    policy = ManagedPolicy.objects.create(account=account, name="ReadOnly", document='{"Version":"2012-10-17","Statement":[]}')
    response = root_client.post(reverse("groups:create"), {"group_name": "Team", "policies": [policy.arn]})
    assert response.status_code == 302
    assert PolicyAttachment.objects.filter(group__name="Team", policy=policy).exists()


def test_detail_users_tab_add_and_remove_with_htmx(root_client, root_caller, account):
    services.create_group(root_caller, "Team")
    make_iam_user(account, "bob")
    url = reverse("groups:add_users", args=["Team"])
    response = root_client.post(url, {"users": ["bob"]}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert 'data-testid="member-row"' in html and "bob added to this group." in html
    response = root_client.post(reverse("groups:remove_users", args=["Team"]), {"users": ["bob"]})
    assert response.status_code == 302
    assert not GroupMembership.objects.exists()


def test_detail_of_another_accounts_group_is_404(root_client, other_root):
    services.create_group(Caller(account=other_root.account, user=other_root), "Secret")
    assert root_client.get(reverse("groups:detail", args=["Secret"])).status_code == 404
    assert root_client.post(reverse("groups:add_users", args=["Secret"]), {"users": ["x"]}).status_code == 404


def test_detail_shows_summary_and_permissions_tab(root_client, root_caller):
    group = services.create_group(root_caller, "Team")
    html = root_client.get(reverse("groups:detail", args=["Team"])).content.decode()
    assert group.arn in html and "Users in this group" in html
    response = root_client.get(reverse("groups:detail", args=["Team"]), {"tab": "permissions"})
    assert response.status_code == 200


def test_delete_from_list_requires_typing_the_name(root_client, root_caller, account):
    services.create_group(root_caller, "Team")
    make_iam_user(account, "bob")
    services.add_user_to_group(root_caller, "Team", "bob")
    root_client.post(reverse("groups:delete"), {"names": ["Team"], "confirm": "wrong"})
    assert Group.objects.filter(name="Team").exists()
    root_client.post(reverse("groups:delete"), {"names": ["Team"], "confirm": "Team"})
    # The console removes the members first, as AWS's console does.
    assert not Group.objects.filter(name="Team").exists()
    assert User.objects.filter(name="bob").exists()


def test_delete_several_groups_requires_typing_delete(root_client, root_caller):
    services.create_group(root_caller, "a")
    services.create_group(root_caller, "b")
    root_client.post(reverse("groups:delete"), {"names": ["a", "b"], "confirm": "a"})
    assert Group.objects.count() == 2
    root_client.post(reverse("groups:delete"), {"names": ["a", "b"], "confirm": "delete"})
    assert Group.objects.count() == 0


def test_rename_group_from_detail(root_client, root_caller):
    services.create_group(root_caller, "old")
    response = root_client.post(reverse("groups:edit", args=["old"]), {"new_group_name": "new"})
    assert response["Location"] == reverse("groups:detail", args=["new"])


@pytest.mark.parametrize("url_name", ["groups:list", "groups:create"])
def test_pages_require_sign_in(client, url_name, db):
    response = client.get(reverse(url_name))
    assert response.status_code == 302 and "signin" in response["Location"]


def test_policy_search_keeps_ticked_policies_at_the_top(root_client, account):
    ticked = ManagedPolicy.objects.create(account=account, name="Ticked", document="{}")
    ManagedPolicy.objects.create(account=account, name="Other", document="{}")
    ManagedPolicy.objects.create(account=account, name="Match", document="{}")
    response = root_client.get(reverse("groups:create"), {"pq": "match", "policies": [ticked.arn]}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html
    assert [p.name for p in response.context["policies"]] == ["Ticked", "Match"]
    assert f'value="{ticked.arn}" checked' in html


def test_group_detail_denied_shows_access_denied_panel(account, root_caller):
    services.create_group(root_caller, "Team")
    viewer = make_iam_user(account, "viewer")
    response = client_for(viewer).get(reverse("groups:detail", args=["Team"]))
    assert response.status_code == 200
    assert "is not authorized to perform: iam:GetGroup on resource: " in response.content.decode()


def test_failed_console_create_group_is_recorded_after_the_rollback(account):
    from accounts.models import ActivityEvent

    alice = make_iam_user(account, "alice", policies=[{"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["iam:CreateGroup"], "Resource": "*"}]}])
    make_iam_user(account, "bob")
    client_for(alice).post(reverse("groups:create"), {"group_name": "Team", "users": ["bob"]})
    assert not Group.objects.exists()
    event = ActivityEvent.objects.get(event_name="AddUserToGroup")
    assert (event.result, event.error_code) == ("Failure", "AccessDenied")
    assert not ActivityEvent.objects.filter(event_name="CreateGroup").exists()
