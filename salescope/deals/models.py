from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from salescope.core.models import RefModel


class Pipeline(RefModel):
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("pipeline")
        verbose_name_plural = _("pipelines")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class StageKind(models.TextChoices):
    OPEN = "open", _("open")
    WON = "won", _("won")
    LOST = "lost", _("lost")


class Stage(RefModel):
    """A funnel stage. Stage refs are unique across all pipelines (bundle.md)."""

    pipeline = models.ForeignKey(Pipeline, on_delete=models.CASCADE, related_name="stages")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=4, choices=StageKind.choices)
    position = models.PositiveIntegerField(_("position"))

    class Meta:
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        ordering = ["pipeline_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["pipeline", "position"], name="stage_position_unique"),
            models.CheckConstraint(condition=models.Q(kind__in=StageKind.values), name="stage_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.name


class Product(RefModel):
    name = models.CharField(_("name"), max_length=300)
    price = models.DecimalField(_("price"), max_digits=14, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(price__isnull=True) | models.Q(price__gte=0), name="product_price_nonneg"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Deal(RefModel):
    contact = models.ForeignKey(
        "contacts.Contact", verbose_name=_("contact"), on_delete=models.PROTECT, related_name="deals"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="deals"
    )
    pipeline = models.ForeignKey(Pipeline, verbose_name=_("pipeline"), on_delete=models.PROTECT, related_name="deals")
    created_at = models.DateTimeField(_("created at"), db_index=True)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    title = models.CharField(_("title"), max_length=300, blank=True)
    loss_reason = models.CharField(_("loss reason"), max_length=300, blank=True)
    # Latest stage in the stage history; kept by deal services in the same
    # transaction as the stage change. Reports use the history, not this.
    stage = models.ForeignKey(
        Stage, verbose_name=_("stage"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    stage_changed_at = models.DateTimeField(_("stage changed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("deal")
        verbose_name_plural = _("deals")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="deal_amount_nonneg"),
        ]

    def __str__(self) -> str:
        return self.title or self.ref


class DealItem(models.Model):
    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="items")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField(_("quantity"))
    price = models.DecimalField(_("price"), max_digits=14, decimal_places=2)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("deal item")
        verbose_name_plural = _("deal items")
        ordering = ["position"]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gte=1), name="dealitem_quantity_pos"),
            models.CheckConstraint(condition=models.Q(price__gte=0), name="dealitem_price_nonneg"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.product_id}"


class StageChange(models.Model):
    """One move of a deal into a stage. Append-only: history is never rewritten.

    Ties at the same instant are ordered by `id` (the order of recording).
    """

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="stage_changes")
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), db_index=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        ordering = ["deal_id", "at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["deal", "at", "stage"], name="stagechange_natural_key"),
        ]

    def __str__(self) -> str:
        return f"{self.deal_id} → {self.stage_id} at {self.at:%Y-%m-%d %H:%M}"


class LossReason(models.Model):
    """One entry of the configurable list a manager picks from when a deal is lost (edited in the admin)."""

    name = models.CharField(_("name"), max_length=300, unique=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    active = models.BooleanField(_("offered"), default=True)

    class Meta:
        verbose_name = _("loss reason")
        verbose_name_plural = _("loss reasons")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name
