"""Reading the dates people type: 24-12-2026, 24.12.2026, 24/12/2026 or 2026-12-24."""

import re
from datetime import date


def parse_dates(text: str) -> list[date]:
    found = []
    for part in filter(None, (p.strip() for p in re.split(r"[,;\s]+", text))):
        if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", part):
            year, month, day = map(int, part.split("-"))
        else:
            pieces = re.split(r"[-./]", part)
            if len(pieces) != 3 or not all(p.isdigit() for p in pieces):
                raise ValueError(part)
            day, month, year = map(int, pieces)
        found.append(date(year, month, day))
    return found


def month_grid(year: int, month: int) -> list[list[date | None]]:
    """Weeks (Monday first) of a month for a calendar grid; days outside the month are None."""
    import calendar
    return [[d if d.month == month else None for d in week]
            for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)]


def shift_month(year: int, month: int, by: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + by
    return index // 12, index % 12 + 1


def parse_month(text: str | None, default: date | None) -> tuple[int, int] | None:
    """(year, month) from "2026-12"; the default's month (None without one) for anything else."""
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", text or "")
    if match and 1 <= int(match.group(2)) <= 12 and 2000 <= int(match.group(1)) <= 2100:
        return int(match.group(1)), int(match.group(2))
    return (default.year, default.month) if default else None
