from django.urls import path

from vinculo.feedback import views

app_name = "feedback"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("export.csv", views.export, {"fmt": "csv"}, name="export_csv"),
    path("export.xlsx", views.export, {"fmt": "xlsx"}, name="export_xlsx"),
    path("<int:item_id>/", views.item_page, name="item"),
]
