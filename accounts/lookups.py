"""Finding an account's entities by name, with AWS's NoSuchEntity wording.

Every lookup is scoped by the account: another account's entity does not exist here.
"""

from __future__ import annotations

from .errors import NoSuchEntity
from .models import Account, Group, InstanceProfile, Role, User


def get_iam_user(account: Account, user_name: str, *, for_update: bool = False) -> User:
    queryset = User.objects.select_related("account")
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    user = queryset.filter(account=account, kind=User.Kind.IAM, name__iexact=user_name or "").first()
    if user is None:
        raise NoSuchEntity(f"The user with name {user_name} cannot be found.")
    return user


def get_group(account: Account, group_name: str, *, for_update: bool = False) -> Group:
    queryset = Group.objects.select_related("account")
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    group = queryset.filter(account=account, name__iexact=group_name or "").first()
    if group is None:
        raise NoSuchEntity(f"The group with name {group_name} cannot be found.")
    return group


def get_role(account: Account, role_name: str, *, for_update: bool = False) -> Role:
    queryset = Role.objects.select_related("account")
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    role = queryset.filter(account=account, name__iexact=role_name or "").first()
    if role is None:
        raise NoSuchEntity(f"The role with name {role_name} cannot be found.")
    return role


def get_instance_profile(account: Account, name: str) -> InstanceProfile:
    profile = InstanceProfile.objects.select_related("account", "role").filter(account=account, name__iexact=name or "").first()
    if profile is None:
        raise NoSuchEntity(f"Instance Profile {name} cannot be found.")
    return profile
