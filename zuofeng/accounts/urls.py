from django.urls import path

from zuofeng.accounts import admin_change_views, admin_views, security_views, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("users/", admin_views.user_list, name="user_list"),
    path("users/new/", admin_views.user_create, name="user_create"),
    path("users/<int:pk>/", admin_views.user_detail, name="user_detail"),
    path("users/<int:pk>/roles/", admin_views.user_role_add, name="user_role_add"),
    path("users/<int:pk>/roles/<int:assignment_pk>/remove/", admin_views.user_role_remove, name="user_role_remove"),
    path("users/<int:pk>/password/", admin_views.user_password_reset, name="user_password_reset"),
    path("users/<int:pk>/active/", admin_views.user_set_active, name="user_set_active"),
    path("users/<int:pk>/unlock/", admin_views.user_unlock, name="user_unlock"),
    path("security/", security_views.security_policy, name="security_policy"),
    path("admin-changes/", admin_change_views.admin_change_list, name="admin_change_list"),
    path("admin-changes/<int:pk>/<str:move>/", admin_change_views.admin_change_decide, name="admin_change_decide"),
]
