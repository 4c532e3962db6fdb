from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from salescope.core.models import RefModel


class Invoice(RefModel):
    deal = models.ForeignKey("deals.Deal", verbose_name=_("deal"), on_delete=models.PROTECT, related_name="invoices")
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    issued_at = models.DateTimeField(_("issued at"), db_index=True)

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-issued_at"]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="invoice_amount_nonneg")]


class Payment(RefModel):
    invoice = models.ForeignKey(Invoice, verbose_name=_("invoice"), on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    paid_at = models.DateTimeField(_("paid at"), db_index=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-paid_at"]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="payment_amount_nonneg")]


class PlanMetric(models.TextChoices):
    REVENUE_WON = "revenue_won", _("revenue won")
    DEALS_WON = "deals_won", _("deals won")
    CALLS_OUT = "calls_out", _("outbound calls")
    PAID = "paid", _("paid")


class Plan(models.Model):
    """A monthly target for exactly one user or one team. `month` is the month's first day."""

    month = models.DateField(_("month"))
    metric = models.CharField(_("metric"), max_length=20, choices=PlanMetric.choices)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="plans"
    )
    team = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.CASCADE, related_name="plans")

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["month", "metric"]
        constraints = [
            models.CheckConstraint(condition=Q(target__gte=0), name="plan_target_nonneg"),
            models.CheckConstraint(condition=Q(metric__in=PlanMetric.values), name="plan_metric_valid"),
            models.CheckConstraint(
                condition=Q(user__isnull=False, team__isnull=True) | Q(user__isnull=True, team__isnull=False),
                name="plan_user_xor_team",
            ),
            models.UniqueConstraint(
                fields=["month", "metric", "user"], condition=Q(user__isnull=False), name="plan_user_unique"
            ),
            models.UniqueConstraint(
                fields=["month", "metric", "team"], condition=Q(team__isnull=False), name="plan_team_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.metric}"
