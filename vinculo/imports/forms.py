from pathlib import Path

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from vinculo.imports.choices import ImportKind, ImportMode

ALLOWED_SUFFIXES = (".csv", ".txt", ".xlsx", ".xlsm")


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"), choices=ImportKind.choices)
    file = forms.FileField(
        label=_("File"), help_text=_("CSV (comma or semicolon separated) or Excel XLSX.")
    )
    mode = forms.ChoiceField(
        label=_("If some rows are wrong"),
        choices=ImportMode.choices,
        initial=ImportMode.ALL_OR_NOTHING,
        widget=forms.RadioSelect,
    )
    source = forms.SlugField(
        label=_("Source"),
        max_length=40,
        help_text=_(
            "Name of the system the data comes from, e.g. crm or billing. External ids are "
            "unique per source: use the same name every time you import from that system."
        ),
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if Path(upload.name or "").suffix.lower() not in ALLOWED_SUFFIXES:
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        if upload.size and upload.size > settings.IMPORT_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is too large."))
        return upload
