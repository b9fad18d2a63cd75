"""Which tasks suit a company, and whether a team fits a task (portal/core/teams.py)."""

from portal.core.teams import Fit, check_team, fits, offers_teams, parse_fit


def test_team_days_or_paid_leave_mean_a_company_sends_teams():
    assert offers_teams({"team_days"}) and offers_teams(["paid_leave", "lending"])
    assert not offers_teams({"skills", "lending", "sponsorship"}) and not offers_teams(())


def test_a_task_fits_by_team_only_when_the_company_sends_teams():
    assert fits(team_size=6, wanted_skill=None, teams=True, skills=()) == {Fit.team}
    assert fits(team_size=6, wanted_skill=None, teams=False, skills=()) == set()


def test_a_task_fits_by_skill_only_when_the_company_offers_that_skill():
    assert fits(team_size=None, wanted_skill="accounting", teams=False, skills={"accounting", "it"}) == {Fit.skill}
    assert fits(team_size=None, wanted_skill="carpentry", teams=True, skills={"accounting"}) == set()
    assert fits(team_size=4, wanted_skill="van", teams=True, skills=["van"]) == {Fit.team, Fit.skill}


def test_the_filter_reads_team_and_skill_and_ignores_anything_else():
    assert parse_fit("team") is Fit.team and parse_fit("skill") is Fit.skill
    assert parse_fit(None) is None and parse_fit("") is None and parse_fit("x\x00") is None


def test_a_team_must_have_someone_and_fit_the_task():
    assert check_team(4, team_size=6).ok and check_team(6, team_size=6).ok
    assert check_team(0, team_size=6).no_one and not check_team(0, team_size=6).ok
    assert check_team(3, team_size=None).not_for_teams
    assert check_team(7, team_size=6).too_many and not check_team(7, team_size=6).ok
