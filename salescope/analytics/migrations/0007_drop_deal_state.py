"""The deal state is rebuilt wider (DealFact with copies of the deal's fields and its first response, which
replaces DealResponse): drop the old tables; 0008 creates the new one and 0009 builds the whole state."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("analytics", "0006_build_state")]

    operations = [
        migrations.DeleteModel(name="DealFact"),
        migrations.DeleteModel(name="DealResponse"),
    ]
