"""The bench's growth figure (bench/matching.py annotate): national p95 over Dragør p95 on the same
database, judged against issue 9's 2×, and carrying the load each scale was measured under,
since the two come from separate runs on a shared machine."""

from bench.matching import annotate


def result(p95, load):
    return {"n": 150, "p50_ms": p95 / 2, "p95_ms": p95, "load_1min": load}


def test_a_national_run_gets_the_growth_from_the_stored_dragor_run_with_both_loads():
    stored = {"find_volunteers@dragor@postgresql": result(20.0, 0.4)}
    keyed = {"find_volunteers@denmark@postgresql": result(30.0, 3.1)}
    annotate(keyed, stored)
    national = keyed["find_volunteers@denmark@postgresql"]
    assert national["growth_p95"] == 1.5 and national["within_growth_target"] is True
    assert national["growth_load_1min"] == {"dragor": 0.4, "denmark": 3.1}
    assert national["within_target"] is True                     # p95 30 ms < 100 ms


def test_a_dragor_run_updates_the_stored_national_growth_and_too_much_growth_is_reported():
    stored = {"recommendations@denmark@postgresql": result(90.0, 1.0)}
    keyed = {"recommendations@dragor@postgresql": result(30.0, 0.2)}
    annotate(keyed, stored)
    national = keyed["recommendations@denmark@postgresql"]
    assert national["growth_p95"] == 3.0 and national["within_growth_target"] is False
    assert national["growth_load_1min"] == {"dragor": 0.2, "denmark": 1.0}
    assert "growth_p95" not in keyed["recommendations@dragor@postgresql"]


def test_no_growth_without_both_scales_or_across_databases():
    keyed = {"find_volunteers@denmark@postgresql": result(30.0, 1.0)}
    annotate(keyed, {"find_volunteers@dragor@sqlite": result(10.0, 1.0)})
    assert "growth_p95" not in keyed["find_volunteers@denmark@postgresql"]
