"""Access Advisor from the activity history (IAM and STS are the only services a principal can
reach here), ListPoliciesGrantingServiceAccess and SetSecurityTokenServicePreferences."""

import json

import pytest
from botocore.exceptions import ClientError

pytestmark = pytest.mark.django_db(transaction=True)

POLICY = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": ["iam:List*", "s3:GetObject"], "Resource": "*"}]})


def test_last_accessed_shows_iam_use_and_lists_unused_allowed_services(root_iam, sandbox, user_keys, make_client):
    root, _key, _secret = sandbox
    account_id = root.account.account_id
    key_id, secret = user_keys("olga", inline=POLICY)
    root_iam.create_group(GroupName="readers")
    root_iam.add_user_to_group(GroupName="readers", UserName="olga")
    root_iam.put_group_policy(GroupName="readers", PolicyName="g", PolicyDocument=POLICY)
    make_client("iam", key_id, secret).list_users()

    user_arn = f"arn:aws:iam::{account_id}:user/olga"
    job = root_iam.generate_service_last_accessed_details(Arn=user_arn)["JobId"]
    assert len(job) == 36
    report = root_iam.get_service_last_accessed_details(JobId=job)
    assert report["JobStatus"] == "COMPLETED"
    by_namespace = {s["ServiceNamespace"]: s for s in report["ServicesLastAccessed"]}
    assert set(by_namespace) == {"iam", "s3"}
    assert by_namespace["iam"]["LastAuthenticatedEntity"] == user_arn and by_namespace["iam"]["LastAuthenticated"]
    assert "LastAuthenticated" not in by_namespace["s3"] and by_namespace["s3"]["TotalAuthenticatedEntities"] == 0

    group_job = root_iam.generate_service_last_accessed_details(Arn=f"arn:aws:iam::{account_id}:group/readers")["JobId"]
    entities = root_iam.get_service_last_accessed_details_with_entities(JobId=group_job, ServiceNamespace="iam")
    assert [(e["EntityInfo"]["Name"], e["EntityInfo"]["Type"]) for e in entities["EntityDetailsList"]] == [("olga", "USER")]
    assert entities["EntityDetailsList"][0]["LastAuthenticated"]

    granting = root_iam.list_policies_granting_service_access(Arn=user_arn, ServiceNamespaces=["s3", "ec2"])
    policies = {g["ServiceNamespace"]: g["Policies"] for g in granting["PoliciesGrantingServiceAccess"]}
    assert {(p["PolicyName"], p["PolicyType"], p.get("EntityType")) for p in policies["s3"]} == \
        {("inline", "INLINE", "USER"), ("g", "INLINE", "GROUP")}
    assert policies["ec2"] == []

    with pytest.raises(ClientError) as exc:
        root_iam.get_service_last_accessed_details(JobId="0" * 36)
    assert exc.value.response["Error"]["Code"] == "NoSuchEntity"
    with pytest.raises(ClientError) as exc:
        root_iam.generate_service_last_accessed_details(Arn=f"arn:aws:iam::{account_id}:user/nobody")
    assert exc.value.response["Error"]["Code"] == "NoSuchEntity"


def test_sts_preferences_show_in_the_account_summary(root_iam):
    assert root_iam.get_account_summary()["SummaryMap"]["GlobalEndpointTokenVersion"] == 1
    root_iam.set_security_token_service_preferences(GlobalEndpointTokenVersion="v2Token")
    assert root_iam.get_account_summary()["SummaryMap"]["GlobalEndpointTokenVersion"] == 2
