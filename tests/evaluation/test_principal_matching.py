"""Principal and NotPrincipal matching in resource-based policies.

https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
"""

from __future__ import annotations

import pytest

from policies.evaluation.matching import not_principal_excludes, parse_principal, principal_matches
from policies.evaluation.model import PrincipalSpec
from tests.evaluation._helpers import ACCT, ALICE, BOB, FED_USER, OTHER, OTHER_USER, ROLE, ROLE_SESSION, ROOT

ACCOUNT_ARN = f"arn:aws:iam::{ACCT}:root"

CASES = [
    ("wildcard-names-everyone", PrincipalSpec(wildcard=True), ALICE, "wildcard"),
    ("account-names-its-users", PrincipalSpec(aws=(ACCOUNT_ARN,)), ALICE, "account"),
    ("account-names-its-sessions", PrincipalSpec(aws=(ACCOUNT_ARN,)), ROLE_SESSION, "account"),
    ("account-names-its-root", PrincipalSpec(aws=(ACCOUNT_ARN,)), ROOT, "account"),
    ("account-does-not-name-others", PrincipalSpec(aws=(ACCOUNT_ARN,)), OTHER_USER, None),
    ("user-arn-exact", PrincipalSpec(aws=(ALICE,)), ALICE, "user"),
    ("user-arn-with-path", PrincipalSpec(aws=(BOB,)), BOB, "user"),
    ("user-arn-other-user", PrincipalSpec(aws=(ALICE,)), BOB, None),
    ("role-arn-names-its-sessions-path-ignored", PrincipalSpec(aws=(ROLE,)), ROLE_SESSION, "role"),
    ("role-arn-other-role", PrincipalSpec(aws=(f"arn:aws:iam::{ACCT}:role/Other",)), ROLE_SESSION, None),
    ("session-arn-exact", PrincipalSpec(aws=(ROLE_SESSION,)), ROLE_SESSION, "session"),
    ("session-arn-other-session", PrincipalSpec(aws=(f"arn:aws:sts::{ACCT}:assumed-role/Deployer/other",)), ROLE_SESSION, None),
    ("federated-user-arn", PrincipalSpec(aws=(FED_USER,)), FED_USER, "session"),
    ("service", PrincipalSpec(service=("ec2.amazonaws.com",)), "ec2.amazonaws.com", "service"),
    ("service-other", PrincipalSpec(service=("lambda.amazonaws.com",)), "ec2.amazonaws.com", None),
    ("aws-entry-does-not-name-service", PrincipalSpec(aws=(ACCOUNT_ARN,)), "ec2.amazonaws.com", None),
    ("most-specific-wins", PrincipalSpec(aws=(ACCOUNT_ARN, ALICE)), ALICE, "user"),
    ("other-account-user", PrincipalSpec(aws=(f"arn:aws:iam::{OTHER}:root",)), OTHER_USER, "account"),
]


@pytest.mark.parametrize(("spec", "principal", "via"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_principal_entries_name_principals(spec, principal, via):
    assert principal_matches(spec, parse_principal(principal)) == via


@pytest.mark.parametrize(("principal", "kind", "account", "principal_arn"), [
    (ALICE, "User", ACCT, ALICE),
    (ROLE_SESSION, "AssumedRole", ACCT, f"arn:aws:iam::{ACCT}:role/Deployer"),
    (ROOT, "Account", ACCT, ROOT),
    (FED_USER, "FederatedUser", ACCT, FED_USER),
    ("ec2.amazonaws.com", "Service", None, "ec2.amazonaws.com"),
])
def test_request_principals_are_classified(principal, kind, account, principal_arn):
    info = parse_principal(principal)
    assert (info.kind, info.account, info.principal_arn) == (kind, account, principal_arn)


NOT_PRINCIPAL = [
    ("user-and-account-listed", (ALICE, ACCOUNT_ARN), ALICE, True),
    ("user-only-listed-account-still-denied", (ALICE,), ALICE, False),
    ("account-only-listed-user-still-denied", (ACCOUNT_ARN,), ALICE, False),
    ("root-needs-account", (ACCOUNT_ARN,), ROOT, True),
    ("session-role-and-account-listed", (ROLE_SESSION, ROLE, ACCOUNT_ARN), ROLE_SESSION, True),
    ("session-without-role", (ROLE_SESSION, ACCOUNT_ARN), ROLE_SESSION, False),
    ("role-without-session", (ROLE, ACCOUNT_ARN), ROLE_SESSION, False),
    ("other-user", (BOB, ACCOUNT_ARN), ALICE, False),
]


# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html:
# AWS may check the account, then the role, then the session, so each must be listed.
@pytest.mark.parametrize(("entries", "principal", "excluded"), [c[1:] for c in NOT_PRINCIPAL], ids=[c[0] for c in NOT_PRINCIPAL])
def test_not_principal_exempts_only_a_fully_listed_principal(entries, principal, excluded):
    assert not_principal_excludes(PrincipalSpec(aws=entries), parse_principal(principal)) is excluded
