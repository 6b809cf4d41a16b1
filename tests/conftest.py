"""Shared fixtures: personas built the way a learner would build them (through the services)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from accounts import services
from accounts.models import Account, User
from accounts.principal import Caller
from policies.models import InlinePolicy

ROOT_PASSWORD = "Root-Passw0rd!"
USER_PASSWORD = "User-Passw0rd!"


@pytest.fixture(autouse=True)
def _fast_and_plain(settings, monkeypatch):
    """Real salted hashing, just cheaper (login hasher and password-history rounds); static
    files without a manifest."""
    import accounts.passwords

    monkeypatch.setattr(accounts.passwords, "HISTORY_ITERATIONS", 1000)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


@pytest.fixture
def root_user(db) -> User:
    return services.create_account("owner@example.com", "Training", ROOT_PASSWORD)


@pytest.fixture
def account(root_user) -> Account:
    return root_user.account


@pytest.fixture
def other_root(db) -> User:
    return services.create_account("other@example.com", "Other", ROOT_PASSWORD)


def make_iam_user(account: Account, name: str, *, password: str | None = USER_PASSWORD, policies: list[dict] | None = None,
                  tags: list[dict] | None = None) -> User:
    """An IAM user with optional inline policies, written directly: a fixture, not a test of the services."""
    user = User(login=services.iam_login(account, name), kind=User.Kind.IAM, account=account, name=name,
                unique_id="AIDA" + name.upper().ljust(17, "X")[:17], tags=tags or [])
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    for index, document in enumerate(policies or []):
        InlinePolicy.objects.create(user=user, name=f"inline{index}", document=json.dumps(document))
    return user


@pytest.fixture
def iam_user_factory(account):
    def factory(name: str, **kwargs) -> User:
        return make_iam_user(account, name, **kwargs)

    return factory


@pytest.fixture
def root_caller(root_user) -> Caller:
    return Caller(account=root_user.account, user=root_user)


@pytest.fixture
def root_client(root_user) -> Client:
    client = Client()
    client.force_login(root_user, backend="accounts.backends.PrincipalBackend")
    return client


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user, backend="accounts.backends.PrincipalBackend")
    return client
