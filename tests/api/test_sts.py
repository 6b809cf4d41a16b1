"""STS through boto3: GetCallerIdentity, AssumeRole (trust + identity policy, external ID,
session policy, duration limits), session tokens that work at once and expire, GetSessionToken."""

import json
from datetime import timedelta

import pytest
from botocore.exceptions import ClientError
from django.utils import timezone

from api.models import RoleSession

pytestmark = pytest.mark.django_db(transaction=True)


def trust(account_id: str, *, external_id: str | None = None) -> str:
    statement = {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account_id}:root"}, "Action": "sts:AssumeRole"}
    if external_id:
        statement["Condition"] = {"StringEquals": {"sts:ExternalId": external_id}}
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


ALLOW_ASSUME = json.dumps({"Version": "2012-10-17",
                           "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]})


def code_of(excinfo):
    return excinfo.value.response["Error"]["Code"], excinfo.value.response["Error"]["Message"]


def test_caller_identity_of_root_and_user(root_sts, sandbox, user_keys, make_client):
    root, _key, _secret = sandbox
    account_id = root.account.account_id
    assert root_sts.get_caller_identity()["Arn"] == f"arn:aws:iam::{account_id}:root"
    key_id, secret = user_keys("frank")
    identity = make_client("sts", key_id, secret).get_caller_identity()
    assert identity["Arn"] == f"arn:aws:iam::{account_id}:user/frank" and identity["Account"] == account_id
    assert identity["UserId"].startswith("AIDA")
    assert root_sts.get_access_key_info(AccessKeyId=key_id)["Account"] == account_id


def test_assume_role_session_is_limited_by_role_and_session_policy_and_expires(
        root_iam, sandbox, user_keys, make_client, aws_managed):
    root, _key, _secret = sandbox
    account_id = root.account.account_id
    role_arn = root_iam.create_role(RoleName="auditor", AssumeRolePolicyDocument=trust(account_id, external_id="lab-42"),
                                    Tags=[{"Key": "dept", "Value": "audit"}])["Role"]["Arn"]
    root_iam.attach_role_policy(RoleName="auditor", PolicyArn="arn:aws:iam::aws:policy/IAMReadOnlyAccess")
    key_id, secret = user_keys("gina", inline=ALLOW_ASSUME)
    sts = make_client("sts", key_id, secret)

    with pytest.raises(ClientError) as exc:
        sts.assume_role(RoleArn=role_arn, RoleSessionName="s1")  # the trust policy needs the external ID
    assert code_of(exc)[0] == "AccessDenied"
    with pytest.raises(ClientError) as exc:
        sts.assume_role(RoleArn=role_arn, RoleSessionName="s1", ExternalId="lab-42", DurationSeconds=7200)
    assert code_of(exc) == ("ValidationError",
                            "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.")

    session_policy = json.dumps({"Version": "2012-10-17",
                                 "Statement": [{"Effect": "Allow", "Action": "iam:ListUsers", "Resource": "*"}]})
    answer = sts.assume_role(RoleArn=role_arn, RoleSessionName="s1", ExternalId="lab-42", Policy=session_policy)
    creds = answer["Credentials"]
    assert creds["AccessKeyId"].startswith("ASIA") and answer["PackedPolicySize"] >= 1
    assert answer["AssumedRoleUser"]["Arn"] == f"arn:aws:sts::{account_id}:assumed-role/auditor/s1"
    assert answer["AssumedRoleUser"]["AssumedRoleId"].endswith(":s1")

    role_iam = make_client("iam", creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"])
    role_sts = make_client("sts", creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"])
    assert role_sts.get_caller_identity()["Arn"] == answer["AssumedRoleUser"]["Arn"]
    assert [u["UserName"] for u in role_iam.list_users()["Users"]] == ["gina"]  # role policy AND session policy allow
    with pytest.raises(ClientError) as exc:
        role_iam.list_groups()  # IAMReadOnlyAccess allows it, the session policy does not
    code, message = code_of(exc)
    assert code == "AccessDenied"
    assert message.startswith(f"User: arn:aws:sts::{account_id}:assumed-role/auditor/s1 is not authorized to perform: "
                              "iam:ListGroups on resource:")
    with pytest.raises(ClientError) as exc:
        role_iam.create_user(UserName="x")  # neither allows it
    assert code_of(exc)[0] == "AccessDenied"

    # A wrong session token is an invalid token; an expired session is ExpiredToken.
    forged = make_client("iam", creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"] + "x")
    with pytest.raises(ClientError) as exc:
        forged.list_users()
    assert code_of(exc) == ("InvalidClientTokenId", "The security token included in the request is invalid.")
    RoleSession.objects.filter(access_key_id=creds["AccessKeyId"]).update(expiration=timezone.now() - timedelta(seconds=1))
    with pytest.raises(ClientError) as exc:
        role_iam.list_users()
    assert code_of(exc)[0] == "ExpiredToken"


def test_root_cannot_assume_roles_and_session_names_are_validated(root_iam, sandbox, make_client):
    root, key, secret = sandbox
    root_sts = make_client("sts", key.access_key_id, secret, validate=False)
    role_arn = root_iam.create_role(RoleName="r", AssumeRolePolicyDocument=trust(root.account.account_id))["Role"]["Arn"]
    with pytest.raises(ClientError) as exc:
        root_sts.assume_role(RoleArn=role_arn, RoleSessionName="s")
    assert exc.value.response["Error"]["Code"] == "ValidationError"  # shorter than 2 characters
    with pytest.raises(ClientError) as exc:
        root_sts.assume_role(RoleArn=role_arn, RoleSessionName="root-session")
    assert code_of(exc) == ("AccessDenied", "Roles may not be assumed by root accounts.")


def test_get_session_token_without_mfa_cannot_call_iam(user_keys, make_client):
    key_id, secret = user_keys("hank")
    creds = make_client("sts", key_id, secret).get_session_token(DurationSeconds=900)["Credentials"]
    assert creds["AccessKeyId"].startswith("ASIA")
    temp_sts = make_client("sts", creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"])
    assert temp_sts.get_caller_identity()["Arn"].endswith(":user/hank")
    temp_iam = make_client("iam", creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"])
    with pytest.raises(ClientError) as exc:
        temp_iam.list_users()
    assert code_of(exc)[0] == "InvalidClientTokenId"
    with pytest.raises(ClientError) as exc:
        temp_sts.get_session_token()
    assert code_of(exc) == ("AccessDenied", "Cannot call GetSessionToken with session credentials")
