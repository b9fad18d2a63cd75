"""The jury's tally as arithmetic: an average of whole scores to one decimal, and the order the
coordinator reads the nominees in. Public hearts are carried along to be shown, never to count."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction


def average(total: int, count: int) -> Decimal | None:
    """The mean of `count` scores adding up to `total`, to one decimal, halves rounded up (as a
    person rounds: 7.25 is 7.3), or None when nobody has scored. Exact: no float on the way."""
    if count <= 0:
        return None
    return (Decimal(total) / Decimal(count)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Line:
    key: int              # the nomination's id
    name: str
    total: int            # sum of the scores
    scores: int           # how many scored
    conflicts: int        # how many declared a conflict
    hearts: int           # public hearts: shown, never counted

    @property
    def average(self) -> Decimal | None:
        return average(self.total, self.scores)


def ranked(lines: list[Line]) -> list[Line]:
    """Highest average first (the exact mean, so 7.25 stays above 7.2 though both may show as
    7,3 and 7,2); nominees nobody scored last. Ties: more scores first (an average of many is
    firmer than one score), then by name, then by id, so the order never depends on the
    database. Hearts never change the order."""
    def key(line: Line):
        mean = Fraction(line.total, line.scores) if line.scores > 0 else Fraction(0)
        return (line.scores <= 0, -mean, -line.scores, line.name.casefold(), line.key)
    return sorted(lines, key=key)
