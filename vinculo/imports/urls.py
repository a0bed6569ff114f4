from django.urls import path

from vinculo.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.import_list, name="list"),
    path("<int:job_id>/", views.import_detail, name="detail"),
    path("<int:job_id>/rejected/", views.rejected_rows, name="rejected"),
    path("<int:job_id>/retry/", views.retry, name="retry"),
    path("samples/<slug:kind>.csv", views.sample, name="sample"),
]
