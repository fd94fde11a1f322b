"""Working days for service-level deadlines.

A working day is Monday to Friday and not a public holiday of the given German federal state
(``holidays`` package, e.g. Reformation Day in NI/SH, Corpus Christi in NW but not in NI).
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=256)
def _holidays(state: str, year: int) -> frozenset[date]:
    return frozenset(holidays.Germany(subdiv=state or None, years=year).keys())


def is_working_day(day: date, *, state: str) -> bool:
    return day.weekday() < 5 and day not in _holidays(state, day.year)


def add_working_days(start: date, n: int, *, state: str) -> date:
    """The day ``n`` working days after ``start`` (before it when ``n`` is negative).

    ``start`` itself never counts: a referral submitted on Friday with n=2 is due on Tuesday.
    """
    step = 1 if n >= 0 else -1
    day = start
    remaining = abs(n)
    while remaining:
        day += timedelta(days=step)
        if is_working_day(day, state=state):
            remaining -= 1
    return day


def working_days_between(start: date, end: date, *, state: str) -> int:
    """Working days after ``start`` up to and including ``end``; negative if ``end`` is earlier.

    ``working_days_between(d, add_working_days(d, n, state=s), state=s) == n``.
    """
    if end == start:
        return 0
    sign = 1 if end > start else -1
    low, high = (start, end) if sign == 1 else (end, start)
    count = 0
    day = low
    while day < high:
        day += timedelta(days=1)
        if is_working_day(day, state=state):
            count += 1
    return sign * count
