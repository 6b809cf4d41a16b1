"""IAM user groups: one function per AWS operation, acting Caller first.

Groups are collections of IAM users; they are not principals, cannot nest, cannot have a
permissions boundary and cannot appear in a trust policy
(https://docs.aws.amazon.com/IAM/latest/UserGuide/id_groups.html).
Messages follow the IAM API Reference (CreateGroup, DeleteGroup, AddUserToGroup, ...).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, QuerySet

from policies import authz

from .. import lookups, rules
from ..activity import operation, record_event
from ..errors import DeleteConflict, EntityAlreadyExists, IAMError, LimitExceeded, NoSuchEntity
from ..models import Group, GroupMembership, User
from ..principal import Caller


def _group_arn(caller: Caller, path: str, name: str) -> str:
    return f"arn:aws:iam::{caller.account.account_id}:group{path}{name}"


def _already_exists(name: str) -> EntityAlreadyExists:
    return EntityAlreadyExists(f"Group with name {name} already exists.")


def groups_with_counts(account) -> QuerySet[Group]:
    """An account's groups with their member count and whether any permissions are defined
    (attached or inline): one query for any number of groups."""
    from policies.models import InlinePolicy, PolicyAttachment

    return (
        Group.objects.filter(account=account)
        .select_related("account")
        .annotate(
            user_count=Count("memberships", distinct=True),
            has_attached=Exists(PolicyAttachment.objects.filter(group=OuterRef("pk"))),
            has_inline=Exists(InlinePolicy.objects.filter(group=OuterRef("pk"))),
        )
        .order_by("name")
    )


@operation("CreateGroup")
def create_group(caller: Caller, group_name: str, path: str = "/") -> Group:
    path = path or "/"
    rules.check_name(group_name, "groupName", 128, rules.GROUP_NAME_PATTERN)
    rules.check_path(path)
    authz.require(caller, "iam:CreateGroup", _group_arn(caller, path, group_name))
    if Group.objects.filter(account=caller.account, name__iexact=group_name).exists():
        raise _already_exists(group_name)
    if Group.objects.filter(account=caller.account).count() >= rules.MAX_GROUPS_PER_ACCOUNT:
        raise LimitExceeded(f"Cannot exceed quota for GroupsPerAccount: {rules.MAX_GROUPS_PER_ACCOUNT}")
    try:
        with transaction.atomic():
            group = Group.objects.create(account=caller.account, name=group_name, path=path)
    except IntegrityError as error:  # a concurrent CreateGroup won the race
        raise _already_exists(group_name) from error
    return group


@operation("GetGroup", read_only=True)
def get_group(caller: Caller, group_name: str) -> tuple[Group, list[User]]:
    """The group and its users (GetGroup returns both)."""
    group = lookups.get_group(caller.account, group_name)
    authz.require(caller, "iam:GetGroup", group.arn)
    users = list(group.members.select_related("account").order_by("name"))
    return group, users


@operation("ListGroups", read_only=True)
def list_groups(caller: Caller, path_prefix: str = "/") -> QuerySet[Group]:
    path_prefix = path_prefix or "/"
    authz.require(caller, "iam:ListGroups", _group_arn(caller, path_prefix, ""))
    return groups_with_counts(caller.account).filter(path__startswith=path_prefix)


@operation("UpdateGroup")
def update_group(caller: Caller, group_name: str, new_group_name: str | None = None, new_path: str | None = None) -> Group:
    group = lookups.get_group(caller.account, group_name, for_update=True)
    authz.require(caller, "iam:UpdateGroup", group.arn)
    if new_group_name is not None:
        rules.check_name(new_group_name, "newGroupName", 128, rules.GROUP_NAME_PATTERN)
    if new_path is not None:
        rules.check_path(new_path, "newPath")
    if new_group_name or new_path:
        # The caller needs permission on the group under its old and its new name
        # (UpdateGroup, IAM API Reference).
        authz.require(caller, "iam:UpdateGroup", _group_arn(caller, new_path or group.path, new_group_name or group.name))
    if new_group_name is not None and new_group_name != group.name:
        if Group.objects.filter(account=caller.account, name__iexact=new_group_name).exclude(pk=group.pk).exists():
            raise _already_exists(new_group_name)
        group.name = new_group_name
    if new_path is not None:
        group.path = rules.check_path(new_path, "newPath")
    try:
        with transaction.atomic():
            group.save(update_fields=["name", "path"])
    except IntegrityError as error:
        raise _already_exists(new_group_name or group.name) from error
    return group


@operation("DeleteGroup")
def delete_group(caller: Caller, group_name: str) -> None:
    from policies.models import InlinePolicy, PolicyAttachment

    group = lookups.get_group(caller.account, group_name, for_update=True)
    authz.require(caller, "iam:DeleteGroup", group.arn)
    # AWS's checks, in AWS's order: members, then attached, then inline policies.
    if GroupMembership.objects.filter(group=group).exists():
        raise DeleteConflict("Cannot delete entity, must remove users from group first.")
    if PolicyAttachment.objects.filter(group=group).exists():
        raise DeleteConflict("Cannot delete entity, must detach all policies first.")
    if InlinePolicy.objects.filter(group=group).exists():
        raise DeleteConflict("Cannot delete entity, must delete policies first.")
    group.delete()


@operation("AddUserToGroup")
def add_user_to_group(caller: Caller, group_name: str, user_name: str) -> GroupMembership:
    group = lookups.get_group(caller.account, group_name)
    authz.require(caller, "iam:AddUserToGroup", group.arn)
    user = lookups.get_iam_user(caller.account, user_name, for_update=True)
    # One query for both checks: the user's groups (at most the quota's few).
    group_ids = list(GroupMembership.objects.filter(user=user).values_list("group_id", flat=True))
    if group.pk in group_ids:  # AddUserToGroup is idempotent on AWS
        return GroupMembership.objects.get(group=group, user=user)
    if len(group_ids) >= rules.MAX_GROUPS_PER_USER:
        raise LimitExceeded(f"Cannot exceed quota for GroupsPerUser: {rules.MAX_GROUPS_PER_USER}")
    try:
        with transaction.atomic():
            return GroupMembership.objects.create(group=group, user=user)
    except IntegrityError:
        return GroupMembership.objects.get(group=group, user=user)


@operation("RemoveUserFromGroup")
def remove_user_from_group(caller: Caller, group_name: str, user_name: str) -> None:
    group = lookups.get_group(caller.account, group_name)
    authz.require(caller, "iam:RemoveUserFromGroup", group.arn)
    user = lookups.get_iam_user(caller.account, user_name)
    deleted, _ = GroupMembership.objects.filter(group=group, user=user).delete()
    if not deleted:
        raise NoSuchEntity(f"The user with name {user.name} cannot be found.")


@operation("ListGroupsForUser", read_only=True)
def list_groups_for_user(caller: Caller, user_name: str) -> list[Group]:
    user = lookups.get_iam_user(caller.account, user_name)
    authz.require(caller, "iam:ListGroupsForUser", user.arn)
    return list(groups_with_counts(caller.account).filter(memberships__user=user))


class ConsoleSteps:
    """Runs a console page's several operations in one transaction. Each operation records
    its own failure event, but inside the outer transaction that record would be rolled back
    with everything else; so the failing step's event is recorded again after the rollback."""

    def __init__(self, caller: Caller) -> None:
        self.caller = caller
        self.event_name = ""

    def __call__(self, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        self.event_name = getattr(function, "event_name", function.__name__)
        return function(self.caller, *args, **kwargs)


@contextmanager
def console_steps(caller: Caller) -> Iterator[ConsoleSteps]:
    steps = ConsoleSteps(caller)
    try:
        with transaction.atomic():
            yield steps
    except IAMError as error:
        if steps.event_name:
            record_event(caller.account, steps.event_name, caller=caller, resource=caller.last_resource, error=error)
        raise


def create_group_with_permissions(
    caller: Caller, group_name: str, user_names: Iterable[str] = (), policy_arns: Sequence[str] = (), path: str = "/"
) -> Group:
    """The console's Create user group page: CreateGroup, AddUserToGroup for each user and
    AttachGroupPolicy for each policy, all or nothing (one transaction), as the console's
    single "Create user group" button promises."""
    from policies.services.attachments import attach_group_policy

    with console_steps(caller) as step:
        group = step(create_group, group_name, path)
        for user_name in user_names:
            step(add_user_to_group, group.name, user_name)
        for policy_arn in policy_arns:
            step(attach_group_policy, group.name, policy_arn)
    return group


def delete_group_from_console(caller: Caller, group_name: str) -> dict[str, list[str]]:
    """The console's Delete user group: removes the members, detaches the managed policies and
    deletes the inline policies, then DeleteGroup; one transaction
    (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_groups_manage_delete.html)."""
    from policies.models import InlinePolicy, PolicyAttachment
    from policies.services.attachments import detach_group_policy
    from policies.services.inline import delete_group_policy

    done: dict[str, list[str]] = {"users": [], "detached": [], "inline": []}
    with console_steps(caller) as step:
        group, users = step(get_group, group_name)
        for user in users:
            step(remove_user_from_group, group.name, user.name)
            done["users"].append(user.name)
        for attachment in PolicyAttachment.objects.filter(group=group).select_related("policy", "policy__account"):
            step(detach_group_policy, group.name, attachment.policy.arn)
            done["detached"].append(attachment.policy.name)
        for name in InlinePolicy.objects.filter(group=group).values_list("name", flat=True):
            step(delete_group_policy, group.name, name)
            done["inline"].append(name)
        step(delete_group, group.name)
    return done
