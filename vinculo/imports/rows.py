"""Reading the cells both importers share: the customer's identities and Vínculo id."""

from collections.abc import Callable

from vinculo.customers.identities import InvalidIdentity, normalizer
from vinculo.imports.columns import IDENTITY_COLUMNS
from vinculo.imports.errors import RowError

# (identity kind, column index, column name as in the file, memoised normaliser)
IdentityColumn = tuple[str, int, str, Callable[[str], str]]


def _memoised(normalize: Callable[[str], str]) -> Callable[[str], str]:
    """Customers repeat across a file's rows: normalise each raw value once."""
    memo: dict[str, str] = {}

    def cached(raw: str) -> str:
        value = memo.get(raw)
        if value is None:
            value = normalize(raw)
            if len(memo) < 500_000:
                memo[raw] = value
        return value

    return cached


def identity_columns(columns: dict[str, int], names: dict[str, str]) -> list[IdentityColumn]:
    return [
        (kind, index, names[kind], _memoised(normalizer(kind)))
        for kind, index in columns.items()
        if kind in IDENTITY_COLUMNS
    ]


def read_identities(
    number: int, row: list[str], columns: list[IdentityColumn], errors: list[RowError]
) -> list[tuple[str, str]]:
    """The row's (kind, normalised value) pairs; a bad value adds an error naming its column."""
    pairs: list[tuple[str, str]] = []
    for kind, index, name, normalize in columns:
        raw = row[index]
        if raw.strip():
            try:
                pairs.append((kind, normalize(raw)))
            except InvalidIdentity as exc:
                errors.append(RowError(number, name, exc.code, raw))
    return pairs


def read_customer_id(
    number: int, row: list[str], index: int | None, name: str, errors: list[RowError]
) -> int | None:
    """Vínculo's own customer id, when the file has the column and the cell is filled."""
    if index is None or not row[index].strip():
        return None
    text = row[index].strip()
    if text.isdigit():
        return int(text)
    errors.append(RowError(number, name, "unknown_customer", text))
    return None


def has_nul(row: list[str]) -> bool:
    """PostgreSQL text cannot hold NUL: such a row is refused rather than failing the file."""
    return "\x00" in "".join(row)
