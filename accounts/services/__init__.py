"""IAM operations on identities, one function per AWS operation (acting Caller first).

Split by entity so several people can work at once; import from here.
"""

from .account import (  # noqa: F401
    change_password,
    create_account,
    create_account_alias,
    delete_account_alias,
    find_account,
    iam_login,
    record_console_login,
    root_login,
)
from .credentials import (  # noqa: F401
    create_access_key,
    create_virtual_mfa_device,
    deactivate_mfa_device,
    delete_access_key,
    delete_virtual_mfa_device,
    enable_mfa_device,
    get_access_key_last_used,
    list_access_keys,
    list_mfa_devices,
    list_virtual_mfa_devices,
    record_access_key_use,
    resync_mfa_device,
    update_access_key,
)
from .groups import (  # noqa: F401
    add_user_to_group,
    create_group,
    create_group_with_permissions,
    delete_group,
    get_group,
    list_groups,
    list_groups_for_user,
    remove_user_from_group,
    update_group,
)
from .last_accessed import (  # noqa: F401
    generate_service_last_accessed_details,
    get_service_last_accessed_details,
    get_service_last_accessed_details_with_entities,
    list_policies_granting_service_access,
    set_security_token_service_preferences,
)
from .password_policy import (  # noqa: F401
    authorize_change_password,
    delete_account_password_policy,
    generate_credential_report,
    get_account_password_policy,
    get_credential_report,
    security_recommendations,
    update_account_password_policy,
)
from .providers import (  # noqa: F401
    add_client_id_to_open_id_connect_provider,
    create_open_id_connect_provider,
    create_saml_provider,
    delete_open_id_connect_provider,
    delete_saml_provider,
    get_open_id_connect_provider,
    get_saml_provider,
    list_open_id_connect_provider_tags,
    list_open_id_connect_providers,
    list_saml_provider_tags,
    list_saml_providers,
    remove_client_id_from_open_id_connect_provider,
    tag_open_id_connect_provider,
    tag_saml_provider,
    untag_open_id_connect_provider,
    untag_saml_provider,
    update_open_id_connect_provider_thumbprint,
    update_saml_provider,
)
from .roles import (  # noqa: F401
    add_role_to_instance_profile,
    create_instance_profile,
    create_role,
    create_role_from_console,
    create_service_linked_role,
    delete_instance_profile,
    delete_role,
    delete_role_from_console,
    get_instance_profile,
    get_role,
    list_instance_profiles,
    list_instance_profiles_for_role,
    list_role_tags,
    list_roles,
    remove_role_from_instance_profile,
    tag_role,
    untag_role,
    update_assume_role_policy,
    update_role,
    update_role_description,
)
from .sts import (  # noqa: F401
    assume_role,
    get_access_key_info,
    get_caller_identity,
    get_session_token,
)
from .summary import (  # noqa: F401
    get_account_authorization_details,
    get_account_summary,
    list_account_aliases,
)
from .users import (  # noqa: F401
    create_login_profile,
    create_user,
    create_user_console,
    delete_login_profile,
    delete_user,
    delete_user_console,
    get_login_profile,
    get_user,
    list_user_tags,
    list_users,
    tag_user,
    untag_user,
    update_login_profile,
    update_user,
)
