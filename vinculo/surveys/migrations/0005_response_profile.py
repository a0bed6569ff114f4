from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def backfill(apps, schema_editor):
    """Responses given before the snapshot existed take their customer's current profile."""
    Response = apps.get_model("surveys", "Response")
    Customer = apps.get_model("customers", "Customer")
    customer = Customer.objects.filter(pk=OuterRef("customer_id"))
    Response.objects.filter(customer__isnull=False).update(
        segment=Subquery(customer.values("segment")[:1]),
        lifecycle_stage=Subquery(customer.values("lifecycle_stage")[:1]),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0001_initial"),
        ("surveys", "0004_link_name_help"),
    ]

    operations = [
        migrations.AddField(
            model_name="response",
            name="lifecycle_stage",
            field=models.CharField(blank=True, max_length=20, verbose_name="lifecycle stage"),
        ),
        migrations.AddField(
            model_name="response",
            name="segment",
            field=models.CharField(blank=True, max_length=60, verbose_name="customer segment"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
