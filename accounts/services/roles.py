"""IAM roles and instance profiles: one function per AWS operation, acting Caller first.

Rules and messages follow the IAM API Reference (CreateRole, UpdateAssumeRolePolicy,
DeleteRole, AddRoleToInstanceProfile, CreateServiceLinkedRole, ...) and the quotas page
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from policies import authz
from policies.evaluation import PolicyParseError, parse_policy, policy_size, validate_policy

from .. import lookups, rules
from ..activity import operation
from ..errors import (
    DeleteConflict,
    EntityAlreadyExists,
    InvalidInput,
    LimitExceeded,
    MalformedPolicyDocument,
    NoSuchEntity,
    UnmodifiableEntity,
    ValidationError,
)
from ..models import InstanceProfile, Role
from ..principal import Caller
from ..tags import tag_context, validate_tags
from .groups import console_steps

MAX_TRUST_POLICY_SIZE = 2048  # ACLSizePerRole default quota (adjustable to 4,096 on AWS)
MIN_SESSION_DURATION = 3600
MAX_SESSION_DURATION = 43200
TRUST_POLICY_ACTIONS = {
    "sts:assumerole",
    "sts:assumerolewithsaml",
    "sts:assumerolewithwebidentity",
    "sts:tagsession",
    "sts:setsourceidentity",
    "sts:setcontext",
    "sts:*",
}
SERVICE_ROLE_PATH = "/aws-service-role/"


# ----------------------------------------------------------------------------- trust policies


@dataclass(frozen=True)
class TrustedService:
    """A service offered by the console's "AWS service" trusted entity type."""

    key: str
    label: str
    principal: str
    use_case: str


# The console's "Use case" list, common services first (EC2 and Lambda are its two "Commonly
# used" entries); each generates the same trust policy shape for its service principal.
TRUSTED_SERVICES: tuple[TrustedService, ...] = (
    TrustedService("ec2", "EC2", "ec2.amazonaws.com", "Allows EC2 instances to call AWS services on your behalf."),
    TrustedService("lambda", "Lambda", "lambda.amazonaws.com", "Allows Lambda functions to call AWS services on your behalf."),
    TrustedService("ecs-tasks", "Elastic Container Service - ECS Task", "ecs-tasks.amazonaws.com",
                   "Allows ECS tasks to call AWS services on your behalf."),
    TrustedService("glue", "Glue", "glue.amazonaws.com", "Allows Glue to call AWS services on your behalf."),
    TrustedService("codebuild", "CodeBuild", "codebuild.amazonaws.com", "Allows CodeBuild to call AWS services on your behalf."),
    TrustedService("cloudformation", "CloudFormation", "cloudformation.amazonaws.com",
                   "Allows CloudFormation to create and manage AWS stacks and resources on your behalf."),
    TrustedService("sagemaker", "SageMaker", "sagemaker.amazonaws.com",
                   "Allows SageMaker notebook instances, training jobs, and models to access AWS services on your behalf."),
    TrustedService("states", "Step Functions", "states.amazonaws.com", "Allows Step Functions to access AWS resources on your behalf."),
    TrustedService("apigateway", "API Gateway", "apigateway.amazonaws.com", "Allows API Gateway to push logs to CloudWatch Logs."),
    TrustedService("batch", "Batch", "batch.amazonaws.com", "Allows Batch to call AWS services on your behalf."),
    TrustedService("events", "CloudWatch Events / EventBridge", "events.amazonaws.com",
                   "Allows EventBridge to invoke targets on your behalf."),
    TrustedService("firehose", "Kinesis Data Firehose", "firehose.amazonaws.com",
                   "Allows Firehose to deliver data to destinations on your behalf."),
    TrustedService("rds", "RDS", "rds.amazonaws.com", "Allows RDS to call AWS services on your behalf."),
    TrustedService("redshift", "Redshift", "redshift.amazonaws.com", "Allows Redshift clusters to call AWS services on your behalf."),
    TrustedService("ssm", "Systems Manager", "ssm.amazonaws.com", "Allows SSM to call AWS services on your behalf."),
    TrustedService("ecs", "Elastic Container Service", "ecs.amazonaws.com", "Allows ECS to call AWS services on your behalf."),
    TrustedService("codepipeline", "CodePipeline", "codepipeline.amazonaws.com",
                   "Allows CodePipeline to call AWS services on your behalf."),
    TrustedService("dms", "DMS", "dms.amazonaws.com", "Allows Database Migration Service to call AWS services on your behalf."),
    TrustedService("elasticmapreduce", "EMR", "elasticmapreduce.amazonaws.com", "Allows EMR to call AWS services on your behalf."),
    TrustedService("s3", "S3", "s3.amazonaws.com", "Allows S3 to call AWS services on your behalf (for example replication)."),
)
TRUSTED_SERVICES_BY_KEY = {service.key: service for service in TRUSTED_SERVICES}


def _dump(document: Mapping[str, Any]) -> str:
    # The console's own formatting of generated trust policies: 4-space indentation.
    return json.dumps(document, indent=4)


def service_trust_policy(service_principal: str) -> str:
    """The trust policy the console generates for an AWS service trusted entity."""
    return _dump({
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": ["sts:AssumeRole"],
                "Principal": {"Service": [service_principal]},
            }
        ],
    })


def account_trust_policy(account_id: str, *, external_id: str = "", require_mfa: bool = False) -> str:
    """The trust policy the console generates for an "AWS account" trusted entity, with the
    optional "Require external ID" and "Require MFA" conditions
    (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-user.html)."""
    statement: dict[str, Any] = {
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{account_id}:root"},
        "Action": "sts:AssumeRole",
    }
    condition: dict[str, dict[str, str]] = {}
    if external_id:
        condition["StringEquals"] = {"sts:ExternalId": external_id}
    if require_mfa:
        condition["Bool"] = {"aws:MultiFactorAuthPresent": "true"}
    if condition:
        statement["Condition"] = condition
    return _dump({"Version": "2012-10-17", "Statement": [statement]})


def check_external_id(external_id: str) -> str:
    rules.check_length(external_id, "externalId", 2, 1224)
    rules.check_pattern(external_id, "externalId", r"[\w+=,.@:/-]*")
    return external_id


def check_account_id(account_id: str) -> str:
    if not re.fullmatch(r"\d{12}", account_id or ""):
        raise ValidationError("Enter a 12-digit AWS account ID.")
    return account_id


def trust_policy_findings(text: str) -> list[Any]:
    """The policy validator's findings for a trust policy."""
    return list(validate_policy(text, "trust"))


def check_trust_policy(text: str) -> str:
    """AWS's CreateRole / UpdateAssumeRolePolicy checks of a trust policy, with AWS's messages."""
    if not text or not text.strip():
        raise rules.constraint_error(text or "", "assumeRolePolicyDocument", "Member must have length greater than or equal to 1")
    if policy_size(text) > MAX_TRUST_POLICY_SIZE:
        raise LimitExceeded(f"Cannot exceed quota for ACLSizePerRole: {MAX_TRUST_POLICY_SIZE}")
    try:
        json.loads(text)
    except ValueError:
        raise MalformedPolicyDocument("This policy contains invalid Json") from None
    try:
        policy = parse_policy(text)
    except PolicyParseError as error:
        raise MalformedPolicyDocument("Syntax errors in policy.", path=error.path, detail=error.message) from None
    for statement in policy.statements:
        if statement.principal is None and statement.not_principal is None:
            raise MalformedPolicyDocument("Missing required field Principal")
        spec = statement.principal or statement.not_principal
        if not (spec.wildcard or spec.aws or spec.service or spec.federated or spec.canonical_user):
            # "Principal": {} names no one: IAM refuses it (the console's template starts so).
            raise MalformedPolicyDocument("Invalid principal in policy")
        if statement.resources is not None or statement.not_resources is not None:
            raise MalformedPolicyDocument("Has prohibited field Resource")
        for action in statement.actions or statement.not_actions or ():
            if action.lower() not in TRUST_POLICY_ACTIONS:
                raise MalformedPolicyDocument(
                    "Trust Policy statement actions can only be sts:AssumeRole, sts:AssumeRoleWithSAML,  and sts:AssumeRoleWithWebIdentity"
                )
    findings = trust_policy_findings(text)
    errors = [finding for finding in findings if str(getattr(finding, "severity", "")).upper() == "ERROR"]
    if errors:
        raise MalformedPolicyDocument(errors[0].message)
    return text


def trusted_entities(trust_policy: str) -> list[str]:
    """The console's "Trusted entities" wording: "AWS Service: ec2", "Account: 123456789012",
    "Identity Provider: ..." (one entry per principal of the Allow statements)."""
    try:
        data = json.loads(trust_policy)
    except ValueError:
        return []
    statements = data.get("Statement", []) if isinstance(data, dict) else []
    if isinstance(statements, dict):
        statements = [statements]
    entities: list[str] = []
    for statement in statements:
        if not isinstance(statement, dict) or statement.get("Effect") != "Allow":
            continue
        principal = statement.get("Principal")
        if principal == "*":
            entities.append("Anyone (*)")
            continue
        if not isinstance(principal, dict):
            continue
        for kind, values in principal.items():
            for value in [values] if isinstance(values, str) else values or []:
                if kind == "Service":
                    entities.append(f"AWS Service: {value.removesuffix('.amazonaws.com')}")
                elif kind == "AWS":
                    match = re.fullmatch(r"(?:arn:aws:iam::)?(\d{12})(?::root)?", value)
                    entities.append(f"Account: {match.group(1)}" if match else value)
                elif kind == "Federated":
                    entities.append(f"Identity Provider: {value}")
                else:
                    entities.append(f"{kind}: {value}")
    return entities


# ----------------------------------------------------------------------------- helpers


def _role_arn(caller: Caller, path: str, name: str) -> str:
    return f"arn:aws:iam::{caller.account.account_id}:role{path}{name}"


def _profile_arn(caller: Caller, path: str, name: str) -> str:
    return f"arn:aws:iam::{caller.account.account_id}:instance-profile{path}{name}"


def check_tags(tags: Sequence[Mapping[str, str]] | None, field_name: str = "tags") -> list[dict[str, str]]:
    """Tags as for users (one rule set for every taggable entity): accounts.tags."""
    return validate_tags(tags, field_name)


def _tag_context(tags: Sequence[Mapping[str, str]]) -> dict[str, Any]:
    return tag_context(tags)


def _check_session_duration(value: Any, field_name: str = "maxSessionDuration") -> int:
    try:
        seconds = int(value)
    except (TypeError, ValueError):
        raise rules.constraint_error(value, field_name, f"Member must have value greater than or equal to {MIN_SESSION_DURATION}") from None
    if seconds < MIN_SESSION_DURATION:
        raise rules.constraint_error(seconds, field_name, f"Member must have value greater than or equal to {MIN_SESSION_DURATION}")
    if seconds > MAX_SESSION_DURATION:
        raise rules.constraint_error(seconds, field_name, f"Member must have value less than or equal to {MAX_SESSION_DURATION}")
    return seconds


def _check_description(description: str) -> str:
    rules.check_length(description or "", "description", 0, 1000)
    rules.check_pattern(description or "", "description", r"[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*")
    return description or ""


def _protect_service_linked(role: Role) -> None:
    if role.is_service_linked:
        raise UnmodifiableEntity(
            f"Cannot perform the operation on the protected role '{role.name}' - this role is only modifiable by AWS"
        )


def ensure_modifiable(role: Role) -> None:
    """For other areas' role operations (PutRolePolicy, AttachRolePolicy, ...): service-linked
    roles are modifiable only by AWS."""
    _protect_service_linked(role)


def _attachable_policy(caller: Caller, policy_arn: str):
    """A managed policy the caller's account may attach (its own, or AWS managed), by ARN."""
    from policies.models import ManagedPolicy

    match = re.fullmatch(r"arn:aws:iam::(aws|\d{12}):policy(/(?:[\x21-\x7e]*/)?)?([\w+=,.@-]+)", policy_arn or "")
    policy = None
    if match:
        owner, path, name = match.group(1), match.group(2) or "/", match.group(3)
        queryset = ManagedPolicy.objects.select_related("account").filter(path=path, name=name)
        if owner == "aws":
            policy = queryset.filter(account__isnull=True).first()
        elif owner == caller.account.account_id:
            policy = queryset.filter(account=caller.account).first()
    if policy is None or not policy.attachable:
        raise NoSuchEntity(f"Scope ARN: {policy_arn} does not exist or is not attachable.")
    return policy


# ----------------------------------------------------------------------------- roles


def roles_for_list(account) -> QuerySet[Role]:
    return Role.objects.filter(account=account).select_related("account").order_by("name")


@operation("CreateRole")
def create_role(
    caller: Caller,
    role_name: str,
    assume_role_policy_document: str,
    path: str = "/",
    description: str = "",
    max_session_duration: int = 3600,
    permissions_boundary: str | None = None,
    tags: Sequence[Mapping[str, str]] | None = None,
) -> Role:
    path = path or "/"
    rules.check_name(role_name, "roleName", 64, rules.ROLE_NAME_PATTERN)
    rules.check_path(path)
    description = _check_description(description)
    max_session_duration = _check_session_duration(max_session_duration)
    clean_tags = check_tags(tags)
    context = _tag_context(clean_tags)
    if permissions_boundary:
        context["iam:PermissionsBoundary"] = permissions_boundary
    authz.require(caller, "iam:CreateRole", _role_arn(caller, path, role_name), context=context)
    check_trust_policy(assume_role_policy_document)
    if Role.objects.filter(account=caller.account, name__iexact=role_name).exists():
        raise EntityAlreadyExists(f"Role with name {role_name} already exists.")
    if Role.objects.filter(account=caller.account).count() >= rules.MAX_ROLES_PER_ACCOUNT:
        raise LimitExceeded(f"Cannot exceed quota for RolesPerAccount: {rules.MAX_ROLES_PER_ACCOUNT}")
    boundary = _attachable_policy(caller, permissions_boundary) if permissions_boundary else None
    try:
        with transaction.atomic():
            role = Role.objects.create(
                account=caller.account,
                name=role_name,
                path=path,
                description=description,
                trust_policy=assume_role_policy_document,
                max_session_duration=max_session_duration,
                tags=clean_tags,
            )
    except IntegrityError as error:
        raise EntityAlreadyExists(f"Role with name {role_name} already exists.") from error
    if boundary is not None:
        from policies.models import PolicyAttachment

        PolicyAttachment.objects.create(policy=boundary, role=role, kind=PolicyAttachment.Kind.BOUNDARY)
    return role


def _service_linked_name(service: str) -> str:
    known = {
        "autoscaling.amazonaws.com": "AutoScaling",
        "elasticloadbalancing.amazonaws.com": "ElasticLoadBalancing",
        "ecs.amazonaws.com": "ECS",
        "rds.amazonaws.com": "RDS",
        "organizations.amazonaws.com": "Organizations",
        "support.amazonaws.com": "Support",
        "trustedadvisor.amazonaws.com": "TrustedAdvisor",
        "spot.amazonaws.com": "EC2Spot",
        "config.amazonaws.com": "Config",
        "access-analyzer.amazonaws.com": "AccessAnalyzer",
        "sso.amazonaws.com": "SSO",
        "cloudtrail.amazonaws.com": "CloudTrail",
        "guardduty.amazonaws.com": "AmazonGuardDuty",
        "securityhub.amazonaws.com": "SecurityHub",
    }
    if service in known:
        return "AWSServiceRoleFor" + known[service]
    prefix = service.removesuffix(".amazonaws.com")
    return "AWSServiceRoleFor" + "".join(part[:1].upper() + part[1:] for part in re.split(r"[-.]", prefix))


@operation("CreateServiceLinkedRole")
def create_service_linked_role(caller: Caller, aws_service_name: str, description: str = "", custom_suffix: str = "") -> Role:
    """A service-linked role as the service would create it: path /aws-service-role/<service>/,
    name AWSServiceRoleFor..., trust policy for the service principal; read-only afterwards."""
    if not re.fullmatch(r"[a-z0-9][a-z0-9.-]*\.amazonaws\.com", aws_service_name or ""):
        raise InvalidInput(f"Invalid service name {aws_service_name}")
    description = _check_description(description)
    name = _service_linked_name(aws_service_name)
    if custom_suffix:
        rules.check_length(custom_suffix, "customSuffix", 1, 64)
        rules.check_pattern(custom_suffix, "customSuffix", rules.ROLE_NAME_PATTERN)
        name = f"{name}_{custom_suffix}"
    path = f"{SERVICE_ROLE_PATH}{aws_service_name}/"
    authz.require(caller, "iam:CreateServiceLinkedRole", _role_arn(caller, path, name),
                  context={"iam:AWSServiceName": aws_service_name})
    if Role.objects.filter(account=caller.account, name__iexact=name).exists():
        raise InvalidInput(f"Service role name {name} has been taken in this account, please try a different suffix.")
    if Role.objects.filter(account=caller.account).count() >= rules.MAX_ROLES_PER_ACCOUNT:
        raise LimitExceeded(f"Cannot exceed quota for RolesPerAccount: {rules.MAX_ROLES_PER_ACCOUNT}")
    return Role.objects.create(
        account=caller.account,
        name=name,
        path=path,
        description=description,
        trust_policy=service_trust_policy(aws_service_name),
    )


@operation("GetRole", read_only=True)
def get_role(caller: Caller, role_name: str) -> Role:
    role = lookups.get_role(caller.account, role_name)
    authz.require(caller, "iam:GetRole", role.arn, resource_tags=role.tag_dict())
    return role


@operation("ListRoles", read_only=True)
def list_roles(caller: Caller, path_prefix: str = "/") -> QuerySet[Role]:
    path_prefix = path_prefix or "/"
    authz.require(caller, "iam:ListRoles", _role_arn(caller, path_prefix, ""))
    return roles_for_list(caller.account).filter(path__startswith=path_prefix)


@operation("UpdateRole")
def update_role(caller: Caller, role_name: str, description: str | None = None, max_session_duration: int | None = None) -> Role:
    role = lookups.get_role(caller.account, role_name, for_update=True)
    authz.require(caller, "iam:UpdateRole", role.arn, resource_tags=role.tag_dict())
    _protect_service_linked(role)
    if description is not None:
        role.description = _check_description(description)
    if max_session_duration is not None:
        role.max_session_duration = _check_session_duration(max_session_duration)
    role.save(update_fields=["description", "max_session_duration"])
    return role


@operation("UpdateRoleDescription")
def update_role_description(caller: Caller, role_name: str, description: str) -> Role:
    role = lookups.get_role(caller.account, role_name, for_update=True)
    authz.require(caller, "iam:UpdateRoleDescription", role.arn, resource_tags=role.tag_dict())
    _protect_service_linked(role)
    role.description = _check_description(description)
    role.save(update_fields=["description"])
    return role


@operation("UpdateAssumeRolePolicy")
def update_assume_role_policy(caller: Caller, role_name: str, policy_document: str) -> Role:
    role = lookups.get_role(caller.account, role_name, for_update=True)
    authz.require(caller, "iam:UpdateAssumeRolePolicy", role.arn, resource_tags=role.tag_dict())
    _protect_service_linked(role)
    role.trust_policy = check_trust_policy(policy_document)
    role.save(update_fields=["trust_policy"])
    return role


@operation("DeleteRole")
def delete_role(caller: Caller, role_name: str) -> None:
    from policies.models import InlinePolicy, PolicyAttachment

    role = lookups.get_role(caller.account, role_name, for_update=True)
    authz.require(caller, "iam:DeleteRole", role.arn, resource_tags=role.tag_dict())
    _protect_service_linked(role)
    if InstanceProfile.objects.filter(role=role).exists():
        raise DeleteConflict("Cannot delete entity, must remove roles from instance profile first.")
    if PolicyAttachment.objects.filter(role=role, kind=PolicyAttachment.Kind.PERMISSIONS).exists():
        raise DeleteConflict("Cannot delete entity, must detach all policies first.")
    if InlinePolicy.objects.filter(role=role).exists():
        raise DeleteConflict("Cannot delete entity, must delete policies first.")
    # A permissions boundary does not block DeleteRole; it goes with the role.
    role.delete()


@operation("TagRole")
def tag_role(caller: Caller, role_name: str, tags: Sequence[Mapping[str, str]]) -> Role:
    role = lookups.get_role(caller.account, role_name, for_update=True)
    clean = check_tags(tags)
    if not clean:
        raise rules.constraint_error([], "tags", "Member must have length greater than or equal to 1")
    authz.require(caller, "iam:TagRole", role.arn, resource_tags=role.tag_dict(), context=_tag_context(clean))
    _protect_service_linked(role)
    merged = {tag["Key"].lower(): tag for tag in role.tags}
    for tag in clean:
        merged[tag["Key"].lower()] = tag  # an existing key takes the new value
    if len(merged) > rules.MAX_TAGS:
        raise LimitExceeded(f"The number of tags has reached the maximum limit of {rules.MAX_TAGS}.")
    role.tags = list(merged.values())
    role.save(update_fields=["tags"])
    return role


@operation("UntagRole")
def untag_role(caller: Caller, role_name: str, tag_keys: Sequence[str]) -> Role:
    tag_keys = list(tag_keys)
    if len(tag_keys) > rules.MAX_TAGS:
        raise rules.constraint_error(tag_keys, "tagKeys", f"Member must have length less than or equal to {rules.MAX_TAGS}")
    for key in tag_keys:
        rules.check_length(key, "tagKeys", 1, rules.MAX_TAG_KEY)
    role = lookups.get_role(caller.account, role_name, for_update=True)
    authz.require(caller, "iam:UntagRole", role.arn, resource_tags=role.tag_dict(), context={"aws:TagKeys": list(tag_keys)})
    _protect_service_linked(role)
    remove = {key.lower() for key in tag_keys}
    role.tags = [tag for tag in role.tags if tag["Key"].lower() not in remove]
    role.save(update_fields=["tags"])
    return role


@operation("ListRoleTags", read_only=True)
def list_role_tags(caller: Caller, role_name: str) -> list[dict[str, str]]:
    role = lookups.get_role(caller.account, role_name)
    authz.require(caller, "iam:ListRoleTags", role.arn, resource_tags=role.tag_dict())
    return list(role.tags)


# ----------------------------------------------------------------------------- instance profiles


@operation("CreateInstanceProfile")
def create_instance_profile(caller: Caller, instance_profile_name: str, path: str = "/",
                            tags: Sequence[Mapping[str, str]] | None = None) -> InstanceProfile:
    path = path or "/"
    rules.check_name(instance_profile_name, "instanceProfileName", 128, rules.ROLE_NAME_PATTERN)
    rules.check_path(path)
    clean_tags = check_tags(tags)
    authz.require(caller, "iam:CreateInstanceProfile", _profile_arn(caller, path, instance_profile_name),
                  context=_tag_context(clean_tags))
    if InstanceProfile.objects.filter(account=caller.account, name__iexact=instance_profile_name).exists():
        raise EntityAlreadyExists(f"Instance Profile {instance_profile_name} already exists.")
    if InstanceProfile.objects.filter(account=caller.account).count() >= rules.MAX_INSTANCE_PROFILES_PER_ACCOUNT:
        raise LimitExceeded(f"Cannot exceed quota for InstanceProfilesPerAccount: {rules.MAX_INSTANCE_PROFILES_PER_ACCOUNT}")
    try:
        with transaction.atomic():
            return InstanceProfile.objects.create(account=caller.account, name=instance_profile_name, path=path, tags=clean_tags)
    except IntegrityError as error:
        raise EntityAlreadyExists(f"Instance Profile {instance_profile_name} already exists.") from error


@operation("GetInstanceProfile", read_only=True)
def get_instance_profile(caller: Caller, instance_profile_name: str) -> InstanceProfile:
    profile = lookups.get_instance_profile(caller.account, instance_profile_name)
    authz.require(caller, "iam:GetInstanceProfile", profile.arn)
    return profile


@operation("ListInstanceProfiles", read_only=True)
def list_instance_profiles(caller: Caller, path_prefix: str = "/") -> QuerySet[InstanceProfile]:
    path_prefix = path_prefix or "/"
    authz.require(caller, "iam:ListInstanceProfiles", _profile_arn(caller, path_prefix, ""))
    return (InstanceProfile.objects.filter(account=caller.account, path__startswith=path_prefix)
            .select_related("account", "role").order_by("name"))


@operation("ListInstanceProfilesForRole", read_only=True)
def list_instance_profiles_for_role(caller: Caller, role_name: str) -> list[InstanceProfile]:
    role = lookups.get_role(caller.account, role_name)
    authz.require(caller, "iam:ListInstanceProfilesForRole", role.arn, resource_tags=role.tag_dict())
    return list(InstanceProfile.objects.filter(account=caller.account, role=role).select_related("account", "role").order_by("name"))


@operation("AddRoleToInstanceProfile")
def add_role_to_instance_profile(caller: Caller, instance_profile_name: str, role_name: str) -> InstanceProfile:
    """The caller also needs iam:PassRole on the role, as AWS's API reference states."""
    profile = lookups.get_instance_profile(caller.account, instance_profile_name)
    authz.require(caller, "iam:AddRoleToInstanceProfile", profile.arn, resource_tags=profile_tags(profile))
    role = lookups.get_role(caller.account, role_name)
    authz.require(caller, "iam:PassRole", role.arn, resource_tags=role.tag_dict(),
                  context={"iam:PassedToService": "ec2.amazonaws.com"})
    profile = InstanceProfile.objects.select_for_update().select_related("account").get(pk=profile.pk)
    if profile.role_id is not None:
        raise LimitExceeded("Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1")
    profile.role = role
    profile.save(update_fields=["role"])
    caller.last_resource = profile.arn
    return profile


def profile_tags(profile: InstanceProfile) -> dict[str, str]:
    return {tag["Key"]: tag["Value"] for tag in profile.tags}


@operation("RemoveRoleFromInstanceProfile")
def remove_role_from_instance_profile(caller: Caller, instance_profile_name: str, role_name: str) -> InstanceProfile:
    profile = lookups.get_instance_profile(caller.account, instance_profile_name)
    authz.require(caller, "iam:RemoveRoleFromInstanceProfile", profile.arn, resource_tags=profile_tags(profile))
    role = lookups.get_role(caller.account, role_name)
    if profile.role_id != role.pk:
        raise NoSuchEntity(f"The role with name {role_name} cannot be found.")
    profile.role = None
    profile.save(update_fields=["role"])
    return profile


@operation("DeleteInstanceProfile")
def delete_instance_profile(caller: Caller, instance_profile_name: str) -> None:
    profile = lookups.get_instance_profile(caller.account, instance_profile_name)
    authz.require(caller, "iam:DeleteInstanceProfile", profile.arn, resource_tags=profile_tags(profile))
    if profile.role_id is not None:
        raise DeleteConflict("Cannot delete entity, must remove roles from instance profile first.")
    profile.delete()


# ----------------------------------------------------------------------------- console workflows


@dataclass
class RoleDraft:
    """What the console's create-role wizard collected."""

    role_name: str
    trust_policy: str
    description: str = ""
    max_session_duration: int = 3600
    path: str = "/"
    policy_arns: list[str] = field(default_factory=list)
    permissions_boundary: str | None = None
    tags: list[dict[str, str]] = field(default_factory=list)
    create_instance_profile: bool = False


def create_role_from_console(caller: Caller, draft: RoleDraft) -> Role:
    """The wizard's "Create role": CreateRole (with boundary and tags), AttachRolePolicy per
    policy and, for an EC2 role, CreateInstanceProfile + AddRoleToInstanceProfile of the same
    name, as the console does; all or nothing in one transaction."""
    from policies.services.attachments import attach_role_policy

    with console_steps(caller) as step:
        role = step(
            create_role,
            draft.role_name,
            draft.trust_policy,
            path=draft.path,
            description=draft.description,
            max_session_duration=draft.max_session_duration,
            permissions_boundary=draft.permissions_boundary or None,
            tags=draft.tags,
        )
        for policy_arn in draft.policy_arns:
            step(attach_role_policy, role.name, policy_arn)
        if draft.create_instance_profile:
            step(create_instance_profile, role.name, path=draft.path)
            step(add_role_to_instance_profile, role.name, role.name)
    return role


@dataclass
class RoleCleanup:
    detached: list[str] = field(default_factory=list)
    inline_deleted: list[str] = field(default_factory=list)
    instance_profiles: list[str] = field(default_factory=list)


def delete_role_from_console(caller: Caller, role_name: str) -> RoleCleanup:
    """The console's Delete role: detaches managed policies, deletes inline policies, removes the
    role from its instance profiles and deletes them, then DeleteRole; one transaction.
    (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_manage_delete.html)"""
    from policies.models import InlinePolicy, PolicyAttachment
    from policies.services.attachments import detach_role_policy
    from policies.services.inline import delete_role_policy

    cleanup = RoleCleanup()
    with console_steps(caller) as step:
        role = step(get_role, role_name)
        if role.is_service_linked:
            # Checked first, so nothing is detached from a role that cannot be deleted.
            step(delete_role, role.name)
        attached = (PolicyAttachment.objects.filter(role=role, kind=PolicyAttachment.Kind.PERMISSIONS)
                    .select_related("policy", "policy__account"))
        for attachment in attached:
            step(detach_role_policy, role.name, attachment.policy.arn)
            cleanup.detached.append(attachment.policy.name)
        for name in InlinePolicy.objects.filter(role=role).values_list("name", flat=True):
            step(delete_role_policy, role.name, name)
            cleanup.inline_deleted.append(name)
        for profile in InstanceProfile.objects.filter(role=role).order_by("name"):
            step(remove_role_from_instance_profile, profile.name, role.name)
            step(delete_instance_profile, profile.name)
            cleanup.instance_profiles.append(profile.name)
        step(delete_role, role.name)
    return cleanup
