"""The upload form of the scoring page, also used by the API to check an upload."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

ALLOWED_SUFFIXES = (".csv", ".txt", ".tsv")


class ScoringForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "It needs a “text” column; other columns are kept. UTF-8 or Windows-1252, "
            "separated by commas, semicolons or tabs."
        ),
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if Path(upload.name or "").suffix.lower() not in ALLOWED_SUFFIXES:
            raise forms.ValidationError(
                _("Upload a .csv file (a spreadsheet saved as “CSV UTF-8”)."), code="not_csv"
            )
        limit = settings.TEXT_SCORING_MAX_BYTES
        if upload.size and upload.size > limit:
            raise forms.ValidationError(
                _("The file is %(size)s; the largest file accepted is %(limit)s."),
                code="too_large",
                params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            )
        return upload
