"""The simulator's service layer: SimulatePrincipalPolicy / SimulateCustomPolicy /
GetContextKeysFor*Policy, shaped like AWS's EvaluationResult
(https://docs.aws.amazon.com/IAM/latest/APIReference/API_EvaluationResult.html)."""

from __future__ import annotations

import json

import pytest

from accounts.errors import AccessDenied, InvalidInput, NoSuchEntity
from accounts.principal import Caller
from policies import simulator
from policies.models import PolicyAttachment

from .conftest import allow, deny, managed


def results_by_action(results):
    return {r.action: r for r in results}


# ------------------------------------------------------------------ principal mode


def test_user_policies_direct_and_through_groups_are_simulated(root_caller, iam_user_factory, make_group):
    bob = iam_user_factory("bob", policies=[allow("s3:GetObject")])
    make_group("readers", inline=[allow("s3:ListBucket")], members=[bob])
    results = simulator.simulate_principal_policy(root_caller, bob.arn, ["s3:GetObject", "s3:ListBucket", "s3:PutObject"])
    by = results_by_action(results)
    assert by["s3:GetObject"].eval_decision == "allowed"
    assert by["s3:ListBucket"].eval_decision == "allowed"
    assert by["s3:PutObject"].eval_decision == "implicitDeny"
    matched = by["s3:ListBucket"].to_dict()["MatchedStatements"]
    assert matched[0]["SourcePolicyId"] == "readers-inline0"
    assert matched[0]["SourcePolicyType"] == "group"


def test_explicit_deny_beats_allow_and_names_the_deciding_statement(root_caller, iam_user_factory, account):
    # "Policy evaluation logic": an explicit deny in any policy overrides any allow.
    bob = iam_user_factory("bob", policies=[allow("s3:*")])
    policy = managed(account, "NoDelete", deny("s3:DeleteObject"))
    PolicyAttachment.objects.create(user=bob, policy=policy)
    result = simulator.simulate_principal_policy(root_caller, bob.arn, ["s3:DeleteObject"])[0]
    out = result.to_dict()
    assert out["EvalDecision"] == "explicitDeny"
    assert out["MatchedStatements"][0]["SourcePolicyId"] == "NoDelete"
    assert out["MatchedStatements"][0]["SourcePolicyType"] == "user-managed"
    assert out["MatchedStatements"][0]["Sid"] == "DenyIt"
    assert out["MatchedStatements"][0]["StartPosition"]["Line"] >= 1


def test_excluding_the_deny_policy_lets_the_allow_decide(root_caller, iam_user_factory, account):
    bob = iam_user_factory("bob", policies=[allow("s3:*")])
    policy = managed(account, "NoDelete", deny("s3:DeleteObject"))
    PolicyAttachment.objects.create(user=bob, policy=policy)
    result = simulator.simulate_principal_policy(root_caller, bob.arn, ["s3:DeleteObject"], policy_exclusions=[policy.arn])[0]
    assert result.eval_decision == "allowed"
    assert result.policies[policy.arn].excluded


def test_role_boundary_limits_permissions_and_reports_boundary_detail(root_caller, make_role, account):
    # "Permissions boundaries for IAM entities": effective permissions are the intersection.
    boundary = managed(account, "OnlyS3", allow("s3:*"))
    role = make_role("app", inline=[allow(["s3:GetObject", "ec2:DescribeInstances"])], boundary=boundary)
    by = results_by_action(simulator.simulate_principal_policy(root_caller, role.arn, ["s3:GetObject", "ec2:DescribeInstances"]))
    assert by["s3:GetObject"].to_dict()["PermissionsBoundaryDecisionDetail"] == {"AllowedByPermissionsBoundary": True}
    denied = by["ec2:DescribeInstances"].to_dict()
    assert denied["EvalDecision"] == "implicitDeny"
    assert denied["PermissionsBoundaryDecisionDetail"] == {"AllowedByPermissionsBoundary": False}
    assert by["ec2:DescribeInstances"].decision.deciding_step == "permissionsBoundary"


def test_group_policies_are_simulated_for_a_group(root_caller, make_group, account):
    group = make_group("admins", attached=[managed(account, "IAMRead", allow("iam:Get*"))])
    result = simulator.simulate_principal_policy(root_caller, group.arn, ["iam:GetUser"])[0]
    assert result.eval_decision == "allowed"


def test_one_result_per_action_and_resource(root_caller, iam_user_factory):
    bob = iam_user_factory("bob", policies=[allow("s3:GetObject", "arn:aws:s3:::public/*")])
    results = simulator.simulate_principal_policy(
        root_caller, bob.arn, ["s3:GetObject"], resource_arns=["arn:aws:s3:::public/a", "arn:aws:s3:::private/a"])
    assert [(r.resource, r.eval_decision) for r in results] == [
        ("arn:aws:s3:::public/a", "allowed"), ("arn:aws:s3:::private/a", "implicitDeny")]


def test_missing_context_values_are_reported(root_caller, iam_user_factory):
    # SimulatePrincipalPolicy: MissingContextValues lists keys the conditions needed.
    bob = iam_user_factory("bob", policies=[allow("ec2:StopInstances", Condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}})])
    result = simulator.simulate_principal_policy(root_caller, bob.arn, ["ec2:StopInstances"])[0]
    assert result.to_dict()["MissingContextValues"] == ["aws:MultiFactorAuthPresent"]
    assert result.eval_decision == "implicitDeny"
    entries = [{"ContextKeyName": "aws:MultiFactorAuthPresent", "ContextKeyValues": ["true"], "ContextKeyType": "boolean"}]
    again = simulator.simulate_principal_policy(root_caller, bob.arn, ["ec2:StopInstances"], context_entries=entries)[0]
    assert again.eval_decision == "allowed"
    assert again.to_dict()["MissingContextValues"] == []


def test_scp_denial_is_reported_in_organizations_detail(root_caller, iam_user_factory):
    bob = iam_user_factory("bob", policies=[allow("*")])
    scp = json.dumps(allow("s3:*"))
    by = results_by_action(simulator.simulate_principal_policy(root_caller, bob.arn, ["s3:GetObject", "ec2:RunInstances"], scps=[scp]))
    assert by["s3:GetObject"].to_dict()["OrganizationsDecisionDetail"] == {"AllowedByOrganizations": True}
    assert by["ec2:RunInstances"].to_dict()["OrganizationsDecisionDetail"] == {"AllowedByOrganizations": False}
    assert by["ec2:RunInstances"].decision.deciding_step == "scp"


def test_unknown_principal_is_no_such_entity(root_caller, account):
    with pytest.raises(NoSuchEntity, match="The user with name ghost cannot be found."):
        simulator.simulate_principal_policy(root_caller, f"arn:aws:iam::{account.account_id}:user/ghost", ["s3:GetObject"])


def test_another_accounts_user_is_no_such_entity(root_caller, other_root):
    from tests.conftest import make_iam_user

    stranger = make_iam_user(other_root.account, "stranger", policies=[allow("*")])
    with pytest.raises(NoSuchEntity):
        simulator.simulate_principal_policy(root_caller, stranger.arn, ["s3:GetObject"])


def test_user_without_permission_gets_access_denied(account, iam_user_factory):
    bob = iam_user_factory("bob", policies=[allow("s3:*")])
    alice = iam_user_factory("alice")
    with pytest.raises(AccessDenied) as info:
        simulator.simulate_principal_policy(Caller(account=account, user=bob), alice.arn, ["s3:GetObject"])
    assert info.value.message == (f"User: {bob.arn} is not authorized to perform: iam:SimulatePrincipalPolicy on resource: "
                                  f"{alice.arn} because no identity-based policy allows the iam:SimulatePrincipalPolicy action")


def test_user_with_simulate_permission_may_simulate(account, iam_user_factory):
    bob = iam_user_factory("bob", policies=[allow(["iam:SimulatePrincipalPolicy", "iam:SimulateCustomPolicy"])])
    alice = iam_user_factory("alice", policies=[allow("s3:GetObject")])
    result = simulator.simulate_principal_policy(Caller(account=account, user=bob), alice.arn, ["s3:GetObject"])[0]
    assert result.eval_decision == "allowed"


# ------------------------------------------------------------------ custom mode


def test_custom_policy_with_condition_and_context_entry(root_caller):
    # The API reference's SimulateCustomPolicy use: a policy with a condition on s3:prefix,
    # simulated with and without the context entry.
    policy = json.dumps(allow("s3:ListBucket", "arn:aws:s3:::teambucket", Condition={"StringLike": {"s3:prefix": "team/*"}}))
    without = simulator.simulate_custom_policy(root_caller, [policy], ["s3:ListBucket"], ["arn:aws:s3:::teambucket"])[0]
    assert without.eval_decision == "implicitDeny"
    assert without.to_dict()["MissingContextValues"] == ["s3:prefix"]
    entries = [{"ContextKeyName": "s3:prefix", "ContextKeyValues": ["team/reports"], "ContextKeyType": "string"}]
    with_key = simulator.simulate_custom_policy(root_caller, [policy], ["s3:ListBucket"], ["arn:aws:s3:::teambucket"],
                                                context_entries=entries)[0]
    assert with_key.eval_decision == "allowed"
    assert with_key.to_dict()["MatchedStatements"][0]["SourcePolicyId"] == "PolicyInputList.1"


def test_custom_policy_with_resource_policy_reports_both_details(root_caller, account):
    identity = json.dumps(allow("s3:GetObject"))
    bucket = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*",
                         "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]})
    result = simulator.simulate_custom_policy(root_caller, [identity], ["s3:GetObject"], ["arn:aws:s3:::b/key"],
                                              resource_policy=bucket, resource_owner=f"arn:aws:iam::{account.account_id}:root")[0]
    out = result.to_dict()
    assert out["EvalDecision"] == "explicitDeny"
    assert out["EvalDecisionDetails"] == {"Resource Policy": "explicitDeny", "IAM Policy": "allowed"}
    assert out["MatchedStatements"][0]["SourcePolicyType"] == "resource"


def test_session_policy_limits_custom_simulation(root_caller):
    result = simulator.simulate_custom_policy(root_caller, [json.dumps(allow("s3:*"))], ["s3:PutObject"],
                                              session_policy=json.dumps(allow("s3:Get*")))[0]
    assert result.eval_decision == "implicitDeny"
    assert result.decision.deciding_step == "sessionPolicy"


def test_invalid_policy_is_invalid_input(root_caller):
    with pytest.raises(InvalidInput):
        simulator.simulate_custom_policy(root_caller, ['{"Statement": 3}'], ["s3:GetObject"])


def test_custom_needs_simulate_custom_policy_permission(account, iam_user_factory):
    bob = iam_user_factory("bob", policies=[allow("iam:SimulatePrincipalPolicy")])
    with pytest.raises(AccessDenied, match="iam:SimulateCustomPolicy on resource: \\*"):
        simulator.simulate_custom_policy(Caller(account=account, user=bob), [json.dumps(allow("*"))], ["s3:GetObject"])


# ------------------------------------------------------------------ context keys


def test_context_keys_for_custom_policy_lists_condition_keys_and_variables(root_caller):
    policy = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::home/${aws:username}/*",
         "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}, "StringEquals": {"s3:prefix": "x"}}}]})
    assert simulator.get_context_keys_for_custom_policy(root_caller, [policy]) == ["aws:SourceIp", "aws:username", "s3:prefix"]


def test_context_keys_for_principal_policy_include_group_policies(root_caller, iam_user_factory, make_group):
    bob = iam_user_factory("bob", policies=[allow("s3:*", Condition={"Bool": {"aws:SecureTransport": "true"}})])
    make_group("g", inline=[allow("ec2:*", Condition={"StringEquals": {"aws:RequestedRegion": "eu-west-1"}})], members=[bob])
    assert simulator.get_context_keys_for_principal_policy(root_caller, bob.arn) == ["aws:RequestedRegion", "aws:SecureTransport"]


def test_context_keys_need_permission(account, iam_user_factory):
    bob = iam_user_factory("bob")
    with pytest.raises(AccessDenied, match="iam:GetContextKeysForCustomPolicy"):
        simulator.get_context_keys_for_custom_policy(Caller(account=account, user=bob), ["{}"])


def test_statement_span_covers_the_statement_object():
    text = '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {"Effect": "Allow",\n     "Action": "*", "Resource": "*"}\n  ]\n}'
    assert simulator.statement_span(text, 0) == ((4, 5), (5, 36))


def test_simulating_a_user_with_ten_policies_uses_a_bounded_number_of_queries(
        root_caller, iam_user_factory, make_group, account, django_assert_max_num_queries):
    bob = iam_user_factory("bob", policies=[allow(f"s3:Get{i}*") for i in range(4)])
    for i in range(3):
        make_group(f"g{i}", inline=[allow("ec2:Describe*")], attached=[managed(account, f"p{i}", allow("iam:List*"))], members=[bob])
    with django_assert_max_num_queries(8):
        results = simulator.simulate_principal_policy(root_caller, bob.arn, ["iam:ListUsers", "ec2:DescribeVpcs", "s3:PutObject"])
    assert [r.eval_decision for r in results] == ["allowed", "allowed", "implicitDeny"]
