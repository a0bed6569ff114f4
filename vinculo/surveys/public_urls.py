"""Respondent pages, no sign-in: the public link, QR landing, invitations, kiosk, widget."""

from vinculo.surveys.views import kiosk, respond, widget

app_name = "respond"

urlpatterns = [
    *respond.urlpatterns,
    *widget.urlpatterns,
    *kiosk.urlpatterns,
]
