"""Column names an import file may use, with the Spanish and English aliases CX teams type.

A header cell is matched after folding case, accents and separators, so
``Teléfono``, ``telefono`` and ``TELÉFONO`` are all the ``phone`` column.
"""

import unicodedata

from vinculo.customers.choices import ConsentChannel, IdentityKind
from vinculo.imports.errors import RowError

IDENTITY_COLUMNS: tuple[str, ...] = tuple(kind.value for kind in IdentityKind)
ATTRIBUTE_PREFIXES = ("attr_", "attr.", "atributo_")
# The columns a rejected-rows download adds around the original ones: ignored, so the
# corrected file can be uploaded as it is.
REJECTED_FILE_COLUMNS = frozenset({"row", "errors"})

ALIASES: dict[str, str] = {
    # identities
    "email": "email",
    "e_mail": "email",
    "correo": "email",
    "correo_electronico": "email",
    "mail": "email",
    "phone": "phone",
    "telefono": "phone",
    "movil": "phone",
    "mobile": "phone",
    "customer_number": "customer_number",
    "numero_cliente": "customer_number",
    "num_cliente": "customer_number",
    "n_cliente": "customer_number",
    "crm_id": "crm_id",
    "id_crm": "crm_id",
    "loyalty_card": "loyalty_card",
    "tarjeta_fidelizacion": "loyalty_card",
    "tarjeta": "loyalty_card",
    "tax_id": "tax_id",
    "nif": "tax_id",
    "dni": "tax_id",
    "cif": "tax_id",
    "customer_id": "customer_id",
    "id_cliente": "customer_id",
    # interactions
    "external_id": "external_id",
    "id_externo": "external_id",
    "occurred_at": "occurred_at",
    "fecha": "occurred_at",
    "fecha_hora": "occurred_at",
    "date": "occurred_at",
    "datetime": "occurred_at",
    "timestamp": "occurred_at",
    "channel": "channel",
    "canal": "channel",
    "interaction_type": "interaction_type",
    "type": "interaction_type",
    "tipo": "interaction_type",
    "tipo_interaccion": "interaction_type",
    "stage": "stage",
    "etapa": "stage",
    "journey_stage": "stage",
    "unit": "unit",
    "unidad": "unit",
    "tienda": "unit",
    "store": "unit",
    "amount": "amount",
    "importe": "amount",
    "cantidad": "amount",
    "currency": "currency",
    "moneda": "currency",
    "divisa": "currency",
    "customer_name": "customer_name",
    "nombre_cliente": "customer_name",
    # feedback
    "text": "text",
    "texto": "text",
    "comment": "text",
    "comentario": "text",
    "opinion": "text",
    "review": "text",
    "resena": "text",
    "message": "text",
    "mensaje": "text",
    "source": "source",
    "fuente": "source",
    "origen": "source",
    "tipo_opinion": "source",
    "site": "site",
    "sitio": "site",
    "plataforma": "site",
    "platform": "site",
    "portal": "site",
    "review_id": "external_id",
    "id_opinion": "external_id",
    "id_resena": "external_id",
    "rating": "rating",
    "puntuacion": "rating",
    "valoracion": "rating",
    "nota": "rating",
    "estrellas": "rating",
    "stars": "rating",
    "score": "rating",
    "rating_max": "rating_max",
    "max_rating": "rating_max",
    "puntuacion_maxima": "rating_max",
    "nota_maxima": "rating_max",
    "escala": "rating_max",
    "scale": "rating_max",
    "title": "title",
    "titulo": "title",
    "asunto": "title",
    "subject": "title",
    "author": "author",
    "autor": "author",
    "usuario": "author",
    "fecha_opinion": "occurred_at",
    "written_at": "occurred_at",
    "escrito_el": "occurred_at",
    # customers
    "name": "name",
    "nombre": "name",
    "full_name": "name",
    "nombre_completo": "name",
    "lifecycle_stage": "lifecycle_stage",
    "ciclo_de_vida": "lifecycle_stage",
    "etapa_ciclo_vida": "lifecycle_stage",
    "segment": "segment",
    "segmento": "segment",
    "plan": "plan",
    "tarifa": "plan",
    "value_tier": "value_tier",
    "valor": "value_tier",
    "nivel_valor": "value_tier",
    "language": "language",
    "idioma": "language",
    "home_unit": "home_unit",
    "unidad_principal": "home_unit",
    "tienda_habitual": "home_unit",
}
for _channel in ConsentChannel:
    ALIASES[f"consent_{_channel.value}"] = f"consent_{_channel.value}"
    ALIASES[f"consentimiento_{_channel.value}"] = f"consent_{_channel.value}"


def fold(name: str) -> str:
    """Lower case, no accents, separators as underscores: the form aliases are keyed by."""
    text = unicodedata.normalize("NFKD", name.strip().lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    for sep in (" ", "-", "/"):
        text = text.replace(sep, "_")
    return text


def map_header(
    header: list[str], allowed: frozenset[str], required: tuple[str, ...]
) -> tuple[dict[str, int], dict[str, int], list[RowError]]:
    """Maps header cells to canonical columns and attribute columns, with header errors."""
    columns: dict[str, int] = {}
    attributes: dict[str, int] = {}
    errors: list[RowError] = []
    for index, cell in enumerate(header):
        raw = cell.strip()
        folded = fold(raw)
        if not folded or folded in REJECTED_FILE_COLUMNS:
            continue
        prefix = next((p for p in ATTRIBUTE_PREFIXES if folded.startswith(p)), None)
        if prefix is not None:
            attributes[raw[len(prefix) :].strip()] = index
            continue
        canonical = ALIASES.get(folded)
        if canonical is None or canonical not in allowed:
            errors.append(RowError(1, raw, "unknown_column"))
        elif canonical in columns:
            errors.append(RowError(1, raw, "duplicate_column"))
        else:
            columns[canonical] = index
    for name in required:
        if name not in columns:
            errors.append(RowError(1, name, "missing_column"))
    return columns, attributes, errors
