"""Is a live handoff possible now? Opening hours (a data file) and advisors signed in."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timezone
from pathlib import Path
from typing import Dict, List, Optional, Tuple
from zoneinfo import ZoneInfo

import yaml

from veiviser.handoff import settings
from veiviser.handoff.holidays import is_public_holiday

DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DAY_NAMES_NB = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")
Interval = Tuple[time, Optional[time]]  # end None = midnight ("24:00")


@dataclass(frozen=True)
class OpeningHours:
    tz: ZoneInfo
    weekly: Dict[int, List[Interval]]
    closed_on_public_holidays: bool

    def is_open(self, moment: datetime) -> bool:
        """``moment``: an aware datetime, or naive UTC."""
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        local = moment.astimezone(self.tz)
        if self.closed_on_public_holidays and is_public_holiday(local.date()):
            return False
        now = local.time()
        return any(start <= now and (end is None or now < end) for start, end in self.weekly.get(local.weekday(), []))

    def describe(self) -> str:
        """Norwegian summary, e.g. "mandag–fredag 08.00–15.30"."""
        parts: List[str] = []
        groups: List[Tuple[List[int], List[Interval]]] = []
        for day in range(7):
            intervals = self.weekly.get(day, [])
            if not intervals:
                continue
            if groups and groups[-1][1] == intervals and groups[-1][0][-1] == day - 1:
                groups[-1][0].append(day)
            else:
                groups.append(([day], intervals))
        for days, intervals in groups:
            label = DAY_NAMES_NB[days[0]] if len(days) == 1 else f"{DAY_NAMES_NB[days[0]]}–{DAY_NAMES_NB[days[-1]]}"
            hours = ", ".join(f"{_fmt(s)}–{_fmt(e)}" for s, e in intervals)
            parts.append(f"{label} {hours}")
        text = "; ".join(parts) if parts else "stengt"
        if self.closed_on_public_holidays and parts:
            text += " (stengt på helligdager)"
        return text


def _fmt(value: Optional[time]) -> str:
    return "24.00" if value is None else value.strftime("%H.%M")


def _parse_time(text: str) -> Optional[time]:
    if text.strip() == "24:00":
        return None
    hours, minutes = text.strip().split(":")
    return time(int(hours), int(minutes))


def parse_hours(data: dict) -> OpeningHours:
    if not isinstance(data, dict):
        raise ValueError("opening hours: expected a mapping")
    weekly: Dict[int, List[Interval]] = {}
    for name, intervals in (data.get("weekly") or {}).items():
        if name not in DAYS:
            raise ValueError(f"opening hours: unknown day {name!r}")
        parsed: List[Interval] = []
        for start, end in intervals or []:
            s, e = _parse_time(str(start)), _parse_time(str(end))
            if s is None or (e is not None and e <= s):
                raise ValueError(f"opening hours: bad interval {start}-{end} on {name}")
            parsed.append((s, e))
        weekly[DAYS.index(name)] = parsed
    return OpeningHours(
        tz=ZoneInfo(data.get("timezone", "Europe/Oslo")),
        weekly=weekly,
        closed_on_public_holidays=bool(data.get("closed_on_public_holidays", True)),
    )


def load_hours(path: Optional[Path] = None) -> OpeningHours:
    path = path or settings.hours_file()
    with open(path, encoding="utf-8") as f:
        return parse_hours(yaml.safe_load(f))


@dataclass(frozen=True)
class Availability:
    open_now: bool
    advisors_online: int
    hours: str

    @property
    def live(self) -> bool:
        return self.open_now and self.advisors_online > 0


def check(now: Optional[datetime] = None) -> Availability:
    from veiviser.handoff import cases

    hours = load_hours()
    now = now or datetime.now(timezone.utc)
    return Availability(hours.is_open(now), cases.advisors_online(), hours.describe())
