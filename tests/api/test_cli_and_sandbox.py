"""The AWS CLI (awscli from PyPI, run as a subprocess) against the server, and lab sandboxes:
the create_sandbox command and the instructor's reset."""

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from io import StringIO

import pytest
from botocore.exceptions import ClientError
from django.core.management import call_command

from accounts.models import Account, User
from policies.models import ManagedPolicy

pytestmark = pytest.mark.django_db(transaction=True)


def aws(live_server, key_id, secret, *args, token=None):
    env = {**os.environ, "AWS_ACCESS_KEY_ID": key_id, "AWS_SECRET_ACCESS_KEY": secret, "AWS_DEFAULT_REGION": "us-east-1",
           "AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull, "AWS_MAX_ATTEMPTS": "1"}
    env.pop("AWS_PROFILE", None)
    if token:
        env["AWS_SESSION_TOKEN"] = token
    result = subprocess.run([sys.executable, "-m", "awscli", *args, "--endpoint-url", live_server.url, "--output", "json"],
                            env=env, capture_output=True, text=True, timeout=60)
    return result


def test_aws_cli_smoke(live_server, sandbox):
    root, key, secret = sandbox
    account_id = root.account.account_id
    created = aws(live_server, key.access_key_id, secret, "iam", "create-user", "--user-name", "cli-user")
    assert created.returncode == 0, created.stderr
    assert json.loads(created.stdout)["User"]["UserName"] == "cli-user"
    aws(live_server, key.access_key_id, secret, "iam", "create-user", "--user-name", "cli-user-2")
    listed = aws(live_server, key.access_key_id, secret, "iam", "list-users", "--page-size", "1")
    assert listed.returncode == 0, listed.stderr
    assert [u["UserName"] for u in json.loads(listed.stdout)["Users"]] == ["cli-user", "cli-user-2"]
    identity = aws(live_server, key.access_key_id, secret, "sts", "get-caller-identity")
    assert json.loads(identity.stdout)["Arn"] == f"arn:aws:iam::{account_id}:root"

    trust = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account_id}:user/cli-user"}, "Action": "sts:AssumeRole"}]})
    assert aws(live_server, key.access_key_id, secret, "iam", "create-role", "--role-name", "cli-role",
               "--assume-role-policy-document", trust).returncode == 0
    user_key = json.loads(aws(live_server, key.access_key_id, secret, "iam", "create-access-key", "--user-name",
                              "cli-user").stdout)["AccessKey"]
    assumed = aws(live_server, user_key["AccessKeyId"], user_key["SecretAccessKey"], "sts", "assume-role", "--role-arn",
                  f"arn:aws:iam::{account_id}:role/cli-role", "--role-session-name", "cli")
    assert assumed.returncode == 0, assumed.stderr
    creds = json.loads(assumed.stdout)["Credentials"]
    who = aws(live_server, creds["AccessKeyId"], creds["SecretAccessKey"], "sts", "get-caller-identity",
              token=creds["SessionToken"])
    assert json.loads(who.stdout)["Arn"] == f"arn:aws:sts::{account_id}:assumed-role/cli-role/cli"

    denied = aws(live_server, user_key["AccessKeyId"], user_key["SecretAccessKey"], "iam", "create-user", "--user-name", "x")
    assert denied.returncode != 0 and "AccessDenied" in denied.stderr


def post(url, token=None):
    request = urllib.request.Request(url, data=b"", method="POST",
                                     headers={"Authorization": f"Bearer {token}"} if token else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_create_sandbox_prints_credentials_and_reset_empties_the_account(live_server, make_client, managed_policy_data,
                                                                         aws_managed):
    out = StringIO()
    call_command("create_sandbox", "--account-id", "123456789012", "--name", "lab", stdout=out)
    values = dict(line.split("=", 1) for line in out.getvalue().splitlines() if "=" in line and not line.startswith("reset:"))
    assert values["account_id"] == "123456789012"
    iam = make_client("iam", values["AWS_ACCESS_KEY_ID"], values["AWS_SECRET_ACCESS_KEY"])
    iam.create_account_alias(AccountAlias="lab-alias")
    iam.create_user(UserName="student")
    iam.create_group(GroupName="g")
    iam.add_user_to_group(GroupName="g", UserName="student")
    arn = iam.create_policy(PolicyName="p", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}))["Policy"]["Arn"]
    iam.attach_user_policy(UserName="student", PolicyArn=arn)
    iam.create_role(RoleName="r", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "sts:AssumeRole"}]}))
    iam.create_instance_profile(InstanceProfileName="ip")
    iam.update_account_password_policy(MinimumPasswordLength=10)
    student_key = iam.create_access_key(UserName="student")["AccessKey"]
    iam.put_user_policy(UserName="student", PolicyName="assume", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]}))
    creds = make_client("sts", student_key["AccessKeyId"], student_key["SecretAccessKey"]).assume_role(
        RoleArn="arn:aws:iam::123456789012:role/r", RoleSessionName="lab")["Credentials"]

    reset_url = f"{live_server.url}/api/sandbox/123456789012/reset"
    assert post(reset_url)[0] == 401
    assert post(reset_url, "wrong-token")[0] == 403
    started = time.monotonic()
    status, body = post(reset_url, values["reset_token"])
    assert status == 200 and body["reset"] is True
    assert time.monotonic() - started < 1.5
    assert post(reset_url, values["reset_token"])[0] == 200  # idempotent

    account = Account.objects.get(account_id="123456789012")
    assert account.alias is None and User.objects.filter(account=account, kind=User.Kind.ROOT).count() == 1
    assert iam.list_users()["Users"] == [] and iam.list_roles()["Roles"] == [] and iam.list_groups()["Groups"] == []
    assert iam.list_policies(Scope="Local")["Policies"] == []
    assert iam.list_instance_profiles()["InstanceProfiles"] == []
    with pytest.raises(ClientError):
        iam.get_account_password_policy()
    assert ManagedPolicy.objects.filter(account__isnull=True).count() == len(managed_policy_data)
    role_iam = make_client("iam", creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"])
    with pytest.raises(ClientError) as exc:
        role_iam.list_users()
    assert exc.value.response["Error"]["Code"] == "InvalidClientTokenId"
