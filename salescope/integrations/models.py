from django.db import models
from django.utils.translation import gettext_lazy as _


class Integration(models.Model):
    """One channel's configuration and health. Off until configured and enabled."""

    key = models.CharField(_("integration"), max_length=40, unique=True)
    enabled = models.BooleanField(_("enabled"), default=False)
    config = models.JSONField(_("settings"), default=dict, blank=True)
    last_event_at = models.DateTimeField(_("last event received"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    last_error_at = models.DateTimeField(_("last error at"), null=True, blank=True)
    events_received = models.PositiveBigIntegerField(_("events received"), default=0)

    class Meta:
        verbose_name = _("integration")
        verbose_name_plural = _("integrations")
        ordering = ["key"]

    def __str__(self) -> str:
        return self.key


class RawEvent(models.Model):
    """What a provider sent, kept as received, for inspection and replay."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        OK = "ok", _("processed")
        REJECTED = "rejected", _("rejected")
        ERROR = "error", _("error")

    integration = models.CharField(_("integration"), max_length=40, db_index=True)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True, db_index=True)
    payload = models.TextField(_("payload"))
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    error = models.TextField(_("error"), blank=True)
    events = models.JSONField(_("events read from it"), default=list, blank=True)  # while queued (telephony)

    class Meta:
        verbose_name = _("raw event")
        verbose_name_plural = _("raw events")
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["id"], condition=models.Q(status="queued"), name="rawevent_queued")]

    def __str__(self) -> str:
        return f"{self.integration} {self.received_at:%Y-%m-%d %H:%M:%S}"
