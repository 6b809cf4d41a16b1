"""Roles, instance profiles, managed and inline policies, attachments and boundaries via boto3."""

import json

import pytest
from botocore.exceptions import ClientError

pytestmark = pytest.mark.django_db(transaction=True)

TRUST_EC2 = {"Version": "2012-10-17",
             "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
S3_READ = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}


def code_of(excinfo):
    return excinfo.value.response["Error"]["Code"], excinfo.value.response["Error"]["Message"]


def test_roles_and_instance_profiles(root_iam):
    role = root_iam.create_role(RoleName="web", AssumeRolePolicyDocument=json.dumps(TRUST_EC2), Description="Web tier",
                                Tags=[{"Key": "app", "Value": "web"}])["Role"]
    assert role["RoleId"].startswith("AROA")
    # botocore URL-decodes and parses the policy document: the shape serializer URL-encoded it.
    assert role["AssumeRolePolicyDocument"] == TRUST_EC2
    got = root_iam.get_role(RoleName="web")["Role"]
    assert got["Description"] == "Web tier" and got["MaxSessionDuration"] == 3600
    root_iam.update_role(RoleName="web", MaxSessionDuration=7200)
    assert root_iam.get_role(RoleName="web")["Role"]["MaxSessionDuration"] == 7200
    with pytest.raises(ClientError) as exc:
        root_iam.create_role(RoleName="bad", AssumeRolePolicyDocument="{not json")
    assert code_of(exc)[0] == "MalformedPolicyDocument"

    root_iam.create_instance_profile(InstanceProfileName="web-profile")
    root_iam.add_role_to_instance_profile(InstanceProfileName="web-profile", RoleName="web")
    profiles = root_iam.list_instance_profiles_for_role(RoleName="web")["InstanceProfiles"]
    assert [p["InstanceProfileName"] for p in profiles] == ["web-profile"]
    assert profiles[0]["Roles"][0]["RoleName"] == "web"
    with pytest.raises(ClientError) as exc:
        root_iam.delete_role(RoleName="web")
    assert code_of(exc)[0] == "DeleteConflict"
    root_iam.remove_role_from_instance_profile(InstanceProfileName="web-profile", RoleName="web")
    root_iam.delete_instance_profile(InstanceProfileName="web-profile")
    assert root_iam.list_role_tags(RoleName="web")["Tags"] == [{"Key": "app", "Value": "web"}]
    root_iam.delete_role(RoleName="web")
    assert root_iam.list_roles()["Roles"] == []


def test_managed_policies_versions_attachments_and_boundaries(root_iam, aws_managed):
    arn = root_iam.create_policy(PolicyName="s3-read", PolicyDocument=json.dumps(S3_READ))["Policy"]["Arn"]
    with pytest.raises(ClientError) as exc:
        root_iam.create_policy(PolicyName="broken", PolicyDocument='{"Version": "2012-10-17", "Statement": [')
    assert code_of(exc) == ("MalformedPolicyDocument", "Syntax errors in policy.")
    v2 = root_iam.create_policy_version(PolicyArn=arn, PolicyDocument=json.dumps(S3_READ), SetAsDefault=True)
    assert v2["PolicyVersion"]["VersionId"] == "v2" and v2["PolicyVersion"]["IsDefaultVersion"] is True
    assert root_iam.get_policy_version(PolicyArn=arn, VersionId="v2")["PolicyVersion"]["Document"] == S3_READ
    assert [v["VersionId"] for v in root_iam.list_policy_versions(PolicyArn=arn)["Versions"]] == ["v2", "v1"]
    root_iam.delete_policy_version(PolicyArn=arn, VersionId="v1")

    root_iam.create_user(UserName="dora")
    root_iam.create_group(GroupName="ops")
    root_iam.attach_user_policy(UserName="dora", PolicyArn=arn)
    root_iam.attach_group_policy(GroupName="ops", PolicyArn="arn:aws:iam::aws:policy/IAMReadOnlyAccess")
    assert root_iam.get_policy(PolicyArn=arn)["Policy"]["AttachmentCount"] == 1
    attached = root_iam.list_attached_user_policies(UserName="dora")["AttachedPolicies"]
    assert attached == [{"PolicyName": "s3-read", "PolicyArn": arn}]
    entities = root_iam.list_entities_for_policy(PolicyArn=arn)
    assert [u["UserName"] for u in entities["PolicyUsers"]] == ["dora"]
    with pytest.raises(ClientError) as exc:
        root_iam.delete_policy(PolicyArn=arn)
    assert code_of(exc)[0] == "DeleteConflict"

    bounded = root_iam.create_user(UserName="bounded", PermissionsBoundary=arn)["User"]
    assert bounded["PermissionsBoundary"] == {"PermissionsBoundaryType": "PermissionsBoundaryPolicy",
                                              "PermissionsBoundaryArn": arn}
    assert root_iam.get_policy(PolicyArn=arn)["Policy"]["PermissionsBoundaryUsageCount"] == 1
    root_iam.delete_user_permissions_boundary(UserName="bounded")
    root_iam.put_user_permissions_boundary(UserName="dora", PermissionsBoundary=arn)
    assert root_iam.get_user(UserName="dora")["User"]["PermissionsBoundary"]["PermissionsBoundaryArn"] == arn
    root_iam.delete_user_permissions_boundary(UserName="dora")

    local = root_iam.list_policies(Scope="Local")["Policies"]
    assert [p["PolicyName"] for p in local] == ["s3-read"]
    aws_page = root_iam.list_policies(Scope="AWS", MaxItems=2)
    assert len(aws_page["Policies"]) == 2 and aws_page["IsTruncated"] is True

    root_iam.tag_policy(PolicyArn=arn, Tags=[{"Key": "k", "Value": "v"}])
    assert root_iam.list_policy_tags(PolicyArn=arn)["Tags"] == [{"Key": "k", "Value": "v"}]
    root_iam.detach_user_policy(UserName="dora", PolicyArn=arn)
    root_iam.delete_policy(PolicyArn=arn)


def test_inline_policies_for_users_groups_roles(root_iam):
    root_iam.create_user(UserName="erin")
    root_iam.create_group(GroupName="qa")
    root_iam.create_role(RoleName="svc", AssumeRolePolicyDocument=json.dumps(TRUST_EC2))
    document = json.dumps(S3_READ)
    root_iam.put_user_policy(UserName="erin", PolicyName="p", PolicyDocument=document)
    root_iam.put_group_policy(GroupName="qa", PolicyName="p", PolicyDocument=document)
    root_iam.put_role_policy(RoleName="svc", PolicyName="p", PolicyDocument=document)
    got = root_iam.get_user_policy(UserName="erin", PolicyName="p")
    assert got["PolicyDocument"] == S3_READ and got["UserName"] == "erin"
    assert root_iam.list_group_policies(GroupName="qa")["PolicyNames"] == ["p"]
    assert root_iam.get_role_policy(RoleName="svc", PolicyName="p")["RoleName"] == "svc"
    with pytest.raises(ClientError) as exc:
        root_iam.put_user_policy(UserName="erin", PolicyName="bad", PolicyDocument="{}")
    assert code_of(exc)[0] == "MalformedPolicyDocument"
    with pytest.raises(ClientError) as exc:
        root_iam.get_user_policy(UserName="erin", PolicyName="missing")
    assert code_of(exc)[0] == "NoSuchEntity"
    root_iam.delete_role_policy(RoleName="svc", PolicyName="p")
    assert root_iam.list_role_policies(RoleName="svc")["PolicyNames"] == []
