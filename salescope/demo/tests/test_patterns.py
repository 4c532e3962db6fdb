"""Each pattern the head of sales should discover is in the demo data, plainly."""

from .conftest import NOW
from .figures import (
    callback_outcomes,
    calls_out,
    closed_deals,
    median_first_response,
    multi_product_deals,
    source_figures,
)

MANAGERS = {"kolya", "anna", "sergey", "elena", "dmitry", "olga", "alexey", "maria", "ivan", "tatiana"}


def test_kolya_answers_new_leads_hours_late(demo_bundle):
    medians = median_first_response(demo_bundle)
    assert set(medians) == MANAGERS
    assert medians["kolya"] > 2 * 3600
    assert all(medians[m] < 20 * 60 for m in MANAGERS - {"kolya"})


def test_olga_misses_her_callbacks(demo_bundle):
    outcomes = callback_outcomes(demo_bundle, NOW)

    def on_time_share(user: str) -> float:
        counts = outcomes[user]
        return counts["on_time"] / sum(counts.values())

    assert sum(outcomes["olga"].values()) >= 20
    assert outcomes["olga"]["missed"] > outcomes["olga"]["on_time"]
    assert on_time_share("olga") < 0.3
    assert all(on_time_share(m) > 0.6 for m in MANAGERS - {"olga"})


def test_anna_wins_most_with_fewest_calls(demo_bundle):
    closed = closed_deals(demo_bundle)
    win_rate = {m: closed[m]["won"] / (closed[m]["won"] + closed[m]["lost"]) for m in MANAGERS}
    calls = calls_out(demo_bundle)
    others = MANAGERS - {"anna"}
    assert win_rate["anna"] > 1.5 * max(win_rate[m] for m in others)
    assert calls["anna"] < 0.5 * min(calls[m] for m in others)


def test_sergey_never_sells_two_products_in_one_deal(demo_bundle):
    multi = multi_product_deals(demo_bundle)
    assert multi["sergey"] == 0
    assert sum(1 for d in demo_bundle["deals"] if d["owner"] == "sergey") >= 50
    assert all(multi[m] >= 10 for m in MANAGERS - {"sergey"})


def test_avito_brings_many_leads_and_spend_but_no_won_deal(demo_bundle):
    sources = source_figures(demo_bundle)
    avito = sources["avito"]
    assert avito["won"] == 0
    assert avito["spend"] > 0
    assert avito["leads"] >= max(s["leads"] for name, s in sources.items() if name != "yandex_direct") * 0.9
    assert avito["leads"] >= 0.18 * len(demo_bundle["deals"])
    assert all(s["won"] > 0 for name, s in sources.items() if name != "avito")
