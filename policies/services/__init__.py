"""IAM operations on policies, one function per AWS operation (acting Caller first).

Split by concern so several people can work at once; import from here.
"""

from .attachments import (  # noqa: F401
    attach_group_policy,
    attach_role_policy,
    attach_user_policy,
    delete_role_permissions_boundary,
    delete_user_permissions_boundary,
    detach_group_policy,
    detach_role_policy,
    detach_user_policy,
    get_permissions_boundary,
    list_attached_group_policies,
    list_attached_role_policies,
    list_attached_user_policies,
    put_role_permissions_boundary,
    put_user_permissions_boundary,
)
from .inline import (  # noqa: F401
    delete_group_policy,
    delete_role_policy,
    delete_user_policy,
    get_group_policy,
    get_role_policy,
    get_user_policy,
    list_group_policies,
    list_role_policies,
    list_user_policies,
    put_group_policy,
    put_role_policy,
    put_user_policy,
)
from .managed import (  # noqa: F401
    create_policy,
    create_policy_version,
    delete_policy,
    delete_policy_version,
    get_policy,
    get_policy_version,
    list_entities_for_policy,
    list_policies,
    list_policy_tags,
    list_policy_versions,
    set_default_policy_version,
    tag_policy,
    untag_policy,
)
