from django.urls import path

from . import views

app_name = "policies"

urlpatterns = [
    path("", views.policy_list, name="list"),
    path("create/", views.policy_create, name="create"),
    path("details/<path:arn>", views.policy_detail, name="detail"),
    path("edit/<path:arn>", views.policy_edit, name="edit"),
    path("delete/<path:arn>", views.policy_delete, name="delete"),
    path("attach-entities/<path:arn>", views.policy_attach_entities, name="attach_entities"),
    path("detach-entity/<path:arn>", views.policy_detach_entity, name="detach_entity"),
    path("versions/<path:arn>", views.policy_versions_action, name="versions_action"),
    path("tags/<path:arn>", views.policy_tags, name="tags"),
    # The Permissions tab of users, groups and roles.
    path("<str:kind>/<str:name>/permissions/", views.permissions_tab, name="permissions_tab"),
    path("<str:kind>/<str:name>/attach/", views.entity_attach, name="entity_attach"),
    path("<str:kind>/<str:name>/detach/", views.entity_detach, name="entity_detach"),
    path("<str:kind>/<str:name>/boundary/", views.boundary_set, name="boundary_set"),
    path("<str:kind>/<str:name>/boundary/delete/", views.boundary_delete, name="boundary_delete"),
    path("<str:kind>/<str:name>/inline/create/", views.inline_create, name="inline_create"),
    path("<str:kind>/<str:name>/inline/<str:policy_name>/edit/", views.inline_edit, name="inline_edit"),
    path("<str:kind>/<str:name>/inline/<str:policy_name>/delete/", views.inline_delete, name="inline_delete"),
]
