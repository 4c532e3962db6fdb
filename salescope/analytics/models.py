"""Incremental analytics state, maintained in the same transaction as each write (see state.py).

Only derived data: every row can be rebuilt from the raw tables (state.rebuild), and
`salescope analytics verify` checks that the report from this state equals the raw one.
"""

from __future__ import annotations

from django.db import models


class ActivityDay(models.Model):
    """Activities of one user on one local day (department time zone) with one kind/direction/status."""

    user_id = models.BigIntegerField(null=True)
    day = models.DateField()
    kind = models.CharField(max_length=10)
    direction = models.CharField(max_length=3)
    status = models.CharField(max_length=10)
    n = models.BigIntegerField(default=0)
    duration_sum = models.BigIntegerField(default=0)
    wait_n = models.BigIntegerField(default=0)
    wait_sum = models.BigIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["day"], name="activityday_day")]
        constraints = [
            models.UniqueConstraint(fields=["day", "user_id", "kind", "direction", "status"], name="activityday_key")
        ]

    def __str__(self) -> str:
        return f"{self.day} user {self.user_id} {self.kind}/{self.direction}/{self.status}: {self.n}"


class ReplyFact(models.Model):
    """A missed inbound call or an inbound message/e-mail, with the contact's first reply attempt after it."""

    activity_id = models.BigIntegerField(primary_key=True)
    user_id = models.BigIntegerField(null=True)
    contact_id = models.BigIntegerField(null=True)
    missed_call = models.BooleanField()  # else an inbound message or e-mail
    at = models.DateTimeField()
    reply_id = models.BigIntegerField(null=True)
    reply_at = models.DateTimeField(null=True)

    class Meta:
        indexes = [
            models.Index(fields=["at"], name="replyfact_at"),
            models.Index(fields=["contact_id", "at"], name="replyfact_contact_at"),
        ]

    def __str__(self) -> str:
        return f"activity {self.activity_id} replied by {self.reply_id}"


class DealResponse(models.Model):
    """A deal (lead) with the first reply attempt to its contact at or after its creation."""

    deal = models.OneToOneField(
        "deals.Deal", primary_key=True, on_delete=models.CASCADE, related_name="analytics_response"
    )
    contact_id = models.BigIntegerField()
    created_at = models.DateTimeField()
    response_id = models.BigIntegerField(null=True)
    response_at = models.DateTimeField(null=True)

    class Meta:
        indexes = [models.Index(fields=["contact_id", "created_at"], name="dealresponse_contact")]

    def __str__(self) -> str:
        return f"deal {self.deal_id} answered by {self.response_id}"


class FirstTouch(models.Model):
    """A touch made at its contact's first touch instant (several when tied)."""

    activity_id = models.BigIntegerField(primary_key=True)
    contact_id = models.BigIntegerField()
    user_id = models.BigIntegerField(null=True)
    at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["at"], name="firsttouch_at"),
            models.Index(fields=["contact_id"], name="firsttouch_contact"),
        ]

    def __str__(self) -> str:
        return f"first touch of contact {self.contact_id}: activity {self.activity_id}"


class DealFact(models.Model):
    """A deal's stage history and linked activities read as of the latest write (see state_deals.py)."""

    deal = models.OneToOneField("deals.Deal", primary_key=True, on_delete=models.CASCADE, related_name="analytics_fact")
    current_kind = models.CharField(max_length=4, blank=True)  # kind of the current stage; "" without history
    closed_at = models.DateTimeField(null=True)  # won or lost: the time of the last stage change
    reach = models.IntegerField(default=0)  # funnel number of the highest stage ever reached
    lost_at_stage_id = models.BigIntegerField(null=True)
    start_at = models.DateTimeField()  # created_at or the earliest linked activity other than a note
    touches = models.IntegerField(default=0)  # linked touches started at or before closed_at (0 while open)

    class Meta:
        indexes = [models.Index(fields=["closed_at"], name="dealfact_closed")]

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
            models.Index(fields=["due_at"], name="callbackfact_due"),
            models.Index(fields=["user_id", "client_id"], name="callbackfact_client"),
        ]

    def __str__(self) -> str:
        return f"callback {self.task_id}: called at {self.call_at}"
