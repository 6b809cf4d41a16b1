"""Roles console pages through the Django test client: list, wizard, detail, trust, tags, delete."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from accounts import services
from accounts.models import InstanceProfile, Role
from accounts.principal import Caller
from accounts.services.roles import account_trust_policy, service_trust_policy
from policies.models import ManagedPolicy, PolicyAttachment
from tests.conftest import client_for, make_iam_user

EC2_TRUST = service_trust_policy("ec2.amazonaws.com")
CREATE = reverse("roles:create")


def allow(*actions):
    return {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": list(actions), "Resource": "*"}]}


def test_list_shows_trusted_entities_and_last_activity(root_client, root_caller):
    services.create_role(root_caller, "web", EC2_TRUST)
    services.create_role(root_caller, "cross", account_trust_policy("123456789012"))
    html = root_client.get(reverse("roles:list")).content.decode()
    assert "AWS Service: ec2" in html and "Account: 123456789012" in html
    assert "Trusted entities" in html and "Last activity" in html


def test_list_search_with_htmx_returns_fragment(root_client, root_caller):
    services.create_role(root_caller, "web", EC2_TRUST)
    services.create_role(root_caller, "batch", EC2_TRUST)
    html = root_client.get(reverse("roles:list"), {"q": "we"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in html and ">web<" in html and ">batch<" not in html


def test_list_uses_constant_queries_at_1000_roles(root_client, account, django_assert_max_num_queries):
    Role.objects.bulk_create([Role(account=account, name=f"role-{i:04d}", trust_policy=EC2_TRUST) for i in range(1000)])
    with django_assert_max_num_queries(10):
        response = root_client.get(reverse("roles:list"), {"page": "7"})
    assert response.context["table"].total == 1000
    assert [role.trusted for role in response.context["table"].rows][0] == ["AWS Service: ec2"]


def test_user_allowed_only_list_roles_sees_list_but_create_is_denied(account, root_caller):
    services.create_role(root_caller, "existing", EC2_TRUST)
    viewer = make_iam_user(account, "viewer", policies=[allow("iam:ListRoles")])
    client = client_for(viewer)
    assert "existing" in client.get(reverse("roles:list")).content.decode()
    client.get(CREATE)
    client.post(CREATE, {"step": "1", "entity_type": "service", "service": "lambda"})
    client.post(CREATE, {"step": "2"})
    response = client.post(CREATE, {"step": "3", "go": "create", "role_name": "new", "max_session_hours": "1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert (f"AccessDenied: User: arn:aws:iam::{account.account_id}:user/viewer is not authorized to perform: "
            f"iam:CreateRole on resource: arn:aws:iam::{account.account_id}:role/new") in html
    assert not Role.objects.filter(name="new").exists()


def test_user_without_list_roles_sees_access_denied_panel(account):
    viewer = make_iam_user(account, "nobody")
    response = client_for(viewer).get(reverse("roles:list"))
    assert response.status_code == 200 and "table" not in response.context
    assert "is not authorized to perform: iam:ListRoles" in response.content.decode()


def run_wizard(client, step1: dict, step2: dict | None = None, step3: dict | None = None):
    client.get(CREATE)
    response = client.post(CREATE, {"step": "1", **step1})
    if response.status_code != 302:
        return response
    client.post(CREATE, {"step": "2", **(step2 or {})})
    return client.post(CREATE, {"step": "3", "go": "create", "max_session_hours": "1", **(step3 or {})})


def test_wizard_creates_ec2_role_with_instance_profile_policies_and_tags(root_client, account):
    policy = ManagedPolicy.objects.create(account=account, name="ReadAll", document='{"Version":"2012-10-17","Statement":[]}')
    response = run_wizard(
        root_client,
        {"entity_type": "service", "service": "ec2"},
        {"policies": [policy.arn]},
        {"role_name": "web-server", "description": "Web servers", "max_session_hours": "4",
         "tag_key": ["team", ""], "tag_value": ["blue", ""]},
    )
    assert response.status_code == 302 and response["Location"] == reverse("roles:detail", args=["web-server"])
    role = Role.objects.get(name="web-server")
    assert json.loads(role.trust_policy)["Statement"][0]["Principal"] == {"Service": ["ec2.amazonaws.com"]}
    assert (role.description, role.max_session_duration, role.tags) == ("Web servers", 14400, [{"Key": "team", "Value": "blue"}])
    assert InstanceProfile.objects.get(name="web-server").role == role
    assert PolicyAttachment.objects.filter(role=role, policy=policy).exists()


def test_wizard_lambda_role_has_no_instance_profile(root_client):
    run_wizard(root_client, {"entity_type": "service", "service": "lambda"}, step3={"role_name": "fn"})
    assert Role.objects.filter(name="fn").exists()
    assert not InstanceProfile.objects.exists()


def test_wizard_account_role_with_external_id_and_mfa(root_client):
    run_wizard(root_client, {"entity_type": "account", "account_choice": "another", "account_id": "444455556666",
                             "require_external_id": "on", "external_id": "xyz-123", "require_mfa": "on"},
               step3={"role_name": "partner"})
    statement = json.loads(Role.objects.get(name="partner").trust_policy)["Statement"][0]
    assert statement["Principal"] == {"AWS": "arn:aws:iam::444455556666:root"}
    assert statement["Condition"] == {"StringEquals": {"sts:ExternalId": "xyz-123"}, "Bool": {"aws:MultiFactorAuthPresent": "true"}}


def test_wizard_custom_trust_policy_errors_stay_on_step_1_with_findings(root_client):
    response = run_wizard(root_client, {"entity_type": "custom", "policy_document": '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole"}]}'})
    assert response.status_code == 200
    html = response.content.decode()
    assert "MalformedPolicyDocument: Missing required field Principal" in html
    assert 'data-testid="editor-finding"' in html
    assert not Role.objects.exists()


def test_wizard_create_is_all_or_nothing(root_client, account):
    missing = f"arn:aws:iam::{account.account_id}:policy/Missing"
    response = run_wizard(root_client, {"entity_type": "service", "service": "ec2"}, {"policies": [missing]}, {"role_name": "web"})
    assert response.status_code == 200
    assert "NoSuchEntity" in response.content.decode()
    assert not Role.objects.exists() and not InstanceProfile.objects.exists()


def test_wizard_rerenders_name_errors_with_status_200(root_client, root_caller):
    services.create_role(root_caller, "web", EC2_TRUST)
    response = run_wizard(root_client, {"entity_type": "service", "service": "ec2"}, step3={"role_name": "WEB"})
    assert response.status_code == 200
    assert "EntityAlreadyExists: Role with name WEB already exists." in response.content.decode()


def test_wizard_later_steps_without_step_1_restart(root_client):
    response = root_client.get(CREATE, {"step": "3"})
    assert response.status_code == 302 and response["Location"] == CREATE


def test_detail_shows_summary_instance_profile_and_switch_role_link(root_client, root_caller, account):
    role = services.create_role(root_caller, "web", EC2_TRUST, path="/app/")
    services.create_instance_profile(root_caller, "web")
    services.add_role_to_instance_profile(root_caller, "web", "web")
    html = root_client.get(reverse("roles:detail", args=["web"])).content.decode()
    assert role.arn in html
    assert f"arn:aws:iam::{account.account_id}:instance-profile/web" in html
    assert f"https://signin.aws.amazon.com/switchrole?roleName=app/web&amp;account={account.account_id}" in html
    assert "1 hour" in html


def test_detail_trust_tab_shows_policy_and_entities(root_client, root_caller):
    services.create_role(root_caller, "web", EC2_TRUST)
    html = root_client.get(reverse("roles:detail", args=["web"]), {"tab": "trust"}).content.decode()
    assert "AWS Service: ec2" in html and "ec2.amazonaws.com" in html and "Edit trust policy" in html


def test_detail_of_another_accounts_role_is_404(root_client, other_root):
    services.create_role(Caller(account=other_root.account, user=other_root), "theirs", EC2_TRUST)
    assert root_client.get(reverse("roles:detail", args=["theirs"])).status_code == 404
    assert root_client.get(reverse("roles:edit_trust", args=["theirs"])).status_code == 404
    assert root_client.post(reverse("roles:update", args=["theirs"]), {"max_session_hours": "2"}).status_code == 404
    assert root_client.post(reverse("roles:delete_one", args=["theirs"]), {"confirm": "theirs"}).status_code == 404


def test_edit_max_session_duration(root_client, root_caller):
    services.create_role(root_caller, "web", EC2_TRUST)
    root_client.post(reverse("roles:update", args=["web"]), {"max_session_hours": "12"})
    assert Role.objects.get(name="web").max_session_duration == 43200


def test_edit_trust_policy_validates_and_saves(root_client, root_caller):
    services.create_role(root_caller, "web", EC2_TRUST)
    url = reverse("roles:edit_trust", args=["web"])
    response = root_client.post(url, {"policy_document": '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole", "Resource": "*"}]}'})
    assert response.status_code == 200
    assert "MalformedPolicyDocument: Has prohibited field Resource" in response.content.decode()
    new = account_trust_policy("123456789012", require_mfa=True)
    response = root_client.post(url, {"policy_document": new})
    assert response.status_code == 302
    assert Role.objects.get(name="web").trust_policy == new


def test_manage_tags_adds_changes_and_removes(root_client, root_caller):
    services.create_role(root_caller, "web", EC2_TRUST, tags=[{"Key": "team", "Value": "a"}, {"Key": "old", "Value": "x"}])
    root_client.post(reverse("roles:tags", args=["web"]),
                     {"tag_key": ["team", "old", "env"], "tag_value": ["b", "x", "dev"], "remove": ["old"]})
    assert Role.objects.get(name="web").tag_dict() == {"team": "b", "env": "dev"}


def test_delete_from_detail_cleans_up_and_says_so(root_client, root_caller, account):
    policy = ManagedPolicy.objects.create(account=account, name="ReadAll", document='{"Version":"2012-10-17","Statement":[]}')
    role = services.create_role(root_caller, "web", EC2_TRUST)
    PolicyAttachment.objects.create(policy=policy, role=role)
    services.create_instance_profile(root_caller, "web")
    services.add_role_to_instance_profile(root_caller, "web", "web")
    root_client.post(reverse("roles:delete_one", args=["web"]), {"confirm": "wrong"})
    assert Role.objects.exists()
    response = root_client.post(reverse("roles:delete_one", args=["web"]), {"confirm": "web"}, follow=True)
    assert not Role.objects.exists() and not InstanceProfile.objects.exists()
    html = response.content.decode()
    assert "Role web deleted (first detached ReadAll; removed it from and deleted instance profile web)." in html


def test_bulk_delete_from_list(root_client, root_caller):
    services.create_role(root_caller, "a", EC2_TRUST)
    services.create_role(root_caller, "b", EC2_TRUST)
    root_client.post(reverse("roles:delete"), {"names": ["a", "b"], "confirm": "delete"})
    assert not Role.objects.exists()


def test_service_linked_role_detail_is_read_only(root_client, root_caller):
    role = services.create_service_linked_role(root_caller, "autoscaling.amazonaws.com")
    html = root_client.get(reverse("roles:detail", args=[role.name]), {"tab": "trust"}).content.decode()
    assert 'data-testid="service-linked-notice"' in html
    assert "Edit trust policy" not in html and 'data-testid="delete-button"' not in html
    root_client.post(reverse("roles:delete_one", args=[role.name]), {"confirm": role.name})
    assert Role.objects.filter(pk=role.pk).exists()


@pytest.mark.parametrize("tab", ["permissions", "trust", "tags"])
def test_every_tab_renders(root_client, root_caller, tab):
    services.create_role(root_caller, "web", EC2_TRUST, tags=[{"Key": "team", "Value": "blue"}])
    response = root_client.get(reverse("roles:detail", args=["web"]), {"tab": tab})
    assert response.status_code == 200


def test_role_detail_denied_shows_access_denied_panel(account, root_caller):
    services.create_role(root_caller, "web", EC2_TRUST)
    viewer = make_iam_user(account, "viewer", policies=[allow("iam:ListRoles")])
    response = client_for(viewer).get(reverse("roles:detail", args=["web"]))
    assert response.status_code == 200
    assert (f"is not authorized to perform: iam:GetRole on resource: arn:aws:iam::{account.account_id}:role/web"
            in response.content.decode())


def test_wizard_policy_search_keeps_ticked_policies(root_client, account):
    ticked = ManagedPolicy.objects.create(account=account, name="Ticked", document="{}")
    ManagedPolicy.objects.create(account=account, name="Match", document="{}")
    root_client.get(CREATE)
    root_client.post(CREATE, {"step": "1", "entity_type": "service", "service": "ec2"})
    response = root_client.get(CREATE, {"step": "2", "pq": "match", "policies": [ticked.arn]}, HTTP_HX_REQUEST="true")
    assert "<html" not in response.content.decode()
    assert [p.name for p in response.context["policies"]] == ["Ticked", "Match"]


def test_denied_wizard_create_is_recorded_in_the_activity(account):
    from accounts.models import ActivityEvent

    viewer = make_iam_user(account, "viewer", policies=[allow("iam:ListRoles")])
    run_wizard(client_for(viewer), {"entity_type": "service", "service": "ec2"}, step3={"role_name": "web"})
    event = ActivityEvent.objects.get(event_name="CreateRole")
    assert (event.result, event.error_code, event.actor_name) == ("Failure", "AccessDenied", "viewer")


def test_ec2_wizard_without_pass_role_creates_nothing_and_records_the_denial(account):
    from accounts.models import ActivityEvent

    creator = make_iam_user(account, "creator", policies=[allow("iam:CreateRole", "iam:CreateInstanceProfile",
                                                                "iam:AddRoleToInstanceProfile", "iam:ListRoles")])
    response = run_wizard(client_for(creator), {"entity_type": "service", "service": "ec2"}, step3={"role_name": "web"})
    assert "iam:PassRole" in response.content.decode()
    assert not Role.objects.exists() and not InstanceProfile.objects.exists()
    assert ActivityEvent.objects.filter(event_name="AddRoleToInstanceProfile", result="Failure").exists()


def test_list_marks_service_linked_roles(root_client, root_caller):
    services.create_service_linked_role(root_caller, "autoscaling.amazonaws.com")
    html = root_client.get(reverse("roles:list")).content.decode()
    assert "AWS Service: autoscaling (Service-Linked Role)" in html


def test_wizard_add_new_tag_keeps_typed_tags_and_offers_more_rows(root_client):
    root_client.get(CREATE)
    root_client.post(CREATE, {"step": "1", "entity_type": "service", "service": "lambda"})
    root_client.post(CREATE, {"step": "2"})
    response = root_client.post(CREATE, {"step": "3", "go": "add_tag", "role_name": "fn", "max_session_hours": "2",
                                         "tag_key": ["a", "b", "c"], "tag_value": ["1", "2", "3"]}, follow=True)
    rows = response.context["tag_rows"]
    assert rows[:3] == [{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}, {"Key": "c", "Value": "3"}]
    assert len(rows) == 6 and response.context["draft"]["role_name"] == "fn"
