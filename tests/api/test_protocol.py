"""The Query protocol driven by botocore's models: parsing form parameters, serializing output
shapes (order, wrapping, timestamps, URL-encoded policy documents, maps) and errors."""

from datetime import UTC, datetime
from urllib.parse import unquote
from xml.etree import ElementTree

import pytest
from botocore.parsers import QueryParser

from accounts.errors import ValidationError
from api import protocol

NS = "{https://iam.amazonaws.com/doc/2010-05-08/}"


def test_nested_lists_structures_and_scalars_are_parsed_from_form_parameters():
    operation = protocol.operation_model("iam", "SimulateCustomPolicy")
    parsed = protocol.parse_input(operation, {
        "PolicyInputList.member.1": "{}",
        "ActionNames.member.2": "s3:PutObject",
        "ActionNames.member.1": "s3:GetObject",
        "ContextEntries.member.1.ContextKeyName": "aws:SourceIp",
        "ContextEntries.member.1.ContextKeyType": "ip",
        "ContextEntries.member.1.ContextKeyValues.member.1": "10.0.0.1",
        "MaxItems": "5",
    })
    assert parsed["ActionNames"] == ["s3:GetObject", "s3:PutObject"]
    assert parsed["ContextEntries"] == [{"ContextKeyName": "aws:SourceIp", "ContextKeyValues": ["10.0.0.1"],
                                         "ContextKeyType": "ip"}]
    assert parsed["MaxItems"] == 5


def test_missing_required_members_are_a_validation_error_in_aws_words():
    with pytest.raises(ValidationError) as excinfo:
        protocol.parse_input(protocol.operation_model("iam", "CreateUser"), {})
    assert excinfo.value.message == ("1 validation error detected: Value null at 'userName' failed to satisfy "
                                     "constraint: Member must not be null")


def test_serialized_responses_parse_back_with_botocores_own_parser():
    operation = protocol.operation_model("iam", "GetRole")
    document = '{"Version": "2012-10-17", "Statement": []}'
    created = datetime(2024, 5, 1, 12, 30, tzinfo=UTC)
    xml = protocol.serialize_response("iam", operation, {"Role": {
        "Path": "/", "RoleName": "r&d", "RoleId": "AROAEXAMPLE", "Arn": "arn:aws:iam::123456789012:role/r&d",
        "CreateDate": created, "AssumeRolePolicyDocument": document, "MaxSessionDuration": 3600,
        "Tags": [{"Key": "a", "Value": "<b>"}], "RoleLastUsed": {},
    }}, "req-1")
    root = ElementTree.fromstring(xml)
    assert root.tag == f"{NS}GetRoleResponse"
    assert root.find(f"{NS}GetRoleResult/{NS}Role/{NS}CreateDate").text == "2024-05-01T12:30:00Z"
    encoded = root.find(f"{NS}GetRoleResult/{NS}Role/{NS}AssumeRolePolicyDocument").text
    assert "%22" in encoded and unquote(encoded) == document
    assert root.find(f"{NS}ResponseMetadata/{NS}RequestId").text == "req-1"
    parsed = QueryParser().parse({"body": xml.encode(), "headers": {}, "status_code": 200}, operation.output_shape)
    assert parsed["Role"]["RoleName"] == "r&d" and parsed["Role"]["Tags"] == [{"Key": "a", "Value": "<b>"}]
    assert parsed["Role"]["MaxSessionDuration"] == 3600


def test_maps_and_errors_serialize_as_aws_does():
    operation = protocol.operation_model("iam", "GetAccountSummary")
    xml = protocol.serialize_response("iam", operation, {"SummaryMap": {"Users": 3, "UsersQuota": 5000}}, "r")
    parsed = QueryParser().parse({"body": xml.encode(), "headers": {}, "status_code": 200}, operation.output_shape)
    assert parsed["SummaryMap"] == {"Users": 3, "UsersQuota": 5000}
    error = ElementTree.fromstring(protocol.serialize_error("sts", "ExpiredToken", "expired <now>", "r"))
    assert error.tag == "{https://sts.amazonaws.com/doc/2011-06-15/}ErrorResponse"
    assert [child.tag.split("}")[1] for child in error.find("{https://sts.amazonaws.com/doc/2011-06-15/}Error")] == \
        ["Type", "Code", "Message"]


def test_requests_go_to_sts_by_version_or_action():
    assert protocol.service_for({"Action": "GetCallerIdentity", "Version": "2011-06-15"}) == "sts"
    assert protocol.service_for({"Action": "AssumeRole"}) == "sts"
    assert protocol.service_for({"Action": "ListUsers", "Version": "2010-05-08"}) == "iam"
