from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.management.commands.seed_demo import DEMO_EMAIL, DEMO_ROOT_PASSWORD, DEMO_USER_PASSWORD
from accounts.models import Account, Group, Role, User
from policies.models import PolicyAttachment

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_and_its_logins_work():
    call_command("load_aws_managed_policies", verbosity=0)
    call_command("seed_demo", stdout=None)
    call_command("seed_demo")
    account = Account.objects.get(alias="iam-demo")
    assert User.objects.filter(account=account, kind="iam").count() == 4
    assert Group.objects.filter(account=account).count() == 3
    assert Role.objects.filter(account=account).count() == 2
    assert PolicyAttachment.objects.filter(group__name="Admins", policy__name="AdministratorAccess").exists()
    root = Client()
    response = root.post(reverse("accounts:signin"), {"signin_type": "root", "email": DEMO_EMAIL, "password": DEMO_ROOT_PASSWORD})
    assert response.status_code == 302
    alice = Client()
    response = alice.post(reverse("accounts:signin"), {"signin_type": "iam", "account": "iam-demo", "user_name": "alice", "password": DEMO_USER_PASSWORD})
    assert response.status_code == 302
    # alice is in Admins (AdministratorAccess): the dashboard counters are allowed.
    assert 'data-testid="count-users">4<' in alice.get(reverse("accounts:dashboard")).content.decode()


def test_demo_user_who_must_reset_her_password_can_do_so():
    call_command("load_aws_managed_policies", verbosity=0)
    call_command("seed_demo")
    carol = Client()
    carol.post(reverse("accounts:signin"), {"signin_type": "iam", "account": "iam-demo", "user_name": "carol", "password": DEMO_USER_PASSWORD})
    assert carol.get(reverse("accounts:dashboard"))["Location"] == reverse("accounts:password_change_required")
    response = carol.post(reverse("accounts:password_change_required"),
                          {"old_password": DEMO_USER_PASSWORD, "new_password": "Carol-New-Passw0rd!", "confirm_password": "Carol-New-Passw0rd!"})
    assert response.status_code == 302
    assert carol.get(reverse("accounts:dashboard")).status_code == 200
