"""Once built the whole analytics state; now a no-op: the state tables changed in 0007/0008 and 0009 builds
the state with the current code (a migration that runs the rebuild must stay the last one of the state).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0005_state_tables"),
        ("followups", "0002_alter_task_created_at"),
        ("quality", "0002_alter_qareview_at"),
    ]

    operations: list[migrations.operations.base.Operation] = []
