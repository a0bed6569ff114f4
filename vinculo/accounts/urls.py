from django.urls import path

from vinculo.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.RateLimitedLoginView.as_view(), name="login"),
    path("logout/", views.logout_view, name="logout"),
]
