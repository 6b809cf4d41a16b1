from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.home, name="home"),
    path("signin/", views.signin, name="signin"),
    path("signin/<str:account_id_or_alias>/", views.signin, name="signin_account"),
    path("signup/", views.signup, name="signup"),
    path("signout/", views.signout, name="signout"),
    path("iam/", views.dashboard, name="dashboard"),
    path("iam/activity/", views.activity, name="activity"),
    path("iam/account-alias/", views.account_alias, name="account_alias"),
    path("iam/security-credentials/password/", views.password_change, name="password_change"),
    path("iam/password-change-required/", views.password_change, name="password_change_required"),
]
