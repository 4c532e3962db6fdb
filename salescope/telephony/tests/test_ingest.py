from __future__ import annotations

import datetime as dt

import pytest

from salescope.activities.models import Activity
from salescope.activities.services import activity_record
from salescope.contacts.models import Contact
from salescope.deals.models import Deal
from salescope.telephony.events import CallEvent, EventError, Stage, client_number
from salescope.telephony.models import Call
from salescope.telephony.routing import Routing
from salescope.telephony.services import call_ingest

from .conftest import KNOWN, LINE, T0, UNKNOWN, Department

S = dt.timedelta(seconds=1)


def ev(stage: Stage, call_id: str = "c1", **values: object) -> CallEvent:
    return CallEvent(provider="generic", call_id=call_id, stage=stage, **values)  # type: ignore[arg-type]


def inbound(call_id: str = "c1", number: str = KNOWN) -> list[CallEvent]:
    base = {"direction": "in", "client_number": number, "our_number": LINE}
    return [
        ev(Stage.STARTED, call_id, started_at=T0, **base),
        ev(Stage.RINGING, call_id, extension="101", **base),
        ev(Stage.ANSWERED, call_id, extension="102", answered_at=T0 + 12 * S, **base),
        ev(Stage.ENDED, call_id, extension="102", ended_at=T0 + 107 * S, outcome="answered", talk_s=95, **base),
    ]


def the_activity() -> Activity:
    return Activity.objects.get(origin="telephony", external_id="c1")


def test_known_client_call_is_one_activity_linked_to_the_open_deal(dept: Department) -> None:
    for event in inbound():
        call_ingest(event)
    activity = the_activity()
    assert (activity.kind, activity.direction, activity.status, activity.channel) == ("call", "in", "answered", "phone")
    assert (activity.duration_s, activity.wait_s, activity.started_at) == (95, 12, T0)
    assert (activity.contact, activity.deal, activity.user) == (dept.client, dept.deal, dept.petrova)
    assert Activity.objects.count() == 1 and Call.objects.count() == 1


@pytest.mark.parametrize("order", [(3, 2, 1, 0), (1, 3, 0, 2), (0, 0, 3, 3, 1, 2, 1)])
def test_duplicates_and_out_of_order_events_converge(dept: Department, order: tuple[int, ...]) -> None:
    events = inbound()
    for i in order:
        call_ingest(events[i])
    activity = the_activity()
    assert (activity.status, activity.duration_s, activity.wait_s, activity.user) == ("answered", 95, 12, dept.petrova)
    assert activity.started_at == T0
    assert Activity.objects.filter(origin="telephony").count() == 1


def test_replaying_everything_changes_nothing(dept: Department) -> None:
    for event in inbound():
        call_ingest(event)
    before = list(Activity.objects.values())
    call_before = list(Call.objects.values())
    for event in inbound() * 3:
        call_ingest(event)
    assert list(Activity.objects.values()) == before
    assert list(Call.objects.values()) == call_before


def test_unknown_inbound_number_becomes_contact_and_lead_of_the_manager_who_answered(dept: Department) -> None:
    routing = Routing(lead_pipeline="p-sales")
    first, *rest = inbound(number=UNKNOWN)
    call_ingest(first, routing=routing)
    assert not Contact.objects.filter(phones__number=UNKNOWN).exists()  # who takes the call is not known yet
    for event in rest:
        call_ingest(event, routing=routing)
    contact = Contact.objects.get(phones__number=UNKNOWN)
    deal = Deal.objects.get(contact=contact)
    activity = the_activity()
    assert (contact.name, contact.owner, contact.source) == (UNKNOWN, dept.petrova, "phone")
    assert (deal.owner, deal.pipeline, deal.stage and deal.stage.ref, deal.created_at) == (
        dept.petrova,
        dept.pipeline,
        "s-new",
        T0,
    )
    assert (activity.contact, activity.deal) == (contact, deal)


def test_unknown_missed_call_goes_round_robin_within_the_team(dept: Department) -> None:
    routing = Routing(lead_pipeline="p-sales", lead_owner="round_robin", lead_team="team-msk")
    owners = []
    for i, number in enumerate(["+79030000001", "+79030000002", "+79030000003"]):
        call_ingest(
            ev(
                Stage.SUMMARY,
                f"rr{i}",
                direction="in",
                client_number=number,
                started_at=T0,
                ended_at=T0 + S,
                outcome="missed",
                extension="103",
            ),
            routing=routing,
        )
        owners.append(Deal.objects.get(contact__phones__number=number).owner.username)
    assert owners == ["petrova", "ivanov", "petrova"]  # dept.deal (ivanov) was the latest lead before


def test_no_lead_for_unknown_outbound_or_when_leads_are_off(dept: Department) -> None:
    call_ingest(
        ev(
            Stage.SUMMARY,
            "o1",
            direction="out",
            client_number=UNKNOWN,
            extension="101",
            started_at=T0,
            ended_at=T0 + S,
            outcome="missed",
        )
    )
    call_ingest(
        ev(
            Stage.SUMMARY,
            "i1",
            direction="in",
            client_number="+79030000009",
            started_at=T0,
            ended_at=T0 + S,
            outcome="missed",
        ),
        routing=Routing(create_leads=False),
    )
    assert Contact.objects.count() == 1
    assert list(Activity.objects.order_by("external_id").values_list("external_id", "contact", "user__username")) == [
        ("i1", None, None),
        ("o1", None, "ivanov"),
    ]


@pytest.mark.parametrize("outcome", ["busy", "failed", "missed"])
def test_unanswered_outcomes_are_missed_with_wait_for_inbound_only(dept: Department, outcome: str) -> None:
    for direction, call_id in (("in", "a"), ("out", "b")):
        call_ingest(
            ev(
                Stage.ENDED,
                call_id,
                direction=direction,
                client_number=KNOWN,
                extension="101",
                started_at=T0,
                ended_at=T0 + 20 * S,
                outcome=outcome,
            )
        )
    rows = dict(Activity.objects.values_list("external_id", "status"))
    assert rows == {"a": "missed", "b": "missed"}
    inbound_call, outbound_call = Activity.objects.get(external_id="a"), Activity.objects.get(external_id="b")
    assert (inbound_call.wait_s, inbound_call.duration_s) == (20, None)
    assert (outbound_call.wait_s, outbound_call.duration_s) == (None, None)


def test_answered_outbound_has_duration_and_no_wait(dept: Department) -> None:
    call_ingest(ev(Stage.STARTED, "o", direction="out", client_number=KNOWN, extension="101", started_at=T0))
    call_ingest(ev(Stage.ANSWERED, "o", direction="out", answered_at=T0 + 5 * S))
    call_ingest(ev(Stage.ENDED, "o", direction="out", ended_at=T0 + 65 * S))
    activity = Activity.objects.get(external_id="o")
    assert (activity.direction, activity.status, activity.duration_s, activity.wait_s) == ("out", "answered", 60, None)
    assert (activity.user, activity.contact, activity.deal) == (dept.ivanov, dept.client, dept.deal)


def test_ringing_call_reads_missed_until_answered_and_summary_overwrites(dept: Department) -> None:
    call_ingest(ev(Stage.STARTED, "s", direction="in", client_number=KNOWN, started_at=T0))
    assert (Activity.objects.get(external_id="s").status, Activity.objects.get(external_id="s").wait_s) == (
        "missed",
        None,
    )
    call_ingest(ev(Stage.ENDED, "s", ended_at=T0 + 30 * S, outcome="missed"))
    call_ingest(
        ev(
            Stage.SUMMARY,
            "s",
            direction="in",
            started_at=T0 - 2 * S,
            answered_at=T0 + 8 * S,
            ended_at=T0 + 50 * S,
            outcome="answered",
            talk_s=42,
            extension="101",
        )
    )
    activity = Activity.objects.get(external_id="s")
    assert (activity.status, activity.duration_s, activity.wait_s) == ("answered", 42, 10)
    assert (activity.started_at, activity.user) == (T0 - 2 * S, dept.ivanov)
    call_ingest(ev(Stage.ENDED, "s", ended_at=T0 + 31 * S, outcome="missed"))  # a late retry of the older event
    assert Activity.objects.get(external_id="s").status == "answered"


def test_an_imported_call_with_the_same_id_is_taken_over(dept: Department) -> None:
    imported = activity_record(
        kind="call",
        started_at=T0,
        direction="in",
        status="missed",
        origin="telephony",
        external_id="c1",
        contact=dept.client,
    )
    for event in inbound():
        call_ingest(event)
    assert Activity.objects.filter(origin="telephony").count() == 1
    imported.refresh_from_db()
    assert (imported.status, imported.duration_s) == ("answered", 95)


def test_a_recording_event_alone_makes_no_activity(dept: Department) -> None:
    call_ingest(ev(Stage.RECORDING, "r", recording_ref="https://pbx.example/r.mp3"))
    assert Activity.objects.count() == 0
    assert Call.objects.get(call_id="r").recording_ref == "https://pbx.example/r.mp3"


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("79161234567", KNOWN),
        ("8 (916) 123-45-67", KNOWN),
        ("0079161234567", KNOWN),
        ("anonymous", ""),
        ("101", ""),
        ("sip:user1@vpbx400000001.mangosip.ru", ""),
        ("", ""),
    ],
)
def test_client_numbers_are_normalised_to_e164(raw: str, e164: str) -> None:
    assert client_number(raw) == e164


def test_event_validation_names_the_field() -> None:
    with pytest.raises(EventError, match="direction: must be 'in' or 'out'"):
        ev(Stage.STARTED, direction="sideways")
    with pytest.raises(EventError, match="call_id: missing"):
        ev(Stage.STARTED, call_id="")
    with pytest.raises(EventError, match="talk_s: must be ≥ 0"):
        ev(Stage.ENDED, talk_s=-1)
