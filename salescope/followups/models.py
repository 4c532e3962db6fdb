from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from salescope.core.models import RefModel


class TaskKind(models.TextChoices):
    CALLBACK = "callback", _("callback")
    CALL = "call", _("call")
    MEETING = "meeting", _("meeting")
    TODO = "todo", _("to-do")


class Task(RefModel):
    kind = models.CharField(_("kind"), max_length=10, choices=TaskKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, related_name="tasks"
    )
    created_at = models.DateTimeField(_("created at"), db_index=True)
    due_at = models.DateTimeField(_("due at"), db_index=True)
    contact = models.ForeignKey(
        "contacts.Contact",
        verbose_name=_("contact"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    deal = models.ForeignKey(
        "deals.Deal",
        verbose_name=_("deal"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    reminded_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["due_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=TaskKind.values), name="task_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.due_at:%Y-%m-%d %H:%M}"
