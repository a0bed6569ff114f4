"""Validating and upserting customer rows, chunk by chunk.

Identity resolution decides each row's customer: a row whose identities match an
existing customer updates it (adding any new identities); a row with only new identities
creates a customer; a row whose identities belong to two customers is an error.
"""

from typing import Any

from django.utils import timezone

from vinculo.accounts.models import Unit
from vinculo.customers.choices import ConsentChannel, LifecycleStage, ValueTier
from vinculo.customers.models import Customer, Identity
from vinculo.imports.columns import IDENTITY_COLUMNS, map_header
from vinculo.imports.errors import RowError
from vinculo.imports.interactions import Counts
from vinculo.imports.parsing import parse_boolean
from vinculo.imports.resolution import IdentityResolver, live_customer_ids
from vinculo.imports.rows import has_nul, identity_columns, read_customer_id, read_identities
from vinculo.imports.sink import ErrorSink

CONSENT_COLUMNS = {f"consent_{c.value}": c.value for c in ConsentChannel}
CHOICE_COLUMNS: dict[str, dict[str, str]] = {
    "lifecycle_stage": {c.value: c.value for c in LifecycleStage}
    | {str(c.label).lower(): c.value for c in LifecycleStage},
    "value_tier": {c.value: c.value for c in ValueTier},
}
TEXT_COLUMNS = {"name": 200, "segment": 60, "plan": 80, "language": 8}
COLUMNS = frozenset(
    {
        *IDENTITY_COLUMNS,
        "customer_id",
        "home_unit",
        *CONSENT_COLUMNS,
        *CHOICE_COLUMNS,
        *TEXT_COLUMNS,
    }
)
PROFILE = ("name", "lifecycle_stage", "segment", "plan", "value_tier", "language")

# (row number, raw cells, identity pairs, customer id, profile fields)
ParsedRow = tuple[int, list[str], list[tuple[str, str]], int | None, dict[str, Any]]


class CustomerImporter:
    def __init__(self, *, header: list[str], source: str) -> None:
        self.header = header
        self.source = source
        self.columns, self.attribute_columns, self.header_errors = map_header(header, COLUMNS, ())
        self.names = {canonical: header[index].strip() for canonical, index in self.columns.items()}
        self.identity_columns = identity_columns(self.columns, self.names)
        if not self.identity_columns and "customer_id" not in self.columns:
            self.header_errors.append(RowError(1, "customer_number", "missing_column"))
        self.units = dict(Unit.objects.values_list("code", "id"))
        self.resolver = IdentityResolver()

    def process(
        self, chunk: list[tuple[int, list[str]]], sink: ErrorSink, *, strict: bool, counts: Counts
    ) -> None:
        parsed = self._parse(chunk, sink)
        self.resolver.prefetch(pair for row in parsed for pair in row[2])
        updates, creates, new_identities = self._resolve(parsed, sink)
        if strict and sink.rows_with_errors:
            return
        real_ids = self._create(creates)
        counts.created += len(real_ids)
        if new_identities:
            Identity.objects.bulk_create(
                [
                    Identity(
                        customer_id=real_ids.get(ref, ref), kind=k, value=v, source=self.source
                    )
                    for ref, k, v in new_identities
                ],
                batch_size=1000,
            )
        changed = self._update(updates, {ref for ref, _k, _v in new_identities if ref > 0})
        counts.updated += changed
        counts.unchanged += len(updates) - changed

    def finish(self, counts: Counts) -> None:
        """Customers are written chunk by chunk; nothing is pending at the end."""

    def _parse(self, chunk: list[tuple[int, list[str]]], sink: ErrorSink) -> list[ParsedRow]:
        parsed: list[ParsedRow] = []
        width = len(self.header)
        for number, row in chunk:
            if len(row) < width:
                row = row + [""] * (width - len(row))
            if has_nul(row):
                sink.add(number, row, [RowError(number, "", "invalid_character")])
                continue
            errors: list[RowError] = []
            pairs = read_identities(number, row, self.identity_columns, errors)
            customer_id = read_customer_id(
                number,
                row,
                self.columns.get("customer_id"),
                self.names.get("customer_id", ""),
                errors,
            )
            if not pairs and customer_id is None and not errors:
                errors.append(RowError(number, "", "no_identity", ", ".join(IDENTITY_COLUMNS)))
            fields = self._fields(number, row, errors)
            if errors:
                sink.add(number, row, errors)
                continue
            parsed.append((number, row, pairs, customer_id, fields))
        return parsed

    def _fields(self, number: int, row: list[str], errors: list[RowError]) -> dict[str, Any]:
        """The profile values present in the row; empty cells leave a field untouched."""
        fields: dict[str, Any] = {}
        for column, limit in TEXT_COLUMNS.items():
            if column in self.columns and row[self.columns[column]].strip():
                value = row[self.columns[column]].strip()
                if len(value) > limit:
                    errors.append(RowError(number, self.names[column], "too_long", value))
                fields[column] = value.lower() if column == "language" else value
        for column, allowed in CHOICE_COLUMNS.items():
            if column in self.columns and row[self.columns[column]].strip():
                raw = row[self.columns[column]].strip()
                choice = allowed.get(raw.lower())
                if choice is None:
                    listed = ", ".join(sorted(set(allowed.values())))
                    error = RowError(number, self.names[column], "invalid_choice", raw, listed)
                    errors.append(error)
                fields[column] = choice
        if "home_unit" in self.columns and row[self.columns["home_unit"]].strip():
            raw = row[self.columns["home_unit"]].strip()
            unit_id = self.units.get(raw) or self.units.get(raw.lower())
            if unit_id is None:
                errors.append(RowError(number, self.names["home_unit"], "unknown_code", raw))
            fields["home_unit_id"] = unit_id
        consents = {}
        for column, channel in CONSENT_COLUMNS.items():
            if column in self.columns and row[self.columns[column]].strip():
                raw = row[self.columns[column]]
                try:
                    consents[channel] = parse_boolean(raw)
                except ValueError:
                    errors.append(RowError(number, self.names[column], "invalid_boolean", raw))
        if consents:
            fields["consents"] = consents
        attributes = {name: row[i] for name, i in self.attribute_columns.items() if row[i]}
        if attributes:
            fields["attributes"] = attributes
        return fields

    def _resolve(
        self, parsed: list[ParsedRow], sink: ErrorSink
    ) -> tuple[dict[int, dict[str, Any]], dict[int, dict[str, Any]], list[tuple[int, str, str]]]:
        live = live_customer_ids(row[3] for row in parsed if row[3] is not None)
        owner = self.resolver.owner
        updates: dict[int, dict[str, Any]] = {}
        creates: dict[int, dict[str, Any]] = {}
        new_identities: list[tuple[int, str, str]] = []
        for number, raw, pairs, customer_id, fields in parsed:
            refs = self.resolver.owners(pairs)
            if customer_id is not None:
                if customer_id not in live:
                    column = self.names["customer_id"]
                    sink.add(
                        number,
                        raw,
                        [RowError(number, column, "unknown_customer", str(customer_id))],
                    )
                    continue
                refs.add(live[customer_id])
            if len(refs) > 1:
                shown = ", ".join(f"#{ref}" for ref in sorted(refs) if ref > 0) or "—"
                sink.add(number, raw, [RowError(number, "", "identity_conflict", shown)])
                continue
            ref = refs.pop() if refs else self.resolver.placeholder()
            target = creates if ref < 0 else updates
            _merge_fields(target.setdefault(ref, {}), fields)
            for pair in pairs:
                if pair not in owner:
                    owner[pair] = ref
                    new_identities.append((ref, pair[0], pair[1]))
        return updates, creates, new_identities

    def _create(self, creates: dict[int, dict[str, Any]]) -> dict[int, int]:
        if not creates:
            return {}
        refs = list(creates)
        made = Customer.objects.bulk_create(
            [
                Customer(
                    **creates[ref], name_folded=Customer.fold_name(creates[ref].get("name", ""))
                )
                for ref in refs
            ],
            batch_size=1000,
        )
        real_ids = {ref: customer.pk for ref, customer in zip(refs, made, strict=True)}
        self.resolver.settle(real_ids)
        return real_ids

    def _update(self, updates: dict[int, dict[str, Any]], gained_identity: set[int]) -> int:
        """Applies changed fields; returns how many customers changed in any way."""
        changed_count = 0
        to_save: list[Customer] = []
        touched: set[str] = set()
        customers = Customer.objects.in_bulk(list(updates))
        now = timezone.now()
        for pk, fields in updates.items():
            customer = customers[pk]
            changed = False
            for field, value in fields.items():
                if field in ("consents", "attributes"):
                    value = {**getattr(customer, field), **value}
                if getattr(customer, field) != value:
                    setattr(customer, field, value)
                    touched.add(field)
                    changed = True
            if changed:
                customer.name_folded = Customer.fold_name(customer.name)
                touched.add("name_folded")
                customer.updated_at = now
                to_save.append(customer)
            if changed or pk in gained_identity:
                changed_count += 1
        if to_save:
            Customer.objects.bulk_update(to_save, sorted(touched | {"updated_at"}), batch_size=500)
        return changed_count


def _merge_fields(target: dict[str, Any], fields: dict[str, Any]) -> None:
    for field, value in fields.items():
        if field in ("consents", "attributes"):
            target[field] = {**target.get(field, {}), **value}
        else:
            target[field] = value
