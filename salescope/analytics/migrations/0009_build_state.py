"""Once built the whole analytics state; now a no-op: MoneyDay came in 0011 and 0012 builds the state with the
current code (a migration that runs the rebuild must stay the last one of the state).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("analytics", "0008_deal_fact")]

    operations: list[migrations.operations.base.Operation] = []
