"""Once built the whole analytics state; now a no-op: ReviewScore came in 0014 and 0015 builds the state with
the current code (a migration that runs the rebuild must stay the last one of the state).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("analytics", "0011_money_day"), ("billing", "0001_initial")]

    operations: list[migrations.operations.base.Operation] = []
