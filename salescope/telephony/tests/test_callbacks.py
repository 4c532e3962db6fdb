from __future__ import annotations

import datetime as dt

from django.utils import translation

from salescope.followups.models import Task
from salescope.followups.services import callback_schedule
from salescope.telephony.events import CallEvent, Stage
from salescope.telephony.models import Call
from salescope.telephony.routing import Routing
from salescope.telephony.services import call_ingest

from .conftest import KNOWN, LINE, T0, UNKNOWN, Department

S = dt.timedelta(seconds=1)


def missed(call_id: str = "m1", at: dt.datetime = T0, number: str = KNOWN, extension: str = "") -> list[CallEvent]:
    base = {"provider": "zadarma", "call_id": call_id, "direction": "in", "client_number": number, "our_number": LINE}
    return [
        CallEvent(**base, stage=Stage.STARTED, started_at=at),  # type: ignore[arg-type]
        CallEvent(**base, stage=Stage.ENDED, ended_at=at + 25 * S, outcome="missed", extension=extension),  # type: ignore[arg-type]
    ]


def call(call_id: str, at: dt.datetime, direction: str, outcome: str, number: str = KNOWN) -> CallEvent:
    return CallEvent(
        provider="zadarma",
        call_id=call_id,
        stage=Stage.ENDED,
        direction=direction,
        client_number=number,
        extension="102",
        started_at=at,
        ended_at=at + 30 * S,
        outcome=outcome,
        talk_s=25 if outcome == "answered" else None,
    )


def test_missed_call_creates_a_callback_due_at_once_for_the_line_manager(dept: Department) -> None:
    routing = Routing(lines={LINE: "petrova"})
    with translation.override("en"):
        for event in missed(extension="101"):
            call_ingest(event, routing=routing)
    task = Task.objects.get()
    assert (task.kind, task.user, task.contact, task.deal) == ("callback", dept.petrova, dept.client, dept.deal)
    assert task.created_at == task.due_at == T0 + 25 * S
    assert task.completed_at is None
    assert task.note == f"Missed call from {KNOWN}"
    assert Call.objects.get(call_id="m1").callback_task == task


def test_without_a_line_manager_the_rung_extension_then_the_contact_owner_gets_it(dept: Department) -> None:
    for event in missed("a", extension="102") + missed("b", T0 + 60 * S):
        call_ingest(event)
    assert list(Task.objects.order_by("due_at").values_list("user__username", flat=True)) == ["petrova", "ivanov"]


def test_replays_and_retries_make_one_task(dept: Department) -> None:
    for event in missed() * 3:
        call_ingest(event)
    assert Task.objects.count() == 1


def test_the_task_closes_itself_when_the_client_is_called(dept: Department) -> None:
    for event in missed():
        call_ingest(event)
    call_ingest(call("back", T0 + 10 * 60 * S, "out", "missed"))  # an attempt counts, as in the callback metric
    task = Task.objects.get()
    assert task.completed_at == T0 + 10 * 60 * S


def test_an_answered_call_from_the_client_closes_it_too_but_another_clients_call_does_not(dept: Department) -> None:
    for event in missed():
        call_ingest(event)
    call_ingest(call("other", T0 + 60 * S, "out", "answered", number=UNKNOWN))
    assert Task.objects.get().completed_at is None
    call_ingest(call("again", T0 + 120 * S, "in", "answered"))
    assert Task.objects.get().completed_at == T0 + 120 * S


def test_no_task_when_someone_reached_the_client_first(dept: Department) -> None:
    # The manager's call back is reported before the missed call's end arrives (out of order).
    call_ingest(call("back", T0 + 5 * 60 * S, "out", "answered"))
    for event in missed():
        call_ingest(event)
    assert Task.objects.count() == 0
    assert Call.objects.get(call_id="m1").callback_decided is True


def test_an_earlier_call_does_not_count_as_reaching_the_client(dept: Department) -> None:
    call_ingest(call("before", T0 - 3600 * S, "out", "answered"))
    for event in missed():
        call_ingest(event)
    assert Task.objects.filter(completed_at__isnull=True).count() == 1


def test_manual_callbacks_are_left_alone(dept: Department) -> None:
    manual = callback_schedule(user=dept.ivanov, contact=dept.client, due_at=T0 + 86400 * S, note="think it over")
    call_ingest(call("out", T0, "out", "answered"))
    manual.refresh_from_db()
    assert manual.completed_at is None


def test_answered_inbound_or_outbound_calls_create_no_task(dept: Department) -> None:
    call_ingest(call("x", T0, "in", "answered"))
    call_ingest(call("y", T0, "out", "busy"))
    assert Task.objects.count() == 0


def test_missed_call_from_a_new_number_goes_to_the_new_leads_owner(dept: Department) -> None:
    routing = Routing(lead_pipeline="p-sales", lead_owner="round_robin", lead_team="team-msk")
    for event in missed(number=UNKNOWN):
        call_ingest(event, routing=routing)
    task = Task.objects.get()
    assert task.user == dept.petrova == (task.contact and task.contact.owner)
    assert task.deal is not None and task.deal.owner == dept.petrova
