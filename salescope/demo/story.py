"""The life of one demo deal: first response, qualification, proposal, negotiation, won or lost.

Each manager's profile (catalog.MANAGERS) bends the story: how fast the first answer comes, whether
callbacks are kept, how often the phone is used, how likely the deal is won.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from typing import Any

from .catalog import MESSAGE_CHANNELS, ManagerProfile, SourceProfile
from .clock import WorkClock
from .recorder import Record, Recorder

BASE_WIN_CHANCE = 0.26
LOST_STAGE_WEIGHTS = {"new": 25, "qualified": 30, "proposal": 30, "negotiation": 15}
AVITO_LOST_STAGE_WEIGHTS = {"new": 45, "qualified": 35, "proposal": 20, "negotiation": 0}
LOSS_REASONS_AT = {
    "new": {"Не дозвонились": 50, "Не актуально": 35, "Нет бюджета": 15},
    "qualified": {"Нет бюджета": 30, "Не актуально": 30, "Дорого": 25, "Выбрали конкурента": 15},
    "proposal": {"Дорого": 45, "Выбрали конкурента": 35, "Нет бюджета": 20},
    "negotiation": {"Дорого": 40, "Выбрали конкурента": 45, "Нет бюджета": 15},
}
TRANSCRIPTS = [
    "Менеджер: Добрый день! Вы оставляли заявку на кондиционер. Клиент: Да, нужна установка в две комнаты. "
    "Менеджер: Подготовлю коммерческое предложение сегодня.",
    "Клиент: Здравствуйте, получили ваше КП, но цена выше, чем у конкурентов. Менеджер: Давайте посмотрим, "
    "что можно сделать по монтажу.",
    "Менеджер: Здравствуйте, удобно говорить? Клиент: Перезвоните, пожалуйста, завтра после обеда.",
]


def pick(rng: random.Random, weights: dict[str, int]) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


@dataclass
class Lead:
    deal: Record
    manager: ManagerProfile
    source: SourceProfile
    channel: str  # how the lead arrived: form, call, cold or a messenger channel
    created_at: dt.datetime
    repeat: bool = False


class DealStory:
    """Plays one deal; `play()` returns the moment it was won, or None."""

    def __init__(self, rec: Recorder, clock: WorkClock, rng: random.Random, lead: Lead) -> None:
        self.rec, self.clock, self.rng, self.lead = rec, clock, rng, lead
        self.manager = lead.manager
        self.owner = lead.manager.ref
        self.deal = lead.deal
        self.contact = lead.deal["contact"]
        self.outcome, self.reason = self._choose_outcome()
        self.phone_contact = False  # whether the last exchange with the client was a phone conversation

    # -- the plot ---------------------------------------------------------------------------------------

    def _choose_outcome(self) -> tuple[str, str]:
        """("won", ""), ("lost:<stage>", reason) or ("open:<stage>", "") for a stalled deal."""
        rng, source = self.rng, self.lead.source
        chance = min(0.85, BASE_WIN_CHANCE * self.manager.win_factor * source.win_factor)
        if self.lead.repeat:
            chance = 0.7
        if rng.random() < chance:
            return "won", ""
        weights = AVITO_LOST_STAGE_WEIGHTS if source.name == "avito" else LOST_STAGE_WEIGHTS
        stage = pick(rng, weights)
        if rng.random() < 0.08:
            return f"open:{stage}", ""
        reasons = dict(LOSS_REASONS_AT[stage])
        if source.name == "avito":
            reasons["Дорого"] = reasons.get("Дорого", 0) + 40
        return f"lost:{stage}", pick(rng, reasons)

    def play(self) -> dt.datetime | None:
        t0 = self.lead.created_at
        self.rec.stage(self.deal, "new", t0, self.owner)
        if self.outcome == "lost:new" and self.reason == "Не дозвонились":
            self._never_reached(t0)
            return None
        t = self._first_conversation(t0)
        if self.outcome == "open:new":
            return None
        if self.outcome == "lost:new":
            self._lose(self.clock.after(t, 300, 1800))
            return None
        t = self.clock.after(t, 60, 600)
        self.rec.stage(self.deal, "qualified", t, self.owner)
        moment: dt.datetime | None = t
        if self.phone_contact and self.rng.random() < 0.4:
            moment = self._callback(t)
        steps: list[tuple[str, Callable[[dt.datetime], dt.datetime | None]]] = [
            ("qualified", self._proposal),
            ("proposal", self._negotiation),
            ("negotiation", self._win),
        ]
        for stage, next_step in steps:
            if moment is None or self.outcome == f"open:{stage}":
                return None
            if self.outcome == f"lost:{stage}":
                self._lose_after_touch(moment)
                return None
            moment = next_step(moment)
        return moment

    def _first_conversation(self, t0: dt.datetime) -> dt.datetime:
        """The lead's arrival and the first answer; returns when the first real conversation ended."""
        channel = self.lead.channel
        if channel == "cold":
            return self._call_out(t0 + dt.timedelta(seconds=self.rng.randint(0, 60)), True, long=True)
        if channel == "call":
            if self.clock.is_work_time(t0):
                return self._call_in(t0, answered=True, user=self.owner, long=True)
            self._call_in(t0, answered=False, user=None)
        elif channel != "form":
            self._message(t0, "in", channel)
        t1 = self._first_response_time(t0)
        if channel in MESSAGE_CHANNELS or channel == "avito":
            self._message(t1, "out", channel)
            t1 = self.clock.after(t1, 600, 5400)
            if self.rng.random() < self.manager.calls_factor:
                return self._reach_by_phone(t1)
            return self._client_writes(t1, channel)
        if self.rng.random() < self.manager.calls_factor:
            return self._reach_by_phone(t1)
        self._message(t1, "out", "whatsapp")
        return self._client_writes(self.clock.after(t1, 600, 7200), "whatsapp")

    def _first_response_time(self, t0: dt.datetime) -> dt.datetime:
        rng = self.rng
        if self.manager.slow_first_response:
            delay = rng.choice([rng.randint(2 * 3600, 6 * 3600)] * 7 + [rng.randint(6 * 3600, 24 * 3600)] * 2)
            if rng.random() < 0.1:
                delay = rng.randint(1800, 5400)
            return self.clock.to_work(t0 + dt.timedelta(seconds=delay))
        if not self.clock.is_work_time(t0):
            return self.clock.to_work(t0)
        delay = rng.choice([rng.randint(40, 600)] * 7 + [rng.randint(600, 1800)] * 2 + [rng.randint(1800, 5400)])
        return self.clock.to_work(t0 + dt.timedelta(seconds=delay))

    def _never_reached(self, t0: dt.datetime) -> None:
        t = self._first_response_time(t0)
        for gap in ((2 * 3600, 5 * 3600), (20 * 3600, 30 * 3600)):
            if self.rng.random() < self.manager.calls_factor:
                self._call_out(t, False)
            else:
                self._message(t, "out", self.rng.choice(MESSAGE_CHANNELS))
            t = self.clock.after(t, *gap)
        self._call_out(t, False)
        self._message(t + dt.timedelta(seconds=90), "out", "whatsapp")
        self._lose(self.clock.days_later(t, 1, 3))

    def _proposal(self, t: dt.datetime) -> dt.datetime | None:
        todo_created = t
        t = self.clock.days_later(t, 1, 3)
        self.rec.activity("proposal", t, user=self.owner, contact=self.contact, deal=self.deal["id"], direction="out")
        self.rec.activity(
            "email", t + dt.timedelta(seconds=60), user=self.owner, contact=self.contact, deal=self.deal["id"],
            direction="out", channel="email",
        )  # fmt: skip
        self.rec.stage(self.deal, "proposal", t + dt.timedelta(seconds=120), self.owner)
        if self.rng.random() < 0.3:
            self.rec.task("todo", self.owner, todo_created, self.clock.days_later(todo_created, 1, 2), completed_at=t,
                          contact=self.contact, deal=self.deal["id"], note="Подготовить КП")  # fmt: skip
        t = self._client_reacts(self.clock.after(t, 3 * 3600, 30 * 3600))
        if self.rng.random() < 0.8 * self.manager.calls_factor:
            t = self._call_out(self.clock.days_later(t, 1, 2), True)
            if self.rng.random() < 0.35:
                return self._callback(t)
        return t

    def _negotiation(self, t: dt.datetime) -> dt.datetime:
        big = Decimal(self.deal["amount"]) > Decimal(150_000)
        meeting_chance = 0.75 if self.manager.calls_factor < 0.5 else (0.5 if big else 0.1)
        if self.rng.random() < meeting_chance:
            meeting_at = self.clock.days_later(t, 2, 5)
            self.rec.task("meeting", self.owner, t, meeting_at, completed_at=meeting_at + dt.timedelta(hours=1),
                          contact=self.contact, deal=self.deal["id"], note="Встреча в офисе клиента")  # fmt: skip
            self.rec.activity("meeting", meeting_at, user=self.owner, contact=self.contact, deal=self.deal["id"])
            t = meeting_at + dt.timedelta(seconds=self.rng.randint(1800, 5400))
        else:
            t, _ = self._touch(self.clock.days_later(t, 1, 4))
        t = self.clock.after(t, 60, 900)
        self.rec.stage(self.deal, "negotiation", t, self.owner)
        return t

    def _win(self, t: dt.datetime) -> dt.datetime | None:
        t, _ = self._touch(self.clock.days_later(t, 1, 5))
        won_at = self.clock.after(t, 60, 1200)
        if not self.rec.stage(self.deal, "won", won_at, self.owner):
            return None
        self._bill(won_at)
        return won_at

    def _bill(self, won_at: dt.datetime) -> None:
        rng, clock = self.rng, self.clock
        amount = Decimal(self.deal["amount"])
        invoice = self.rec.invoice(self.deal, amount, clock.after(won_at, 600, 5400))
        if invoice is None:
            return
        issued = dt.datetime.fromisoformat(invoice["issued_at"])
        roll = rng.random()
        if roll < 0.6:
            self.rec.payment(invoice, amount, clock.days_later(issued, 1, 7))
            return
        share = Decimal("0.5") if roll < 0.85 else Decimal(rng.choice(["0.3", "0.5"]))
        first = (amount * share).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
        paid_at = clock.days_later(issued, 1, 4)
        if self.rec.payment(invoice, first, paid_at) and roll < 0.85:
            self.rec.payment(invoice, amount - first, clock.days_later(paid_at, 5, 20))

    def _lose_after_touch(self, t: dt.datetime) -> None:
        t, _ = self._touch(self.clock.days_later(t, 1, 5))
        self._lose(self.clock.after(t, 120, 1800))

    def _lose(self, t: dt.datetime) -> None:
        if self.rec.stage(self.deal, "lost", t, self.owner):
            self.deal["loss_reason"] = self.reason

    # -- callbacks and tasks --------------------------------------------------------------------------

    def _callback(self, t: dt.datetime) -> dt.datetime | None:
        """The client asks to be called back; the manager calls on time, late, or never (the deal is then lost)."""
        rng, clock = self.rng, self.clock
        if rng.random() < 0.35:
            due = clock.to_work(t + dt.timedelta(hours=rng.randint(1, 3)))
        else:
            due = clock.days_later(t, 1, 3)
        due = due.replace(minute=rng.choice([0, 30]), second=0)
        due = max(due, t + dt.timedelta(minutes=30))
        roll = rng.random()
        fields: dict[str, Any] = {"contact": self.contact, "deal": self.deal["id"], "note": "Перезвонить клиенту"}
        if roll < self.manager.callback_on_time:
            call_at = max(t + dt.timedelta(seconds=60), due + dt.timedelta(seconds=rng.randint(-900, 1500)))
            self.rec.task("callback", self.owner, t, due, completed_at=call_at + dt.timedelta(minutes=5), **fields)
            return self._call_out(call_at, True)
        if roll < self.manager.callback_on_time + self.manager.callback_late:
            call_at = clock.to_work(due + dt.timedelta(seconds=rng.randint(2 * 3600, 28 * 3600)))
            self.rec.task("callback", self.owner, t, due, completed_at=call_at + dt.timedelta(minutes=5), **fields)
            return self._call_out(call_at, True)
        marked = due + dt.timedelta(minutes=rng.randint(10, 180)) if rng.random() < 0.4 else None
        self.rec.task("callback", self.owner, t, due, completed_at=marked, **fields)
        # Nobody calls back: the client goes elsewhere.
        self.outcome, self.reason = "lost:callback", rng.choice(["Выбрали конкурента", "Не актуально"])
        gone = clock.days_later(due, 2, 7)
        self._message(gone, "in", rng.choice(MESSAGE_CHANNELS))
        self._lose(gone + dt.timedelta(minutes=rng.randint(30, 240)))
        return None

    # -- single touches -----------------------------------------------------------------------------------

    def _touch(self, t: dt.datetime) -> tuple[dt.datetime, bool]:
        """One contact step in the manager's style: a call (maybe after a missed try) or a written exchange."""
        if self.rng.random() < 0.8 * self.manager.calls_factor:
            return self._reach_by_phone(t), True
        channel = "email" if self.rng.random() < 0.4 else self.rng.choice(MESSAGE_CHANNELS)
        if channel == "email":
            self._email(t, "out")
        else:
            self._message(t, "out", channel)
        return self._client_writes(self.clock.after(t, 1200, 5 * 3600), channel), False

    def _reach_by_phone(self, t: dt.datetime) -> dt.datetime:
        if self.rng.random() < 0.25:
            self._call_out(t, False)
            self._message(t + dt.timedelta(seconds=self.rng.randint(60, 180)), "out", "whatsapp")
            t = self.clock.after(t, 3600, 4 * 3600)
        return self._call_out(t, True, long=True)

    def _client_writes(self, t: dt.datetime, channel: str) -> dt.datetime:
        """The client writes; the owner answers within minutes. Returns the moment of the answer."""
        if channel == "email":
            self._email(t, "in")
        else:
            self._message(t, "in", channel)
        reply = self.clock.after(t, 180, 2400)
        if channel == "email":
            self._email(reply, "out")
        else:
            self._message(reply, "out", channel)
        return reply

    def _client_reacts(self, t: dt.datetime) -> dt.datetime:
        """After the proposal the client writes or calls; a missed call is returned."""
        roll = self.rng.random()
        if roll < 0.45:
            return self._client_writes(t, self.rng.choice(MESSAGE_CHANNELS))
        if roll < 0.6:
            return self._client_writes(t, "email")
        t = self.clock.to_work(t)
        if roll < 0.8:
            return self._call_in(t, answered=True, user=self.owner)
        shared_line = self.rng.random() < 0.3
        self._call_in(t, answered=False, user=None if shared_line else self.owner)
        return self._call_out(self.clock.after(t, 300, 5400), True)

    def _call_out(self, t: dt.datetime, answered: bool, *, long: bool = False) -> dt.datetime:
        duration = self.rng.randint(180, 900) if long else self.rng.randint(40, 420)
        fields: dict[str, Any] = {"status": "answered" if answered else "missed"}
        if answered:
            fields["duration_s"] = duration
            if self.rng.random() < 0.08:
                fields["transcript"] = self.rng.choice(TRANSCRIPTS)
        self.rec.activity("call", t, user=self.owner, contact=self.contact, deal=self.deal["id"], direction="out",
                          channel="phone", **fields)  # fmt: skip
        self.phone_contact = answered
        end = t + dt.timedelta(seconds=duration if answered else 30)
        if answered and self.rng.random() < 0.25:
            self.rec.activity("note", end + dt.timedelta(seconds=30), user=self.owner, contact=self.contact,
                              deal=self.deal["id"])  # fmt: skip
        return end

    def _call_in(self, t: dt.datetime, *, answered: bool, user: str | None, long: bool = False) -> dt.datetime:
        rng = self.rng
        fields: dict[str, Any] = {"status": "answered" if answered else "missed"}
        if answered:
            fields["wait_s"] = rng.randint(4, 35)
            fields["duration_s"] = rng.randint(180, 900) if long else rng.randint(40, 420)
        else:
            fields["wait_s"] = rng.randint(20, 80)
        self.rec.activity("call", t, user=user, contact=self.contact, deal=self.deal["id"], direction="in",
                          channel="phone", **fields)  # fmt: skip
        self.phone_contact = answered
        return t + dt.timedelta(seconds=fields["wait_s"] + fields.get("duration_s", 0))

    def _message(self, t: dt.datetime, direction: str, channel: str) -> None:
        self.phone_contact = False
        self.rec.activity("message", t, user=self.owner, contact=self.contact, deal=self.deal["id"],
                          direction=direction, channel=channel)  # fmt: skip

    def _email(self, t: dt.datetime, direction: str) -> None:
        self.phone_contact = False
        self.rec.activity("email", t, user=self.owner, contact=self.contact, deal=self.deal["id"],
                          direction=direction, channel="email")  # fmt: skip
