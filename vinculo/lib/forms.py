"""Form pieces every app's filter forms share."""

from django import forms


def date_input() -> forms.DateInput:
    # The browser's date picker always sends ISO dates, whatever the page's language.
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
