from django.db import models


class RefModel(models.Model):
    """A record that carries its external (bundle) id."""

    ref = models.CharField("external id", max_length=200, unique=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.ref
