"""Build the whole analytics state from the data already in the database.

It runs the current rebuild code: a later change of the state tables must make this a no-op and build the
state in its own, last migration (as this one replaced 0006).
"""

from django.db import migrations


def build(apps, schema_editor):  # type: ignore[no-untyped-def]
    from salescope.analytics.state import rebuild

    rebuild()


class Migration(migrations.Migration):
    dependencies = [("analytics", "0008_deal_fact")]

    operations = [migrations.RunPython(build, migrations.RunPython.noop)]
