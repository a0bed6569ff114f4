from django.urls import path

from vinculo.feedback import views

app_name = "feedback"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:item_id>/", views.item_page, name="item"),
]
