"""Build the analytics state from the data already in the database."""

from django.db import migrations


def build(apps, schema_editor):  # type: ignore[no-untyped-def]
    from salescope.analytics.state import rebuild_activity_state

    rebuild_activity_state()


class Migration(migrations.Migration):
    dependencies = [("analytics", "0003_first_touch"), ("activities", "0002_activity_attachment")]

    operations = [migrations.RunPython(build, migrations.RunPython.noop)]
