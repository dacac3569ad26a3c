"""Period state is changed only by the period services (never in a form or the admin), and on
PostgreSQL an exclusion constraint refuses overlapping periods even when two requests race past
the service's own check (every response belongs to exactly one period)."""

from django.db import migrations, models

NO_OVERLAP = (
    "ALTER TABLE surveys_period ADD CONSTRAINT period_no_overlap "
    "EXCLUDE USING gist (daterange(start, \"end\", '[]') WITH &&)"
)
DROP_NO_OVERLAP = "ALTER TABLE surveys_period DROP CONSTRAINT IF EXISTS period_no_overlap"


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0009_tallies_add_function"),
    ]

    operations = [
        migrations.AlterField(
            model_name="period",
            name="state",
            field=models.CharField(
                choices=[("open", "Dibuka"), ("closed", "Ditutup"), ("published", "Dipublikasikan")],
                default="open",
                editable=False,
                max_length=10,
                verbose_name="status",
            ),
        ),
        migrations.RunPython(_on_postgresql(NO_OVERLAP), _on_postgresql(DROP_NO_OVERLAP), elidable=False),
    ]
