"""Incremental analytics state, maintained in the same transaction as each write (see state.py).

Only derived data: every row can be rebuilt from the raw tables (state.rebuild), and
`salescope analytics verify` checks that the report from this state equals the raw one.
"""

from __future__ import annotations

from typing import Any

from django.db import models


class Micros(models.Func):
    """later − earlier in whole microseconds, exactly (NULL when either is NULL): the delays the report's
    medians read, stored as generated columns so that the database computes them once, on write."""

    output_field = models.BigIntegerField(null=True)
    arity = 2

    def __init__(self, earlier: str, later: str) -> None:
        super().__init__(models.F(earlier), models.F(later))

    def _compiled(self, compiler: Any) -> tuple[str, str, tuple[Any, ...], tuple[Any, ...]]:
        (earlier, earlier_params), (later, later_params) = (compiler.compile(e) for e in self.source_expressions)
        return earlier, later, tuple(earlier_params), tuple(later_params)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, tuple[Any, ...]]:
        earlier, later, earlier_params, later_params = self._compiled(compiler)
        return f"CAST(EXTRACT(EPOCH FROM ({later} - {earlier})) * 1000000 AS BIGINT)", (*later_params, *earlier_params)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, tuple[Any, ...]]:
        """SQLite keeps datetimes as 'YYYY-MM-DD HH:MM:SS[.ffffff]' (UTC)."""
        earlier, later, earlier_params, later_params = self._compiled(compiler)
        seconds = "CAST(strftime('%%s', substr({0}, 1, 19)) AS INTEGER)"
        fraction = "CAST(substr({0} || '.000000', 21, 6) AS INTEGER)"
        sql = (
            f"(({seconds.format(later)} - {seconds.format(earlier)}) * 1000000 "
            f"+ {fraction.format(later)} - {fraction.format(earlier)})"
        )
        return sql, (*later_params, *earlier_params, *later_params, *earlier_params)


class UserDay(models.Model):
    """What one user's activities on one local day (department time zone) add up to (see state_days.py).

    user_id 0 stands for activities with no user, so that (user_id, day) is a plain unique key for upserts."""

    user_id = models.BigIntegerField()
    day = models.DateField()
    calls_in = models.BigIntegerField(default=0)
    calls_in_missed = models.BigIntegerField(default=0)
    calls_out = models.BigIntegerField(default=0)
    calls_out_answered = models.BigIntegerField(default=0)
    calls_answered = models.BigIntegerField(default=0)
    talk_time = models.BigIntegerField(default=0)  # duration_s over answered calls
    wait_n = models.BigIntegerField(default=0)  # answered inbound calls with wait_s
    wait_sum = models.BigIntegerField(default=0)
    emails_out = models.BigIntegerField(default=0)
    messages_out = models.BigIntegerField(default=0)
    meetings = models.BigIntegerField(default=0)
    proposals = models.BigIntegerField(default=0)
    attempts = models.BigIntegerField(default=0)  # reply attempts

    class Meta:
        indexes = [models.Index(fields=["day"], name="userday_day")]
        constraints = [models.UniqueConstraint(fields=["user_id", "day"], name="userday_key")]

    def __str__(self) -> str:
        return f"{self.day} user {self.user_id}"


class MoneyDay(models.Model):
    """The cents invoiced and paid on one local day (department time zone) for the deals of one owner (see
    state_money.py). owner_id 0 stands for deals with no owner."""

    owner_id = models.BigIntegerField()
    day = models.DateField()
    invoiced_cents = models.BigIntegerField(default=0)
    paid_cents = models.BigIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["day"], name="moneyday_day")]
        constraints = [models.UniqueConstraint(fields=["owner_id", "day"], name="moneyday_key")]

    def __str__(self) -> str:
        return f"{self.day} owner {self.owner_id}"


class ReplyFact(models.Model):
    """A missed inbound call or an inbound message/e-mail, with the contact's first reply attempt after it."""

    activity_id = models.BigIntegerField(primary_key=True)
    user_id = models.BigIntegerField(null=True)
    contact_id = models.BigIntegerField(null=True)
    missed_call = models.BooleanField()  # else an inbound message or e-mail
    at = models.DateTimeField()
    reply_id = models.BigIntegerField(null=True)
    reply_at = models.DateTimeField(null=True)
    reply_us = models.GeneratedField(
        expression=Micros("at", "reply_at"), output_field=models.BigIntegerField(null=True), db_persist=True
    )

    class Meta:
        indexes = [
            models.Index(fields=["at"], include=["user_id", "missed_call", "reply_us"], name="replyfact_at"),
            models.Index(fields=["contact_id", "at"], name="replyfact_contact_at"),
        ]

    def __str__(self) -> str:
        return f"activity {self.activity_id} replied by {self.reply_id}"


class FirstTouch(models.Model):
    """A touch made at its contact's first touch instant (several when tied)."""

    activity_id = models.BigIntegerField(primary_key=True)
    contact_id = models.BigIntegerField()
    user_id = models.BigIntegerField(null=True)
    at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["at"], include=["user_id", "contact_id"], name="firsttouch_at"),
            models.Index(fields=["contact_id"], name="firsttouch_contact"),
        ]

    def __str__(self) -> str:
        return f"first touch of contact {self.contact_id}: activity {self.activity_id}"


class DealFact(models.Model):
    """A deal as the report reads it, as of the latest write (see state_deals.py): what its stage history and
    linked activities say, its first response, and copies of the deal's and its contact's fields the report
    groups by, so that a period's leads and closed deals are each one index-only scan."""

    deal = models.OneToOneField("deals.Deal", primary_key=True, on_delete=models.CASCADE, related_name="analytics_fact")
    # copies: the deal's owner, pipeline, contact, created_at, amount (in cents), loss reason; the contact's source
    owner_id = models.BigIntegerField(null=True)
    pipeline_id = models.BigIntegerField()
    contact_id = models.BigIntegerField()
    created_at = models.DateTimeField()
    amount_cents = models.BigIntegerField()
    loss_reason = models.CharField(max_length=300, blank=True)
    source = models.CharField(max_length=100, blank=True)
    campaign = models.CharField(max_length=300, blank=True)
    # the first reply attempt to the contact at or after created_at
    response_id = models.BigIntegerField(null=True)
    response_at = models.DateTimeField(null=True)
    response_us = models.GeneratedField(
        expression=Micros("created_at", "response_at"), output_field=models.BigIntegerField(null=True), db_persist=True
    )
    current_kind = models.CharField(max_length=4, blank=True)  # kind of the current stage; "" without history
    closed_at = models.DateTimeField(null=True)  # won or lost: the time of the last stage change
    reach = models.IntegerField(default=0)  # funnel number of the highest stage ever reached
    lost_at_stage_id = models.BigIntegerField(null=True)
    start_at = models.DateTimeField()  # created_at or the earliest linked activity other than a note
    cycle_us = models.GeneratedField(  # the sales cycle of a closed deal
        expression=Micros("start_at", "closed_at"), output_field=models.BigIntegerField(null=True), db_persist=True
    )
    touches = models.IntegerField(default=0)  # linked touches started at or before closed_at (0 while open)
    products = models.IntegerField(default=0)  # distinct products among the deal's items
    # another deal of the same contact is currently won with closed_at before this deal's created_at
    is_repeat = models.BooleanField(default=False)

    class Meta:
        indexes = [
            # PostgreSQL reads a period's leads and closed deals from these indexes alone (INCLUDE)
            models.Index(
                fields=["created_at"],
                include=[
                    "owner_id",
                    "pipeline_id",
                    "reach",
                    "current_kind",
                    "amount_cents",
                    "response_us",
                    "contact_id",
                    "source",
                    "campaign",
                ],
                name="dealfact_created",
            ),
            models.Index(
                fields=["closed_at"],
                include=[
                    "owner_id",
                    "current_kind",
                    "amount_cents",
                    "products",
                    "is_repeat",
                    "cycle_us",
                    "touches",
                    "lost_at_stage_id",
                    "loss_reason",
                ],
                name="dealfact_closed",
            ),
            models.Index(fields=["contact_id", "created_at"], name="dealfact_contact"),
        ]

    def __str__(self) -> str:
        return f"deal {self.deal_id}: {self.current_kind or 'no stage'}"


class CallbackFact(models.Model):
    """A callback task with its user's first outbound call to the client since the task was created."""

    task = models.OneToOneField(
        "followups.Task", primary_key=True, on_delete=models.CASCADE, related_name="analytics_callback"
    )
    user_id = models.BigIntegerField()
    client_id = models.BigIntegerField(null=True)
    created_at = models.DateTimeField()
    due_at = models.DateTimeField()
    deadline = models.DateTimeField()  # due_at + the 1800 s grace
    call_at = models.DateTimeField(null=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["due_at"], include=["user_id", "created_at", "deadline", "call_at"], name="callbackfact_due"
            ),
            models.Index(fields=["user_id", "client_id"], name="callbackfact_client"),
        ]

    def __str__(self) -> str:
        return f"callback {self.task_id}: called at {self.call_at}"


class ReviewFact(models.Model):
    """A QA review of a call, with the call's start and user (the review's place in the report), and its
    scores summed (see state_reviews.py)."""

    review = models.OneToOneField(
        "quality.QAReview", primary_key=True, on_delete=models.CASCADE, related_name="analytics_fact"
    )
    user_id = models.BigIntegerField(null=True)
    call_started_at = models.DateTimeField()
    max = models.IntegerField(default=0)  # the review's maximum score per criterion
    scored = models.IntegerField(default=0)  # criteria scored
    total = models.BigIntegerField(default=0)  # sum of the scores

    class Meta:
        indexes = [
            models.Index(
                fields=["call_started_at"], include=["user_id", "max", "scored", "total"], name="reviewfact_call"
            )
        ]

    def __str__(self) -> str:
        return f"review {self.review_id} of a call at {self.call_started_at}"


class ReviewScore(models.Model):
    """One criterion's score in a QA review, placed like its review (ReviewFact): by its call's start and user
    (NULL when the reviewed activity is not a call, so that the review counts only for its criterion's name)."""

    review = models.ForeignKey("quality.QAReview", on_delete=models.CASCADE, related_name="analytics_scores")
    user_id = models.BigIntegerField(null=True)
    call_started_at = models.DateTimeField(null=True)
    criterion = models.CharField(max_length=200)
    max = models.IntegerField()
    score = models.BigIntegerField()

    class Meta:
        indexes = [
            models.Index(
                fields=["call_started_at"], include=["user_id", "criterion", "max", "score"], name="reviewscore_call"
            ),
            models.Index(fields=["criterion"], name="reviewscore_criterion"),
        ]

    def __str__(self) -> str:
        return f"review {self.review_id}: {self.criterion} {self.score}/{self.max}"


# Every table of the state, named as `analytics verify` reports them.
STATE_MODELS: dict[type[models.Model], str] = {
    UserDay: "activity day",
    MoneyDay: "money day",
    ReplyFact: "reply fact",
    FirstTouch: "first touch",
    DealFact: "deal fact",
    CallbackFact: "callback fact",
    ReviewFact: "review fact",
    ReviewScore: "review score",
}
