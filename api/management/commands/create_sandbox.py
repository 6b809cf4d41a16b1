"""`manage.py create_sandbox [--account-id 123456789012] [--name lab] [--email ...] [--password ...]`:
a lab account; prints its root sign-in, a root access key pair and the instructor's reset token."""

from __future__ import annotations

import re
import secrets

from django.core.management.base import BaseCommand, CommandError

from api.sandbox import create_sandbox


class Command(BaseCommand):
    help = "Create a sandbox AWS account for a lab and print its root credentials, access key and reset token."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--account-id", default=None, help="12-digit account ID (random when omitted)")
        parser.add_argument("--name", default="lab", help="account name")
        parser.add_argument("--email", default=None, help="root user's email (default: <name>-<id>@sandbox.invalid)")
        parser.add_argument("--password", default=None, help="root password (generated when omitted)")

    def handle(self, *args, account_id=None, name="lab", email=None, password=None, **options) -> None:
        if account_id is not None and not re.fullmatch(r"\d{12}", account_id):
            raise CommandError("--account-id must be 12 digits.")
        password = password or (secrets.token_urlsafe(12) + "aA1!")
        email = email or f"{name}-{account_id or secrets.token_hex(4)}@sandbox.invalid"
        try:
            root, key, secret, token = create_sandbox(email=email, name=name, password=password, account_id=account_id)
        except ValueError as error:
            raise CommandError(str(error)) from error
        account = root.account
        self.stdout.write(f"account_id={account.account_id}\n"
                          f"root_email={email}\n"
                          f"root_password={password}\n"
                          f"AWS_ACCESS_KEY_ID={key.access_key_id}\n"
                          f"AWS_SECRET_ACCESS_KEY={secret}\n"
                          f"reset_token={token}\n"
                          f"reset: curl -X POST -H 'Authorization: Bearer {token}' <base-url>/api/sandbox/{account.account_id}/reset\n")
