from django.db import models
from django.utils.translation import gettext_lazy as _


class RecordingStatus(models.TextChoices):
    NONE = "", _("no recording")
    PENDING = "pending", _("downloading")
    STORED = "stored", _("stored")
    FAILED = "failed", _("failed")


class Call(models.Model):
    """What the provider has told us so far about one call; the call Activity is derived from it."""

    provider = models.CharField(_("provider"), max_length=20)
    call_id = models.CharField(_("provider's call id"), max_length=200)
    activity = models.OneToOneField(
        "activities.Activity",
        verbose_name=_("activity"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="telephony_call",
    )
    direction = models.CharField(_("direction"), max_length=3, blank=True)
    client_number = models.CharField(_("client number"), max_length=20, blank=True)
    our_number = models.CharField(_("our number"), max_length=20, blank=True)
    extension = models.CharField(_("extension"), max_length=20, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, blank=True)
    wait_s = models.PositiveIntegerField(_("wait time, s"), null=True, blank=True)
    talk_s = models.PositiveIntegerField(_("talk time, s"), null=True, blank=True)
    stage = models.PositiveSmallIntegerField(_("stage reached"), default=0)
    recording_ref = models.CharField(_("recording reference"), max_length=1000, blank=True)
    recording_status = models.CharField(
        _("recording"), max_length=10, choices=RecordingStatus.choices, blank=True, default=RecordingStatus.NONE
    )
    recording_file = models.CharField(_("stored recording"), max_length=500, blank=True)
    recording_attempts = models.PositiveSmallIntegerField(_("download attempts"), default=0)
    recording_error = models.TextField(_("recording error"), blank=True)
    callback_decided = models.BooleanField(_("callback decided"), default=False)
    callback_task = models.OneToOneField(
        "followups.Task",
        verbose_name=_("callback task"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="telephony_call",
    )
    received_at = models.DateTimeField(_("first event received at"))

    class Meta:
        verbose_name = _("telephony call")
        verbose_name_plural = _("telephony calls")
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "call_id"], name="telephony_call_unique"),
            models.CheckConstraint(condition=models.Q(direction__in=["", "in", "out"]), name="telephony_direction"),
            models.CheckConstraint(
                condition=models.Q(outcome__in=["", "answered", "missed", "busy", "failed"]), name="telephony_outcome"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider}:{self.call_id}"
