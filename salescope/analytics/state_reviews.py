"""Per-review analytics state: each QA review of a call with the call's start and user and its scores summed
(models.ReviewFact), and each of its criterion scores (models.ReviewScore)."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from django.db import connection

from salescope.quality.models import QAReview

from .models import ReviewFact, ReviewScore


def review_facts_refresh(activity_id: int) -> None:
    """Recompute the facts of the reviews of one activity (after the review or the activity changed)."""
    ReviewFact.objects.filter(review__activity_id=activity_id).delete()
    ReviewScore.objects.filter(review__activity_id=activity_id).delete()
    rows = QAReview.objects.filter(activity_id=activity_id).values_list(
        "id", "activity__kind", "activity__user_id", "activity__started_at", "max", "scores"
    )
    facts, scores = [], []
    for review_id, kind, user_id, started_at, maximum, found in rows:
        scored = {criterion: whole_score(value) for criterion, value in _criteria(found).items()}
        call = kind == "call"  # else the review has no place in the report, but its criteria are named
        scores += [
            ReviewScore(
                review_id=review_id,
                user_id=user_id if call else None,
                call_started_at=started_at if call else None,
                criterion=criterion,
                max=maximum,
                score=score,
            )
            for criterion, score in scored.items()
        ]
        if not call:
            continue
        facts.append(
            ReviewFact(
                review_id=review_id,
                user_id=user_id,
                call_started_at=started_at,
                max=maximum,
                scored=len(scored),
                total=sum(scored.values()),
            )
        )
    ReviewFact.objects.bulk_create(facts)
    ReviewScore.objects.bulk_create(scores)


def _criteria(scores: Any) -> dict[str, Any]:
    """A review's scores by criterion (a malformed scores value scores nothing)."""
    return scores if isinstance(scores, dict) else {}


def whole_score(value: Any) -> int:
    """A QA score as stored: scores are integers (quality/services)."""
    exact = Fraction(str(value))
    if exact.denominator != 1:
        raise ValueError(f"QA scores must be integers, got {value!r}")
    return exact.numerator


def rebuild_review_facts() -> None:
    ReviewFact.objects.all().delete()
    ReviewScore.objects.all().delete()
    if connection.vendor == "postgresql":
        criteria = (
            "CROSS JOIN LATERAL jsonb_each_text(CASE WHEN jsonb_typeof(r.scores) = 'object' THEN r.scores "
            "ELSE '{}'::jsonb END) j"
        )
        score = "CAST(j.value AS NUMERIC)"
    else:
        criteria = "JOIN json_each(CASE WHEN json_type(r.scores) = 'object' THEN r.scores ELSE '{}' END) j"
        score = "j.value"
    calls = "FROM quality_qareview r JOIN activities_activity a ON a.id = r.activity_id"
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO analytics_reviewscore (review_id, user_id, call_started_at, criterion, max, score) "
            "SELECT r.id, CASE WHEN a.kind = 'call' THEN a.user_id END, "
            "CASE WHEN a.kind = 'call' THEN a.started_at END, "
            f"j.key, r.max, CAST({score} AS BIGINT) {calls} {criteria}"
        )
        cursor.execute(
            "INSERT INTO analytics_reviewfact (review_id, user_id, call_started_at, max, scored, total) "
            "SELECT r.id, a.user_id, a.started_at, r.max, COUNT(s.id), COALESCE(SUM(s.score), 0) "
            f"{calls} LEFT JOIN analytics_reviewscore s ON s.review_id = r.id WHERE a.kind = 'call' "
            "GROUP BY r.id, a.user_id, a.started_at, r.max"
        )


def all_criteria() -> set[str]:
    """Every criterion scored by any review (the fast path: every review exists): one index probe per name."""
    with connection.cursor() as cursor:
        cursor.execute(
            "WITH RECURSIVE names(name) AS (SELECT MIN(criterion) FROM analytics_reviewscore "
            "UNION ALL SELECT (SELECT MIN(criterion) FROM analytics_reviewscore WHERE criterion > names.name) "
            "FROM names WHERE names.name IS NOT NULL) SELECT name FROM names WHERE name IS NOT NULL"
        )
        return {row[0] for row in cursor.fetchall()}
