"""Validating and filing feedback rows (reviews, complaints, call notes...), chunk by chunk.

Valid rows are stored by ``feedback.services.file_new`` with multi-row inserts, after the
lookups that repeat (units, channels, identity owners, customers, the items already
stored) were done once per file or chunk. An imported item is the same as one sent to the
API: stored once per (source, site, external_id), and on its customer's timeline when the
row names a known customer. A row never creates a customer: identities nobody has stay in
the item's ``contact``, so a person can match it later.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from vinculo.accounts.models import Unit
from vinculo.customers.models import Customer
from vinculo.feedback.choices import DEFAULT_CHANNEL, Source
from vinculo.feedback.models import FeedbackItem
from vinculo.feedback.schemas import MAX_TEXT
from vinculo.feedback.services import FeedbackData, file_new
from vinculo.imports.columns import IDENTITY_COLUMNS, fold, map_header
from vinculo.imports.errors import RowError
from vinculo.imports.interactions import Counts
from vinculo.imports.parsing import LocalTimes
from vinculo.imports.resolution import LOOKUP_BATCH, IdentityResolver, live_customer_ids
from vinculo.imports.rows import has_nul, identity_columns, read_customer_id, read_identities
from vinculo.imports.sink import ErrorSink
from vinculo.journeys.models import Channel
from vinculo.textan.tasks import analyse_soon

COLUMNS = frozenset(
    {
        *IDENTITY_COLUMNS,
        "customer_id",
        "text",
        "source",
        "site",
        "external_id",
        "unit",
        "channel",
        "occurred_at",
        "rating",
        "rating_max",
        "title",
        "author",
    }
)
REQUIRED = ("text", "unit")
LIMITS = {"site": 80, "external_id": 200, "title": 300, "author": 200}
DEFAULT_SOURCE = Source.OTHER
DEFAULT_SCALE = 5  # the top of the rating scale when the row does not give it
MAX_RATING = 100
FUTURE_TOLERANCE = timedelta(days=1)

# Folded (see columns.fold) words CX teams write for each source, in Spanish and English.
SOURCE_ALIASES: dict[str, str] = {
    "resena": Source.REVIEW,
    "resenas": Source.REVIEW,
    "opinion": Source.REVIEW,
    "valoracion": Source.REVIEW,
    "red_social": Source.SOCIAL,
    "redes_sociales": Source.SOCIAL,
    "social_media": Source.SOCIAL,
    "publicacion": Source.SOCIAL,
    "post": Source.SOCIAL,
    "queja": Source.COMPLAINT,
    "quejas": Source.COMPLAINT,
    "reclamacion": Source.COMPLAINT,
    "reclamaciones": Source.COMPLAINT,
    "conversacion": Source.CHAT,
    "e_mail": Source.EMAIL,
    "correo": Source.EMAIL,
    "correo_electronico": Source.EMAIL,
    "mail": Source.EMAIL,
    "nota_de_llamada": Source.CALL_NOTE,
    "nota_llamada": Source.CALL_NOTE,
    "llamada": Source.CALL_NOTE,
    "tienda_de_aplicaciones": Source.APP_STORE,
    "app": Source.APP_STORE,
    "otro": Source.OTHER,
    "otra": Source.OTHER,
    "otros": Source.OTHER,
}

# (row number, raw cells, identity pairs, Vínculo customer id, FeedbackData fields)
ParsedRow = tuple[int, list[str], list[tuple[str, str]], int | None, dict[str, Any]]


def source_choices() -> dict[str, str]:
    """Folded source words to Source values: codes, labels in the active language, aliases."""
    found = {fold(value): value for value in Source.values}
    found.update({fold(str(source.label)): source.value for source in Source})
    found.update(SOURCE_ALIASES)
    return found


def _whole_number(text: str, lowest: int) -> int:
    """``4``, ``4.0`` or ``4,0`` as 4; anything else, or out of range, is a ValueError."""
    try:
        number = Decimal(text.strip().replace(",", "."))
    except InvalidOperation as exc:
        raise ValueError(text) from exc
    if not number.is_finite() or number != number.to_integral_value():
        raise ValueError(text)
    if not lowest <= number <= MAX_RATING:
        raise ValueError(text)
    return int(number)


def _lookup(table: dict[str, Any], raw: str) -> Any:
    """A catalogue entry by its code as typed, or folded to lower case without spaces."""
    found = table.get(raw)
    return found if found is not None else table.get(raw.strip().lower())


class FeedbackImporter:
    def __init__(self, *, header: list[str], source: str) -> None:
        self.header = header
        self.source = source  # the system the file comes from: the default site
        self.columns, self.attribute_columns, self.header_errors = map_header(
            header, COLUMNS, REQUIRED
        )
        self.names = {canonical: header[index].strip() for canonical, index in self.columns.items()}
        self.identity_columns = identity_columns(self.columns, self.names)
        self.sources = source_choices()
        self.channels = {channel.code: channel for channel in Channel.objects.all()}
        self.units = {unit.code: unit for unit in Unit.objects.all()}
        self.resolver = IdentityResolver()
        self.times = LocalTimes(ZoneInfo(settings.TIME_ZONE))
        self.now = timezone.now()
        self.first_filed = 0  # the first item this file stored
        self.latest_allowed = self.now.astimezone(UTC).replace(tzinfo=None) + FUTURE_TOLERANCE

    def process(
        self, chunk: list[tuple[int, list[str]]], sink: ErrorSink, *, strict: bool, counts: Counts
    ) -> None:
        parsed = [row for row in (self._parse(number, raw, sink) for number, raw in chunk) if row]
        self.resolver.prefetch(pair for row in parsed for pair in row[2])
        live = live_customer_ids(row[3] for row in parsed if row[3] is not None)
        matched: list[tuple[int | None, dict[str, Any]]] = []
        for number, raw, pairs, customer_id, fields in parsed:
            if customer_id is not None:
                owner = live.get(customer_id)
                if owner is None:
                    column = self.names["customer_id"]
                    sink.add(
                        number,
                        raw,
                        [RowError(number, column, "unknown_customer", str(customer_id))],
                    )
                    continue
            else:
                # Identities of two customers match nobody: the item is left for a person,
                # as file_feedback does.
                owners = self.resolver.owners(pairs)
                owner = owners.pop() if len(owners) == 1 else None
            matched.append((owner, fields))
        if strict and sink.rows_with_errors:
            return  # nothing will be kept: go on validating only
        filed = _already_filed(fields for _owner, fields in matched)
        customers = Customer.objects.in_bulk({owner for owner, _f in matched if owner is not None})
        new: list[FeedbackData] = []
        for owner, fields in matched:
            key = (fields["source"], fields["site"], fields["external_id"])
            if key in filed:
                counts.unchanged += 1  # a re-import, or the same item twice in the file
                continue
            if fields["external_id"]:
                filed.add(key)
            customer = customers.get(owner) if owner is not None else None
            new.append(FeedbackData(customer=customer, **fields))
        for item, created in file_new(new) if new else []:
            if created:
                counts.created += 1
                self.first_filed = self.first_filed or item.pk
            else:
                counts.unchanged += 1

    def finish(self, counts: Counts) -> None:
        """Items are filed chunk by chunk; once the file commits, they are analysed, from
        the first one on (a long file's first ids may be far below the newest by then)."""
        if self.first_filed:
            analyse_soon(feedback_from=self.first_filed)

    def _cell(self, row: list[str], column: str) -> str:
        index = self.columns.get(column)
        return row[index].strip() if index is not None else ""

    def _parse(self, number: int, row: list[str], sink: ErrorSink) -> ParsedRow | None:
        width = len(self.header)
        if len(row) < width:
            row = row + [""] * (width - len(row))
        names, cell = self.names, self._cell
        if has_nul(row):
            sink.add(number, row, [_nul_error(number, row, self.header)])
            return None
        errors: list[RowError] = []
        pairs = read_identities(number, row, self.identity_columns, errors)
        customer_id = read_customer_id(
            number, row, self.columns.get("customer_id"), names.get("customer_id", ""), errors
        )
        text = row[self.columns["text"]]  # stored as written, markup and spaces included
        if not text.strip():
            errors.append(RowError(number, names["text"], "required"))
        elif len(text) > MAX_TEXT:
            errors.append(RowError(number, names["text"], "too_long", text[:50] + "…"))

        source = DEFAULT_SOURCE.value
        if raw_source := cell(row, "source"):
            source = self.sources.get(fold(raw_source), "")
            if not source:
                allowed = ", ".join(Source.values)
                errors.append(
                    RowError(number, names["source"], "invalid_choice", raw_source, allowed)
                )
        unit = _lookup(self.units, row[self.columns["unit"]])
        if unit is None:
            errors.append(_code_error(number, names["unit"], row[self.columns["unit"]]))
        default_channel = DEFAULT_CHANNEL[Source(source)] if source else ""
        channel_code = cell(row, "channel") or default_channel
        channel = _lookup(self.channels, channel_code)
        if channel is None and channel_code:
            errors.append(
                RowError(number, names.get("channel", "channel"), "unknown_code", channel_code)
            )
        occurred_at = self._occurred_at(number, cell(row, "occurred_at"), errors)
        rating, rating_max = self._rating(number, row, errors)
        fields: dict[str, str] = {}
        for column, limit in LIMITS.items():
            value = cell(row, column)
            if len(value) > limit:
                errors.append(RowError(number, names[column], "too_long", value))
            fields[column] = value

        if errors:
            sink.add(number, row, errors)
            return None
        values = {
            "source": source,
            "text": text,
            "unit": unit,
            "channel": channel,
            "occurred_at": occurred_at,
            "site": fields["site"] or self.source,
            "external_id": fields["external_id"],
            "rating": rating,
            "rating_max": rating_max,
            "title": fields["title"],
            "author": fields["author"],
            "contact": dict(pairs),
            "attributes": {name: row[i] for name, i in self.attribute_columns.items() if row[i]},
        }
        return number, row, pairs, customer_id, values

    def _occurred_at(self, number: int, text: str, errors: list[RowError]) -> datetime:
        """When it was written; an empty cell (or no column) means now, as in the API."""
        if not text:
            return self.now
        column = self.names["occurred_at"]
        try:
            moment = self.times.to_utc(text)
        except ValueError:
            errors.append(RowError(number, column, "invalid_datetime", text))
            return self.now
        if moment > self.latest_allowed:
            errors.append(RowError(number, column, "future_datetime", text))
        return moment.replace(tzinfo=UTC)

    def _rating(
        self, number: int, row: list[str], errors: list[RowError]
    ) -> tuple[int | None, int | None]:
        rating = rating_max = None
        if raw := self._cell(row, "rating"):
            try:
                rating = _whole_number(raw, 0)
            except ValueError:
                errors.append(RowError(number, self.names["rating"], "invalid_rating", raw))
        scale = DEFAULT_SCALE
        if raw_max := self._cell(row, "rating_max"):
            try:
                scale = _whole_number(raw_max, 1)
            except ValueError:
                errors.append(RowError(number, self.names["rating_max"], "invalid_scale", raw_max))
        if rating is not None:
            rating_max = scale
            if rating > scale:
                errors.append(
                    RowError(number, self.names["rating"], "rating_above_scale", raw, str(scale))
                )
        return rating, rating_max


def _already_filed(rows: Iterable[dict[str, Any]]) -> set[tuple[str, str, str]]:
    """The (source, site, external_id) of these rows already stored, looked up in batches."""
    wanted: dict[tuple[str, str], set[str]] = defaultdict(set)
    for fields in rows:
        if fields["external_id"]:
            wanted[(fields["source"], fields["site"])].add(fields["external_id"])
    found: set[tuple[str, str, str]] = set()
    for (source, site), ids in wanted.items():
        ordered = sorted(ids)
        for start in range(0, len(ordered), LOOKUP_BATCH):
            # The exclude lets SQLite use the partial unique index (external_id <> '').
            stored = FeedbackItem.objects.filter(
                source=source, site=site, external_id__in=ordered[start : start + LOOKUP_BATCH]
            ).exclude(external_id="")
            found.update(
                (source, site, external_id)
                for external_id in stored.values_list("external_id", flat=True)
            )
    return found


def _code_error(number: int, column: str, raw: str) -> RowError:
    return RowError(number, column, "required" if not raw.strip() else "unknown_code", raw.strip())


def _nul_error(number: int, row: list[str], header: list[str]) -> RowError:
    """Names the first column holding a NUL character (text pasted from a binary file)."""
    index = next(i for i, value in enumerate(row) if "\x00" in value)
    column = header[index].strip() if index < len(header) else ""
    return RowError(number, column, "invalid_character")
