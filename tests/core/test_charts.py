"""Bar chart geometry (portal/core/charts.py): heights proportional to the values, the largest bar
filling the room, nothing that is not a finite number in the picture whatever comes in."""

import math

import pytest

from portal.core.charts import clean, columns, rows

MONTHS = ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]


def numbers(chart):
    for bar in chart.bars:
        for value in (bar.x, bar.y, bar.width, bar.height, bar.label_x, bar.label_y, bar.value_x, bar.value_y,
                      bar.value):
            yield value


def test_column_heights_are_proportional_and_the_largest_fills_the_room():
    chart = columns([("a", 10), ("b", 5), ("c", 2.5), ("d", 0)], height=260, top=24, bottom=28)
    room = 260 - 24 - 28
    heights = [bar.height for bar in chart.bars]
    assert heights == [room, room / 2, room / 4, 0]
    baseline = 260 - 28
    for bar in chart.bars:
        assert bar.y + bar.height == pytest.approx(baseline)
        assert bar.value_y < bar.y          # the value sits above its bar


def test_twelve_months_side_by_side_inside_the_chart_without_overlap():
    chart = columns(list(zip(MONTHS, [3, 0, 1, 8, 2, 2, 0, 5, 4, 1, 6, 7.5])), width=640)
    assert len(chart.bars) == 12 and [b.label for b in chart.bars] == MONTHS
    for left, right in zip(chart.bars, chart.bars[1:]):
        assert left.x + left.width < right.x
    assert chart.bars[0].x >= 0 and chart.bars[-1].x + chart.bars[-1].width <= 640
    assert max(chart.bars, key=lambda b: b.height).label == "apr"


def test_one_bar_fills_the_height_and_stays_inside():
    chart = columns([("I alt", 42)], width=300, height=200, top=20, bottom=30)
    (bar,) = chart.bars
    assert bar.height == 150 and bar.y == 20 and 0 < bar.x and bar.x + bar.width < 300


def test_no_data_zeros_and_junk_draw_no_nan():
    assert columns([]).bars == () and columns([]).empty and rows([]).empty
    for chart in (columns([("a", 0), ("b", 0)]), rows([("a", 0)]),
                  columns([("a", float("nan")), ("b", float("inf")), ("c", -3), ("d", None), ("e", "x")]),
                  rows([("a", float("nan")), ("b", 1e308), ("c", 2)])):
        assert all(math.isfinite(v) for v in numbers(chart))
        assert all(bar.height >= 0 and bar.width >= 0 for bar in chart.bars)
    assert columns([("a", 0), ("b", 0)]).empty
    assert clean(float("nan")) == 0 and clean(-1) == 0 and clean("3.5") == 3.5 and clean(None) == 0


def test_rows_lengths_are_proportional_and_grow_the_chart_downwards():
    chart = rows([("Natur", 30), ("Ældre", 15), ("Børn", 0)], width=640, label_width=220, value_room=70)
    room = 640 - 220 - 70
    assert [bar.width for bar in chart.bars] == [room, room / 2, 0]
    assert chart.horizontal and chart.height >= 3 * 34
    ys = [bar.y for bar in chart.bars]
    assert ys == sorted(ys) and len(set(ys)) == 3
    for bar in chart.bars:
        assert bar.x == 220 and bar.value_x >= bar.x + bar.width
