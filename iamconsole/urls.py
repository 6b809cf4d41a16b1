from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("iam/users/", include("accounts.user_urls")),
    path("iam/groups/", include("accounts.group_urls")),
    path("iam/roles/", include("accounts.role_urls")),
    path("iam/", include("accounts.credential_urls")),
    path("iam/policies/", include("policies.urls")),
    path("iam/", include("policies.simulator_urls")),
    path("", include("api.urls")),
    path("", include("accounts.urls")),
]
