"""Formerly built the analytics state here; migration 0006 builds the whole state once the tables exist."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("analytics", "0003_first_touch"), ("activities", "0002_activity_attachment")]

    operations: list[migrations.operations.base.Operation] = []
