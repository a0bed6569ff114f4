"""The follow-up survey's answer on the customer's timeline (interaction type
``case_follow_up``, stage "get help", like the other case rows), and its line in the
case's activity log (event kind ``follow_up``)."""

from django.db import migrations, models

# code, name: data in Spanish, the product's first language, editable afterwards
TYPE = ("case_follow_up", "Encuesta tras el caso")


def create(apps, schema_editor):
    InteractionType = apps.get_model("journeys", "InteractionType")
    JourneyStage = apps.get_model("journeys", "JourneyStage")
    Department = apps.get_model("accounts", "Department")
    stage = JourneyStage.objects.filter(code="get_help").first() or JourneyStage.objects.first()
    if stage is None:
        return
    code, name = TYPE
    InteractionType.objects.get_or_create(
        code=code,
        defaults={
            "name": name,
            "default_stage": stage,
            "department": Department.objects.filter(code="customer_service").first(),
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_close_the_loop"),
        ("journeys", "0002_default_catalogue"),
        ("accounts", "0002_default_departments"),
    ]

    operations = [
        migrations.AlterField(
            model_name="caseevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("opened", "Opened"),
                    ("assigned", "Assigned"),
                    ("status", "Status changed"),
                    ("note", "Note"),
                    ("contact", "Customer contacted"),
                    ("action", "Action taken"),
                    ("root_cause", "Root cause set"),
                    ("priority", "Priority changed"),
                    ("escalated", "Escalated"),
                    ("follow_up", "Follow-up survey"),
                ],
                max_length=20,
                verbose_name="kind",
            ),
        ),
        migrations.RunPython(create, migrations.RunPython.noop),
    ]
