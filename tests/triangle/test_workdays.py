from datetime import date

import pytest

from triangle.workdays import add_working_days, is_working_day, working_days_between


def test_weekend_is_skipped_friday_plus_two_is_tuesday():
    assert add_working_days(date(2026, 11, 20), 2, state="NI") == date(2026, 11, 24)


@pytest.mark.parametrize("state", ["NI", "SH"])
def test_reformation_day_is_a_holiday_in_lower_saxony_and_schleswig_holstein(state):
    # Friday 31 October 2025
    assert not is_working_day(date(2025, 10, 31), state=state)
    assert add_working_days(date(2025, 10, 30), 1, state=state) == date(2025, 11, 3)


def test_reformation_day_is_a_working_day_in_north_rhine_westphalia():
    assert add_working_days(date(2025, 10, 30), 1, state="NW") == date(2025, 10, 31)


def test_corpus_christi_counts_in_nrw_but_not_in_lower_saxony():
    # Thursday 4 June 2026
    assert is_working_day(date(2026, 6, 4), state="NI")
    assert not is_working_day(date(2026, 6, 4), state="NW")
    assert add_working_days(date(2026, 6, 3), 1, state="NI") == date(2026, 6, 4)
    assert add_working_days(date(2026, 6, 3), 1, state="NW") == date(2026, 6, 5)


def test_christmas_and_new_year_span_years():
    # Wed 23 Dec 2026 + 3 working days: 24 (Thu), 28 (Mon), 29 (Tue); 25/26 Dec are holidays
    assert add_working_days(date(2026, 12, 23), 3, state="NI") == date(2026, 12, 29)
    assert add_working_days(date(2026, 12, 31), 1, state="NI") == date(2027, 1, 4)


def test_negative_days_go_back_and_between_is_the_inverse():
    start = date(2025, 11, 14)
    back = add_working_days(start, -10, state="NI")
    assert back == date(2025, 10, 30)  # skips Reformation Day and two weekends
    assert working_days_between(back, start, state="NI") == 10
    assert working_days_between(start, back, state="NI") == -10
    assert working_days_between(start, start, state="NI") == 0
