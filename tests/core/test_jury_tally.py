"""The tally's arithmetic (issue 12): averages to one decimal without float surprises, the order
the coordinator reads, and hearts that never move anyone."""

from decimal import Decimal

from portal.core.jury_tally import Line, average, ranked


def test_average_rounds_halves_up_to_one_decimal_exactly():
    assert average(35, 4) == Decimal("8.8")       # 8.75
    assert average(29, 4) == Decimal("7.3")       # 7.25: a float would make 7.2
    assert average(17, 3) == Decimal("5.7")
    assert average(10, 1) == Decimal("10.0")
    assert average(0, 0) is None


def line(key, name, total, scores, hearts=0, conflicts=0):
    return Line(key=key, name=name, total=total, scores=scores, conflicts=conflicts, hearts=hearts)


def test_highest_average_first_and_unscored_last():
    order = ranked([line(1, "Ingen", 0, 0, hearts=900), line(2, "Lav", 12, 3), line(3, "Høj", 27, 3)])
    assert [l.name for l in order] == ["Høj", "Lav", "Ingen"]


def test_exact_mean_decides_even_when_both_show_the_same_rounded_number():
    a, b = line(1, "A", 29, 4), line(2, "B", 363, 50)    # 7.25 vs 7.26
    assert average(29, 4) == average(363, 50) == Decimal("7.3")
    assert [l.name for l in ranked([a, b])] == ["B", "A"]


def test_ties_go_to_more_scores_then_name_never_hearts():
    order = ranked([line(1, "Bo", 16, 2, hearts=50), line(2, "Ane", 8, 1), line(3, "Carl", 24, 3, hearts=0),
                    line(4, "Ane", 16, 2, hearts=0)])
    assert [(l.name, l.key) for l in order] == [("Carl", 3), ("Ane", 4), ("Bo", 1), ("Ane", 2)]
