from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from salescope.core.models import RefModel


class ActivityKind(models.TextChoices):
    CALL = "call", _("call")
    EMAIL = "email", _("e-mail")
    MESSAGE = "message", _("message")
    MEETING = "meeting", _("meeting")
    PROPOSAL = "proposal", _("proposal")
    NOTE = "note", _("note")


class Direction(models.TextChoices):
    IN = "in", _("inbound")
    OUT = "out", _("outbound")


class CallStatus(models.TextChoices):
    ANSWERED = "answered", _("answered")
    MISSED = "missed", _("missed")


class Origin(models.TextChoices):
    TELEPHONY = "telephony", _("telephony")
    MAIL = "mail", _("mail")
    MESSENGER = "messenger", _("messenger")
    MANUAL = "manual", _("manual")
    IMPORT = "import", _("import")


class Activity(RefModel):
    kind = models.CharField(_("kind"), max_length=10, choices=ActivityKind.choices)
    started_at = models.DateTimeField(_("started at"), db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
    )
    contact = models.ForeignKey(
        "contacts.Contact",
        verbose_name=_("contact"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
    )
    deal = models.ForeignKey(
        "deals.Deal",
        verbose_name=_("deal"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
    )
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=CallStatus.choices, blank=True)
    duration_s = models.PositiveIntegerField(_("talk time, s"), null=True, blank=True)
    wait_s = models.PositiveIntegerField(_("wait time, s"), null=True, blank=True)
    channel = models.CharField(_("channel"), max_length=50, blank=True)
    origin = models.CharField(_("origin"), max_length=20, choices=Origin.choices, blank=True)
    external_id = models.CharField(_("provider's id"), max_length=200, blank=True)
    recording_url = models.CharField(_("recording"), max_length=1000, blank=True)
    transcript = models.TextField(_("transcript"), blank=True)
    subject = models.CharField(_("subject"), max_length=500, blank=True)
    body = models.TextField(_("text"), blank=True)
    # A file sent with the activity (a proposal), kept in Django's default storage.
    attachment = models.FileField(_("attachment"), upload_to="attachments/%Y/%m/", max_length=500, blank=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-started_at"]
        indexes = [
            models.Index(fields=["contact", "started_at"], name="activity_contact_time"),
            models.Index(fields=["user", "started_at"], name="activity_user_time"),
            models.Index(fields=["deal", "started_at"], name="activity_deal_time"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ActivityKind.values), name="activity_kind_valid"),
            models.CheckConstraint(condition=Q(direction__in=["", "in", "out"]), name="activity_direction_valid"),
            models.CheckConstraint(
                condition=Q(kind="call", status__in=["answered", "missed"]) | Q(~Q(kind="call"), status=""),
                name="activity_status_calls_only",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["call", "email", "message"], direction=""),
                name="activity_direction_required",
            ),
            models.CheckConstraint(
                condition=~Q(kind="call", status="answered", duration_s__isnull=True),
                name="activity_answered_has_duration",
            ),
            models.CheckConstraint(
                condition=Q(wait_s__isnull=True) | Q(kind="call", direction="in"),
                name="activity_wait_inbound_calls_only",
            ),
            models.UniqueConstraint(
                fields=["origin", "external_id"],
                condition=~Q(external_id=""),
                name="activity_origin_external_id_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.started_at:%Y-%m-%d %H:%M}"
