from django.db import migrations


def create(apps, schema_editor):
    """The policy row and the roll-up lock row; idempotent, so tests may run it again."""
    apps.get_model("metrics", "MetricPolicy").objects.get_or_create(pk=1)
    apps.get_model("metrics", "RollupState").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("metrics", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
