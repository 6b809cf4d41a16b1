"""The Query API's URLs: `/api/` and the site root `/` (POSTs and signed GETs carrying SigV4;
a browser's GET of `/` still gets the console's home view)."""

from django.urls import path

from . import views

app_name = "api"

urlpatterns = [
    path("api/", views.endpoint, name="endpoint"),
    path("api/sandbox/<str:account_id>/reset", views.sandbox_reset, name="sandbox_reset"),
    path("", views.root, name="root"),
]
