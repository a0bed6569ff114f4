"""The interaction type a survey response writes on the timeline, and the contact policy row."""

from django.db import migrations


def create(apps, schema_editor):
    InteractionType = apps.get_model("journeys", "InteractionType")
    JourneyStage = apps.get_model("journeys", "JourneyStage")
    ContactPolicy = apps.get_model("surveys", "ContactPolicy")
    stage = JourneyStage.objects.filter(code="use").first() or JourneyStage.objects.first()
    if stage is not None:
        InteractionType.objects.get_or_create(
            code="survey_response",
            defaults={"name": "Respuesta a encuesta", "default_stage": stage},
        )
    ContactPolicy.objects.get_or_create(pk=1, defaults={"fatigue_days": 30})


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial"), ("journeys", "0002_default_catalogue")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
