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


def _codes(seed_b32: bytes, *steps: int) -> list[str]:
    import base64
    import time

    from django_otp.oath import TOTP

    key = base64.b32decode(seed_b32 + b"=" * (-len(seed_b32) % 8))
    now = int(time.time()) // 30
    out = []
    for step in steps:
        totp = TOTP(key)
        totp.time = (now + step) * 30 + 1
        out.append(f"{totp.token():06d}")
    return out


def test_get_session_token_with_mfa_satisfies_an_mfa_condition(root_iam, user_keys, make_client):
    require_mfa = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "iam:ListUsers", "Resource": "*",
         "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}]})
    key_id, secret = user_keys("mia", inline=require_mfa)
    device = root_iam.create_virtual_mfa_device(VirtualMFADeviceName="mia")["VirtualMFADevice"]
    first, second, third = _codes(device["Base32StringSeed"], -1, 0, 1)
    root_iam.enable_mfa_device(UserName="mia", SerialNumber=device["SerialNumber"], AuthenticationCode1=first,
                               AuthenticationCode2=second)
    mia = make_client("iam", key_id, secret)
    with pytest.raises(ClientError) as exc:
        mia.list_users()  # long-term key: aws:MultiFactorAuthPresent is absent
    assert code_of(exc)[0] == "AccessDenied"
    sts = make_client("sts", key_id, secret)
    with pytest.raises(ClientError) as exc:
        sts.get_session_token(SerialNumber=device["SerialNumber"], TokenCode="000000")
    assert code_of(exc) == ("AccessDenied", "MultiFactorAuthentication failed with invalid MFA one time pass code. ")
    creds = sts.get_session_token(SerialNumber=device["SerialNumber"], TokenCode=third)["Credentials"]
    with_mfa = make_client("iam", creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"])
    assert [u["UserName"] for u in with_mfa.list_users()["Users"]] == ["mia"]


def test_role_chaining_is_limited_to_one_hour_and_session_tags_reach_the_context(root_iam, sandbox, user_keys,
                                                                                  make_client):
    root, _key, _secret = sandbox
    account_id = root.account.account_id
    trust_all = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account_id}:root"},
         "Action": ["sts:AssumeRole", "sts:TagSession"]}]})
    root_iam.create_role(RoleName="first", AssumeRolePolicyDocument=trust_all, MaxSessionDuration=7200)
    root_iam.create_role(RoleName="second", AssumeRolePolicyDocument=trust_all, MaxSessionDuration=7200)
    root_iam.put_role_policy(RoleName="first", PolicyName="p", PolicyDocument=json.dumps({"Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]}))
    root_iam.put_role_policy(RoleName="second", PolicyName="p", PolicyDocument=json.dumps({"Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "iam:ListRoles", "Resource": "*",
                       "Condition": {"StringEquals": {"aws:PrincipalTag/project": "apollo"}}}]}))
    key_id, secret = user_keys("nina", inline=ALLOW_ASSUME.replace('"sts:AssumeRole"', '["sts:AssumeRole", "sts:TagSession"]'))
    first = make_client("sts", key_id, secret).assume_role(
        RoleArn=f"arn:aws:iam::{account_id}:role/first", RoleSessionName="one", DurationSeconds=7200,
        Tags=[{"Key": "project", "Value": "apollo"}], TransitiveTagKeys=["project"])["Credentials"]
    chained_sts = make_client("sts", first["AccessKeyId"], first["SecretAccessKey"], first["SessionToken"])
    with pytest.raises(ClientError) as exc:
        chained_sts.assume_role(RoleArn=f"arn:aws:iam::{account_id}:role/second", RoleSessionName="two",
                                DurationSeconds=7200)
    assert code_of(exc) == ("ValidationError",
                            "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.")
    second = chained_sts.assume_role(RoleArn=f"arn:aws:iam::{account_id}:role/second", RoleSessionName="two")["Credentials"]
    second_iam = make_client("iam", second["AccessKeyId"], second["SecretAccessKey"], second["SessionToken"])
    assert [r["RoleName"] for r in second_iam.list_roles()["Roles"]] == ["first", "second"]  # transitive tag
