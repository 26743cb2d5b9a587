"""Norwegian public holidays (helligdager and 1 and 17 May), computed per year."""
from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache
from typing import Dict


def easter_sunday(year: int) -> date:
    """Gregorian Easter Sunday (the anonymous Gregorian algorithm, "Meeus/Jones/Butcher")."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741 (the algorithm's name)
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return date(year, month, day + 1)


@lru_cache(maxsize=64)
def public_holidays(year: int) -> Dict[date, str]:
    """Date -> Norwegian name of every public holiday in ``year``."""
    easter = easter_sunday(year)
    named = [
        (date(year, 1, 1), "Første nyttårsdag"),
        (easter - timedelta(days=3), "Skjærtorsdag"),
        (easter - timedelta(days=2), "Langfredag"),
        (easter, "Første påskedag"),
        (easter + timedelta(days=1), "Andre påskedag"),
        (date(year, 5, 1), "Offentlig høytidsdag"),
        (date(year, 5, 17), "Grunnlovsdag"),
        (easter + timedelta(days=39), "Kristi himmelfartsdag"),
        (easter + timedelta(days=49), "Første pinsedag"),
        (easter + timedelta(days=50), "Andre pinsedag"),
        (date(year, 12, 25), "Første juledag"),
        (date(year, 12, 26), "Andre juledag"),
    ]
    days: Dict[date, str] = {}
    for day, name in named:  # 17 May can also be Whit Monday (2027, 2032)
        days[day] = f"{days[day]} og {name.lower()}" if day in days else name
    return days


def is_public_holiday(day: date) -> bool:
    return day in public_holidays(day.year)
