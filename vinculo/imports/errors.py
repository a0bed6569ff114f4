"""Import errors: a code and the place it happened, turned into words only when shown.

Storing codes rather than sentences means every reader sees the error in their own
language, and the API returns both the machine code and the sentence.
"""

from dataclasses import dataclass

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True, slots=True)
class RowError:
    """One problem: ``row`` is the spreadsheet row (the header is row 1)."""

    row: int
    column: str
    code: str
    value: str = ""
    allowed: str = ""  # for invalid_choice: the values the column accepts

    def as_dict(self) -> dict[str, str | int]:
        return {
            "row": self.row,
            "column": self.column,
            "code": self.code,
            "value": self.value,
            "allowed": self.allowed,
        }

    @classmethod
    def from_dict(cls, data: dict[str, str | int]) -> "RowError":
        return cls(
            int(data["row"]),
            str(data["column"]),
            str(data["code"]),
            str(data["value"]),
            str(data.get("allowed", "")),
        )


MESSAGES = {
    "required": _("a value is required."),
    "unknown_code": _("“%(value)s” does not exist; check the spelling or create it first."),
    "invalid_datetime": _(
        "“%(value)s” is not a date and time; use 2026-03-01 10:30 or 01/03/2026 10:30."
    ),
    "future_datetime": _("“%(value)s” is in the future."),
    "invalid_amount": _("“%(value)s” is not an amount; use 1234.56 or 1.234,56."),
    "amount_too_large": _("“%(value)s” is too large for an amount."),
    "too_many_decimals": _(
        "“%(value)s” has more than two decimals; if the dot separates thousands, "
        "write 1234 or 1.234,00."
    ),
    "invalid_character": _("the value contains a character that cannot be stored."),
    "invalid_currency": _("“%(value)s” is not a three-letter currency code such as EUR."),
    "invalid_email": _("“%(value)s” is not a valid e-mail address."),
    "invalid_phone": _("“%(value)s” is not a valid phone number."),
    "too_long": _("“%(value)s” is too long."),
    "empty": _("a value is required."),
    "no_identity": _("the row has no customer identity; fill in at least one of: %(value)s."),
    "identity_conflict": _(
        "the identities in this row belong to different customers (%(value)s); "
        "merge those customers first."
    ),
    "unit_out_of_scope": _("you may not import data into unit “%(value)s”."),
    "unknown_customer": _("there is no customer with id “%(value)s”."),
    "invalid_boolean": _("“%(value)s” is not yes or no (sí/no, yes/no, 1/0)."),
    "invalid_choice": _("“%(value)s” is not one of the allowed values: %(allowed)s."),
    "invalid_rating": _("“%(value)s” is not a whole number from 0 to 100."),
    "invalid_scale": _("“%(value)s” is not a whole number from 1 to 100."),
    "rating_above_scale": _(
        "“%(value)s” is above the top of the rating scale, %(allowed)s; "
        "give the scale in the rating_max column (5 when empty)."
    ),
    "unknown_column": _("this column is not recognised; rename or remove it."),
    "missing_column": _("this column is required and the file does not have it."),
    "duplicate_column": _("this column appears more than once."),
    "empty_file": _("the file has no header row."),
    "unreadable_file": _("the file cannot be read as CSV or XLSX (%(value)s)."),
    "too_many_rows": _("the request has more than %(value)s rows."),
}


def describe(error: RowError) -> str:
    """The error as a sentence in the active language, naming its row and column."""
    template = MESSAGES.get(error.code, MESSAGES["unreadable_file"])
    detail = str(template) % {
        "value": error.value,
        "allowed": error.allowed,
    }
    if not error.column:
        return gettext("Row %(row)s: %(detail)s") % {"row": error.row, "detail": detail}
    return gettext("Row %(row)s, column “%(column)s”: %(detail)s") % {
        "row": error.row,
        "column": error.column,
        "detail": detail,
    }
