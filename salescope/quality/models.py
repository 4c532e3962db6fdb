from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class QAReview(models.Model):
    """A manual scorecard of one call: criterion → integer score in 0..max."""

    activity = models.ForeignKey(
        "activities.Activity", verbose_name=_("call"), on_delete=models.CASCADE, related_name="qa_reviews"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), db_index=True)
    scores = models.JSONField(_("scores"))
    max = models.PositiveSmallIntegerField(_("maximum score"))

    class Meta:
        verbose_name = _("QA review")
        verbose_name_plural = _("QA reviews")
        ordering = ["-at"]
        constraints = [
            models.CheckConstraint(condition=Q(max__gte=1), name="qareview_max_pos"),
            models.UniqueConstraint(fields=["activity", "reviewer", "at"], name="qareview_natural_key"),
        ]

    def __str__(self) -> str:
        return f"QA {self.activity_id} {self.at:%Y-%m-%d}"
