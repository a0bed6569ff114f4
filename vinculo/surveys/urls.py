"""Staff pages under /surveys/. Respondent pages (no sign-in) are in public_urls.py."""

from django.urls import path

from vinculo.surveys.views import builder, distribution, entry, responses

app_name = "surveys"

urlpatterns = [
    # builder: list, create, edit the draft, publish, close, preview, QR codes and posters
    *builder.urlpatterns,
    # responses: list, detail, export
    *responses.urlpatterns,
    # distribution: campaigns, trigger rules, invitations, contact policy
    *distribution.urlpatterns,
    # entry: agent entry of phone and in-person interviews; kiosk set-up
    *entry.urlpatterns,
]
