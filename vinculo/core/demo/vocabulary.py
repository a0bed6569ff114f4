"""The Spanish words of the demo's interactions: topics, reasons, devices, payment methods."""

from decimal import Decimal

INFO_TOPICS = [
    "Tarifas de fibra", "Tarifas móviles", "Cobertura en mi zona", "Ofertas de terminales",
    "Paquetes con TV", "Comparativa de tarifas", "Portabilidad",
]  # fmt: skip
USE_ACTIVITIES = [
    "Consulta de consumo", "Consulta de consumo", "Bono de datos extra", "Activación de roaming",
    "Gestión de líneas", "Configuración del wifi", "Alta en TV a la carta",
]  # fmt: skip
SUPPORT_TOPICS = [
    "Avería de fibra", "Sin cobertura móvil", "Configuración del router", "Velocidad lenta",
    "Problema con la TV", "Duplicado de SIM", "Configuración del correo",
]  # fmt: skip
COMPLAINT_TOPICS = [
    "Factura incorrecta", "Avería sin resolver", "Cobro indebido", "Retraso en la instalación",
    "Atención recibida", "Subida de precio", "Cobertura deficiente",
]  # fmt: skip
LEAVING_REASONS = [
    "Precio", "Oferta de la competencia", "Calidad de la conexión", "Atención al cliente",
    "Mudanza", "Cobertura deficiente",
]  # fmt: skip
DEVICE_PRICES = [Decimal(p) for p in ("149", "199", "249", "329", "449", "699", "899")]
# How bills are paid, how often, and the channels each method is used in.
PAYMENT_METHODS: list[tuple[str, int, list[str]]] = [
    ("Domiciliación bancaria", 70, ["app", "web"]),
    ("Tarjeta", 20, ["app", "web", "store"]),
    ("Bizum", 5, ["app"]),
    ("Efectivo", 5, ["store"]),
]
