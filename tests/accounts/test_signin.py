"""Console sign-in as on AWS: root user by email, IAM users by account and name
(https://docs.aws.amazon.com/IAM/latest/UserGuide/console.html)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts import services
from accounts.models import ActivityEvent
from accounts.views import SIGNIN_FAILED
from tests.conftest import ROOT_PASSWORD, USER_PASSWORD, make_iam_user

pytestmark = pytest.mark.django_db


def sign_in_root(client, email, password):
    return client.post(reverse("accounts:signin"), {"signin_type": "root", "email": email, "password": password})


def sign_in_iam(client, account, user_name, password):
    return client.post(reverse("accounts:signin"), {"signin_type": "iam", "account": account, "user_name": user_name, "password": password})


def test_root_user_signs_in_with_email_and_lands_on_the_dashboard(root_user):
    client = Client()
    response = sign_in_root(client, "OWNER@example.com", ROOT_PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:dashboard")
    page = client.get(reverse("accounts:dashboard"))
    assert page.status_code == 200
    assert root_user.account.account_id in page.content.decode()
    assert "root user" in page.content.decode()


@pytest.mark.parametrize(
    "email,password",
    [("owner@example.com", "wrong-Passw0rd"), ("nobody@example.com", ROOT_PASSWORD), ("", ROOT_PASSWORD)],
    ids=["wrong-password", "unknown-email", "empty-email"],
)
def test_root_sign_in_failures_get_one_generic_message(root_user, email, password):
    response = sign_in_root(Client(), email, password)
    assert response.status_code == 200
    assert SIGNIN_FAILED in response.content.decode()
    assert "_auth_user_id" not in response.client.session


def test_iam_user_signs_in_with_account_id_or_alias(account, root_caller):
    make_iam_user(account, "alice")
    assert sign_in_iam(Client(), account.account_id, "ALICE", USER_PASSWORD).status_code == 302
    dashed = f"{account.account_id[:4]}-{account.account_id[4:8]}-{account.account_id[8:]}"
    assert sign_in_iam(Client(), dashed, "alice", USER_PASSWORD).status_code == 302
    services.create_account_alias(root_caller, "training")
    assert sign_in_iam(Client(), "training", "alice", USER_PASSWORD).status_code == 302


@pytest.mark.parametrize(
    "case", ["wrong-password", "unknown-user", "unknown-account", "other-account", "no-login-profile"]
)
def test_iam_sign_in_failures_get_one_generic_message(account, other_root, case):
    make_iam_user(account, "alice")
    make_iam_user(account, "nopass", password=None)
    target, name, password = account.account_id, "alice", USER_PASSWORD
    if case == "wrong-password":
        password = "Wrong-Passw0rd"
    elif case == "unknown-user":
        name = "mallory"
    elif case == "unknown-account":
        target = "999999999999"
    elif case == "other-account":
        target = other_root.account.account_id
    elif case == "no-login-profile":
        name = "nopass"
    response = sign_in_iam(Client(), target, name, password)
    assert response.status_code == 200
    assert SIGNIN_FAILED in response.content.decode()
    assert "_auth_user_id" not in response.client.session


def test_account_sign_in_url_prefills_the_account(account):
    response = Client().get(reverse("accounts:signin_account", args=[account.account_id]))
    html = response.content.decode()
    assert f'value="{account.account_id}"' in html and "readonly" in html


def test_sign_in_at_the_account_url(account):
    make_iam_user(account, "alice")
    response = Client().post(
        reverse("accounts:signin_account", args=[account.account_id]),
        {"signin_type": "iam", "account": account.account_id, "user_name": "alice", "password": USER_PASSWORD},
    )
    assert response.status_code == 302


def test_console_login_events_hide_unknown_user_names(account):
    make_iam_user(account, "alice")
    sign_in_iam(Client(), account.account_id, "alice", USER_PASSWORD)
    sign_in_iam(Client(), account.account_id, "alice", "Wrong-Passw0rd")
    sign_in_iam(Client(), account.account_id, "mallory", "Wrong-Passw0rd")
    events = list(ActivityEvent.objects.filter(event_name="ConsoleLogin").order_by("id").values_list("actor_name", "result"))
    assert events == [("alice", "Success"), ("alice", "Failure"), ("HIDDEN_DUE_TO_SECURITY_REASONS", "Failure")]
    assert "mallory" not in str(list(ActivityEvent.objects.values()))


CHANGE_OWN_PASSWORD = {  # what AWS's IAMUserChangePassword managed policy allows
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": ["iam:ChangePassword"], "Resource": ["arn:aws:iam::*:user/${aws:username}"]}],
}


def test_user_whose_password_must_be_reset_is_sent_to_change_it_first(account):
    user = make_iam_user(account, "alice", policies=[CHANGE_OWN_PASSWORD])
    user.password_reset_required = True
    user.save()
    client = Client()
    sign_in_iam(client, account.account_id, "alice", USER_PASSWORD)
    response = client.get(reverse("accounts:dashboard"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:password_change_required")
    response = client.post(
        reverse("accounts:password_change_required"),
        {"old_password": USER_PASSWORD, "new_password": "New-Passw0rd!", "confirm_password": "New-Passw0rd!"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.password_reset_required and user.check_password("New-Passw0rd!")
    # Still signed in after the change, and no longer redirected.
    assert client.get(reverse("accounts:dashboard")).status_code == 200


def test_forced_change_without_permission_is_denied_as_on_aws(account):
    user = make_iam_user(account, "alice")
    user.password_reset_required = True
    user.save()
    client = Client()
    sign_in_iam(client, account.account_id, "alice", USER_PASSWORD)
    response = client.post(
        reverse("accounts:password_change_required"),
        {"old_password": USER_PASSWORD, "new_password": "New-Passw0rd!", "confirm_password": "New-Passw0rd!"},
    )
    assert "not authorized to perform: iam:ChangePassword" in response.content.decode()
    user.refresh_from_db()
    assert user.password_reset_required


def test_account_setting_lets_users_change_their_own_password(account):
    from accounts.models import PasswordPolicy

    PasswordPolicy.objects.create(account=account, allow_users_to_change_password=True)
    user = make_iam_user(account, "alice")
    client = Client()
    sign_in_iam(client, account.account_id, "alice", USER_PASSWORD)
    client.post(
        reverse("accounts:password_change"),
        {"old_password": USER_PASSWORD, "new_password": "New-Passw0rd!", "confirm_password": "New-Passw0rd!"},
    )
    user.refresh_from_db()
    assert user.check_password("New-Passw0rd!")


def test_forced_change_rejects_a_password_that_breaks_the_policy(account):
    user = make_iam_user(account, "alice", policies=[CHANGE_OWN_PASSWORD])
    user.password_reset_required = True
    user.save()
    client = Client()
    sign_in_iam(client, account.account_id, "alice", USER_PASSWORD)
    response = client.post(
        reverse("accounts:password_change_required"),
        {"old_password": USER_PASSWORD, "new_password": "short", "confirm_password": "short"},
    )
    assert response.status_code == 200 and "PasswordPolicyViolation" in response.content.decode()
    user.refresh_from_db()
    assert user.password_reset_required and user.check_password(USER_PASSWORD)


def test_sign_out_ends_the_session(root_client):
    response = root_client.post(reverse("accounts:signout"))
    assert response.status_code == 302
    assert root_client.get(reverse("accounts:dashboard")).status_code == 302


def test_open_redirect_after_sign_in_is_refused(root_user):
    response = Client().post(
        reverse("accounts:signin") + "?next=https://evil.example/",
        {"signin_type": "root", "email": "owner@example.com", "password": ROOT_PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("accounts:dashboard")


def test_operator_cannot_use_the_console(db):
    from accounts.models import User

    operator = User.objects.create_superuser("admin", "Admin-Passw0rd!")
    client = Client()
    client.force_login(operator)
    assert client.get(reverse("accounts:dashboard")).status_code == 302


def test_dashboard_shows_access_denied_panel_to_a_user_without_get_account_summary(account):
    from tests.conftest import client_for

    user = make_iam_user(account, "bob")
    html = client_for(user).get(reverse("accounts:dashboard")).content.decode()
    assert "is not authorized to perform: iam:GetAccountSummary" in html
    assert 'data-testid="why-panel"' in html
    assert f'data-testid="dashboard-account-id">{account.account_id}<' in html


def test_dashboard_counts_only_this_accounts_resources(account, other_root):
    make_iam_user(account, "alice")
    make_iam_user(other_root.account, "x1")
    make_iam_user(other_root.account, "x2")
    from tests.conftest import client_for

    html = client_for(account.users.get(kind="root")).get(reverse("accounts:dashboard")).content.decode()
    assert 'data-testid="count-users">1<' in html


def test_alias_form_on_dashboard(root_client, root_user):
    response = root_client.post(reverse("accounts:account_alias"), {"alias": "my-lab"}, follow=True)
    assert "my-lab" in response.content.decode()
    response = root_client.post(reverse("accounts:account_alias"), {"alias": "Bad Alias"}, follow=True)
    assert "ValidationError" in response.content.decode()
    root_user.account.refresh_from_db()
    assert root_user.account.alias == "my-lab"
