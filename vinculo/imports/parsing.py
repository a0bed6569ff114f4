"""Parsers for the cell values of import files. Each returns a value or raises ValueError.

They run once per cell of files with millions of rows, so they stay small and avoid
regular expressions where a string method does.
"""

from datetime import UTC, datetime, timedelta, tzinfo
from decimal import Decimal, InvalidOperation

MAX_AMOUNT = Decimal("999999999999.99")
_TRUE = frozenset({"1", "si", "sí", "s", "yes", "y", "true", "verdadero", "x"})
_FALSE = frozenset({"0", "no", "n", "false", "falso", ""})
_CENT = Decimal("0.01")


def parse_datetime(text: str, local_tz: tzinfo) -> datetime:
    """A naive UTC datetime from ISO 8601 or day-first Spanish dates (01/03/2026 10:30).

    Times without an offset are read in ``local_tz`` (the installation's time zone).
    """
    value = text.strip()
    if len(value) >= 10 and value[2] == "/" and value[5] == "/":
        # 01/03/2026[ 10:30[:00]] -> 2026-03-01[ 10:30[:00]]
        value = f"{value[6:10]}-{value[3:5]}-{value[0:2]}{value[10:]}"
    if value.endswith("Z"):
        value = value[:-1] + "+00:00"
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=local_tz)
    return moment.astimezone(UTC).replace(tzinfo=None)


class LocalTimes:
    """Turns local date-times into naive UTC, caching the UTC offset of each local hour.

    Offsets only change on the hour (daylight saving), so one ``zoneinfo`` computation per
    distinct hour serves every row in it.
    """

    def __init__(self, local_tz: tzinfo) -> None:
        self.local_tz = local_tz
        self._offsets: dict[str, timedelta] = {}

    def to_utc(self, text: str) -> datetime:
        value = text.strip()
        if len(value) >= 10 and value[2] == "/" and value[5] == "/":
            value = f"{value[6:10]}-{value[3:5]}-{value[0:2]}{value[10:]}"
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is not None:
            return moment.astimezone(UTC).replace(tzinfo=None)
        hour = value[:13]
        offset = self._offsets.get(hour)
        if offset is None:
            offset = moment.replace(tzinfo=self.local_tz).utcoffset() or timedelta(0)
            self._offsets[hour] = offset
        return moment - offset


def parse_amount(text: str) -> Decimal:
    """An amount with dot or comma decimals, thousands separators allowed (1.234,56).

    Never rounds: more than two decimals is an error, which also catches ``1.234`` (one
    thousand two hundred and thirty-four in Spain, 1.234 elsewhere) instead of guessing.
    """
    value = text.strip().replace(" ", "").replace("€", "")
    comma, dot = value.rfind(","), value.rfind(".")
    if comma > dot:
        value = value.replace(".", "").replace(",", ".")
    elif dot > comma >= 0:
        value = value.replace(",", "")
    elif value.count(".") > 1:  # 1.234.567: dots only separate thousands
        value = value.replace(".", "")
    try:
        amount = Decimal(value)
    except InvalidOperation as exc:
        raise ValueError("invalid_amount") from exc
    if not amount.is_finite():
        raise ValueError("invalid_amount")
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        raise ValueError("too_many_decimals")
    amount = amount.quantize(_CENT)
    if abs(amount) > MAX_AMOUNT:
        raise ValueError("amount_too_large")
    return amount


def parse_boolean(text: str) -> bool:
    value = text.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError("invalid_boolean")


def parse_currency(text: str) -> str:
    value = text.strip().upper()
    if len(value) != 3 or not value.isalpha() or not value.isascii():
        raise ValueError("invalid_currency")
    return value
