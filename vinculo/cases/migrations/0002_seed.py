"""What a CX programme starts with: SLA targets per priority, a Monday-to-Friday week, a
root-cause taxonomy, and the interaction types case events write on the timeline. All of
it is data (in Spanish, the product's first language), editable afterwards."""

import datetime as dt

from django.db import migrations

# priority, first response, resolution (business minutes unless round the clock), 24/7
SLA = [
    ("urgent", 60, 8 * 60, True),
    ("high", 4 * 60, 2 * 9 * 60, False),
    ("normal", 9 * 60, 5 * 9 * 60, False),
    ("low", 2 * 9 * 60, 10 * 9 * 60, False),
]
WEEK = [(day, dt.time(9), dt.time(18)) for day in range(5)]
ROOT_CAUSES = {
    "Atención": ["Trato del personal", "Tiempo de espera", "Información incorrecta"],
    "Facturación": ["Cobro indebido", "Factura incomprensible", "Cargo duplicado"],
    "Producto o servicio": ["Avería", "Calidad insuficiente", "No disponible"],
    "Proceso": ["Trámite demasiado largo", "Promesa incumplida", "Falta de seguimiento"],
    "Entrega e instalación": ["Retraso", "Cita no cumplida", "Instalación defectuosa"],
    "Precio": ["Precio alto", "Condiciones cambiadas"],
}
# code, name: the timeline rows of a case's life (stage "get help")
TYPES = [("case_opened", "Caso abierto"), ("case_contact", "Contacto de seguimiento"),
         ("case_resolved", "Caso resuelto")]


def create(apps, schema_editor):
    SlaTarget = apps.get_model("cases", "SlaTarget")
    WorkingHours = apps.get_model("cases", "WorkingHours")
    RootCause = apps.get_model("cases", "RootCause")
    InteractionType = apps.get_model("journeys", "InteractionType")
    JourneyStage = apps.get_model("journeys", "JourneyStage")
    Department = apps.get_model("accounts", "Department")
    for priority, first, resolution, always in SLA:
        SlaTarget.objects.get_or_create(
            priority=priority,
            defaults={
                "first_response_minutes": first,
                "resolution_minutes": resolution,
                "round_the_clock": always,
            },
        )
    if not WorkingHours.objects.exists():
        for weekday, opens, closes in WEEK:
            WorkingHours.objects.create(weekday=weekday, opens=opens, closes=closes)
    for name, children in ROOT_CAUSES.items():
        parent, _created = RootCause.objects.get_or_create(name=name, parent=None)
        for child in children:
            RootCause.objects.get_or_create(name=child, parent=parent)
    stage = JourneyStage.objects.filter(code="get_help").first() or JourneyStage.objects.first()
    if stage is not None:
        service = Department.objects.filter(code="customer_service").first()
        for code, name in TYPES:
            InteractionType.objects.get_or_create(
                code=code,
                defaults={"name": name, "default_stage": stage, "department": service},
            )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0001_initial"),
        ("journeys", "0002_default_catalogue"),
        ("accounts", "0002_default_departments"),
    ]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
