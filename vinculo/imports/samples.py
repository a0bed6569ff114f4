"""Sample files users can download, fill in and upload: the quickest documentation."""

from vinculo.accounts.models import Unit
from vinculo.imports.readers import write_csv

SAMPLES: dict[str, list[list[str]]] = {
    "customers": [
        [
            "customer_number",
            "name",
            "email",
            "phone",
            "segment",
            "plan",
            "value_tier",
            "lifecycle_stage",
            "language",
            "home_unit",
            "consent_email",
            "consent_sms",
            "attr_birth_year",
        ],
        [
            "EJEMPLO-0001",
            "Ana García López",
            "ana.garcia@example.com",
            "600 11 22 33",
            "Residencial",
            "Fibra 1Gb + Móvil",
            "high",
            "active",
            "es",
            "",
            "sí",
            "no",
            "1984",
        ],
    ],
    "interactions": [
        [
            "external_id",
            "customer_number",
            "phone",
            "occurred_at",
            "channel",
            "interaction_type",
            "stage",
            "unit",
            "amount",
            "currency",
            "attr_agent",
        ],
        [
            "ORD-2026-0001",
            "EJEMPLO-0001",
            "",
            "2026-03-01 10:30",
            "store",
            "sale",
            "",
            "",
            "59,90",
            "EUR",
            "María",
        ],
        [
            "CALL-2026-0042",
            "",
            "600 11 22 33",
            "05/03/2026 18:02",
            "call_centre",
            "support",
            "",
            "",
            "",
            "",
            "Jorge",
        ],
    ],
    "feedback": [
        [
            "external_id",
            "source",
            "site",
            "occurred_at",
            "unit",
            "channel",
            "rating",
            "rating_max",
            "title",
            "text",
            "author",
            "email",
            "attr_language",
        ],
        [
            "G-2026-0001",
            "reseña",
            "Google",
            "2026-03-01 10:30",
            "",
            "",
            "4",
            "5",
            "Buena atención",
            "Me atendieron rápido, pero la cola para pagar era muy larga.",
            "Ana G.",
            "ana.garcia@example.com",
            "es",
        ],
        [
            "REC-2026-0042",
            "queja",
            "",
            "05/03/2026 18:02",
            "",
            "call_centre",
            "",
            "",
            "Factura duplicada",
            "Me han cobrado dos veces la factura de febrero y nadie me da una solución.",
            "",
            "",
            "es",
        ],
    ],
}


def sample_csv(kind: str) -> str:
    """The sample, with the installation's first store as unit so it imports as is."""
    unit = (
        Unit.objects.filter(children__isnull=True).order_by("path").values_list("code", flat=True)
    ).first() or "store-code"
    header, *rows = SAMPLES[kind]
    if "unit" in header:
        at = header.index("unit")
        rows = [[*row[:at], unit, *row[at + 1 :]] for row in rows]
    return write_csv([header, *rows])
