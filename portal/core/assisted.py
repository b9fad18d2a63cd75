"""Pure rules for assisted profiles (citizens without e-mail) and the call list: no Flask, no database,
the clock passed in."""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Iterable

# Consent recorded before the portal existed cannot be real.
FIRST_CONSENT_DAY = date(2025, 1, 1)


def consent_date_problem(given_on: date | None, today: date) -> str | None:
    """'missing', 'future' or 'too_early' when the day consent was given cannot be right; else None."""
    if given_on is None:
        return "missing"
    if given_on > today:
        return "future"
    if given_on < FIRST_CONSENT_DAY:
        return "too_early"
    return None


def duplicate_key(name: str | None, phone: str | None) -> tuple[str, str]:
    """Two profiles are probably the same person when name (case and spacing aside) and the phone's
    digits agree."""
    clean_name = " ".join((name or "").split()).casefold()
    digits = "".join(c for c in (phone or "") if c.isdigit())
    if len(digits) == 10 and digits.startswith("45"):
        digits = digits[2:]
    return clean_name, digits


@dataclass
class PersonLines:
    """One person's open lines on the call list, oldest first."""
    person: Any
    lines: list = field(default_factory=list)

    @property
    def oldest(self) -> datetime:
        return self.lines[0].created_at


def group_by_person(lines: Iterable, *, person_of=lambda line: line.user) -> list[PersonLines]:
    """Lines grouped by the person to phone; people in the order of their oldest open line (whoever
    has waited longest is called first), each person's lines oldest first."""
    groups: dict[Any, PersonLines] = {}
    for line in sorted(lines, key=lambda l: (l.created_at, l.id)):
        person = person_of(line)
        key = getattr(person, "id", person)
        groups.setdefault(key, PersonLines(person)).lines.append(line)
    return sorted(groups.values(), key=lambda g: (g.oldest, getattr(g.person, "id", 0)))
