"""Build the whole analytics state (now with MoneyDay) with the current rebuild code.

A later change of the state tables must make this a no-op and build the state in its own, last migration
(as this one replaced 0009).
"""

from django.db import migrations


def build(apps, schema_editor):  # type: ignore[no-untyped-def]
    from salescope.analytics.state import rebuild

    rebuild()


class Migration(migrations.Migration):
    dependencies = [("analytics", "0011_money_day"), ("billing", "0001_initial")]

    operations = [migrations.RunPython(build, migrations.RunPython.noop)]
