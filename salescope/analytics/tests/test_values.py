from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from salescope.analytics import values


def test_median_and_p90():
    assert values.median([3, 1, 2]) == 2
    assert values.median([4, 1, 3, 2]) == Fraction(5, 2)
    assert values.median([]) is None
    assert values.p90(list(range(1, 11))) == 9  # rank ceil(90/10) = 9
    assert values.p90(list(range(1, 12))) == 10  # rank ceil(99/10) = 10
    assert values.p90([5]) == 5 and values.p90([]) is None


def test_numbers_are_ints_where_exact():
    assert values.number(Fraction(181, 2)) == 90.5 and isinstance(values.number(Fraction(4, 2)), int)
    assert values.number(None) is None


def test_money_rounds_half_up():
    assert values.money(Fraction(3, 200)) == "0.02"  # 0.015
    assert values.money(Fraction(Decimal("125.0025"))) == "125.00"
    assert values.money(Fraction(Decimal("0.125"))) == "0.13"
    assert values.money(Decimal("1500")) == "1500.00"
    assert values.money(Fraction(1, 3)) == "0.33"
    assert values.money(Decimal("0.125")) == "0.13"
    assert values.money(Decimal("125.0025")) == "125.00"
    assert values.money(Decimal("1E+3")) == "1000.00"


@given(st.decimals(min_value=0, max_value=10**12, places=4, allow_nan=False, allow_infinity=False))
def test_money_of_a_decimal_equals_money_of_its_exact_fraction(amount: Decimal) -> None:
    assert values.money(amount) == values.money(Fraction(amount))
