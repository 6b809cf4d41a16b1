from django.urls import path

from . import user_views

app_name = "users"

urlpatterns = [
    path("", user_views.user_list, name="list"),
    path("delete/", user_views.user_delete_many, name="delete_many"),
    path("create/", user_views.user_create, name="create"),
    path("create/permissions/", user_views.user_create_permissions, name="create_permissions"),
    path("create/review/", user_views.user_create_review, name="create_review"),
    path("create/retrieve-password/", user_views.user_create_retrieve, name="create_retrieve"),
    path("create/retrieve-password/credentials.csv", user_views.user_create_csv, name="create_csv"),
    path("details/<str:user_name>/", user_views.user_detail, name="detail"),
    path("details/<str:user_name>/delete/", user_views.user_delete, name="delete"),
    path("details/<str:user_name>/groups/add/", user_views.user_groups_add, name="groups_add"),
    path("details/<str:user_name>/groups/remove/", user_views.user_groups_remove, name="groups_remove"),
    path("details/<str:user_name>/tags/", user_views.user_tags, name="tags"),
    path("details/<str:user_name>/console-access/", user_views.user_console_access, name="console_access"),
]
