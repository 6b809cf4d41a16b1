from django.urls import path

from . import group_views

app_name = "groups"

urlpatterns = [
    path("", group_views.group_list, name="list"),
    path("create/", group_views.group_create, name="create"),
    path("delete/", group_views.group_delete, name="delete"),
    path("details/<str:group_name>/", group_views.group_detail, name="detail"),
    path("details/<str:group_name>/edit/", group_views.group_edit, name="edit"),
    path("details/<str:group_name>/delete/", group_views.group_delete_one, name="delete_one"),
    path("details/<str:group_name>/users/add/", group_views.group_add_users, name="add_users"),
    path("details/<str:group_name>/users/remove/", group_views.group_remove_users, name="remove_users"),
]
