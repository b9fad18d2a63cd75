"""Bar charts as geometry, drawn by templates/macros/charts.html as server-rendered SVG.

Pure: values in, rectangles out. Every number is finite and inside the chart, whatever comes in
(no data, zeros, NaN, negative or enormous values), so a picture never breaks the page; the same
numbers are always shown in a table beside the chart, which is what a screen reader reads."""

import math
from dataclasses import dataclass
from typing import Sequence


@dataclass(frozen=True)
class Bar:
    label: str
    value: float          # the number as given (cleaned: finite, not negative)
    x: float
    y: float
    width: float
    height: float
    label_x: float        # where the label and the value are written
    label_y: float
    value_x: float
    value_y: float


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    bars: tuple[Bar, ...]
    horizontal: bool
    axis: tuple[float, float, float, float]   # x1, y1, x2, y2 of the baseline

    @property
    def empty(self) -> bool:
        return not self.bars or all(bar.value == 0 for bar in self.bars)


def clean(value) -> float:
    """A number a chart can draw: NaN, infinities, None, negatives and junk become 0."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return 0.0
    if not math.isfinite(number) or number < 0:
        return 0.0
    return number


def _r(number: float) -> float:
    return round(number, 2)


def columns(items: Sequence[tuple[str, float]], *, width: int = 640, height: int = 260, top: int = 24,
            bottom: int = 28, side: int = 8, gap: float = 0.25) -> BarChart:
    """Vertical bars side by side (hours per month): heights proportional to the values, the
    largest reaching the top margin; labels under the baseline, values above each bar."""
    values = [clean(v) for _, v in items]
    n = len(values)
    room = height - top - bottom
    baseline = height - bottom
    if n == 0:
        return BarChart(width, height, (), False, (side, baseline, width - side, baseline))
    slot = (width - 2 * side) / n
    bar_width = slot * (1 - gap)
    largest = max(values)
    bars = []
    for i, ((label, _), value) in enumerate(zip(items, values)):
        h = room * (value / largest) if largest > 0 else 0.0
        x = side + i * slot + (slot - bar_width) / 2
        centre = x + bar_width / 2
        bars.append(Bar(str(label), value, _r(x), _r(baseline - h), _r(bar_width), _r(h),
                        _r(centre), _r(baseline + 18), _r(centre), _r(baseline - h - 6)))
    return BarChart(width, height, tuple(bars), False, (side, baseline, width - side, baseline))


def rows(items: Sequence[tuple[str, float]], *, width: int = 640, row: int = 34, label_width: int = 220,
         value_room: int = 70, gap: float = 0.3) -> BarChart:
    """Horizontal bars one under the other (hours by category, the busiest organisations): the
    label on the left, the bar's length proportional to its value, the value after the bar."""
    values = [clean(v) for _, v in items]
    n = len(values)
    height = max(row, n * row) + 8
    room = width - label_width - value_room
    largest = max(values) if values else 0.0
    bars = []
    for i, ((label, _), value) in enumerate(zip(items, values)):
        length = room * (value / largest) if largest > 0 else 0.0
        thickness = row * (1 - gap)
        y = 4 + i * row + (row - thickness) / 2
        middle = y + thickness / 2 + 5
        bars.append(Bar(str(label), value, label_width, _r(y), _r(length), _r(thickness),
                        label_width - 8, _r(middle), _r(label_width + length + 6), _r(middle)))
    return BarChart(width, height, tuple(bars), True, (label_width, 4, label_width, height - 4))
