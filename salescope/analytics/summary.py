"""The fast path of the deal, lead, reply, callback and money metrics: per-owner partial aggregates in SQL.

Read from the incremental state (models.py) when it applies (state.fast_path_applies): a handful of grouped
queries give, for every owner, counts and sums plus the raw values that medians need. A group (a user, a
team, the department) pools its owners' partials; `VALUES` turns a pooled partial into each metric's value
exactly as the registry's aggregate does over the items (proven by the property test and `analytics verify`).
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import threading
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, NamedTuple

import numpy as np
from django.db import connection, connections

from . import queries, values
from .period import Period

MICRO = 1_000_000
DAY_US = 24 * 3600 * MICRO
SLA_US = 900 * MICRO


class Run(NamedTuple):
    """Sorted integers and their sum."""

    values: list[int]
    total: int


NO_RUN = Run([], 0)


class Runs:
    """Integers as sorted runs: an owner's values are one run, a group's are its owners' runs side by side.

    Order statistics are found across the runs without merging them (kth), so pooling a group costs nothing
    per value."""

    __slots__ = ("runs", "n", "sum")

    def __init__(self) -> None:
        self.runs: list[list[int]] = []
        self.n = 0
        self.sum = 0

    def add_run(self, run: Run) -> None:
        """Values sorted already (with their sum): one run, kept as it is."""
        if run.values:
            self.runs.append(run.values)
            self.n += len(run.values)
            self.sum += run.total

    def join(self, other: Runs) -> None:
        self.runs.extend(other.runs)
        self.n += other.n
        self.sum += other.sum

    def __len__(self) -> int:
        return self.n

    def kth(self, k: int) -> int:
        """The k-th smallest value (1-based): the least value x with at least k values ≤ x."""
        if not 1 <= k <= self.n:
            raise IndexError(k)
        if len(self.runs) == 1:
            return self.runs[0][k - 1]
        runs, n = self.runs, self.n
        # Each run's value at its own share k/n of its length brackets the answer: at least k values are ≤ the
        # largest such value, and fewer than k are < the smallest.
        picked = [run[-(-k * len(run) // n) - 1] for run in runs]
        low, high = min(picked), max(picked)
        while low < high:
            middle = (low + high) // 2
            if sum(map(bisect_right, runs, itertools.repeat(middle, len(runs)))) >= k:
                high = middle
            else:
                low = middle + 1
        return low

    def median(self) -> Fraction | None:
        """As values.median: for an even count, the mean of the two middle values."""
        if not self.n:
            return None
        middle = (self.n + 1) // 2
        if self.n % 2:
            return Fraction(self.kth(middle))
        return Fraction(self.kth(middle) + self.kth(middle + 1), 2)

    def p90(self) -> Fraction | None:
        """As values.p90: nearest rank ceil(9n / 10)."""
        return Fraction(self.kth((9 * self.n + 9) // 10)) if self.n else None

    def mean(self) -> Fraction | None:
        return Fraction(self.sum, self.n) if self.n else None


@dataclass
class Partial:
    """What one owner's (or a pooled group's) records add up to."""

    missed_n: int = 0
    missed_delays: Runs = field(default_factory=Runs)  # µs, replied missed calls only
    inbound_n: int = 0
    inbound_delays: Runs = field(default_factory=Runs)
    contacts: set[int] = field(default_factory=set)  # first touched in P
    leads_n: int = 0
    leads_sla: int = 0
    cohort_won: int = 0
    lead_delays: Runs = field(default_factory=Runs)  # µs, leads with a response
    callbacks: Counter[str] = field(default_factory=Counter)
    won: int = 0
    lost: int = 0
    revenue_cents: int = 0
    multi: int = 0
    repeat: int = 0
    repeat_cents: int = 0
    cycles: Runs = field(default_factory=Runs)  # µs
    touches: Runs = field(default_factory=Runs)
    lost_by_stage: Counter[str] = field(default_factory=Counter)
    lost_by_reason: Counter[str] = field(default_factory=Counter)
    invoiced_cents: int = 0
    paid_cents: int = 0
    qa_n: int = 0
    qa_score: Counter[int] = field(default_factory=Counter)  # max × criteria scored → sum of scores
    qa_criterion_n: Counter[str] = field(default_factory=Counter)
    qa_criterion: Counter[tuple[str, int]] = field(default_factory=Counter)  # (criterion, max) → sum of scores

    def add(self, other: Partial) -> None:
        mine, theirs = self.__dict__, other.__dict__
        for name in _COUNTS:
            mine[name] += theirs[name]
        for name in _RUNS:
            mine[name].join(theirs[name])
        for name in _COUNTERS:
            mine[name].update(theirs[name])  # adds counts (keeps zeros; the values drop them)
        self.contacts |= other.contacts


_KINDS = {name: type(value) for name, value in Partial().__dict__.items()}
_COUNTS = [name for name, kind in _KINDS.items() if kind is int]
_RUNS = [name for name, kind in _KINDS.items() if kind is Runs]
_COUNTERS = [name for name, kind in _KINDS.items() if kind is Counter]
assert set(_KINDS) == {*_COUNTS, *_RUNS, *_COUNTERS, "contacts"}, "a Partial field of a kind add() cannot pool"


@dataclass(frozen=True, slots=True)
class LeadGroup:
    """Leads in P of one owner from one source and campaign."""

    owner: int | None
    source: str
    campaign: str
    leads: int
    won: int
    won_cents: int


@dataclass(frozen=True, slots=True)
class Customers:
    """The contacts with a currently won lead in P, of one lead owner, source and campaign."""

    owner: int | None
    source: str
    campaign: str
    contact_ids: list[int]


@dataclass
class Summary:
    period: Period
    partials: dict[int | None, Partial]
    funnel_counts: dict[tuple[int | None, int, int], int]  # (owner, pipeline id, reach) → leads
    lead_groups: list[LeadGroup]
    customers: list[Customers]
    stages: list[dict[str, Any]]  # queries.stages(), read with the rest
    also: dict[str, Any] = field(default_factory=dict)

    def pool(self, owners: Collection[int | None] | None) -> Partial:
        """The partial of a group of owners (None: everyone). Read it only: one owner's is their own."""
        if owners is not None and len(owners) == 1:
            (owner,) = owners
            return self.partials.get(owner) or Partial()
        pooled = Partial()
        for owner, partial in self.partials.items():
            if owners is None or owner in owners:
                pooled.add(partial)
        return pooled


# --------------------------------------------------------------------------- SQL


def _rows(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with _binary_cursor() if connection.vendor == "postgresql" else connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _binary_cursor() -> Any:
    """A cursor on this thread's PostgreSQL connection that binds parameters on the server and receives results in
    binary: the value lists of a report arrive as arrays of integers without being printed and parsed as text.
    Wrapped like Django's own cursors (error translation, query logging)."""
    import psycopg

    connection.ensure_connection()
    raw: Any = psycopg.Cursor(connection.connection)
    raw.format = psycopg.pq.Format.BINARY
    return connection.make_debug_cursor(raw) if connection.queries_logged else connection.make_cursor(raw)


Group = tuple[tuple[Any, ...], tuple[int, ...], tuple[list[int], ...]]  # keys, sums, lists
Ranked = list[dict[tuple[Any, ...], Run]]  # per ranked list: the first `ranked_by` keys → the values, sorted


def _grouped_reads(
    fetch: _Fetch,
    source: str,
    params: list[Any],
    *,
    keys: list[str],
    sums: list[tuple[str, str | None]],
    lists: list[tuple[str, str]],
    ranked: int = 0,
    ranked_by: int = 1,
) -> Callable[[], tuple[list[Group], Ranked]]:
    """Per distinct `keys` of the rows of `source` (FROM … WHERE …): each of `sums` (SQL expression, condition or
    None) summed over the rows that meet the condition ("1": counted), and for each of `lists` (value,
    condition) the integer values of the rows that meet the condition. The first `ranked` lists come instead
    sorted per distinct first `ranked_by` keys (the runs of Runs), sorted in the thread that read them; the
    others per group, in no particular order. PostgreSQL reads it all in one scan, each list as the 8-byte
    binary forms of its values end to end (string_agg … FILTER: a tenth cheaper to build than an array, and
    read by numpy at once instead of value by value); SQLite runs one grouped query and one query for the
    rows of the lists. numpy sorts the ranked lists (releasing the GIL).
    Registers the reads; the returned function gives the groups and the ranked lists after fetch.run()."""
    width = len(keys)
    key_sql = ", ".join(keys)
    sum_sql = ", ".join(_total_sql(expression, condition) for expression, condition in sums)

    def rank(listed: Iterable[tuple[tuple[Any, ...], tuple[Values, ...]]]) -> Ranked:
        chunks: list[dict[tuple[Any, ...], list[Values]]] = [defaultdict(list) for _ in range(ranked)]
        for key, values_lists in listed:
            prefix = key[:ranked_by]
            for index in range(ranked):
                if len(values_lists[index]):
                    chunks[index][prefix].append(values_lists[index])
        return [{prefix: _sorted_run(parts) for prefix, parts in by_prefix.items()} for by_prefix in chunks]

    def unranked(values_lists: tuple[Values, ...]) -> tuple[list[int], ...]:
        return tuple([] if index < ranked else _as_list(found) for index, found in enumerate(values_lists))

    if connection.vendor == "postgresql":
        arrays = "".join(
            f", string_agg(int8send(({value})::bigint), ''::bytea) FILTER (WHERE {condition})"
            for value, condition in lists
        )

        def combine(rows: list[tuple[Any, ...]]) -> tuple[list[Group], Ranked]:
            listed = [(row[:width], tuple(_int64s(found) for found in row[width + len(sums) :])) for row in rows]
            groups = [
                (key, tuple(int(total) for total in row[width : width + len(sums)]), unranked(values_lists))
                for row, (key, values_lists) in zip(rows, listed, strict=True)
            ]
            return groups, rank(listed)

        handle = fetch.rows(
            f"SELECT {key_sql}, {sum_sql}{arrays} {source} GROUP BY {key_sql}", params, heavy=True, then=combine
        )
        return lambda: fetch[handle]
    totals = fetch.rows(f"SELECT {key_sql}, {sum_sql} {source} GROUP BY {key_sql}", params, heavy=True)
    picked = ", ".join(f"CASE WHEN {condition} THEN {value} END" for value, condition in lists)
    wanted = " OR ".join(f"({condition})" for _, condition in lists)

    def gather(rows: list[tuple[Any, ...]]) -> tuple[dict[tuple[Any, ...], tuple[list[int], ...]], Ranked]:
        by_key: dict[tuple[Any, ...], tuple[list[int], ...]] = {}
        for row in rows:
            key = row[:width]
            found = by_key.get(key)
            if found is None:
                found = by_key[key] = tuple([] for _ in lists)
            for index, value in enumerate(row[width:]):
                if value is not None:
                    found[index].append(int(value))
        return {key: unranked(found) for key, found in by_key.items()}, rank(by_key.items())

    listed = (
        fetch.rows(f"SELECT {key_sql}, {picked} {source} AND ({wanted})", params, heavy=True, then=gather)
        if lists
        else None
    )

    def gathered() -> tuple[list[Group], Ranked]:
        by_key, ranked_lists = fetch[listed] if listed is not None else ({}, [{} for _ in range(ranked)])
        empty: tuple[list[int], ...] = tuple([] for _ in lists)
        groups = [
            (row[:width], tuple(int(total) for total in row[width:]), by_key.get(row[:width], empty))
            for row in fetch[totals]
        ]
        return groups, ranked_lists

    return gathered


Values = list[int] | np.ndarray[Any, np.dtype[np.int64]]


def _int64s(packed: bytes | None) -> np.ndarray[Any, np.dtype[np.int64]]:
    """The integers of `int8send` forms end to end (big-endian, 8 bytes each); None: none."""
    return np.frombuffer(packed or b"", dtype=">i8").astype(np.int64)


def _sorted_run(parts: list[Values]) -> Run:
    """The values of the parts, sorted by numpy (exact on 64-bit integers), as Python integers, with their sum."""
    ordered = np.sort(np.concatenate([np.asarray(part, dtype=np.int64) for part in parts]))
    values = ordered.tolist()
    bound = max(abs(values[0]), abs(values[-1])) if values else 0
    total = int(ordered.sum()) if bound * len(values) < 2**63 else sum(values)  # numpy's when it cannot overflow
    return Run(values, total)


def _as_list(found: Values) -> list[int]:
    return found if isinstance(found, list) else found.tolist()


def _total_sql(expression: str, condition: str | None) -> str:
    """The sum of `expression` over the rows that meet `condition` (0 when none does); of "1", a count."""
    total = "COUNT(*)" if expression == "1" else f"SUM({expression})"
    if condition is None:
        return total
    filtered = f"{total} FILTER (WHERE {condition})"
    return filtered if expression == "1" else f"COALESCE({filtered}, 0)"


def _dt(value: dt.datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(value)


def _in(period: Period, column: str) -> tuple[str, list[Any]]:
    """`column` in P and at or before as_of."""
    return f"{column} >= %s AND {column} < %s AND {column} <= %s", [
        _dt(period.start),
        _dt(period.end),
        _dt(period.as_of),
    ]


# PostgreSQL settings of a report's statements: the default work_mem (4MB) makes its grouped reads sort on disk
# instead of hashing in memory; and its reads already run two at once (_Fetch), so parallel workers would only
# add processes to start and compete with the other statement for the same cores.
REPORT_SETTINGS = {"work_mem": "64MB", "max_parallel_workers_per_gather": "0"}


@contextmanager
def _report_settings() -> Iterator[Callable[[], None]]:
    """Gives `apply_settings`: from its first call on, the statements on this thread's connection run with
    REPORT_SETTINGS (PostgreSQL), until the end of the block, or of the transaction when one is open."""
    applied = False
    local = connection.in_atomic_block

    def apply_settings() -> None:
        nonlocal applied
        if not applied and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT " + ", ".join("set_config(%s, %s, %s)" for _ in REPORT_SETTINGS),
                    [part for name, value in REPORT_SETTINGS.items() for part in (name, value, local)],
                )
            applied = True

    try:
        yield apply_settings
    finally:
        if applied and not local:
            with connection.cursor() as cursor:
                cursor.execute("; ".join(f"RESET {name}" for name in REPORT_SETTINGS))


Of = Callable[[int | None], Partial]
Step = Callable[[Of], None]


class _Fetch:
    """The SQL of one report, registered first and then run together: outside a transaction (the reports of
    the screens, the API and the CLI) on two connections at once, one of them in a helper thread, so that the
    database works on two statements while Python reads the results."""

    def __init__(self) -> None:
        self._calls: list[Callable[[], Any]] = []
        self._sql: set[int] = set()  # the calls that are statements of this report (rows)
        self._heavy: set[int] = set()
        self._results: list[Any] = []

    def rows(
        self, sql: str, params: list[Any], *, heavy: bool = False, then: Callable[[list[Any]], Any] | None = None
    ) -> int:
        """`heavy`: a scan of many rows, started before the others so that the two connections end together.
        `then`: turns the rows into the result, in the thread that read them, while the other connection's
        statement may still run (it must only make new objects)."""
        index = self.call((lambda: then(_rows(sql, params))) if then else (lambda: _rows(sql, params)), heavy=heavy)
        self._sql.add(index)
        return index

    def call(self, read: Callable[[], Any], *, heavy: bool = False) -> int:
        self._calls.append(read)
        if heavy:
            self._heavy.add(len(self._calls) - 1)
        return len(self._calls) - 1

    def __getitem__(self, handle: int) -> Any:
        return self._results[handle]

    def run(self) -> None:
        """Run every statement; both connections take the next one as they come free."""
        results: list[Any] = [None] * len(self._calls)
        pending = iter(sorted(range(len(self._calls)), key=lambda index: index not in self._heavy))
        lock = threading.Lock()
        failures: list[BaseException] = []

        def work() -> None:
            with _report_settings() as apply_settings:
                while not failures:
                    with lock:
                        index = next(pending, None)
                    if index is None:
                        return
                    if index in self._sql:
                        apply_settings()
                    results[index] = self._calls[index]()

        def helper_work() -> None:
            try:
                work()
            except BaseException as exc:  # noqa: BLE001 (raised again in the caller's thread)
                failures.append(exc)
            finally:
                connections.close_all()  # this thread's connections only

        helper = None
        if len(self._calls) > 1 and not connection.in_atomic_block:  # a transaction's rows are its own
            helper = threading.Thread(target=helper_work, name="report-sql")
            helper.start()
        try:
            work()
        finally:
            if helper is not None:
                helper.join()
        if failures:
            raise failures[0]
        self._results = results


def load(period: Period, also: dict[str, Callable[[], Any]] | None = None, heavy: Collection[str] = ()) -> Summary:
    """The partials of every owner. `also`: other reads of the same report, run together with these (their
    results in Summary.also); those named in `heavy` start among the large scans."""
    partials: dict[int | None, Partial] = {}

    def of(owner: int | None) -> Partial:
        if owner not in partials:
            partials[owner] = Partial()
        return partials[owner]

    fetch = _Fetch()
    leads = _leads(period, fetch)  # the largest scan first
    stages = fetch.call(queries.stages)
    steps = [_replies(period, fetch), _closed(period, fetch, stages), _callbacks(period, fetch)]
    steps.append(_invoiced_and_paid(period, fetch))
    steps.append(_reviews(period, fetch))
    extra = {name: fetch.call(read, heavy=name in heavy) for name, read in (also or {}).items()}
    fetch.run()
    for step in steps:
        step(of)
    funnel, lead_groups, customers = leads(of)
    return Summary(
        period, partials, funnel, lead_groups, customers, fetch[stages], {name: fetch[h] for name, h in extra.items()}
    )


def _replies(period: Period, fetch: _Fetch) -> Step:
    where, params = _in(period, "at")
    replied = f"reply_us <= {DAY_US}"  # NULL without a reply
    groups = _grouped_reads(
        fetch,
        f"FROM analytics_replyfact WHERE {where}",
        params,
        keys=["user_id", "missed_call"],
        sums=[("1", None)],
        lists=[("reply_us", replied)],
        ranked=1,
        ranked_by=2,
    )
    touched = fetch.rows(f"SELECT DISTINCT user_id, contact_id FROM analytics_firsttouch WHERE {where}", params)

    def apply(of: Of) -> None:
        found, (delays,) = groups()
        for (owner, missed), (n,), _ in found:
            partial = of(owner)
            if missed:
                partial.missed_n += n
                partial.missed_delays.add_run(delays.get((owner, missed), NO_RUN))
            else:
                partial.inbound_n += n
                partial.inbound_delays.add_run(delays.get((owner, missed), NO_RUN))
        for owner, contact in fetch[touched]:
            of(owner).contacts.add(contact)

    return apply


def _leads(
    period: Period, fetch: _Fetch
) -> Callable[[Of], tuple[dict[tuple[int | None, int, int], int], list[LeadGroup], list[Customers]]]:
    where, params = _in(period, "created_at")
    won = "current_kind = 'won'"
    responded = "response_us IS NOT NULL"
    groups = _grouped_reads(
        fetch,
        f"FROM analytics_dealfact WHERE {where}",
        params,
        keys=["owner_id", "pipeline_id", "reach", "source", "campaign"],
        sums=[("1", None), ("amount_cents", won)],
        lists=[("response_us", responded), ("contact_id", won)],  # contact_id is never NULL: one per won lead
        ranked=1,
    )

    def apply(of: Of) -> tuple[dict[tuple[int | None, int, int], int], list[LeadGroup], list[Customers]]:
        funnel: dict[tuple[int | None, int, int], int] = defaultdict(int)
        lead_groups: list[LeadGroup] = []
        customers: list[Customers] = []
        found, (delays,) = groups()
        for owner, run in delays.items():
            partial = of(owner[0])
            partial.lead_delays.add_run(run)
            partial.leads_sla += bisect_right(run.values, SLA_US)  # responses within the SLA: counted off the run
        for (owner, pipeline, reach, source, campaign), (n, won_cents), (_, contacts) in found:
            won_n = len(contacts)
            partial = of(owner)
            partial.leads_n += n
            partial.cohort_won += won_n
            funnel[(owner, pipeline, reach)] += n
            lead_groups.append(LeadGroup(owner, source, campaign, n, won_n, won_cents))
            if contacts:
                customers.append(Customers(owner, source, campaign, contacts))
        return dict(funnel), lead_groups, customers

    return apply


def _callbacks(period: Period, fetch: _Fetch) -> Step:
    where, params = _in(period, "due_at")
    as_of = _dt(period.as_of)
    on_time = "call_at IS NOT NULL AND call_at <= deadline"
    handle = fetch.rows(
        f"SELECT user_id, COUNT(*), SUM(CASE WHEN {on_time} THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN NOT ({on_time}) AND %s < deadline THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN NOT ({on_time}) AND %s >= deadline AND call_at IS NOT NULL THEN 1 ELSE 0 END) "
        f"FROM analytics_callbackfact WHERE {where} AND created_at <= %s GROUP BY user_id",
        [as_of, as_of, *params, as_of],
    )

    def apply(of: Of) -> None:
        for owner, due, punctual, pending, late in fetch[handle]:
            counts = of(owner).callbacks
            counts["due"] += due
            counts["on_time"] += int(punctual)
            counts["pending"] += int(pending)
            counts["late"] += int(late)
            counts["missed"] += due - int(punctual) - int(pending) - int(late)

    return apply


def _closed(period: Period, fetch: _Fetch, stages: int) -> Step:
    """Closed deals in P; `stages`: the handle of the stage rows (lost-at stages are reported by ref)."""
    where, params = _in(period, "closed_at")
    won = "current_kind = 'won'"
    groups = _grouped_reads(
        fetch,
        f"FROM analytics_dealfact WHERE {where} AND current_kind IN ('won', 'lost')",
        params,
        keys=["owner_id", "current_kind", "lost_at_stage_id", "loss_reason"],
        sums=[
            ("1", None),
            ("amount_cents", None),
            ("1", "products >= 2"),
            ("1", "is_repeat"),
            ("amount_cents", "is_repeat"),
        ],
        lists=[("cycle_us", won), ("touches", won)],
        ranked=2,
    )

    def apply(of: Of) -> None:
        stage_refs = {stage["id"]: stage["ref"] for stage in fetch[stages]}
        found, (cycles, touches) = groups()
        for owner, run in cycles.items():
            of(owner[0]).cycles.add_run(run)
        for owner, run in touches.items():
            of(owner[0]).touches.add_run(run)
        for (owner, kind, stage_id, reason), (n, cents, multi, repeat, repeat_cents), _ in found:
            partial = of(owner)
            if kind == "won":
                partial.won += n
                partial.revenue_cents += cents
                partial.multi += multi
                partial.repeat += repeat
                partial.repeat_cents += repeat_cents
            else:
                partial.lost += n
                partial.lost_by_stage[stage_refs.get(stage_id, "")] += n
                partial.lost_by_reason[reason] += n

    return apply


def _reviews(period: Period, fetch: _Fetch) -> Step:
    """QA reviews of calls started in P: per call user, max and number of criteria scored, the reviews and their
    score totals; per call user, criterion and max, the scores (state_reviews.py)."""
    where = "WHERE call_started_at >= %s AND call_started_at < %s"
    bounds = [_dt(period.start), _dt(period.end)]
    totals = fetch.rows(
        f"SELECT user_id, max, scored, COUNT(*), SUM(total) FROM analytics_reviewfact {where} "
        "GROUP BY user_id, max, scored",
        bounds,
    )
    per_criterion = fetch.rows(
        f"SELECT user_id, criterion, max, COUNT(*), SUM(score) FROM analytics_reviewscore {where} "
        "GROUP BY user_id, criterion, max",
        bounds,
    )

    def apply(of: Of) -> None:
        for owner, maximum, n, reviews, total in fetch[totals]:
            partial = of(owner)
            partial.qa_n += reviews
            partial.qa_score[maximum * n] += int(total)
        for owner, criterion, maximum, n, total in fetch[per_criterion]:
            partial = of(owner)
            partial.qa_criterion_n[criterion] += n
            partial.qa_criterion[(criterion, maximum)] += int(total)

    return apply


def _invoiced_and_paid(period: Period, fetch: _Fetch) -> Step:
    handle = fetch.rows(
        "SELECT owner_id, SUM(invoiced_cents), SUM(paid_cents) FROM analytics_moneyday "
        "WHERE day >= %s AND day <= %s GROUP BY owner_id",
        [period.date_from, period.date_to],
    )

    def apply(of: Of) -> None:
        for owner, invoiced, paid in fetch[handle]:
            partial = of(None if owner == 0 else owner)
            partial.invoiced_cents += int(invoiced)
            partial.paid_cents += int(paid)

    return apply


# --------------------------------------------------------------------------- values


def _seconds(micros: Fraction | None) -> int | float | None:
    """values.number(micros / 10⁶), without fraction arithmetic: an int when whole, else the correctly
    rounded quotient (what float() of the exact fraction gives)."""
    if micros is None:
        return None
    numerator, denominator = micros.numerator, micros.denominator * MICRO
    whole, rest = divmod(numerator, denominator)
    return whole if rest == 0 else numerator / denominator


def _money(cents: Fraction | int | None) -> str | None:
    if type(cents) is int:
        return values.money_of_cents(cents)
    return values.money(None if cents is None else Fraction(cents) / 100)


def _ratio(a: int, b: int) -> float | None:
    """values.share(values.ratio(a, b)): int true division is correctly rounded, as float() of the fraction."""
    return None if b == 0 else a / b


def _sorted_counts(counter: Counter[str]) -> dict[str, int]:
    return {key: counter[key] for key in sorted(counter) if counter[key] > 0}


VALUES: dict[str, Callable[[Partial], Any]] = {
    "new_contacts_reached": lambda p: len(p.contacts),
    "missed_calls_returned": lambda p: len(p.missed_delays),
    "missed_call_return_rate": lambda p: _ratio(len(p.missed_delays), p.missed_n),
    "missed_call_return_median_s": lambda p: _seconds(p.missed_delays.median()),
    "inbound_messages": lambda p: p.inbound_n,
    "inbound_messages_replied": lambda p: len(p.inbound_delays),
    "message_reply_median_s": lambda p: _seconds(p.inbound_delays.median()),
    "leads_new": lambda p: p.leads_n,
    "first_response_median_s": lambda p: _seconds(p.lead_delays.median()),
    "first_response_p90_s": lambda p: _seconds(p.lead_delays.p90()),
    "leads_without_response": lambda p: p.leads_n - len(p.lead_delays),
    "first_response_sla_rate": lambda p: _ratio(p.leads_sla, p.leads_n),
    "callbacks_due": lambda p: p.callbacks["due"],
    "callbacks_on_time": lambda p: p.callbacks["on_time"],
    "callbacks_pending": lambda p: p.callbacks["pending"],
    "callbacks_late": lambda p: p.callbacks["late"],
    "callbacks_missed": lambda p: p.callbacks["missed"],
    "callback_on_time_rate": lambda p: _ratio(p.callbacks["on_time"], p.callbacks["due"] - p.callbacks["pending"]),
    "deals_won": lambda p: p.won,
    "deals_lost": lambda p: p.lost,
    "win_rate": lambda p: _ratio(p.won, p.won + p.lost),
    "revenue_won": lambda p: _money(p.revenue_cents),
    "avg_check": lambda p: _money(values.ratio(p.revenue_cents, p.won)),
    "sales_cycle_median_s": lambda p: _seconds(p.cycles.median()),
    "sales_cycle_mean_s": lambda p: _seconds(p.cycles.mean()),
    "touches_per_won_deal_mean": lambda p: values.number(p.touches.mean()),
    "touches_per_won_deal_median": lambda p: values.number(p.touches.median()),
    "won_multi_product": lambda p: p.multi,
    "upsell_rate": lambda p: _ratio(p.multi, p.won),
    "repeat_deals_won": lambda p: p.repeat,
    "repeat_revenue_won": lambda p: _money(p.repeat_cents),
    "lost_by_stage": lambda p: _sorted_counts(p.lost_by_stage),
    "lost_by_reason": lambda p: _sorted_counts(p.lost_by_reason),
    "invoiced": lambda p: _money(p.invoiced_cents),
    "paid": lambda p: _money(p.paid_cents),
    "cohort_won": lambda p: p.cohort_won,
    "cohort_conversion": lambda p: _ratio(p.cohort_won, p.leads_n),
}


def quality_value(key: str, p: Partial) -> float | int | None:
    """qa_reviews, qa_score_avg and qa_<criterion>_avg of a pooled partial."""
    if key == "qa_reviews":
        return p.qa_n
    if key == "qa_score_avg":
        return _mean_of_ratios([(score, den) for den, score in p.qa_score.items()], p.qa_n)
    criterion = key.removeprefix("qa_").removesuffix("_avg")
    pairs = [(s, m) for (c, m), s in p.qa_criterion.items() if c == criterion]
    return _mean_of_ratios(pairs, p.qa_criterion_n[criterion])


def _mean_of_ratios(pairs: list[tuple[int, int]], count: int) -> float | None:
    """values.share of (the sum of numerator / denominator over the pairs) / count, in integers: over one
    common denominator, then one correctly rounded int division (what float() of the exact fraction gives)."""
    if count == 0:
        return None
    common = math.lcm(1, *(den for _, den in pairs))
    return sum(num * (common // den) for num, den in pairs) / (common * count)


SERIES_KEYS = ("revenue_won", "deals_won", "paid", "calls_in", "calls_out", "calls_in_missed")


def series(period: Period, owners: Iterable[int | None] | None, starts: list[dt.date]) -> dict[str, list[Any]]:
    """The fast path of per-bucket values (buckets of local days beginning at `starts`, within P) of
    SERIES_KEYS: each point is the value the report of that bucket alone gives."""
    allowed = None if owners is None else set(owners)
    size = len(starts)

    def bucket(day: dt.date) -> int:
        index = 0
        for position, start in enumerate(starts):
            if start <= day:
                index = position
        return index

    def mine(owner: int | None) -> bool:
        return allowed is None or owner in allowed

    calls = {key: [0] * size for key in ("calls_in", "calls_out", "calls_in_missed")}
    for owner, day, calls_in, calls_out, missed in _rows(
        "SELECT user_id, day, calls_in, calls_out, calls_in_missed FROM analytics_userday "
        "WHERE day >= %s AND day <= %s",
        [period.date_from, period.date_to],
    ):
        day = day if isinstance(day, dt.date) else dt.date.fromisoformat(day)
        if mine(None if owner == 0 else owner):
            index = bucket(day)
            calls["calls_in"][index] += calls_in
            calls["calls_out"][index] += calls_out
            calls["calls_in_missed"][index] += missed
    won, revenue, paid = [0] * size, [0] * size, [0] * size
    where, params = _in(period, "closed_at")
    for owner, closed_at, cents in _rows(
        f"SELECT owner_id, closed_at, amount_cents FROM analytics_dealfact WHERE {where} AND current_kind = 'won'",
        params,
    ):
        if mine(owner):
            index = bucket(period.local_date(db_instant(closed_at)))
            won[index] += 1
            revenue[index] += int(cents)
    for owner, day, cents in _rows(
        "SELECT owner_id, day, paid_cents FROM analytics_moneyday WHERE day >= %s AND day <= %s",
        [period.date_from, period.date_to],
    ):
        if mine(None if owner == 0 else owner):
            paid[bucket(day if isinstance(day, dt.date) else dt.date.fromisoformat(day))] += int(cents)
    return {
        "revenue_won": [_money(c) for c in revenue],
        "deals_won": won,
        "paid": [_money(c) for c in paid],
        **calls,
    }


def db_instant(value: dt.datetime | str) -> dt.datetime:
    """A datetime from a raw query (SQLite gives the stored UTC text)."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
