"""Respondent pages, no sign-in: the public link and QR landing, personal invitations, the
open pixel and unsubscribe (links.py), on the page engine the kiosk shares (engine.py).
"""

from django.urls import path

from vinculo.surveys.views.respond.links import (
    invitation_page,
    opened_pixel,
    survey_page,
    unsubscribe_page,
)

urlpatterns = [
    path("i/<str:token>/", invitation_page, name="invitation"),
    path("i/<str:token>/o.gif", opened_pixel, name="opened"),
    path("i/<str:token>/unsubscribe/", unsubscribe_page, name="unsubscribe"),
    path("<slug:slug>/", survey_page, name="survey"),
]
