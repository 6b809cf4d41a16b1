"""Account settings, summary, authorization details, credential report, providers, simulator,
and enforcement: IAMReadOnlyAccess may read but not write; every call is in the activity history."""

import base64
import json

import pytest
from botocore.exceptions import ClientError

from accounts.models import ActivityEvent

pytestmark = pytest.mark.django_db(transaction=True)

SAML_METADATA = ('<?xml version="1.0"?><md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" '
                 'entityID="https://idp.example.com/">' + "<!-- padding -->" * 70 + "</md:EntityDescriptor>")


def test_iam_read_only_user_reads_but_gets_access_denied_on_create_user(sandbox, user_keys, make_client, aws_managed):
    root, _key, _secret = sandbox
    account_id = root.account.account_id
    key_id, secret = user_keys("reader", policy_arns=["arn:aws:iam::aws:policy/IAMReadOnlyAccess"])
    reader = make_client("iam", key_id, secret)
    assert [u["UserName"] for u in reader.list_users()["Users"]] == ["reader"]
    with pytest.raises(ClientError) as exc:
        reader.create_user(UserName="mallory")
    error = exc.value.response["Error"]
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert error["Code"] == "AccessDenied"
    assert error["Message"] == (f"User: arn:aws:iam::{account_id}:user/reader is not authorized to perform: "
                                f"iam:CreateUser on resource: arn:aws:iam::{account_id}:user/mallory because no "
                                "identity-based policy allows the iam:CreateUser action")
    denied = ActivityEvent.objects.get(event_name="CreateUser", result="Failure")
    assert denied.access_key_id == key_id and denied.error_code == "AccessDenied"
    assert ActivityEvent.objects.filter(event_name="ListUsers", access_key_id=key_id, result="Success").exists()
    unchecked = make_client("iam", key_id, secret, validate=False)
    with pytest.raises(ClientError) as exc:
        unchecked.list_roles(MaxItems=0)
    assert exc.value.response["Error"]["Code"] == "ValidationError"
    assert ActivityEvent.objects.filter(event_name="ListRoles", result="Failure", access_key_id=key_id).exists()


def test_account_alias_password_policy_summary_and_authorization_details(root_iam, aws_managed):
    root_iam.create_account_alias(AccountAlias="my-lab-account")
    assert root_iam.list_account_aliases()["AccountAliases"] == ["my-lab-account"]
    root_iam.update_account_password_policy(MinimumPasswordLength=12, RequireSymbols=True, MaxPasswordAge=90)
    policy = root_iam.get_account_password_policy()["PasswordPolicy"]
    assert policy["MinimumPasswordLength"] == 12 and policy["ExpirePasswords"] is True and policy["MaxPasswordAge"] == 90
    root_iam.delete_account_password_policy()
    with pytest.raises(ClientError) as exc:
        root_iam.get_account_password_policy()
    assert exc.value.response["Error"]["Code"] == "NoSuchEntity"

    root_iam.create_user(UserName="jo")
    root_iam.create_group(GroupName="g")
    root_iam.add_user_to_group(GroupName="g", UserName="jo")
    root_iam.attach_user_policy(UserName="jo", PolicyArn="arn:aws:iam::aws:policy/IAMReadOnlyAccess")
    root_iam.put_group_policy(GroupName="g", PolicyName="inline", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}))
    summary = root_iam.get_account_summary()["SummaryMap"]
    assert summary["Users"] == 1 and summary["Groups"] == 1 and summary["UsersQuota"] == 5000
    details = root_iam.get_account_authorization_details()
    user = details["UserDetailList"][0]
    assert user["UserName"] == "jo" and user["GroupList"] == ["g"]
    assert user["AttachedManagedPolicies"][0]["PolicyName"] == "IAMReadOnlyAccess"
    assert details["GroupDetailList"][0]["GroupPolicyList"][0]["PolicyDocument"]["Statement"][0]["Action"] == "s3:*"
    assert [p["PolicyName"] for p in details["Policies"]] == ["IAMReadOnlyAccess"]
    assert details["Policies"][0]["PolicyVersionList"][0]["IsDefaultVersion"] is True
    only_users = root_iam.get_account_authorization_details(Filter=["User"])
    assert "GroupDetailList" not in only_users or only_users["GroupDetailList"] == []

    with pytest.raises(ClientError) as exc:
        root_iam.get_credential_report()
    assert exc.value.response["Error"]["Code"] == "ReportNotPresent"
    assert root_iam.generate_credential_report()["State"] == "STARTED"
    report = root_iam.get_credential_report()
    assert report["ReportFormat"] == "text/csv" and report["Content"].decode().startswith("user,arn,")


def test_identity_providers_are_stored_and_listed(root_iam, sandbox):
    root, _key, _secret = sandbox
    account_id = root.account.account_id
    arn = root_iam.create_open_id_connect_provider(Url="https://token.actions.githubusercontent.com",
                                                   ClientIDList=["sts.amazonaws.com"],
                                                   ThumbprintList=["a" * 40])["OpenIDConnectProviderArn"]
    assert arn == f"arn:aws:iam::{account_id}:oidc-provider/token.actions.githubusercontent.com"
    with pytest.raises(ClientError) as exc:
        root_iam.create_open_id_connect_provider(Url="https://token.actions.githubusercontent.com", ThumbprintList=[])
    assert exc.value.response["Error"]["Code"] == "EntityAlreadyExists"
    root_iam.tag_open_id_connect_provider(OpenIDConnectProviderArn=arn, Tags=[{"Key": "ci", "Value": "github"}])
    assert root_iam.list_open_id_connect_provider_tags(OpenIDConnectProviderArn=arn)["Tags"] == \
        [{"Key": "ci", "Value": "github"}]
    root_iam.untag_open_id_connect_provider(OpenIDConnectProviderArn=arn, TagKeys=["ci"])
    assert root_iam.list_open_id_connect_provider_tags(OpenIDConnectProviderArn=arn)["Tags"] == []
    root_iam.add_client_id_to_open_id_connect_provider(OpenIDConnectProviderArn=arn, ClientID="other")
    got = root_iam.get_open_id_connect_provider(OpenIDConnectProviderArn=arn)
    assert got["ClientIDList"] == ["sts.amazonaws.com", "other"] and got["ThumbprintList"] == ["a" * 40]
    assert root_iam.list_open_id_connect_providers()["OpenIDConnectProviderList"] == [{"Arn": arn}]
    root_iam.delete_open_id_connect_provider(OpenIDConnectProviderArn=arn)
    with pytest.raises(ClientError) as exc:
        root_iam.get_open_id_connect_provider(OpenIDConnectProviderArn=arn)
    assert exc.value.response["Error"]["Code"] == "NoSuchEntity"

    saml = root_iam.create_saml_provider(Name="corp-idp", SAMLMetadataDocument=SAML_METADATA)["SAMLProviderArn"]
    assert saml == f"arn:aws:iam::{account_id}:saml-provider/corp-idp"
    assert root_iam.get_saml_provider(SAMLProviderArn=saml)["SAMLMetadataDocument"] == SAML_METADATA
    assert [p["Arn"] for p in root_iam.list_saml_providers()["SAMLProviderList"]] == [saml]
    root_iam.tag_saml_provider(SAMLProviderArn=saml, Tags=[{"Key": "idp", "Value": "corp"}])
    assert root_iam.list_saml_provider_tags(SAMLProviderArn=saml)["Tags"] == [{"Key": "idp", "Value": "corp"}]
    root_iam.delete_saml_provider(SAMLProviderArn=saml)


def test_simulator_operations_answer_with_the_evaluation_module(root_iam, sandbox):
    root, _key, _secret = sandbox
    account_id = root.account.account_id
    policy = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
         "Condition": {"StringEquals": {"aws:PrincipalTag/team": "red"}}}]})
    results = root_iam.simulate_custom_policy(PolicyInputList=[policy], ActionNames=["s3:GetObject", "s3:PutObject"],
                                              ContextEntries=[{"ContextKeyName": "aws:PrincipalTag/team",
                                                               "ContextKeyValues": ["red"], "ContextKeyType": "string"}])
    decisions = {r["EvalActionName"]: r["EvalDecision"] for r in results["EvaluationResults"]}
    assert decisions == {"s3:GetObject": "allowed", "s3:PutObject": "implicitDeny"}
    assert results["EvaluationResults"][0]["MatchedStatements"][0]["SourcePolicyId"] == "PolicyInputList.1"
    assert root_iam.get_context_keys_for_custom_policy(PolicyInputList=[policy])["ContextKeyNames"] == \
        ["aws:PrincipalTag/team"]
    root_iam.create_user(UserName="kim")
    root_iam.put_user_policy(UserName="kim", PolicyName="p", PolicyDocument=policy)
    principal = root_iam.simulate_principal_policy(PolicySourceArn=f"arn:aws:iam::{account_id}:user/kim",
                                                   ActionNames=["s3:GetObject"])
    assert principal["EvaluationResults"][0]["EvalDecision"] == "implicitDeny"  # kim has no team tag
    keys = root_iam.get_context_keys_for_principal_policy(PolicySourceArn=f"arn:aws:iam::{account_id}:user/kim")
    assert keys["ContextKeyNames"] == ["aws:PrincipalTag/team"]


def test_mfa_devices_and_access_keys(root_iam):
    root_iam.create_user(UserName="lee")
    device = root_iam.create_virtual_mfa_device(VirtualMFADeviceName="lee-phone")["VirtualMFADevice"]
    assert device["SerialNumber"].endswith(":mfa/lee-phone")
    assert base64.b32decode(device["Base32StringSeed"] + b"=" * (-len(device["Base32StringSeed"]) % 8))
    assert device["QRCodePNG"].startswith(b"\x89PNG")
    listed = root_iam.list_virtual_mfa_devices(AssignmentStatus="Unassigned")["VirtualMFADevices"]
    assert [d["SerialNumber"] for d in listed] == [device["SerialNumber"]]
    with pytest.raises(ClientError) as exc:
        root_iam.enable_mfa_device(UserName="lee", SerialNumber=device["SerialNumber"], AuthenticationCode1="000000",
                                   AuthenticationCode2="000001")
    assert exc.value.response["Error"]["Code"] == "InvalidAuthenticationCode"
    assert root_iam.list_mfa_devices(UserName="lee")["MFADevices"] == []
    root_iam.delete_virtual_mfa_device(SerialNumber=device["SerialNumber"])

    first = root_iam.create_access_key(UserName="lee")["AccessKey"]
    root_iam.create_access_key(UserName="lee")
    with pytest.raises(ClientError) as exc:
        root_iam.create_access_key(UserName="lee")
    assert exc.value.response["Error"]["Code"] == "LimitExceeded"
    keys = root_iam.list_access_keys(UserName="lee", MaxItems=1)
    assert keys["AccessKeyMetadata"][0]["AccessKeyId"] == first["AccessKeyId"] and keys["IsTruncated"] is True
