"""A case reopened and a case closed on the customer's timeline (interaction types
``case_reopened`` and ``case_closed``, stage "get help", like the other case rows)."""

from django.db import migrations

# code, name: data in Spanish, the product's first language, editable afterwards
TYPES = [("case_reopened", "Caso reabierto"), ("case_closed", "Caso cerrado")]


def create(apps, schema_editor):
    InteractionType = apps.get_model("journeys", "InteractionType")
    JourneyStage = apps.get_model("journeys", "JourneyStage")
    Department = apps.get_model("accounts", "Department")
    stage = JourneyStage.objects.filter(code="get_help").first() or JourneyStage.objects.first()
    if stage is None:
        return
    department = Department.objects.filter(code="customer_service").first()
    for code, name in TYPES:
        InteractionType.objects.get_or_create(
            code=code,
            defaults={"name": name, "default_stage": stage, "department": department},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0006_record_index_waiting_and_retries"),
        ("journeys", "0002_default_catalogue"),
        ("accounts", "0002_default_departments"),
    ]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
