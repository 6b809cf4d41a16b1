"""OIDC and SAML identity providers: stored and listed with AWS's rules and errors (they do
not federate: AssumeRoleWithWebIdentity/AssumeRoleWithSAML are not offered).
https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateOpenIDConnectProvider.html,
https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateSAMLProvider.html
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from accounts import rules
from accounts.activity import operation
from accounts.errors import EntityAlreadyExists, InvalidInput, LimitExceeded, NoSuchEntity
from accounts.principal import Caller
from accounts.tags import tag_context, validate_tags

MAX_CLIENT_IDS = 100
MAX_THUMBPRINTS = 5
MAX_PROVIDERS = 100
SAML_NAME_PATTERN = r"[\w._-]+"


def _authz() -> Any:
    from policies import authz  # noqa: PLC0415 - policies depends on accounts

    return authz


def _models() -> Any:
    from api import models  # noqa: PLC0415 - the tables live in the API app

    return models


def _check_thumbprints(thumbprints: Sequence[str]) -> list[str]:
    if len(thumbprints) > MAX_THUMBPRINTS:
        raise rules.constraint_error(list(thumbprints), "thumbprintList",
                                     f"Member must have length less than or equal to {MAX_THUMBPRINTS}")
    for value in thumbprints:
        rules.check_length(value, "thumbprintList.member", 40, 40)
        if not re.fullmatch(r"[0-9a-fA-F]{40}", value):
            raise InvalidInput(f"Thumbprint {value} is not a valid SHA-1 hex string.")
    return list(thumbprints)


def _check_client_id(value: str) -> str:
    rules.check_length(value or "", "clientID", 1, 255)
    return value


def _oidc_url(url: str) -> str:
    rules.check_length(url or "", "url", 1, 255)
    if not url.startswith("https://") or len(url) <= len("https://"):
        raise InvalidInput(f"The Url must begin with https:// ({url}).")
    return url[len("https://"):].rstrip("/")


def _oidc(caller: Caller, action: str, arn: str, context: dict[str, Any] | None = None) -> Any:
    models = _models()
    provider = models.OpenIDConnectProvider.objects.select_related("account").filter(account=caller.account).filter(
        url=arn.split(":oidc-provider/", 1)[-1]
    ).first() if ":oidc-provider/" in (arn or "") else None
    tags = provider.tag_dict() if provider else None
    _authz().require(caller, action, arn, resource_tags=tags, context=context)
    if provider is None or provider.arn != arn:
        raise NoSuchEntity(f"OpenIDConnect Provider not found for arn {arn}")
    return provider


@operation("CreateOpenIDConnectProvider")
def create_open_id_connect_provider(caller: Caller, url: str, client_id_list: Sequence[str] = (),
                                    thumbprint_list: Sequence[str] = (), tags: Sequence[Mapping[str, str]] | None = None):
    models = _models()
    host = _oidc_url(url)
    client_ids = [_check_client_id(c) for c in client_id_list]
    if len(client_ids) > MAX_CLIENT_IDS:
        raise LimitExceeded(f"Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: {MAX_CLIENT_IDS}")
    thumbprints = _check_thumbprints(thumbprint_list)
    clean_tags = validate_tags(tags)
    arn = f"arn:aws:iam::{caller.account.account_id}:oidc-provider/{host}"
    _authz().require(caller, "iam:CreateOpenIDConnectProvider", arn, context=tag_context(clean_tags))
    if models.OpenIDConnectProvider.objects.filter(account=caller.account, url=host).exists():
        raise EntityAlreadyExists(f"Provider with url {url} already exists.")
    if models.OpenIDConnectProvider.objects.filter(account=caller.account).count() >= MAX_PROVIDERS:
        raise LimitExceeded(f"Cannot exceed quota for OpenIdConnectProvidersPerAccount: {MAX_PROVIDERS}")
    return models.OpenIDConnectProvider.objects.create(
        account=caller.account, url=host, client_ids=list(dict.fromkeys(client_ids)), thumbprints=thumbprints,
        tags=clean_tags,
    )


@operation("GetOpenIDConnectProvider", read_only=True)
def get_open_id_connect_provider(caller: Caller, arn: str):
    return _oidc(caller, "iam:GetOpenIDConnectProvider", arn)


@operation("ListOpenIDConnectProviders", read_only=True)
def list_open_id_connect_providers(caller: Caller) -> list[Any]:
    _authz().require(caller, "iam:ListOpenIDConnectProviders", "*")
    return list(_models().OpenIDConnectProvider.objects.filter(account=caller.account).select_related("account"))


@operation("DeleteOpenIDConnectProvider")
def delete_open_id_connect_provider(caller: Caller, arn: str) -> None:
    _oidc(caller, "iam:DeleteOpenIDConnectProvider", arn).delete()


@operation("UpdateOpenIDConnectProviderThumbprint")
def update_open_id_connect_provider_thumbprint(caller: Caller, arn: str, thumbprint_list: Sequence[str]):
    thumbprints = _check_thumbprints(thumbprint_list)
    provider = _oidc(caller, "iam:UpdateOpenIDConnectProviderThumbprint", arn)
    provider.thumbprints = thumbprints
    provider.save(update_fields=["thumbprints"])
    return provider


@operation("AddClientIDToOpenIDConnectProvider")
def add_client_id_to_open_id_connect_provider(caller: Caller, arn: str, client_id: str):
    _check_client_id(client_id)
    provider = _oidc(caller, "iam:AddClientIDToOpenIDConnectProvider", arn)
    if client_id not in provider.client_ids:
        if len(provider.client_ids) >= MAX_CLIENT_IDS:
            raise LimitExceeded(f"Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: {MAX_CLIENT_IDS}")
        provider.client_ids = [*provider.client_ids, client_id]
        provider.save(update_fields=["client_ids"])
    return provider


@operation("RemoveClientIDFromOpenIDConnectProvider")
def remove_client_id_from_open_id_connect_provider(caller: Caller, arn: str, client_id: str):
    _check_client_id(client_id)
    provider = _oidc(caller, "iam:RemoveClientIDFromOpenIDConnectProvider", arn)
    provider.client_ids = [c for c in provider.client_ids if c != client_id]
    provider.save(update_fields=["client_ids"])
    return provider


def _check_metadata(document: str) -> str:
    rules.check_length(document or "", "sAMLMetadataDocument", 1000, 10000000)
    if "EntityDescriptor" not in document:
        raise InvalidInput("Could not parse metadata")
    return document


def _saml(caller: Caller, action: str, arn: str, context: dict[str, Any] | None = None) -> Any:
    models = _models()
    name = arn.split(":saml-provider/", 1)[-1] if ":saml-provider/" in (arn or "") else None
    provider = models.SAMLProvider.objects.select_related("account").filter(account=caller.account, name=name).first() \
        if name else None
    _authz().require(caller, action, arn, resource_tags=provider.tag_dict() if provider else None, context=context)
    if provider is None or provider.arn != arn:
        raise NoSuchEntity(f"Manifest not found for arn {arn}")
    return provider


@operation("CreateSAMLProvider")
def create_saml_provider(caller: Caller, saml_metadata_document: str, name: str,
                         tags: Sequence[Mapping[str, str]] | None = None):
    models = _models()
    rules.check_name(name, "name", 128, SAML_NAME_PATTERN)
    _check_metadata(saml_metadata_document)
    clean_tags = validate_tags(tags)
    arn = f"arn:aws:iam::{caller.account.account_id}:saml-provider/{name}"
    _authz().require(caller, "iam:CreateSAMLProvider", arn, context=tag_context(clean_tags))
    if models.SAMLProvider.objects.filter(account=caller.account, name=name).exists():
        raise EntityAlreadyExists(f"SAMLProvider {name} already exists")
    if models.SAMLProvider.objects.filter(account=caller.account).count() >= MAX_PROVIDERS:
        raise LimitExceeded(f"Cannot exceed quota for SamlProvidersPerAccount: {MAX_PROVIDERS}")
    return models.SAMLProvider.objects.create(account=caller.account, name=name, metadata_document=saml_metadata_document,
                                              saml_provider_uuid=str(uuid.uuid4()), tags=clean_tags)


@operation("GetSAMLProvider", read_only=True)
def get_saml_provider(caller: Caller, arn: str):
    return _saml(caller, "iam:GetSAMLProvider", arn)


@operation("ListSAMLProviders", read_only=True)
def list_saml_providers(caller: Caller) -> list[Any]:
    _authz().require(caller, "iam:ListSAMLProviders", "*")
    return list(_models().SAMLProvider.objects.filter(account=caller.account).select_related("account"))


@operation("UpdateSAMLProvider")
def update_saml_provider(caller: Caller, arn: str, saml_metadata_document: str | None):
    if saml_metadata_document is not None:
        _check_metadata(saml_metadata_document)
    provider = _saml(caller, "iam:UpdateSAMLProvider", arn)
    if saml_metadata_document is not None:
        provider.metadata_document = saml_metadata_document
        provider.save(update_fields=["metadata_document"])
    return provider


@operation("DeleteSAMLProvider")
def delete_saml_provider(caller: Caller, arn: str) -> None:
    _saml(caller, "iam:DeleteSAMLProvider", arn).delete()


# ------------------------------------------------------------------------------ tags


def _tag(provider: Any, cleaned: list[dict[str, str]]) -> Any:
    merged = {tag["Key"].lower(): tag for tag in provider.tags}
    for tag in cleaned:
        merged[tag["Key"].lower()] = tag
    if len(merged) > rules.MAX_TAGS:
        raise LimitExceeded(f"The number of tags has reached the maximum limit of {rules.MAX_TAGS}.")
    provider.tags = list(merged.values())
    provider.save(update_fields=["tags"])
    return provider


def _untag(provider: Any, keys: Sequence[str]) -> Any:
    drop = {key.lower() for key in keys}
    provider.tags = [tag for tag in provider.tags if tag["Key"].lower() not in drop]
    provider.save(update_fields=["tags"])
    return provider


def _check_tags(tags: Sequence[Mapping[str, str]]) -> list[dict[str, str]]:
    cleaned = validate_tags(tags)
    if not cleaned:
        raise rules.constraint_error([], "tags", "Member must have length greater than or equal to 1")
    return cleaned


def _check_keys(tag_keys: Sequence[str]) -> list[str]:
    keys = list(tag_keys)
    if len(keys) > rules.MAX_TAGS:
        raise rules.constraint_error(keys, "tagKeys", f"Member must have length less than or equal to {rules.MAX_TAGS}")
    for key in keys:
        rules.check_length(key, "tagKeys", 1, rules.MAX_TAG_KEY)
    return keys


@operation("TagOpenIDConnectProvider")
def tag_open_id_connect_provider(caller: Caller, arn: str, tags: Sequence[Mapping[str, str]]):
    cleaned = _check_tags(tags)
    return _tag(_oidc(caller, "iam:TagOpenIDConnectProvider", arn, tag_context(cleaned)), cleaned)


@operation("UntagOpenIDConnectProvider")
def untag_open_id_connect_provider(caller: Caller, arn: str, tag_keys: Sequence[str]):
    keys = _check_keys(tag_keys)
    return _untag(_oidc(caller, "iam:UntagOpenIDConnectProvider", arn, {"aws:TagKeys": keys}), keys)


@operation("ListOpenIDConnectProviderTags", read_only=True)
def list_open_id_connect_provider_tags(caller: Caller, arn: str) -> list[dict[str, str]]:
    return list(_oidc(caller, "iam:ListOpenIDConnectProviderTags", arn).tags)


@operation("TagSAMLProvider")
def tag_saml_provider(caller: Caller, arn: str, tags: Sequence[Mapping[str, str]]):
    cleaned = _check_tags(tags)
    return _tag(_saml(caller, "iam:TagSAMLProvider", arn, tag_context(cleaned)), cleaned)


@operation("UntagSAMLProvider")
def untag_saml_provider(caller: Caller, arn: str, tag_keys: Sequence[str]):
    keys = _check_keys(tag_keys)
    return _untag(_saml(caller, "iam:UntagSAMLProvider", arn, {"aws:TagKeys": keys}), keys)


@operation("ListSAMLProviderTags", read_only=True)
def list_saml_provider_tags(caller: Caller, arn: str) -> list[dict[str, str]]:
    return list(_saml(caller, "iam:ListSAMLProviderTags", arn).tags)
