"""Staff pages under /surveys/. Respondent pages (no sign-in) are in public_urls.py."""

from vinculo.surveys.views import builder, distribution, entry, kiosk, qr, responses

app_name = "surveys"

urlpatterns = [
    # builder: list, create, edit the draft, publish, close
    *builder.urlpatterns,
    # responses: list, detail, export
    *responses.urlpatterns,
    # distribution: campaigns, trigger rules, invitations, contact policy
    *distribution.urlpatterns,
    # entry: agent entry of phone and in-person interviews
    *entry.urlpatterns,
    # qr: QR codes (SVG, PNG) and printable posters per unit
    *qr.urlpatterns,
    # kiosk: setting up a tablet in a store
    *kiosk.staff_urlpatterns,
]
