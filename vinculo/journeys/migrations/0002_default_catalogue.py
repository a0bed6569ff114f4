"""A starting catalogue: the customer lifecycle journey, common channels and interaction types.

Names are data, in Spanish (the product's first language); every row can be renamed,
extended or removed from the settings pages.
"""

from django.db import migrations

STAGES = [
    ("discover", "Descubrir"),
    ("buy", "Comprar"),
    ("start", "Empezar"),
    ("use", "Usar"),
    ("pay", "Pagar"),
    ("get_help", "Pedir ayuda"),
    ("leave", "Irse"),
]

CHANNELS = [
    ("web", "Web"),
    ("app", "App"),
    ("store", "Tienda"),
    ("call_centre", "Centro de llamadas"),
    ("email", "E-mail"),
    ("sms", "SMS"),
    ("chat", "Chat"),
    ("whatsapp", "WhatsApp"),
    ("social", "Redes sociales"),
    ("field", "Técnico a domicilio"),
    ("post", "Correo postal"),
]

# code, name, default stage, department, is a transaction
TYPES = [
    ("information", "Información", "discover", "marketing", False),
    ("sale", "Venta", "buy", "sales", True),
    ("order", "Pedido", "buy", "sales", True),
    ("onboarding", "Alta", "start", "operations", False),
    ("installation", "Instalación", "start", "technical", False),
    ("delivery", "Entrega", "start", "operations", False),
    ("use", "Uso del servicio", "use", "operations", False),
    ("renewal", "Renovación", "use", "sales", True),
    ("billing", "Facturación", "pay", "billing", False),
    ("payment", "Pago", "pay", "billing", True),
    ("collections", "Cobros", "pay", "collections", False),
    ("support", "Soporte", "get_help", "technical", False),
    ("complaint", "Reclamación", "get_help", "customer_service", False),
    ("retention", "Retención", "leave", "customer_service", False),
    ("cancellation", "Baja", "leave", "customer_service", False),
]


def create(apps, schema_editor):
    Journey = apps.get_model("journeys", "Journey")
    JourneyStage = apps.get_model("journeys", "JourneyStage")
    Channel = apps.get_model("journeys", "Channel")
    InteractionType = apps.get_model("journeys", "InteractionType")
    Department = apps.get_model("accounts", "Department")

    journey, _ = Journey.objects.get_or_create(
        code="lifecycle", defaults={"name": "Ciclo de vida del cliente"}
    )
    stages = {}
    for position, (code, name) in enumerate(STAGES, start=1):
        stages[code], _ = JourneyStage.objects.get_or_create(
            code=code, defaults={"journey": journey, "name": name, "position": position}
        )
    for code, name in CHANNELS:
        Channel.objects.get_or_create(code=code, defaults={"name": name})
    departments = {d.code: d for d in Department.objects.all()}
    for code, name, stage, department, is_transaction in TYPES:
        InteractionType.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "default_stage": stages[stage],
                "department": departments.get(department),
                "is_transaction": is_transaction,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("journeys", "0001_initial"), ("accounts", "0002_default_departments")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
