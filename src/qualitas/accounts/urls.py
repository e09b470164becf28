from django.contrib.auth import views as auth_views
from django.urls import path

from qualitas.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_done.html"),
        name="password_done",
    ),
    path("switch/", views.switch_organization, name="switch"),
    path("welcome/", views.NoOrganizationView.as_view(), name="no_organization"),
    path("people/", views.MemberListView.as_view(), name="member_list"),
    path("people/<int:pk>/role/", views.MemberRoleView.as_view(), name="member_role"),
    path("tokens/", views.TokenListView.as_view(), name="token_list"),
]
