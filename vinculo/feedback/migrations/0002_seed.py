"""The interaction type a feedback item writes on the customer's timeline."""

from django.db import migrations


def create(apps, schema_editor):
    InteractionType = apps.get_model("journeys", "InteractionType")
    JourneyStage = apps.get_model("journeys", "JourneyStage")
    Department = apps.get_model("accounts", "Department")
    stage = JourneyStage.objects.filter(code="use").first() or JourneyStage.objects.first()
    if stage is not None:
        InteractionType.objects.get_or_create(
            code="feedback",
            defaults={
                "name": "Opinión del cliente",
                "default_stage": stage,
                "department": Department.objects.filter(code="customer_service").first(),
            },
        )


class Migration(migrations.Migration):
    dependencies = [("feedback", "0001_initial"), ("journeys", "0002_default_catalogue")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
