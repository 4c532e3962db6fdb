"""Build the deal and callback facts from the data already in the database."""

from django.db import migrations


def build(apps, schema_editor):  # type: ignore[no-untyped-def]
    from salescope.analytics.state_callbacks import rebuild_callback_facts
    from salescope.analytics.state_deals import rebuild_deal_facts

    rebuild_deal_facts()
    rebuild_callback_facts()


class Migration(migrations.Migration):
    dependencies = [("analytics", "0005_deal_and_callback_facts"), ("followups", "0002_alter_task_created_at")]

    operations = [migrations.RunPython(build, migrations.RunPython.noop)]
