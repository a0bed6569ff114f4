from django.urls import path

from vinculo.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.RateLimitedLoginView.as_view(), name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("api-keys/", views.api_keys_view, name="api_keys"),
    path("api-keys/<int:key_id>/revoke/", views.revoke_api_key_view, name="revoke_api_key"),
]
