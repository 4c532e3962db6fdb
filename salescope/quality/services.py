from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from salescope.accounts.models import User
from salescope.activities.models import Activity
from salescope.analytics import state as analytics_state
from salescope.core.errors import ServiceError

from .models import QAReview


def qa_score_errors(scores: object, max_score: object) -> list[tuple[str, str]]:
    if not isinstance(max_score, int) or isinstance(max_score, bool) or max_score < 1:
        return [("max", "must be an integer ≥ 1")]
    if not isinstance(scores, dict) or not scores:
        return [("scores", "must be an object with at least one criterion")]
    errors = []
    for criterion, score in scores.items():
        if not isinstance(score, int) or isinstance(score, bool) or not 0 <= score <= max_score:
            errors.append(("scores", f"{criterion}: must be an integer in 0..{max_score}"))
    return errors


def qa_review_create(
    *, activity: Activity, reviewer: User, scores: dict[str, int], max_score: int, at: dt.datetime | None = None
) -> QAReview:
    if activity.kind != "call":
        raise ServiceError("activity", "only calls are reviewed")
    errors = qa_score_errors(scores, max_score)
    if errors:
        raise ServiceError(*errors[0])
    with transaction.atomic():
        review = QAReview.objects.create(
            activity=activity, reviewer=reviewer, scores=scores, max=max_score, at=at or timezone.now()
        )
        analytics_state.review_recorded(activity.pk)
    return review
