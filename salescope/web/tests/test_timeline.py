import datetime as dt

import pytest

from salescope.activities.queries import contact_timeline, parse_cursor
from salescope.activities.services import activity_record
from salescope.core.scope import scope_for
from salescope.deals.services import deal_move_stage
from salescope.followups.services import callback_schedule, task_complete

from .conftest import T0, client_for

H = dt.timedelta(hours=1)


@pytest.fixture
def history(dept):
    """Kolya's client Ivan: a note, calls, an e-mail, a colleague's message, a stage move and a callback."""
    ivan, kolya = dept.kolya_contact, dept.kolya
    activity_record(kind="note", started_at=T0 + H, user=kolya, contact=ivan, body="Хочет 3 лицензии", ref="a-note")
    activity_record(
        kind="call",
        started_at=T0 + 2 * H,
        user=kolya,
        contact=ivan,
        direction="in",
        status="answered",
        duration_s=205,
        wait_s=12,
        recording_url="https://pbx.example/rec/1.mp3",
        ref="a-call",
    )
    activity_record(
        kind="call", started_at=T0 + 3 * H, contact=ivan, direction="in", status="missed", wait_s=40, ref="a-missed"
    )
    activity_record(
        kind="email",
        started_at=T0 + 4 * H,
        user=kolya,
        deal=dept.kolya_deal,
        direction="out",
        subject="Коммерческое предложение",
        ref="a-mail",
    )
    activity_record(
        kind="message",
        started_at=T0 + 5 * H,
        user=dept.petya,
        contact=ivan,
        direction="in",
        channel="telegram",
        body="Привет",
        ref="a-msg",
    )
    talk = dept.pipeline.stages.get(ref="talk")
    deal_move_stage(deal=dept.kolya_deal, stage=talk, at=T0 + 6 * H, by=kolya)
    task = callback_schedule(user=kolya, contact=ivan, due_at=T0 + 24 * H, note="Подумает до завтра")
    task.created_at = T0 + 7 * H
    task.save(update_fields=["created_at"])
    task_complete(task=task, at=T0 + 25 * H)
    return task


def _summary(entries):
    return [(e.at - T0, e.kind, _label(e)) for e in entries]


def _label(entry):
    if entry.activity is not None:
        return entry.activity.ref
    if entry.kind == "deal_opened":
        return f"{entry.deal.ref}:{entry.deal.opening_stage}"
    if entry.kind == "stage_moved":
        return f"{entry.deal.ref}:{entry.stage_change.stage.name}"
    return entry.task.kind


def test_manager_timeline_is_chronological_and_only_their_own(dept, history):
    entries = contact_timeline(scope=scope_for(dept.kolya), contact=dept.kolya_contact).entries
    assert _summary(entries) == [
        (H, "deal_opened", "d-kolya:Новая"),
        (H, "activity", "a-note"),
        (2 * H, "activity", "a-call"),
        (4 * H, "activity", "a-mail"),
        (6 * H, "stage_moved", "d-kolya:Переговоры"),
        (7 * H, "task_created", "callback"),
        (25 * H, "task_completed", "callback"),
    ]


def test_head_sees_the_colleagues_message_and_admin_also_the_shared_line_call(dept, history):
    head = [_label(e) for e in contact_timeline(scope=scope_for(dept.head_a), contact=dept.kolya_contact).entries]
    admin = [_label(e) for e in contact_timeline(scope=scope_for(dept.admin), contact=dept.kolya_contact).entries]
    talk = "d-kolya:Переговоры"
    assert head == ["d-kolya:Новая", "a-note", "a-call", "a-mail", "a-msg", talk, "callback", "callback"]
    assert admin == [
        "d-kolya:Новая",
        "a-note",
        "a-call",
        "a-missed",
        "a-mail",
        "a-msg",
        "d-kolya:Переговоры",
        "callback",
        "callback",
    ]


def test_contact_card_renders_timeline_in_department_time(dept, history):
    html = client_for(dept.kolya).get(f"/contacts/{dept.kolya_contact.pk}/").content.decode()
    assert "Иван Петров" in html and "+79161234567" in html and "ivan@romashka.ru" in html
    # 06:15Z + 2h is 11:15 in Moscow; talk 205 s and wait 12 s.
    assert '<time datetime="2026-03-02T11:15:00+03:00">02.03.2026 11:15</time>' in html
    assert "3:25" in html and "0:12" in html
    assert '<audio controls preload="none" src="https://pbx.example/rec/1.mp3"></audio>' in html
    assert "Коммерческое предложение" in html and "Подумает до завтра" in html
    assert "Привет" not in html  # Petya's message is not Kolya's to see
    assert html.index("Хочет 3 лицензии") < html.index("Коммерческое предложение") < html.index("Подумает до завтра")


def test_a_javascript_recording_link_is_not_rendered(dept):
    activity_record(
        kind="call",
        started_at=T0 + 2 * H,
        user=dept.kolya,
        contact=dept.kolya_contact,
        direction="out",
        status="answered",
        duration_s=5,
        recording_url="javascript:alert(1)",
    )
    html = client_for(dept.kolya).get(f"/contacts/{dept.kolya_contact.pk}/").content.decode()
    assert "javascript:" not in html and "<audio" not in html


def test_contact_card_runs_a_fixed_number_of_queries(dept, history, django_assert_num_queries):
    client = client_for(dept.kolya)
    url = f"/contacts/{dept.kolya_contact.pk}/"
    # session, user, contact, phones, e-mails, activities, deals, stage moves, tasks set, tasks done;
    # the quick actions: the contact's deals for three forms, the pipelines; the unread notifications
    with django_assert_num_queries(15):
        assert client.get(url).status_code == 200
    for i in range(15):
        activity_record(
            kind="call",
            started_at=T0 + (30 + i) * H,
            user=dept.kolya,
            contact=dept.kolya_contact,
            direction="out",
            status="answered",
            duration_s=60,
            deal=dept.kolya_deal,
        )
        callback_schedule(user=dept.kolya, contact=dept.kolya_contact, deal=dept.kolya_deal, due_at=T0 + 90 * H)
    with django_assert_num_queries(15):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("limit", [1, 2, 3, 4, 100])
def test_pages_read_back_to_back_give_the_whole_timeline(dept, history, limit):
    scope = scope_for(dept.admin)
    whole = [_label(e) for e in contact_timeline(scope=scope, contact=dept.kolya_contact).entries]
    pages, before = [], None
    while True:
        page = contact_timeline(scope=scope, contact=dept.kolya_contact, before=before, limit=limit)
        assert 0 < len(page.entries) <= limit
        pages.insert(0, [_label(e) for e in page.entries])
        if page.earlier is None:
            break
        before = parse_cursor(page.earlier)
    assert [label for labels in pages for label in labels] == whole
    assert len(whole) == 9


def test_long_history_shows_the_latest_page_and_loads_earlier_ones(dept):
    for i in range(130):
        activity_record(
            kind="note", started_at=T0 + i * H, user=dept.kolya, contact=dept.kolya_contact, body=f"Заметка {i:03d}"
        )
    client = client_for(dept.kolya)
    url = f"/contacts/{dept.kolya_contact.pk}/"
    response = client.get(url)
    html = response.content.decode()
    timeline = response.context["timeline"]
    assert len(timeline.entries) == 100 and "Заметка 129" in html and "Заметка 030" in html
    assert "Заметка 029" not in html and "Показать более ранние" in html
    earlier = client.get(url, {"before": timeline.earlier}, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in earlier and "<ol" not in earlier and "Показать более ранние" not in earlier
    assert "Заметка 000" in earlier and "Заметка 029" in earlier and "Заметка 030" not in earlier
    assert "Сделка открыта" in earlier  # the deal opened at T0 + 1 h, among the oldest


def test_a_broken_cursor_is_a_bad_request(dept):
    response = client_for(dept.kolya).get(f"/contacts/{dept.kolya_contact.pk}/", {"before": "yesterday"})
    assert response.status_code == 400 and b"not a timeline cursor" in response.content
