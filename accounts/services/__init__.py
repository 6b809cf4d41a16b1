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
