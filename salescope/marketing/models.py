from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class AdSpend(models.Model):
    """Money spent on a source (and campaign) on one local date of the department."""

    date = models.DateField(_("date"), db_index=True)
    source = models.CharField(_("source"), max_length=100)
    campaign = models.CharField(_("campaign"), max_length=300, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("ad spend")
        verbose_name_plural = _("ad spend")
        ordering = ["-date", "source", "campaign"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="adspend_amount_nonneg"),
            models.UniqueConstraint(fields=["date", "source", "campaign"], name="adspend_natural_key"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.source} {self.campaign}"
