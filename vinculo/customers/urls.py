from django.urls import path

from vinculo.customers import views

app_name = "customers"
urlpatterns = [
    path("", views.customer_list, name="list"),
    path("<int:customer_id>/", views.customer_detail, name="detail"),
    path("<int:customer_id>/merge/", views.customer_merge, name="merge"),
    path("<int:customer_id>/export.json", views.customer_export, name="export"),
    path("<int:customer_id>/erase/", views.customer_erase, name="erase"),
]
