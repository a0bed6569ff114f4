"""Validating and storing interaction rows, chunk by chunk.

A row names its customer by any identity (or Vínculo's customer id). Identities that
match attach the interaction to that customer; new identities of a known customer are
added to it; a row whose identities are all new creates a prospect customer.

This is the hot loop of million-row imports: column lookups are hoisted out of the loop,
repeated values are memoised, and inserts run in a second thread (``BackgroundWriter``)
while the next chunk is parsed.
"""

import hashlib
import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from vinculo.accounts.models import Unit
from vinculo.customers.models import Customer, Identity
from vinculo.imports.columns import IDENTITY_COLUMNS, map_header
from vinculo.imports.errors import RowError
from vinculo.imports.parsing import LocalTimes, parse_amount, parse_currency
from vinculo.imports.resolution import IdentityResolver, live_customer_ids
from vinculo.imports.rows import has_nul, identity_columns, read_customer_id, read_identities
from vinculo.imports.sink import ErrorSink
from vinculo.imports.writers import BackgroundWriter, InteractionRow, interaction_writer
from vinculo.journeys.models import Channel, InteractionType, JourneyStage, Touchpoint
from vinculo.journeys.services import touchpoint_for

COLUMNS = frozenset(
    {
        *IDENTITY_COLUMNS,
        "customer_id",
        "customer_name",
        "external_id",
        "occurred_at",
        "channel",
        "interaction_type",
        "stage",
        "unit",
        "amount",
        "currency",
    }
)
REQUIRED = ("occurred_at", "channel", "interaction_type", "unit")
DEFAULT_CURRENCY = "EUR"
MAX_EXTERNAL_ID = 120
MAX_NAME = 200
FUTURE_TOLERANCE = timedelta(days=1)

# (row number, raw cells, identity pairs, customer id, customer name, interaction values)
ParsedRow = tuple[int, list[str], list[tuple[str, str]], int | None, str, tuple[Any, ...]]


class Counts:
    __slots__ = ("created", "unchanged", "updated")

    def __init__(self) -> None:
        self.created = 0
        self.updated = 0
        self.unchanged = 0


def _lookup(table: dict[str, Any], raw: str) -> Any:
    """A catalogue code as typed, or folded to lower case without spaces."""
    found = table.get(raw)
    if found is None:
        found = table.get(raw.strip().lower())
    return found


class InteractionImporter:
    def __init__(self, *, header: list[str], source: str) -> None:
        self.header = header
        self.source = source
        self.columns, self.attribute_columns, self.header_errors = map_header(
            header, COLUMNS, REQUIRED
        )
        self.names = {canonical: header[index].strip() for canonical, index in self.columns.items()}
        self.identity_columns = identity_columns(self.columns, self.names)
        if not self.identity_columns and "customer_id" not in self.columns:
            self.header_errors.append(RowError(1, "customer_number", "missing_column"))
        self.channels = dict(Channel.objects.values_list("code", "id"))
        self.types = {
            code: (pk, stage)
            for code, pk, stage in InteractionType.objects.values_list(
                "code", "id", "default_stage_id"
            )
        }
        self.stages = dict(JourneyStage.objects.values_list("code", "id"))
        self.units = dict(Unit.objects.values_list("code", "id"))
        self.touchpoints = {
            (c, t, s): pk
            for pk, c, t, s in Touchpoint.objects.values_list(
                "id", "channel_id", "interaction_type_id", "stage_id"
            )
        }
        self.resolver = IdentityResolver()
        self.out = BackgroundWriter(interaction_writer())
        self.times = LocalTimes(ZoneInfo(settings.TIME_ZONE))
        now = timezone.now().astimezone(UTC).replace(tzinfo=None)
        self.text_values = self.out.text_values
        self.created_at: datetime | str = str(now) if self.text_values else now
        self.latest_allowed = now + FUTURE_TOLERANCE

    def process(
        self, chunk: list[tuple[int, list[str]]], sink: ErrorSink, *, strict: bool, counts: Counts
    ) -> None:
        parsed = self._parse(chunk, sink)  # overlaps with the previous chunk's insert
        self.out.wait()
        self.resolver.prefetch(pair for row in parsed for pair in row[2])
        resolved, new_customers, new_identities = self._resolve(parsed, sink)
        if strict and sink.rows_with_errors:
            return  # nothing will be kept: go on validating only
        real_ids = self._create_customers(new_customers)
        self._add_identities(new_identities, real_ids)
        if real_ids:
            resolved = [(real_ids.get(row[0], row[0]), *row[1:]) for row in resolved]
        self.out.submit(resolved)

    def finish(self, counts: Counts) -> None:
        self.out.close()
        counts.created += self.out.inserted
        counts.unchanged += self.out.skipped

    def _touchpoint(self, channel_id: int, type_id: int, stage_id: int) -> int:
        key = (channel_id, type_id, stage_id)
        pk = self.touchpoints.get(key)
        if pk is None:
            self.out.wait()  # the database is the writer thread's until it is done
            pk = touchpoint_for(
                channel=Channel.objects.get(pk=channel_id),
                interaction_type=InteractionType.objects.get(pk=type_id),
                stage=JourneyStage.objects.get(pk=stage_id),
            ).pk
            self.touchpoints[key] = pk
        return pk

    def _parse(self, chunk: list[tuple[int, list[str]]], sink: ErrorSink) -> list[ParsedRow]:
        col, names = self.columns, self.names
        i_when, i_channel, i_type, i_unit = (
            col["occurred_at"],
            col["channel"],
            col["interaction_type"],
            col["unit"],
        )
        i_stage, i_amount, i_currency = col.get("stage"), col.get("amount"), col.get("currency")
        i_external, i_name = col.get("external_id"), col.get("customer_name")
        i_customer = col.get("customer_id")
        customer_column = names.get("customer_id", "")
        channels, types, stages, units = self.channels, self.types, self.stages, self.units
        identity_columns = self.identity_columns
        attribute_columns = list(self.attribute_columns.items())
        width = len(self.header)
        source, created_at, text_values = self.source, self.created_at, self.text_values
        to_utc, latest = self.times.to_utc, self.latest_allowed
        touchpoints, touchpoint = self.touchpoints, self._touchpoint
        parsed: list[ParsedRow] = []
        for number, row in chunk:
            if len(row) < width:
                row = row + [""] * (width - len(row))
            if has_nul(row):
                sink.add(number, row, [RowError(number, "", "invalid_character")])
                continue
            errors: list[RowError] = []
            pairs = read_identities(number, row, identity_columns, errors)
            customer_id = read_customer_id(number, row, i_customer, customer_column, errors)
            if not pairs and customer_id is None and not errors:
                errors.append(RowError(number, "", "no_identity", ", ".join(IDENTITY_COLUMNS)))

            occurred: datetime | None = None
            text = row[i_when]
            try:
                occurred = to_utc(text)
            except ValueError:
                code = "invalid_datetime" if text.strip() else "required"
                errors.append(RowError(number, names["occurred_at"], code, text))
            else:
                if occurred > latest:
                    errors.append(RowError(number, names["occurred_at"], "future_datetime", text))
            channel = channels.get(row[i_channel]) or _lookup(channels, row[i_channel])
            if channel is None:
                errors.append(_code_error(number, names["channel"], row[i_channel]))
            type_entry = types.get(row[i_type]) or _lookup(types, row[i_type])
            if type_entry is None:
                errors.append(_code_error(number, names["interaction_type"], row[i_type]))
            stage = None
            if i_stage is not None and row[i_stage].strip():
                stage = _lookup(stages, row[i_stage])
                if stage is None:
                    errors.append(_code_error(number, names["stage"], row[i_stage]))
            unit = units.get(row[i_unit]) or _lookup(units, row[i_unit])
            if unit is None:
                errors.append(_code_error(number, names["unit"], row[i_unit]))

            amount: Decimal | str | None = None
            currency = ""
            if i_amount is not None and row[i_amount]:
                try:
                    amount = parse_amount(row[i_amount])
                except ValueError as exc:
                    errors.append(RowError(number, names["amount"], str(exc), row[i_amount]))
                currency = DEFAULT_CURRENCY
                if i_currency is not None and row[i_currency].strip():
                    try:
                        currency = parse_currency(row[i_currency])
                    except ValueError as exc:
                        errors.append(
                            RowError(number, names["currency"], str(exc), row[i_currency])
                        )

            external_id = row[i_external].strip() if i_external is not None else ""
            if len(external_id) > MAX_EXTERNAL_ID:
                errors.append(RowError(number, names["external_id"], "too_long", external_id))
            name = row[i_name].strip() if i_name is not None else ""
            if len(name) > MAX_NAME:
                errors.append(RowError(number, names["customer_name"], "too_long", name))

            if errors:
                sink.add(number, row, errors)
                continue
            assert occurred is not None and type_entry is not None
            stage_id = stage or type_entry[1]
            touchpoint_id = touchpoints.get((channel, type_entry[0], stage_id))
            if touchpoint_id is None:
                touchpoint_id = touchpoint(channel, type_entry[0], stage_id)
            if not external_id:
                external_id = _natural_key(
                    pairs, customer_id, touchpoint_id, unit, occurred, amount
                )
            attributes = "{}"
            if attribute_columns:
                values = {name: row[index] for name, index in attribute_columns if row[index]}
                if values:
                    attributes = json.dumps(values, ensure_ascii=False)
            if text_values and amount is not None:
                amount = str(amount)
            parsed.append(
                (
                    number,
                    row,
                    pairs,
                    customer_id,
                    name,
                    (
                        touchpoint_id,
                        unit,
                        str(occurred) if text_values else occurred,
                        amount,
                        currency,
                        attributes,
                        source,
                        external_id,
                        "",
                        None,
                        created_at,
                    ),
                )
            )
        return parsed

    def _resolve(
        self, parsed: list[ParsedRow], sink: ErrorSink
    ) -> tuple[list[InteractionRow], dict[int, str], list[tuple[int, str, str]]]:
        """Decides each row's customer; returns rows, customers to create, identities to add."""
        live = live_customer_ids(row[3] for row in parsed if row[3] is not None)
        owner = self.resolver.owner
        resolved: list[InteractionRow] = []
        new_customers: dict[int, str] = {}
        new_identities: list[tuple[int, str, str]] = []
        for number, raw, pairs, customer_id, name, values in parsed:
            if len(pairs) == 1 and customer_id is None:
                ref = owner.get(pairs[0])  # the common case: one identity column
                refs = set() if ref is None else {ref}
            else:
                refs = self.resolver.owners(pairs)
            if customer_id is not None:
                if customer_id not in live:
                    column = self.names["customer_id"]
                    error = RowError(number, column, "unknown_customer", str(customer_id))
                    sink.add(number, raw, [error])
                    continue
                refs.add(live[customer_id])
            if len(refs) > 1:
                shown = ", ".join(f"#{ref}" for ref in sorted(refs) if ref > 0) or "—"
                sink.add(number, raw, [RowError(number, "", "identity_conflict", shown)])
                continue
            if refs:
                ref = refs.pop()
            else:
                ref = self.resolver.placeholder()
                new_customers[ref] = name
            for pair in pairs:
                if pair not in owner:
                    owner[pair] = ref
                    new_identities.append((ref, pair[0], pair[1]))
            resolved.append((ref, *values))
        return resolved, new_customers, new_identities

    def _create_customers(self, new_customers: dict[int, str]) -> dict[int, int]:
        if not new_customers:
            return {}
        refs = list(new_customers)
        created = Customer.objects.bulk_create(
            [
                Customer(
                    name=new_customers[ref], name_folded=Customer.fold_name(new_customers[ref])
                )
                for ref in refs
            ],
            batch_size=1000,
        )
        real_ids = {ref: customer.pk for ref, customer in zip(refs, created, strict=True)}
        self.resolver.settle(real_ids)
        return real_ids

    def _add_identities(
        self, new_identities: list[tuple[int, str, str]], real_ids: dict[int, int]
    ) -> None:
        if new_identities:
            Identity.objects.bulk_create(
                [
                    Identity(
                        customer_id=real_ids.get(ref, ref),
                        kind=kind,
                        value=value,
                        source=self.source,
                    )
                    for ref, kind, value in new_identities
                ],
                batch_size=1000,
            )


def _code_error(number: int, column: str, raw: str) -> RowError:
    return RowError(number, column, "required" if not raw.strip() else "unknown_code", raw.strip())


def _natural_key(
    pairs: list[tuple[str, str]],
    customer_id: int | None,
    touchpoint: int,
    unit: int,
    occurred: datetime,
    amount: Any,
) -> str:
    """A stable id for rows without external_id: the same fact always hashes the same."""
    who = ";".join(f"{k}={v}" for k, v in sorted(pairs)) or f"id={customer_id}"
    text = f"{who}|{touchpoint}|{unit}|{occurred.isoformat()}|{amount}"
    return "nk:" + hashlib.sha1(text.encode()).hexdigest()
