"""Build the whole analytics state (now with the review scores) with the current rebuild code.

A later change of the state tables must make this a no-op and build the state in its own, last migration
(as this one replaced 0012).
"""

from django.db import migrations


def build(apps, schema_editor):  # type: ignore[no-untyped-def]
    from salescope.analytics.state import rebuild

    rebuild()


class Migration(migrations.Migration):
    dependencies = [("analytics", "0014_review_scores"), ("billing", "0001_initial"), ("quality", "0001_initial")]

    operations = [migrations.RunPython(build, migrations.RunPython.noop)]
