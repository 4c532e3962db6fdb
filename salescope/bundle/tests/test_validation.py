"""Every validation rule of bundle.md, each with its exact error line; nothing is written on error."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from salescope.bundle.importer import import_bundle
from salescope.bundle.writer import write_bundle

from .helpers import import_errors, snapshot
from .sample import sample_records, write_sample

pytestmark = pytest.mark.django_db

Records = dict[str, list[dict[str, Any]]]


def _second_pipeline(stage_ids: tuple[str, str] = ("w2", "l2")) -> dict[str, Any]:
    won, lost = stage_ids
    return {
        "id": "p2",
        "name": "Second",
        "stages": [{"id": won, "name": "Won", "kind": "won"}, {"id": lost, "name": "Lost", "kind": "lost"}],
    }


def _move_to_another_pipeline(records: Records) -> None:
    records["pipelines"].append(_second_pipeline())
    records["stage_changes"][1]["to_stage"] = "w2"


def _drop_changes_of(deal: str) -> Callable[[Records], None]:
    return lambda r: r.update(stage_changes=[c for c in r["stage_changes"] if c["deal"] != deal])


CASES: list[tuple[str, Callable[[Records], Any], str | None]] = [
    ("required field", lambda r: r["teams"][0].pop("name"), "teams.jsonl:1: name: required"),
    ("null required field", lambda r: r["teams"][0].update(name=None), "teams.jsonl:1: name: required"),
    (
        "enum",
        lambda r: r["users"][0].update(role="boss"),
        "users.jsonl:1: role: must be one of manager, head, admin, not 'boss'",
    ),
    (
        "reference",
        lambda r: r["deals"][0].update(contact="zz"),
        "deals.jsonl:1: contact: unknown contact 'zz' (not in contacts.jsonl nor stored)",
    ),
    (
        "item product reference",
        lambda r: r["deals"][0]["items"][1].update(product="p9"),
        "deals.jsonl:1: items[1].product: unknown product 'p9' (not in products.jsonl nor stored)",
    ),
    (
        "time without offset",
        lambda r: r["contacts"][0].update(created_at="2026-03-02T09:15:00"),
        "contacts.jsonl:1: created_at: time without an offset: '2026-03-02T09:15:00'",
    ),
    (
        "date is not a time",
        lambda r: r["tasks"][1].update(due_at="2026-03-09"),
        "tasks.jsonl:2: due_at: a date is not a time: '2026-03-09'",
    ),
    (
        "money as float",
        lambda r: r["products"][0].update(price=1000.0),
        "products.jsonl:1: price: money must be a decimal string, got float",
    ),
    (
        "money with 3 places",
        lambda r: r["invoices"][0].update(amount="2500.005"),
        "invoices.jsonl:1: amount: not a non-negative amount with at most 2 decimals: '2500.005'",
    ),
    (
        "negative money",
        lambda r: r["payments"][0].update(amount="-1.00"),
        "payments.jsonl:1: amount: not a non-negative amount with at most 2 decimals: '-1.00'",
    ),
    (
        "plan target as number",
        lambda r: r["plans"][1].update(target=300),
        "plans.jsonl:2: target: money must be a decimal string, got int",
    ),
    (
        "zero quantity",
        lambda r: r["deals"][0]["items"][0].update(quantity=0),
        "deals.jsonl:1: items[0].quantity: must be a positive integer, not 0",
    ),
    (
        "quantity as string",
        lambda r: r["deals"][0]["items"][0].update(quantity="2"),
        "deals.jsonl:1: items[0].quantity: must be a positive integer, not '2'",
    ),
    (
        "items total",
        lambda r: r["deals"][0].update(amount="2600.00"),
        "deals.jsonl:1: amount: 2600.00 differs from the items' total 2500.00",
    ),
    (
        "open stage after a closed one",
        lambda r: r["pipelines"][0]["stages"].append({"id": "late", "name": "Late", "kind": "open"}),
        "pipelines.jsonl:1: stages[4].kind: open stages must come before won and lost stages",
    ),
    (
        "no lost stage",
        lambda r: r["pipelines"][0]["stages"][3].update(kind="won"),
        "pipelines.jsonl:1: stages: needs at least one lost stage",
    ),
    (
        "stage id repeated across pipelines",
        lambda r: r["pipelines"].append(_second_pipeline(("won", "l2"))),
        "pipelines.jsonl:2: stages[0].id: duplicate stage id 'won' (first in pipelines.jsonl line 1)",
    ),
    (
        "deal without stage change",
        _drop_changes_of("d2"),
        "deals.jsonl:2: id: deal 'd2' has no stage change in stage_changes.jsonl",
    ),
    (
        "earliest change not at created_at",
        lambda r: r["stage_changes"][0].update(at="2026-03-02T10:00:01+03:00"),
        "deals.jsonl:1: created_at: the deal's earliest stage change is at 2026-03-02T10:00:01+03:00, "
        "not at created_at",
    ),
    (
        "stage of another pipeline",
        _move_to_another_pipeline,
        "stage_changes.jsonl:2: to_stage: stage 'w2' is in pipeline 'p2', not in the deal's 'sales'",
    ),
    (
        "plan with user and team",
        lambda r: r["plans"][0].update(team="t1"),
        "plans.jsonl:1: user: a plan needs exactly one of user or team",
    ),
    (
        "plan with neither user nor team",
        lambda r: r["plans"][0].pop("user"),
        "plans.jsonl:1: user: a plan needs exactly one of user or team",
    ),
    (
        "plan month",
        lambda r: r["plans"][0].update(month="2026-3"),
        "plans.jsonl:1: month: expected a month YYYY-MM: '2026-3'",
    ),
    (
        "plan metric",
        lambda r: r["plans"][0].update(metric="calls_in"),
        "plans.jsonl:1: metric: must be one of revenue_won, deals_won, calls_out, paid, not 'calls_in'",
    ),
    (
        "ad spend date",
        lambda r: r["ad_spend"][0].update(date="02.03.2026"),
        "ad_spend.jsonl:1: date: expected a date YYYY-MM-DD: '02.03.2026'",
    ),
    (
        "review of a non-call",
        lambda r: r["qa_reviews"][0].update(activity="a3"),
        "qa_reviews.jsonl:1: activity: activity 'a3' is not a call (kind 'email'); only calls are reviewed",
    ),
    (
        "score above max",
        lambda r: r["qa_reviews"][0].update(scores={"greeting": 4}),
        "qa_reviews.jsonl:1: scores: greeting: must be an integer in 0..3",
    ),
    ("max below 1", lambda r: r["qa_reviews"][0].update(max=0), "qa_reviews.jsonl:1: max: must be an integer ≥ 1"),
    (
        "status on a non-call",
        lambda r: r["activities"][2].update(status="answered"),
        "activities.jsonl:3: status: does not apply to a email",
    ),
    (
        "wait_s on an outbound call",
        lambda r: r["activities"][0].update(direction="out"),
        "activities.jsonl:1: wait_s: applies to inbound calls only",
    ),
    (
        "answered call without duration",
        lambda r: r["activities"][0].pop("duration_s"),
        "activities.jsonl:1: duration_s: required for an answered call",
    ),
    ("call without status", lambda r: r["activities"][1].pop("status"), None),
    (
        "negative duration",
        lambda r: r["activities"][0].update(duration_s=-5),
        "activities.jsonl:1: duration_s: must be an integer ≥ 0, not -5",
    ),
    (
        "duplicate id",
        lambda r: r["contacts"].append(dict(r["contacts"][1])),
        "contacts.jsonl:3: id: duplicate id 'c2' (first on line 2)",
    ),
    (
        "repeated origin and external_id",
        lambda r: r["activities"][1].update(external_id="call-1"),
        "activities.jsonl:2: external_id: origin 'telephony' and external_id 'call-1' repeat line 1",
    ),
    (
        "duplicate stage change (same instant in another offset)",
        lambda r: r["stage_changes"].append({"deal": "d1", "to_stage": "won", "at": "2026-03-10T12:30:00Z"}),
        "stage_changes.jsonl:6: (deal, at, to_stage): duplicate of line 3",
    ),
    (
        "duplicate plan",
        lambda r: r["plans"].append({"month": "2026-03", "metric": "revenue_won", "target": "1.00", "user": "m1"}),
        "plans.jsonl:3: (month, metric, user or team): duplicate of line 1",
    ),
    (
        "duplicate ad spend (null campaign = absent)",
        lambda r: r["ad_spend"].append({"date": "2026-03-02", "source": "seo", "amount": "1.00", "campaign": None}),
        "ad_spend.jsonl:3: (date, source, campaign): duplicate of line 2",
    ),
    (
        "duplicate review",
        lambda r: r["qa_reviews"].append(dict(r["qa_reviews"][0], at="2026-03-03T09:00:00Z")),
        "qa_reviews.jsonl:2: (activity, reviewer, at): duplicate of line 1",
    ),
    (
        "unparseable phone",
        lambda r: r["contacts"][0].update(phones=["+7 916 123-45-67", "call me"]),
        "contacts.jsonl:1: phones[1]: not a phone number: 'call me'",
    ),
    (
        "impossible phone",
        lambda r: r["contacts"][1].update(phones=["12"]),
        "contacts.jsonl:2: phones[0]: not a possible phone number: '12'",
    ),
    (
        "utm key",
        lambda r: r["contacts"][0].update(utm={"source": "x"}),
        "contacts.jsonl:1: utm.source: must be a utm_* key with a string value",
    ),
    (
        "too long a text",
        lambda r: r["teams"][0].update(name="x" * 201),
        "teams.jsonl:1: name: longer than 200 characters",
    ),
    (
        "too large an amount",
        lambda r: r["deals"][1].update(amount="1000000000000.00"),
        "deals.jsonl:2: amount: too large an amount: '1000000000000.00'",
    ),
    (
        "active not a boolean",
        lambda r: r["users"][1].update(active="yes"),
        "users.jsonl:2: active: must be true or false",
    ),
]


@pytest.mark.parametrize(("mutate", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_rule_is_reported_on_its_line(
    tmp_path: Path, mutate: Callable[[Records], Any], expected: str | None
) -> None:
    records = sample_records()
    mutate(records)
    write_bundle(tmp_path, records)
    if expected is None:  # a call without status: the shared activity rule's own message
        expected = "activities.jsonl:2: status: required for a call: 'answered' or 'missed'"
    assert import_errors(tmp_path) == [expected]


def test_ten_mistakes_in_ten_files_are_all_reported_and_nothing_is_written(tmp_path: Path) -> None:
    import_bundle(write_sample(tmp_path / "first"))
    before = snapshot()
    records = sample_records()
    records["teams"][0]["name"] = "Renamed team"  # a valid change: must not be written either
    records["teams"].append({"id": "t2"})
    records["users"][1]["team"] = "t9"
    records["pipelines"][0]["stages"][1]["kind"] = "done"
    records["products"][1]["price"] = 99.5
    records["contacts"][1]["phones"] = ["not a phone"]
    records["deals"][1]["created_at"] = "2026-03-04T12:00:00"
    records["stage_changes"][3]["to_stage"] = "nowhere"
    records["activities"][3]["wait_s"] = 5
    records["tasks"][0]["kind"] = "dream"
    records["plans"][0]["month"] = "March 2026"
    write_bundle(tmp_path / "bad", records)

    assert import_errors(tmp_path / "bad") == [
        "teams.jsonl:2: name: required",
        "users.jsonl:2: team: unknown team 't9' (not in teams.jsonl nor stored)",
        "pipelines.jsonl:1: stages[1].kind: must be one of open, won, lost, not 'done'",
        "products.jsonl:2: price: money must be a decimal string, got float",
        "contacts.jsonl:2: phones[0]: not a phone number: 'not a phone'",
        "deals.jsonl:2: created_at: time without an offset: '2026-03-04T12:00:00'",
        "stage_changes.jsonl:4: to_stage: unknown stage 'nowhere' (not in pipelines.jsonl nor stored)",
        "activities.jsonl:4: wait_s: applies to inbound calls only",
        "tasks.jsonl:1: kind: must be one of callback, call, meeting, todo, not 'dream'",
        "plans.jsonl:1: month: expected a month YYYY-MM: 'March 2026'",
    ]
    assert snapshot() == before


def test_malformed_json_line_is_reported_with_file_and_line(tmp_path: Path) -> None:
    write_sample(tmp_path)
    lines = (tmp_path / "activities.jsonl").read_text().splitlines()
    lines[2] = '{"id": "a3", "kind": "email",'
    (tmp_path / "activities.jsonl").write_text("\n".join(lines) + "\n")
    (tmp_path / "teams.jsonl").write_text('["t1"]\n')
    errors = import_errors(tmp_path)
    assert errors[:2] == [
        "teams.jsonl:1: json: expected a JSON object",
        "users.jsonl:1: team: unknown team 't1' (not in teams.jsonl nor stored)",
    ]
    assert (
        "activities.jsonl:3: json: malformed JSON: Expecting property name enclosed in double quotes (column 30)"
        in (errors)
    )


def test_manifest_errors_name_manifest_json(tmp_path: Path) -> None:
    manifest = {"format": "other", "version": 2, "timezone": "Asia/Tokyo", "currency": None}
    write_bundle(tmp_path, sample_records(), manifest)
    assert import_errors(tmp_path) == [
        "manifest.json:1: format: must be 'salescope-bundle', not 'other'",
        "manifest.json:1: version: must be 1, not 2",
        "manifest.json:1: timezone: the bundle's time zone 'Asia/Tokyo' differs from this instance's "
        "'Europe/Moscow' (SALESCOPE_TIME_ZONE)",
        "manifest.json:1: currency: required: a currency code such as 'RUB'",
    ]


def test_missing_manifest(tmp_path: Path) -> None:
    write_sample(tmp_path)
    (tmp_path / "manifest.json").unlink()
    assert import_errors(tmp_path) == ["manifest.json:1: file: manifest.json is missing"]


def test_unknown_fields_and_files_are_warnings_and_ignored(tmp_path: Path) -> None:
    records = sample_records()
    records["teams"][0]["colour"] = "red"
    records["deals"][0]["items"][0]["discount"] = "5"
    records["contacts"][0]["phones"].append("+79161234567")
    write_bundle(tmp_path, records, {"owner": "someone"})
    (tmp_path / "notes.txt").write_text("hello")
    result = import_bundle(tmp_path)
    assert [str(w) for w in result.warnings] == [
        "notes.txt:1: file: unknown file, ignored",
        "manifest.json:1: owner: unknown field, ignored",
        "teams.jsonl:1: colour: unknown field, ignored",
        "contacts.jsonl:1: phones[2]: repeats +79161234567, kept once",
        "deals.jsonl:1: items[0].discount: unknown field, ignored",
    ]
    assert result.counts["teams.jsonl"].created == 1


def test_references_may_point_to_stored_records(tmp_path: Path) -> None:
    import_bundle(write_sample(tmp_path / "first"))
    later: Records = {
        "contacts": [{"id": "c3", "name": "New client", "created_at": "2026-04-01T10:00:00+03:00", "owner": "m1"}],
        "deals": [
            {
                "id": "d3",
                "contact": "c3",
                "owner": "m2",
                "pipeline": "sales",
                "created_at": "2026-04-01T11:00:00+03:00",
                "amount": "1000.00",
                "items": [{"product": "p1", "quantity": 1, "price": "1000.00"}],
            }
        ],
        "stage_changes": [
            {"deal": "d3", "to_stage": "new", "at": "2026-04-01T11:00:00+03:00"},
            {"deal": "d2", "to_stage": "offer", "at": "2026-04-02T11:00:00+03:00"},
        ],
        "qa_reviews": [
            {"activity": "a1", "reviewer": "m1", "at": "2026-04-03T12:00:00+03:00", "scores": {"a": 1}, "max": 1}
        ],
    }
    result = import_bundle(write_bundle(tmp_path / "later", later))
    assert result.counts["deals.jsonl"].created == 1
    assert result.counts["stage_changes.jsonl"].created == 2


def test_stored_records_take_part_in_cross_rules(tmp_path: Path) -> None:
    import_bundle(write_sample(tmp_path / "first"))
    later: Records = {
        "users": [{"id": "x1", "name": "Someone", "role": "manager"}],
        "pipelines": [_second_pipeline(("won", "l2"))],
        "stage_changes": [{"deal": "d2", "to_stage": "new", "at": "2026-03-01T11:00:00+03:00"}],
        "activities": [
            {
                "id": "a9",
                "kind": "call",
                "started_at": "2026-04-01T10:00:00+03:00",
                "direction": "out",
                "status": "missed",
                "origin": "telephony",
                "external_id": "call-1",
            }
        ],
        "qa_reviews": [
            {"activity": "a3", "reviewer": "m1", "at": "2026-04-03T12:00:00+03:00", "scores": {"a": 1}, "max": 1}
        ],
    }
    from salescope.accounts.services import user_create

    user_create(username="x1", name="Taken", ref="other-ref")
    assert import_errors(write_bundle(tmp_path / "later", later)) == [
        "users.jsonl:1: id: the username 'x1' is taken by stored user 'other-ref'",
        "pipelines.jsonl:1: stages[0].id: stage 'won' belongs to stored pipeline 'sales'",
        "stage_changes.jsonl:1: at: is before the deal's created_at",
        "activities.jsonl:1: external_id: origin 'telephony' and external_id 'call-1' belong to stored activity 'a1'",
        "qa_reviews.jsonl:1: activity: activity 'a3' is not a call (kind 'email'); only calls are reviewed",
    ]


def test_a_line_that_is_not_utf8_is_an_error(tmp_path: Path) -> None:
    write_sample(tmp_path)
    with open(tmp_path / "teams.jsonl", "ab") as handle:
        handle.write(b'{"id": "t2", "name": "\xff"}\n')
    assert import_errors(tmp_path) == ["teams.jsonl:2: encoding: not UTF-8: invalid start byte"]


def test_a_file_that_is_neither_a_folder_nor_a_zip_is_refused(tmp_path: Path) -> None:
    (tmp_path / "bundle.zip").write_text("not a zip")
    with pytest.raises(ValueError, match="is neither a folder nor a .zip archive"):
        import_bundle(tmp_path / "bundle.zip")
