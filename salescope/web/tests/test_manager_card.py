"""The contact card as the working place: quick actions through the services, transcripts, attachments."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from salescope.activities.models import Activity
from salescope.activities.services import activity_record
from salescope.deals.models import Deal
from salescope.followups.models import Task

from .conftest import T0, client_for

MOSCOW = dt.timezone(dt.timedelta(hours=3))


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_card_offers_the_quick_actions(dept):
    html = client_for(dept.kolya).get(f"/contacts/{dept.kolya_contact.pk}/").content.decode()
    for action in ("log", "proposal", "deal", "callback"):
        assert f'action="/contacts/{dept.kolya_contact.pk}/{action}/"' in html
    assert 'enctype="multipart/form-data"' in html
    assert 'type="datetime-local" name="due_at"' in html


def test_logging_an_answered_call(dept):
    response = client_for(dept.kolya).post(
        f"/contacts/{dept.kolya_contact.pk}/log/",
        {
            "kind": "call",
            "direction": "out",
            "status": "answered",
            "duration_min": "7",
            "started_at": "2026-03-02T12:30",
            "body": "Обсудили цену",
            "deal": dept.kolya_deal.pk,
        },
    )
    assert response.status_code == 302
    call = Activity.objects.get(contact=dept.kolya_contact)
    assert (call.kind, call.direction, call.status, call.duration_s) == ("call", "out", "answered", 420)
    assert call.started_at == dt.datetime(2026, 3, 2, 12, 30, tzinfo=MOSCOW)  # typed in the department's zone
    assert (call.user, call.deal, call.origin, call.body) == (dept.kolya, dept.kolya_deal, "manual", "Обсудили цену")


def test_an_answered_call_without_talk_time_is_refused_on_its_field(dept):
    response = client_for(dept.kolya).post(
        f"/contacts/{dept.kolya_contact.pk}/log/",
        {"kind": "call", "direction": "out", "status": "answered", "started_at": "2026-03-02T12:30"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "required for an answered call" in html
    assert '<details open id="action-log">' in html
    assert not Activity.objects.exists()


def test_a_note_has_no_direction_even_if_one_is_posted(dept):
    client_for(dept.kolya).post(
        f"/contacts/{dept.kolya_contact.pk}/log/",
        {
            "kind": "note",
            "direction": "out",
            "status": "answered",
            "started_at": "2026-03-02T12:30",
            "body": "Любит чай",
        },
    )
    note = Activity.objects.get(contact=dept.kolya_contact)
    assert (note.kind, note.direction, note.status, note.body) == ("note", "", "", "Любит чай")


def test_sending_a_proposal_stores_the_file_and_only_the_scope_downloads_it(dept):
    upload = SimpleUploadedFile("КП Ромашка.pdf", b"%PDF-1.4 proposal", content_type="application/pdf")
    response = client_for(dept.kolya).post(
        f"/contacts/{dept.kolya_contact.pk}/proposal/", {"file": upload, "subject": "", "body": "Как договорились"}
    )
    assert response.status_code == 302
    proposal = Activity.objects.get(contact=dept.kolya_contact)
    assert (proposal.kind, proposal.direction, proposal.subject) == ("proposal", "out", "КП Ромашка.pdf")
    assert proposal.attachment.name.startswith("attachments/")
    card = client_for(dept.kolya).get(f"/contacts/{dept.kolya_contact.pk}/").content.decode()
    assert f'href="/activities/{proposal.pk}/attachment/"' in card
    download = client_for(dept.kolya).get(f"/activities/{proposal.pk}/attachment/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 proposal"
    assert client_for(dept.petya).get(f"/activities/{proposal.pk}/attachment/").status_code == 404


def test_creating_a_deal_from_the_card(dept):
    response = client_for(dept.kolya).post(
        f"/contacts/{dept.kolya_contact.pk}/deal/",
        {"pipeline": dept.pipeline.pk, "title": "Продление", "amount": "45000"},
    )
    assert response.status_code == 302
    deal = Deal.objects.get(title="Продление")
    assert (deal.contact, deal.owner, deal.amount, deal.stage.ref) == (
        dept.kolya_contact,
        dept.kolya,
        Decimal("45000.00"),
        "new",
    )
    assert deal.stage_changes.count() == 1


def test_scheduling_a_callback(dept):
    due = timezone.localtime() + dt.timedelta(days=2)
    response = client_for(dept.kolya).post(
        f"/contacts/{dept.kolya_contact.pk}/callback/",
        {"due_at": due.strftime("%Y-%m-%dT%H:%M"), "note": "Клиент думает", "deal": dept.kolya_deal.pk},
    )
    assert response.status_code == 302
    task = Task.objects.get(contact=dept.kolya_contact)
    assert (task.kind, task.user, task.deal, task.note) == ("callback", dept.kolya, dept.kolya_deal, "Клиент думает")
    assert task.due_at == due.replace(second=0, microsecond=0)
    assert task.reminded_at is None


def test_a_callback_in_the_past_is_refused(dept):
    response = client_for(dept.kolya).post(
        f"/contacts/{dept.kolya_contact.pk}/callback/", {"due_at": "2020-01-01T10:00", "note": ""}
    )
    assert response.status_code == 400
    assert "Выберите время в будущем." in response.content.decode()
    assert not Task.objects.exists()


def test_quick_actions_on_another_managers_contact_are_404(dept):
    client = client_for(dept.kolya)
    url = f"/contacts/{dept.petya_contact.pk}"
    assert client.post(f"{url}/log/", {"kind": "note", "started_at": "2026-03-02T12:30"}).status_code == 404
    assert client.post(f"{url}/callback/", {"due_at": "2030-01-01T10:00"}).status_code == 404
    assert client.post(f"{url}/deal/", {"pipeline": dept.pipeline.pk, "amount": "1"}).status_code == 404
    assert not Activity.objects.exists() and not Task.objects.exists()


def test_a_deal_of_another_manager_cannot_be_attached(dept):
    response = client_for(dept.kolya).post(
        f"/contacts/{dept.kolya_contact.pk}/log/",
        {"kind": "note", "started_at": "2026-03-02T12:30", "deal": dept.petya_deal.pk},
    )
    assert response.status_code == 400
    assert not Activity.objects.exists()


def test_the_timeline_plays_recordings_and_shows_transcripts(dept):
    activity_record(
        kind="call",
        started_at=T0,
        user=dept.kolya,
        contact=dept.kolya_contact,
        direction="in",
        status="answered",
        duration_s=95,
        recording_url="https://pbx.example/rec/1.mp3",
        transcript="— Алло, это Иван.",
    )
    html = client_for(dept.kolya).get(f"/contacts/{dept.kolya_contact.pk}/").content.decode()
    assert '<audio controls preload="none" src="https://pbx.example/rec/1.mp3"></audio>' in html
    assert "— Алло, это Иван." in html and '<details class="transcript">' in html
