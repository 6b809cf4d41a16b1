"""Signature Version 4 as the server checks it: botocore's signer (client side) against our
verifier, tampering, wrong secret, clock skew, missing and incomplete signatures, and keys
that stop working the moment they are deactivated or deleted."""

import json
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

from accounts.models import ActivityEvent
from api import sigv4

pytestmark = pytest.mark.django_db(transaction=True)


def signed_request(url: str, key_id: str, secret: str, body: str, *, region: str = "eu-west-3", service: str = "iam",
                   when: datetime | None = None) -> AWSRequest:
    request = AWSRequest(method="POST", url=url, data=body,
                         headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
    moment = (when or datetime.now(UTC)).replace(tzinfo=None)
    with mock.patch("botocore.auth.get_current_datetime", return_value=moment):
        SigV4Auth(Credentials(key_id, secret), service, region).add_auth(request)
    return request


def send(request: AWSRequest, *, body: str | None = None, headers: dict | None = None) -> tuple[int, str]:
    data = (body if body is not None else request.body)
    data = data.encode() if isinstance(data, str) else data
    raw = urllib.request.Request(request.url, data=data, method=request.method,
                                 headers={**dict(request.headers), **(headers or {})})
    try:
        with urllib.request.urlopen(raw, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


LIST_USERS = "Action=ListUsers&Version=2010-05-08"


def test_verifier_accepts_botocore_signatures_for_any_region_and_rejects_changes(endpoint, sandbox):
    _root, key, secret = sandbox
    request = signed_request(endpoint, key.access_key_id, secret, LIST_USERS, region="ap-southeast-2")
    status, text = send(request)
    assert status == 200 and "<ListUsersResponse" in text and "<RequestId>" in text

    status, text = send(request, body=LIST_USERS + "&MaxItems=1")  # body changed after signing
    assert status == 403 and "<Code>SignatureDoesNotMatch</Code>" in text
    assert sigv4.MSG_SIGNATURE in text and "<Type>Sender</Type>" in text

    wrong = signed_request(endpoint, key.access_key_id, secret[:-1] + ("y" if secret.endswith("x") else "x"), LIST_USERS)
    status, text = send(wrong)
    assert status == 403 and "<Code>SignatureDoesNotMatch</Code>" in text
    failures = ActivityEvent.objects.filter(access_key_id=key.access_key_id, error_code="SignatureDoesNotMatch")
    assert failures.count() == 2 and failures.first().event_name == "ListUsers"

    unknown = signed_request(endpoint, "AKIAUNKNOWNKEY000000", secret, LIST_USERS)
    status, text = send(unknown)
    assert status == 403 and "<Code>InvalidClientTokenId</Code>" in text
    assert "The security token included in the request is invalid." in text

    status, text = send(request, headers={"Authorization": "AWS4-HMAC-SHA256 Credential=AKIA/2024"})
    assert status == 400 and "<Code>IncompleteSignature</Code>" in text

    raw = urllib.request.Request(endpoint, data=LIST_USERS.encode(), method="POST")
    try:
        urllib.request.urlopen(raw, timeout=10)
    except urllib.error.HTTPError as error:
        assert error.code == 403 and "<Code>MissingAuthenticationToken</Code>" in error.read().decode()
    else:
        pytest.fail("an unsigned request was served")


def test_requests_outside_the_fifteen_minute_window_are_refused(endpoint, sandbox):
    _root, key, secret = sandbox
    old = signed_request(endpoint, key.access_key_id, secret, LIST_USERS, when=datetime.now(UTC) - timedelta(minutes=16))
    status, text = send(old)
    assert status == 403 and "Signature expired:" in text and "- 15 min.)" in text
    future = signed_request(endpoint, key.access_key_id, secret, LIST_USERS, when=datetime.now(UTC) + timedelta(minutes=16))
    status, text = send(future)
    assert status == 403 and "Signature not yet current:" in text
    skewed = signed_request(endpoint, key.access_key_id, secret, LIST_USERS, when=datetime.now(UTC) - timedelta(minutes=14))
    assert send(skewed)[0] == 200  # replay inside the window is accepted (as AWS does)


def test_site_root_serves_signed_posts_and_still_the_console_for_browsers(live_server, sandbox, make_client, client):
    _root, key, secret = sandbox
    iam = make_client("iam", key.access_key_id, secret, url=live_server.url)
    assert iam.list_users()["Users"] == []
    response = client.get("/")
    assert response.status_code == 302 and "signin" in response["Location"]


def test_keys_stop_at_once_and_new_keys_work_at_once_and_last_use_is_recorded(root_iam, user_keys, make_client):
    key_id, secret = user_keys("ivy", inline=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "iam:ListUsers", "Resource": "*"}]}))
    ivy = make_client("iam", key_id, secret, region="eu-central-1")
    assert [u["UserName"] for u in ivy.list_users()["Users"]] == ["ivy"]
    last = root_iam.get_access_key_last_used(AccessKeyId=key_id)["AccessKeyLastUsed"]
    assert last["ServiceName"] == "iam" and last["Region"] == "eu-central-1" and last["LastUsedDate"]

    root_iam.update_access_key(UserName="ivy", AccessKeyId=key_id, Status="Inactive")
    with pytest.raises(ClientError) as exc:
        ivy.list_users()
    assert exc.value.response["Error"]["Code"] == "InvalidClientTokenId"
    root_iam.update_access_key(UserName="ivy", AccessKeyId=key_id, Status="Active")
    assert ivy.list_users()["Users"]
    root_iam.delete_access_key(UserName="ivy", AccessKeyId=key_id)
    with pytest.raises(ClientError) as exc:
        ivy.list_users()
    assert exc.value.response["Error"]["Code"] == "InvalidClientTokenId"
    assert ActivityEvent.objects.filter(event_name="ListUsers", access_key_id=key_id, result="Success").count() == 2


def test_canonical_request_matches_the_documented_example():
    # AWS's documented example (sigv4-create-canonical-request / the IAM ListUsers GET example).
    headers = {"host": "iam.amazonaws.com", "x-amz-date": "20150830T123600Z",
               "content-type": "application/x-www-form-urlencoded; charset=utf-8"}
    canonical = sigv4.canonical_request("GET", "/", "Action=ListUsers&Version=2010-05-08", headers,
                                        ["content-type", "host", "x-amz-date"],
                                        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", presigned=False)
    import hashlib
    assert hashlib.sha256(canonical.encode()).hexdigest() == \
        "f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59"
    key = sigv4.signing_key("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20150830", "us-east-1", "iam")
    assert key.hex() == "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9"


def test_presigned_get_urls_are_verified_too(endpoint, sandbox):
    from botocore.auth import SigV4QueryAuth

    _root, key, secret = sandbox
    request = AWSRequest(method="GET", url=endpoint + "?Action=ListUsers&Version=2010-05-08")
    SigV4QueryAuth(Credentials(key.access_key_id, secret), "iam", "us-east-1", expires=60).add_auth(request)
    status, text = send(request)
    assert status == 200 and "<ListUsersResult>" in text
    tampered = AWSRequest(method="GET", url=request.url.replace("ListUsers", "ListRoles"))
    status, text = send(tampered)
    assert status == 403 and "<Code>SignatureDoesNotMatch</Code>" in text
