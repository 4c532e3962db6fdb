"""Random small bundles full of metric edge cases, reproducible from a seed.

`generate_bundle(seed)` returns a GeneratedBundle: the department time zone, the records (dicts exactly as in
bundle.md, times as ISO strings with offsets) and the periods / as_of moments worth reporting on.
`write_bundle_dir(bundle, path)` writes it as a bundle folder (manifest.json + *.jsonl).
"""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from tests.oracle.reference import day_start, parse_instant

UTC = dt.UTC
DAY = dt.timedelta(days=1)

# (time zone, first day of the base month): DST switches, a missing midnight (Havana 2026-03-08) and a doubled
# midnight at a month start (Havana 2026-11-01), plus a zone without DST.
SCENARIOS: list[tuple[str, dt.date]] = [
    ("Europe/Moscow", dt.date(2026, 3, 1)),
    ("America/New_York", dt.date(2026, 3, 1)),
    ("America/New_York", dt.date(2026, 10, 1)),
    ("Europe/London", dt.date(2026, 3, 1)),
    ("Europe/London", dt.date(2026, 10, 1)),
    ("America/Havana", dt.date(2026, 3, 1)),
    ("America/Havana", dt.date(2026, 11, 1)),
]
SOURCES = ["yandex_direct", "google_ads", "seo", "referral", None]
CAMPAIGNS = [None, "spring", "brand"]
EXTRA_CRITERIA = ["empathy", "closing"]
FILES = [
    "teams",
    "users",
    "pipelines",
    "products",
    "contacts",
    "deals",
    "stage_changes",
    "activities",
    "tasks",
    "invoices",
    "payments",
    "plans",
    "ad_spend",
    "qa_reviews",
]


@dataclass
class GeneratedBundle:
    seed: int
    timezone: str
    base_month: dt.date
    records: dict[str, list[dict[str, Any]]]
    periods: list[tuple[dt.date, dt.date]] = field(default_factory=list)
    as_ofs: list[dt.datetime] = field(default_factory=list)


def month_add(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


class _Gen:
    def __init__(self, seed: int, size: int) -> None:
        self.rng = random.Random(seed)
        self.seed = seed
        self.size = size
        self.timezone, self.base = self.rng.choice(SCENARIOS)
        self.zone = ZoneInfo(self.timezone)
        self.first_day = self.base - dt.timedelta(days=4)
        self.last_day = month_add(self.base, 2) + dt.timedelta(days=3)
        self.start = day_start(self.first_day, self.zone)
        self.end = day_start(self.last_day, self.zone)
        self.r: dict[str, list[dict[str, Any]]] = {name: [] for name in FILES}
        self.counter = 0
        self.interesting: list[dt.datetime] = []
        self.callback_windows: list[dt.datetime] = []

    # ------------------------------------------------------------------------------------------ primitives

    def new_id(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def fmt(self, instant: dt.datetime) -> str:
        """An ISO time with an offset: local, Z, or some other fixed offset (all name the same instant)."""
        choice = self.rng.random()
        if choice < 0.6:
            return instant.astimezone(self.zone).isoformat()
        if choice < 0.8:
            return instant.astimezone(UTC).isoformat().replace("+00:00", "Z")
        offset = dt.timezone(dt.timedelta(hours=self.rng.choice([-7, 5, 9]), minutes=self.rng.choice([0, 30])))
        return instant.astimezone(offset).isoformat()

    def local_midnight(self) -> dt.datetime:
        day = self.first_day + dt.timedelta(days=self.rng.randrange((self.last_day - self.first_day).days))
        return day_start(day, self.zone)

    def instant(self) -> dt.datetime:
        """A random instant in the span, often sitting on (or next to) a local midnight."""
        if self.chance(0.15):
            return self.local_midnight() + dt.timedelta(seconds=self.rng.choice([0, 0, -1, 1]))
        span = int((self.end - self.start).total_seconds())
        fraction = dt.timedelta(microseconds=500000 if self.chance(0.03) else 0)
        return self.start + dt.timedelta(seconds=self.rng.randrange(span)) + fraction

    def after(self, instant: dt.datetime, max_hours: int = 72) -> dt.datetime:
        return instant + dt.timedelta(seconds=self.rng.choice([0, 1, 60, self.rng.randrange(max_hours * 3600)]))

    def amount(self, low: int = 0, high: int = 200000) -> str:
        units = self.rng.randrange(low, high)
        shape = self.rng.random()
        if shape < 0.1:
            return str(units)  # no decimals
        if shape < 0.2:
            return f"{units}.{self.rng.randrange(10)}"  # one decimal
        cents = self.rng.choice([0, 0, 50, 5, 99, self.rng.randrange(100)])
        return f"{units}.{cents:02d}"

    # ------------------------------------------------------------------------------------------ records

    def people(self) -> None:
        teams = [self.new_id("team") for _ in range(self.rng.randrange(0, 4))]
        for team in teams:
            self.r["teams"].append({"id": team, "name": f"Team {team}"})
        for _ in range(self.rng.randrange(2, 3 + self.size)):
            user: dict[str, Any] = {
                "id": self.new_id("u"),
                "name": "User",
                "role": self.rng.choice(["manager", "head", "admin"]),
            }
            if teams and self.chance(0.75):
                user["team"] = self.rng.choice(teams)
            if self.chance(0.15):
                user["active"] = False
            if self.chance(0.3):
                user["phone_ext"] = str(self.rng.randrange(100, 999))
            self.r["users"].append(user)
        self.users = [u["id"] for u in self.r["users"]]

    def catalog(self) -> None:
        self.stage_kinds: dict[str, dict[str, list[str]]] = {}
        for _ in range(self.rng.randrange(1, 3)):
            pid = self.new_id("pipe")
            opens = [f"{pid}_open{i}" for i in range(1, self.rng.randrange(2, 5))]
            wons = [f"{pid}_won{i}" for i in range(1, self.rng.randrange(2, 4))]
            losts = [f"{pid}_lost{i}" for i in range(1, self.rng.randrange(2, 4))]
            closing = [(s, "won") for s in wons] + [(s, "lost") for s in losts]
            self.rng.shuffle(closing)
            stages = [{"id": s, "name": s, "kind": "open"} for s in opens] + [
                {"id": s, "name": s, "kind": kind} for s, kind in closing
            ]
            self.r["pipelines"].append({"id": pid, "name": f"Pipeline {pid}", "stages": stages})
            self.stage_kinds[pid] = {"open": opens, "won": wons, "lost": losts}
        for _ in range(3):
            self.r["products"].append({"id": self.new_id("prod"), "name": "Product", "price": self.amount(1, 500)})
        self.products = [p["id"] for p in self.r["products"]]

    def contacts(self) -> None:
        for _ in range(self.rng.randrange(3, 5 + 2 * self.size)):
            contact: dict[str, Any] = {"id": self.new_id("c"), "name": "Client", "created_at": self.fmt(self.instant())}
            source = self.rng.choice(SOURCES)
            if source:
                contact["source"] = source
            campaign = self.rng.choice(CAMPAIGNS)
            if campaign and (source or self.chance(0.2)):
                contact["campaign"] = campaign
            if self.chance(0.5):
                contact["phones"] = [f"+7916{1000000 + self.counter:07d}"]
            if self.chance(0.3):
                contact["owner"] = self.rng.choice(self.users)
            self.r["contacts"].append(contact)
        self.contact_ids = [c["id"] for c in self.r["contacts"]]

    def deals(self) -> None:
        self.deal_contact: dict[str, str] = {}
        self.deal_created: dict[str, dt.datetime] = {}
        for _ in range(self.rng.randrange(2, 4 + 3 * self.size)):
            pipeline = self.rng.choice(self.r["pipelines"])
            deal: dict[str, Any] = {
                "id": self.new_id("d"),
                "contact": self.rng.choice(self.contact_ids),
                "owner": self.rng.choice(self.users),
                "pipeline": pipeline["id"],
            }
            created = self.instant()
            deal["created_at"] = self.fmt(created)
            if self.chance(0.6):
                items = []
                total = 0
                for _ in range(self.rng.randrange(1, 4)):
                    quantity = self.rng.randrange(1, 4)
                    price_cents = self.rng.randrange(0, 50000)
                    items.append(
                        {
                            "product": self.rng.choice(self.products),
                            "quantity": quantity,
                            "price": f"{price_cents // 100}.{price_cents % 100:02d}",
                        }
                    )
                    total += quantity * price_cents
                deal["items"] = items
                deal["amount"] = f"{total // 100}.{total % 100:02d}"
            else:
                deal["amount"] = self.amount()
            if self.chance(0.4):
                deal["loss_reason"] = self.rng.choice(["price", "competitor", "no_budget"])
            self.r["deals"].append(deal)
            self.deal_contact[deal["id"]] = deal["contact"]
            self.deal_created[deal["id"]] = created
            self.stage_history(deal["id"], pipeline["id"], created)

    def stage_history(self, deal_id: str, pipeline_id: str, created: dt.datetime) -> None:
        kinds = self.stage_kinds[pipeline_id]
        all_stages = kinds["open"] + kinds["won"] + kinds["lost"]
        first = kinds["open"][0] if self.chance(0.7) else self.rng.choice(all_stages)
        changes = [(created, first)]
        at = created
        for _ in range(self.rng.randrange(0, 5)):
            at = at if self.chance(0.15) else self.after(at, max_hours=24 * 20)
            roll = self.rng.random()
            stage = self.rng.choice(kinds["won"] if roll < 0.35 else kinds["lost"] if roll < 0.6 else all_stages)
            if any(a == at and s == stage for a, s in changes):
                continue
            changes.append((at, stage))
            self.interesting.append(at)
        for when, stage in changes:
            change: dict[str, Any] = {"deal": deal_id, "to_stage": stage, "at": self.fmt(when)}
            if self.chance(0.5):
                change["by"] = self.rng.choice(self.users)
            self.r["stage_changes"].append(change)

    def activity(
        self,
        kind: str,
        started: dt.datetime,
        *,
        direction: str | None = None,
        status: str | None = None,
        user: str | None | bool = True,
        contact: str | None | bool = True,
        deal: str | None = None,
    ) -> dict[str, Any]:
        record: dict[str, Any] = {"id": self.new_id("a"), "kind": kind, "started_at": self.fmt(started)}
        if user is True:
            user = self.rng.choice(self.users)
        if user:
            record["user"] = user
        if contact is True:
            contact = self.rng.choice(self.contact_ids)
        if contact:
            record["contact"] = contact
        if deal:
            record["deal"] = deal
        if kind in ("call", "email", "message") and direction is None:
            direction = self.rng.choice(["in", "out"])
        if direction is None and kind in ("proposal", "meeting", "note") and self.chance(0.4):
            direction = self.rng.choice(["in", "out"])
        if direction:
            record["direction"] = direction
        if kind == "call":
            status = status or self.rng.choice(["answered", "missed"])
            record["status"] = status
            if status == "answered":
                record["duration_s"] = self.rng.choice([0, 1, 59, self.rng.randrange(1, 1800)])
            if direction == "in" and self.chance(0.7):
                record["wait_s"] = self.rng.choice([0, self.rng.randrange(1, 120)])
            if self.chance(0.5):
                record["origin"] = "telephony"
                record["external_id"] = f"tel-{record['id']}"
            record["channel"] = "phone"
        self.r["activities"].append(record)
        return record

    def random_activities(self) -> None:
        kinds = ["call"] * 5 + ["email"] * 2 + ["message"] * 2 + ["meeting", "proposal", "note"]
        for _ in range(self.rng.randrange(5, 10 + 12 * self.size)):
            kind = self.rng.choice(kinds)
            contact: str | None = self.rng.choice(self.contact_ids) if self.chance(0.9) else None
            deal = None
            if contact and self.chance(0.5):
                own = [d for d, c in self.deal_contact.items() if c == contact]
                if own:
                    deal = self.rng.choice(own)
            elif self.chance(0.05):
                deal = self.rng.choice(list(self.deal_contact))
            if deal and self.chance(0.5):
                started = self.deal_created[deal] + dt.timedelta(seconds=self.rng.randrange(-3 * 86400, 10 * 86400))
            else:
                started = self.instant()
            user: str | None | bool = True
            direction = None
            status = None
            if kind in ("call", "message", "email"):
                direction = self.rng.choice(["in", "out"])
            if kind == "call":
                status = self.rng.choice(["answered", "missed"])
            if direction == "in" and (kind != "call" or status == "missed") and self.chance(0.3):
                user = None  # shared line
            elif self.chance(0.04):
                user = None
            self.activity(kind, started, direction=direction, status=status, user=user, contact=contact, deal=deal)

    def reply_edges(self) -> None:
        """Missed calls / inbound messages answered at exactly 24 h, 24 h + 1 s, at the same instant, or never."""
        for _ in range(self.rng.randrange(1, 3 + self.size)):
            kind = self.rng.choice(["call", "message", "email"])
            status = "missed" if kind == "call" else None
            contact: str | None = self.rng.choice(self.contact_ids) if self.chance(0.9) else None
            user: str | None | bool = None if self.chance(0.3) else True
            started = self.instant()
            self.activity(kind, started, direction="in", status=status, user=user, contact=contact)
            delay = self.rng.choice([0, 1, 86400, 86401, self.rng.randrange(1, 86400)])
            reply = started + dt.timedelta(seconds=delay)
            self.interesting.append(reply)
            reply_kind = self.rng.choice(["call", "email", "message", "proposal", "meeting", "note"])
            direction = "out" if self.chance(0.85) else "in"
            reply_status = self.rng.choice(["answered", "missed"]) if reply_kind == "call" else None
            self.activity(reply_kind, reply, direction=direction, status=reply_status, contact=contact or True)

    def simultaneous_touches(self) -> None:
        """Two users touch the same contact at the same instant (both reach a new contact)."""
        if len(self.users) < 2 or not self.chance(0.5):
            return
        contact = self.rng.choice(self.contact_ids)
        when = self.instant()
        first, second = self.rng.sample(self.users, 2)
        self.activity("meeting", when, user=first, contact=contact)
        self.activity("call", when, direction="out", status="answered", user=second, contact=contact)

    def lead_response_edges(self) -> None:
        for deal_id in list(self.deal_contact):
            if not self.chance(0.4):
                continue
            delay = self.rng.choice([0, 900, 901, -1, 3600])
            kind = self.rng.choice(["call", "email", "message", "meeting"])
            self.activity(
                kind,
                self.deal_created[deal_id] + dt.timedelta(seconds=delay),
                direction="out",
                status="answered" if self.chance(0.5) else "missed",
                contact=self.deal_contact[deal_id],
                deal=deal_id if self.chance(0.5) else None,
            )

    def tasks(self) -> None:
        for _ in range(self.rng.randrange(1, 3 + 2 * self.size)):
            user = self.rng.choice(self.users)
            created = self.instant()
            due = created + dt.timedelta(seconds=self.rng.choice([0, 1800, 3600, self.rng.randrange(1, 5 * 86400)]))
            if self.chance(0.05):  # entered after the fact: created after its due time (and its window)
                created, due = due + dt.timedelta(seconds=self.rng.choice([1, 3600])), created
            task: dict[str, Any] = {
                "id": self.new_id("task"),
                "kind": "callback" if self.chance(0.8) else self.rng.choice(["call", "meeting", "todo"]),
                "user": user,
                "created_at": self.fmt(created),
                "due_at": self.fmt(due),
            }
            client: str | None = None
            how = self.rng.random()
            if how < 0.55:
                client = self.rng.choice(self.contact_ids)
                task["contact"] = client
            elif how < 0.85:
                deal = self.rng.choice(list(self.deal_contact))
                task["deal"] = deal
                client = self.deal_contact[deal]
            if self.chance(0.3):
                task["completed_at"] = self.fmt(self.after(created))
            self.r["tasks"].append(task)
            self.interesting.extend([due, due + dt.timedelta(seconds=1800), due + dt.timedelta(seconds=1801)])
            if task["kind"] == "callback":
                self.callback_windows.append(due + dt.timedelta(seconds=self.rng.choice([0, 600, 1799])))
            if client is None or self.chance(0.2):
                continue
            offset = self.rng.choice(["before_created", "at_created", "in_window", "1800", "1801", "late"])
            when = {
                "before_created": created - dt.timedelta(seconds=1),
                "at_created": created,
                "in_window": created + (due - created) / 2,
                "1800": due + dt.timedelta(seconds=1800),
                "1801": due + dt.timedelta(seconds=1801),
                "late": due + dt.timedelta(hours=self.rng.randrange(1, 48)),
            }[offset]
            caller = user if self.chance(0.8) else self.rng.choice(self.users)
            direction = "out" if self.chance(0.9) else "in"
            self.activity("call", when, direction=direction, user=caller, contact=client)

    def billing(self) -> None:
        for deal in self.r["deals"]:
            if not self.chance(0.4):
                continue
            issued = self.after(self.deal_created[deal["id"]], max_hours=24 * 20)
            invoice = {
                "id": self.new_id("inv"),
                "deal": deal["id"],
                "amount": deal["amount"],
                "issued_at": self.fmt(issued),
            }
            self.r["invoices"].append(invoice)
            self.interesting.append(issued)
            for _ in range(self.rng.randrange(0, 3)):
                paid = self.after(issued, max_hours=24 * 15)
                self.r["payments"].append(
                    {
                        "id": self.new_id("pay"),
                        "invoice": invoice["id"],
                        "amount": self.amount(0, 50000),
                        "paid_at": self.fmt(paid),
                    }
                )

    def plans(self) -> None:
        months = [month_add(self.base, k) for k in (-1, 0, 1, 2)]
        owners = [("user", u) for u in self.users] + [("team", t["id"]) for t in self.r["teams"]]
        seen = set()
        for _ in range(self.rng.randrange(0, 3 + 2 * self.size)):
            month = self.rng.choice(months)
            metric = self.rng.choice(["revenue_won", "deals_won", "calls_out", "paid"])
            who_key, who = self.rng.choice(owners)
            key = (month, metric, who_key, who)
            if key in seen:
                continue
            seen.add(key)
            if metric in ("deals_won", "calls_out"):
                target = self.rng.choice(["0", "0.00", "3", "10.00", "2.5"])
            else:
                target = self.rng.choice(["0.00", self.amount(1, 300000), "1000"])
            self.r["plans"].append(
                {"month": f"{month.year:04d}-{month.month:02d}", "metric": metric, "target": target, who_key: who}
            )

    def ad_spend(self) -> None:
        seen = set()
        for _ in range(self.rng.randrange(0, 4 + 2 * self.size)):
            day = self.first_day + dt.timedelta(days=self.rng.randrange((self.last_day - self.first_day).days))
            if self.chance(0.2):
                day = self.base
            source = self.rng.choice([s for s in SOURCES if s] + ["tv"])
            campaign = self.rng.choice(CAMPAIGNS)
            if (day, source, campaign) in seen:
                continue
            seen.add((day, source, campaign))
            row: dict[str, Any] = {"date": day.isoformat(), "source": source, "amount": self.amount(0, 30000)}
            if campaign:
                row["campaign"] = campaign
            self.r["ad_spend"].append(row)

    def qa_reviews(self) -> None:
        calls = [a for a in self.r["activities"] if a["kind"] == "call"]
        seen = set()
        for call in calls:
            if not self.chance(0.3):
                continue
            for _ in range(self.rng.randrange(1, 3)):
                at = self.after(parse_instant(call["started_at"]), max_hours=24 * 7)
                reviewer = self.rng.choice(self.users)
                if (call["id"], reviewer, at) in seen:
                    continue
                seen.add((call["id"], reviewer, at))
                self.interesting.append(at)
                maximum = self.rng.choice([1, 5, 10])
                names = ["politeness", "product_knowledge", "script", "objections"]
                if self.chance(0.2):
                    names += [self.rng.choice(EXTRA_CRITERIA)]
                chosen = self.rng.sample(names, self.rng.randrange(1, len(names) + 1))
                scores = {name: self.rng.randrange(0, maximum + 1) for name in chosen}
                self.r["qa_reviews"].append(
                    {"activity": call["id"], "reviewer": reviewer, "at": self.fmt(at), "scores": scores, "max": maximum}
                )

    # ------------------------------------------------------------------------------------------ reporting choices

    def periods(self) -> list[tuple[dt.date, dt.date]]:
        base, nxt = self.base, month_add(self.base, 1)
        whole = (base, nxt - DAY)
        two = (base, month_add(self.base, 2) - DAY)
        start = self.first_day + dt.timedelta(days=self.rng.randrange(20))
        partial = (start, start + dt.timedelta(days=self.rng.randrange(1, 30)))
        single = self.base + dt.timedelta(days=self.rng.randrange(28))
        return [whole, two, partial, (single, single)]

    def as_ofs(self) -> list[dt.datetime]:
        late = self.end + dt.timedelta(days=40)
        middle = self.start + (self.end - self.start) * self.rng.uniform(0.3, 0.7)
        middle = middle.replace(microsecond=0)
        cut = self.rng.choice(self.interesting) if self.interesting else middle
        pending = self.rng.choice(self.callback_windows) if self.callback_windows else middle - DAY
        return [late, middle, cut, pending]

    def build(self) -> GeneratedBundle:
        self.people()
        self.catalog()
        self.contacts()
        self.deals()
        self.random_activities()
        self.reply_edges()
        self.lead_response_edges()
        self.simultaneous_touches()
        self.tasks()
        self.billing()
        self.plans()
        self.ad_spend()
        self.qa_reviews()
        self.rng.shuffle(self.r["stage_changes"])  # file order is not time order (ties keep their file order)
        self.rng.shuffle(self.r["activities"])
        return GeneratedBundle(
            seed=self.seed,
            timezone=self.timezone,
            base_month=self.base,
            records=self.r,
            periods=self.periods(),
            as_ofs=self.as_ofs(),
        )


def generate_bundle(seed: int, size: int = 1) -> GeneratedBundle:
    """A valid random bundle; `size` (1..4) scales the number of records."""
    return _Gen(seed, size).build()


def write_bundle_dir(bundle: GeneratedBundle, path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    manifest = {"format": "salescope-bundle", "version": 1, "timezone": bundle.timezone, "currency": "RUB"}
    (path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    for name in FILES:
        rows = bundle.records.get(name, [])
        if rows:
            text = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
            (path / f"{name}.jsonl").write_text(text, encoding="utf-8")
    return path


def read_bundle_dir(path: Path) -> tuple[str, dict[str, list[dict[str, Any]]]]:
    """(time zone, records) of a bundle folder."""
    manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    records: dict[str, list[dict[str, Any]]] = {}
    for name in FILES:
        file = path / f"{name}.jsonl"
        lines = file.read_text(encoding="utf-8").splitlines() if file.exists() else []
        records[name] = [json.loads(line) for line in lines if line.strip()]
    return manifest["timezone"], records
