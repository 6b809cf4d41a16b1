from django.urls import path

from . import role_views

app_name = "roles"

urlpatterns = [
    path("", role_views.role_list, name="list"),
    path("create/", role_views.role_create, name="create"),
    path("delete/", role_views.role_delete, name="delete"),
    path("details/<str:role_name>/", role_views.role_detail, name="detail"),
    path("details/<str:role_name>/update/", role_views.role_update, name="update"),
    path("details/<str:role_name>/trust/edit/", role_views.role_edit_trust, name="edit_trust"),
    path("details/<str:role_name>/tags/", role_views.role_tags, name="tags"),
    path("details/<str:role_name>/delete/", role_views.role_delete_one, name="delete_one"),
]
