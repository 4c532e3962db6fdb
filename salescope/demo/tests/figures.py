"""Plain computations over demo bundle records, close to the words of metrics.md, used by the pattern tests."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from typing import Any

Bundle = dict[str, Any]

REPLY_KINDS = {"email", "message"}


def instant(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def is_reply_attempt(activity: dict[str, Any]) -> bool:
    kind, direction = activity["kind"], activity.get("direction")
    if kind == "call":
        return direction == "out" or activity["status"] == "answered"
    if kind in REPLY_KINDS:
        return direction == "out"
    return kind in ("proposal", "meeting")


def first_response_delays(bundle: Bundle) -> dict[str, list[float]]:
    """Owner → delays (s) from each deal's creation to the first reply attempt to its contact."""
    attempts: dict[str, list[dt.datetime]] = defaultdict(list)
    for a in bundle["activities"]:
        if a.get("contact") and is_reply_attempt(a):
            attempts[a["contact"]].append(instant(a["started_at"]))
    delays: dict[str, list[float]] = defaultdict(list)
    for deal in bundle["deals"]:
        created = instant(deal["created_at"])
        later = [t for t in attempts[deal["contact"]] if t >= created]
        if later:
            delays[deal["owner"]].append((min(later) - created).total_seconds())
    return delays


def median_first_response(bundle: Bundle) -> dict[str, float]:
    return {owner: statistics.median(values) for owner, values in first_response_delays(bundle).items()}


def callback_outcomes(bundle: Bundle, as_of: dt.datetime) -> dict[str, dict[str, int]]:
    """Task user → counts of on_time / late / missed callbacks whose window has passed."""
    calls: dict[tuple[str, str], list[dt.datetime]] = defaultdict(list)
    for a in bundle["activities"]:
        if a["kind"] == "call" and a.get("direction") == "out" and a.get("user") and a.get("contact"):
            calls[(a["user"], a["contact"])].append(instant(a["started_at"]))
    deal_contact = {d["id"]: d["contact"] for d in bundle["deals"]}
    result: dict[str, dict[str, int]] = defaultdict(lambda: {"on_time": 0, "late": 0, "missed": 0})
    for task in bundle["tasks"]:
        if task["kind"] != "callback":
            continue
        created, due = instant(task["created_at"]), instant(task["due_at"])
        window_end = due + dt.timedelta(seconds=1800)
        if window_end > as_of:
            continue
        client: str = task.get("contact") or deal_contact.get(task.get("deal", ""), "")
        after = sorted(t for t in calls[(task["user"], client)] if created <= t <= as_of)
        if after and after[0] <= window_end:
            result[task["user"]]["on_time"] += 1
        elif after:
            result[task["user"]]["late"] += 1
        else:
            result[task["user"]]["missed"] += 1
    return result


def closed_deals(bundle: Bundle) -> dict[str, dict[str, int]]:
    """Owner → numbers of won and lost deals (by the last stage change)."""
    last: dict[str, str] = {}
    for change in sorted(bundle["stage_changes"], key=lambda c: instant(c["at"])):
        last[change["deal"]] = change["to_stage"]
    result: dict[str, dict[str, int]] = defaultdict(lambda: {"won": 0, "lost": 0})
    for deal in bundle["deals"]:
        stage = last[deal["id"]]
        if stage in ("won", "lost"):
            result[deal["owner"]][stage] += 1
    return result


def won_deal_ids(bundle: Bundle) -> set[str]:
    last: dict[str, str] = {}
    for change in sorted(bundle["stage_changes"], key=lambda c: instant(c["at"])):
        last[change["deal"]] = change["to_stage"]
    return {deal for deal, stage in last.items() if stage == "won"}


def calls_out(bundle: Bundle) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for a in bundle["activities"]:
        if a["kind"] == "call" and a.get("direction") == "out" and a.get("user"):
            counts[a["user"]] += 1
    return counts


def multi_product_deals(bundle: Bundle) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for deal in bundle["deals"]:
        if len({item["product"] for item in deal.get("items", [])}) >= 2:
            counts[deal["owner"]] += 1
    return counts


def source_figures(bundle: Bundle) -> dict[str, dict[str, Any]]:
    """Source → leads (deals), won deals, spend."""
    source = {c["id"]: c.get("source", "") for c in bundle["contacts"]}
    won = won_deal_ids(bundle)
    result: dict[str, dict[str, Any]] = defaultdict(lambda: {"leads": 0, "won": 0, "spend": 0.0})
    for deal in bundle["deals"]:
        figures = result[source[deal["contact"]]]
        figures["leads"] += 1
        figures["won"] += deal["id"] in won
    for row in bundle["ad_spend"]:
        result[row["source"]]["spend"] += float(row["amount"])
    return result
