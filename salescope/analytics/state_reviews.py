"""Per-review analytics state (models.ReviewFact): each QA review of a call with the call's start and user."""

from __future__ import annotations

from django.db import connection

from salescope.quality.models import QAReview

from .models import ReviewFact


def review_facts_refresh(activity_id: int) -> None:
    """Recompute the facts of the reviews of one activity (after the review or the activity changed)."""
    ReviewFact.objects.filter(review__activity_id=activity_id).delete()
    rows = QAReview.objects.filter(activity_id=activity_id, activity__kind="call").values_list(
        "id", "activity__user_id", "activity__started_at"
    )
    ReviewFact.objects.bulk_create(
        ReviewFact(review_id=review_id, user_id=user_id, call_started_at=started_at)
        for review_id, user_id, started_at in rows
    )


def rebuild_review_facts() -> None:
    ReviewFact.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO analytics_reviewfact (review_id, user_id, call_started_at) "
            "SELECT r.id, a.user_id, a.started_at FROM quality_qareview r "
            "JOIN activities_activity a ON a.id = r.activity_id WHERE a.kind = 'call'"
        )


def all_criteria() -> set[str]:
    """Every criterion scored by any review (the fast path: every review exists)."""
    if connection.vendor == "postgresql":
        sql = "SELECT DISTINCT jsonb_object_keys(scores) FROM quality_qareview WHERE jsonb_typeof(scores) = 'object'"
    else:
        sql = (
            "SELECT DISTINCT j.key FROM quality_qareview r, json_each(r.scores) j WHERE json_type(r.scores) = 'object'"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return {row[0] for row in cursor.fetchall()}
