"""Order statistics across sorted runs (summary.Runs) equal those of the merged list (values.py)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from salescope.analytics import values
from salescope.analytics.summary import Partial, Run, Runs

RUNS = st.lists(st.lists(st.integers(-(10**14), 10**14), max_size=30), max_size=8)


def _runs(parts: list[list[int]]) -> Runs:
    pooled = Runs()
    for part in parts:
        one = Runs()
        one.add_run(Run(sorted(part), sum(part)))
        pooled.join(one)
    return pooled


@given(RUNS)
def test_statistics_across_runs_equal_the_merged_list(parts: list[list[int]]) -> None:
    merged = sorted(value for part in parts for value in part)
    pooled = _runs(parts)
    assert len(pooled) == len(merged)
    assert [pooled.kth(k) for k in range(1, len(merged) + 1)] == merged
    assert pooled.median() == values.median(merged)
    assert pooled.p90() == values.p90(merged)
    assert pooled.mean() == values.mean(merged)


def test_ties_and_empty_runs() -> None:
    pooled = _runs([[5, 5, 5], [], [5, 7], [1]])
    assert [pooled.kth(k) for k in range(1, 7)] == [1, 5, 5, 5, 5, 7]
    assert pooled.median() == Fraction(5)
    assert _runs([[]]).median() is None
    assert _runs([[2], [3]]).median() == Fraction(5, 2)


def test_pooling_partials_keeps_each_owners_run() -> None:
    first, second = Partial(), Partial()
    first.lead_delays.add_run(Run([10, 30], 40))
    second.lead_delays.add_run(Run([20], 20))
    first.callbacks["due"] += 2
    pooled = Partial()
    pooled.add(first)
    pooled.add(second)
    assert pooled.lead_delays.runs == [[10, 30], [20]]
    assert pooled.lead_delays.median() == 20
    assert pooled.callbacks["due"] == 2


@given(st.integers(-(10**12), 10**12))
def test_money_of_cents_equals_money(cents: int) -> None:
    assert values.money_of_cents(cents) == values.money(Fraction(cents, 100))


@given(st.integers(-(10**15), 10**15), st.integers(1, 4))
def test_seconds_and_ratios_equal_the_exact_forms(micros: int, halves: int) -> None:
    from salescope.analytics.summary import _ratio, _seconds

    exact = Fraction(micros, halves)
    assert _seconds(exact) == values.number(exact / 1_000_000)
    assert type(_seconds(exact)) is type(values.number(exact / 1_000_000))
    assert _ratio(micros, halves) == values.share(values.ratio(micros, halves))
    assert _ratio(micros, 0) is None


@given(st.lists(st.integers(-(2**63), 2**63 - 1), max_size=50))
def test_packed_integers_read_back_as_postgresql_sends_them(numbers: list[int]) -> None:
    import struct

    from salescope.analytics.summary import Values, _int64s, _sorted_run

    packed = _int64s(b"".join(struct.pack(">q", number) for number in numbers))
    assert packed.tolist() == numbers
    assert _int64s(None).tolist() == []
    halves: list[Values] = [
        packed[: len(numbers) // 2],
        numbers[len(numbers) // 2 :],
    ]  # as PostgreSQL and SQLite give them
    assert _sorted_run(halves) == (sorted(numbers), sum(numbers))
    assert all(type(number) is int for number in _sorted_run(halves).values)
    assert type(_sorted_run(halves).total) is int


@given(st.lists(st.tuples(st.sampled_from(["a", "b"]), st.decimals(0, 10**9, places=4)), max_size=40))
def test_spend_per_campaign_is_the_exact_sum(rows: list[tuple[str, Decimal]]) -> None:
    import datetime as dt

    from salescope.analytics.compute import spend_by_campaign
    from salescope.analytics.facts import SpendItem

    spend = [SpendItem(dt.date(2026, 1, 1), "ads", campaign, amount) for campaign, amount in rows]
    expected: dict[tuple[str, str], Fraction] = {}
    for campaign, amount in rows:
        expected[("ads", campaign)] = expected.get(("ads", campaign), Fraction(0)) + Fraction(amount)
    assert spend_by_campaign(spend) == expected


@given(st.lists(st.tuples(st.integers(0, 10**6), st.integers(1, 60)), max_size=12), st.integers(0, 50))
def test_mean_of_ratios_equals_the_exact_share(pairs: list[tuple[int, int]], count: int) -> None:
    from salescope.analytics.summary import _mean_of_ratios

    exact = sum((Fraction(num, den) for num, den in pairs), Fraction(0))
    assert _mean_of_ratios(pairs, count) == values.share(values.ratio(exact, count))
