"""metrics.md "Terms", stated once for Python and once for SQL: a touch and a reply attempt.

A touch reached the client: an answered call (either direction), an outbound e-mail or message, a proposal
or a meeting. A reply attempt is a touch or an outbound call of any status.
"""

from __future__ import annotations


def is_touch(kind: str, direction: str, status: str) -> bool:
    if kind == "call":
        return status == "answered"
    if kind in ("email", "message"):
        return direction == "out"
    return kind in ("proposal", "meeting")


def is_reply_attempt(kind: str, direction: str, status: str) -> bool:
    return is_touch(kind, direction, status) or (kind == "call" and direction == "out")


def touch_sql(alias: str = "") -> str:
    a = f"{alias}." if alias else ""
    return (
        f"(({a}kind = 'call' AND {a}status = 'answered') OR ({a}kind IN ('email', 'message') AND {a}direction = 'out') "
        f"OR {a}kind IN ('proposal', 'meeting'))"
    )


def reply_attempt_sql(alias: str = "") -> str:
    a = f"{alias}." if alias else ""
    return f"({touch_sql(alias)} OR ({a}kind = 'call' AND {a}direction = 'out'))"
