"""Build the whole analytics state from the data already in the database.

It runs the current rebuild code: a later change of the state tables must make this a no-op and build the
state in its own, last migration (as this one replaced 0004).
"""

from django.db import migrations


def build(apps, schema_editor):  # type: ignore[no-untyped-def]
    from salescope.analytics.state import rebuild

    rebuild()


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0005_state_tables"),
        ("followups", "0002_alter_task_created_at"),
        ("quality", "0002_alter_qareview_at"),
    ]

    operations = [migrations.RunPython(build, migrations.RunPython.noop)]
