from django.urls import path

from . import editor_views, simulator_views

app_name = "simulator"

urlpatterns = [
    path("simulator/", simulator_views.simulator_page, name="simulator"),
    path("simulator/actions/", simulator_views.simulator_actions, name="actions"),
    path("simulator/principal-policies/", simulator_views.simulator_principal_policies, name="principal_policies"),
    path("editor/validate/", editor_views.editor_validate, name="editor_validate"),
    path("editor/catalog/", editor_views.catalog_services, name="catalog_services"),
    path("editor/catalog/<str:service>/", editor_views.catalog_service, name="catalog_service"),
    path("editor/visual/", editor_views.visual_editor, name="visual_editor"),
    path("editor/json/", editor_views.json_mode, name="json_mode"),
    path("editor/summary/", editor_views.policy_summary_view, name="policy_summary"),
    path("editor/summary/<path:arn>", editor_views.managed_policy_summary, name="managed_policy_summary"),
    path("editor/diff/<path:arn>", editor_views.version_diff, name="version_diff"),
]
