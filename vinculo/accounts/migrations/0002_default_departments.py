"""The departments most CX programmes start with; all of them can be renamed or removed."""

from django.db import migrations

DEPARTMENTS = [
    ("marketing", "Marketing"),
    ("sales", "Ventas"),
    ("customer_service", "Atención al cliente"),
    ("billing", "Facturación"),
    ("collections", "Cobros"),
    ("operations", "Operaciones"),
    ("technical", "Soporte técnico"),
]


def create(apps, schema_editor):
    Department = apps.get_model("accounts", "Department")
    for code, name in DEPARTMENTS:
        Department.objects.get_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
