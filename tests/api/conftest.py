"""Real boto3 clients against live_server, signed with keys made through the services."""

from __future__ import annotations

import json

import boto3
import pytest
from botocore.config import Config

from accounts import services
from accounts.principal import Caller
from policies.management.commands.load_aws_managed_policies import load, moto_policy_data

from ..conftest import ROOT_PASSWORD

NO_RETRIES = Config(retries={"max_attempts": 1, "mode": "standard"}, connect_timeout=5, read_timeout=30)
ALLOW_ALL = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})


def _connection_close(request, **kwargs):
    request.headers["Connection"] = "close"


@pytest.fixture(scope="session")
def managed_policy_data():
    data = moto_policy_data()
    return {name: data[name] for name in ("IAMReadOnlyAccess", "ReadOnlyAccess", "AdministratorAccess", "IAMFullAccess")}


@pytest.fixture
def aws_managed(managed_policy_data, transactional_db):
    load(managed_policy_data)


@pytest.fixture
def endpoint(live_server) -> str:
    return live_server.url + "/api/"


@pytest.fixture
def make_client(endpoint):
    clients = []

    def factory(service: str, key_id: str, secret: str, token: str | None = None, *, url: str | None = None,
                region: str = "us-east-1", validate: bool = True):
        config = NO_RETRIES if validate else NO_RETRIES.merge(Config(parameter_validation=False))
        client = boto3.client(service, endpoint_url=url or endpoint, region_name=region, aws_access_key_id=key_id,
                              aws_secret_access_key=secret, aws_session_token=token, config=config)
        # One request per connection: the live server's request thread ends with its response
        # (keep-alive threads outliving the test database only make noise).
        client.meta.events.register("before-sign.*", _connection_close)
        clients.append(client)
        return client

    yield factory
    # Close the keep-alive connections before the test database goes away, so the live
    # server's request threads end while their shared connection is still valid.
    for client in clients:
        client.close()


@pytest.fixture
def sandbox(transactional_db):
    """A fresh account with a root access key pair."""
    root = services.create_account("lab@example.com", "Lab", ROOT_PASSWORD)
    key, secret = services.create_access_key(Caller(account=root.account, user=root))
    return root, key, secret


@pytest.fixture
def root_iam(sandbox, make_client):
    _root, key, secret = sandbox
    return make_client("iam", key.access_key_id, secret)


@pytest.fixture
def root_sts(sandbox, make_client):
    _root, key, secret = sandbox
    return make_client("sts", key.access_key_id, secret)


@pytest.fixture
def user_keys(root_iam):
    """`user_keys(name, policy_arns=(), inline=None)` -> (key id, secret) of a new IAM user."""

    def factory(name: str, policy_arns=(), inline: str | None = None):
        root_iam.create_user(UserName=name)
        for arn in policy_arns:
            root_iam.attach_user_policy(UserName=name, PolicyArn=arn)
        if inline:
            root_iam.put_user_policy(UserName=name, PolicyName="inline", PolicyDocument=inline)
        key = root_iam.create_access_key(UserName=name)["AccessKey"]
        return key["AccessKeyId"], key["SecretAccessKey"]

    return factory
