"""Security credentials, Account settings and the credential report (mounted at /iam/)."""

from django.urls import path

from . import credential_views as views

app_name = "credentials"

urlpatterns = [
    path("security-credentials/", views.my_security_credentials, name="my_security_credentials"),
    path("security-credentials/users/<str:user_name>/", views.user_credentials_fragment, name="user_credentials_fragment"),
    path("security-credentials/mfa/assign/", views.mfa_assign, name="mfa_assign"),
    path("security-credentials/mfa/remove/", views.mfa_remove, name="mfa_remove"),
    path("security-credentials/mfa/resync/", views.mfa_resync, name="mfa_resync"),
    path("security-credentials/access-keys/create/", views.access_key_create, name="access_key_create"),
    path("security-credentials/access-keys/update/", views.access_key_update, name="access_key_update"),
    path("security-credentials/access-keys/delete/", views.access_key_delete, name="access_key_delete"),
    path("account-settings/", views.account_settings, name="account_settings"),
    path("account-settings/password-policy/", views.password_policy_edit, name="password_policy_edit"),
    path("credential-report/", views.credential_report, name="credential_report"),
    path("credential-report/generate/", views.credential_report_generate, name="credential_report_generate"),
    path("signin/mfa/", views.signin_mfa, name="signin_mfa"),
]
