"""Company teams: which tasks suit what a company offers, and whether a team fits a time.
Pure: values in, values out (no Flask, no database)."""

import enum
from collections.abc import Iterable
from dataclasses import dataclass

TEAM_SIZE_MIN = 2      # one person is an ordinary sign-up
TEAM_SIZE_MAX = 100    # the database's check constraint (ck_tasks_team_size_range) says the same
LIST_LIMIT = 50        # tasks on "tasks a company can solve": the page weighs the same at any size

# The kinds of support that mean a company sends people out together on work time.
TEAM_SUPPORT = frozenset({"team_days", "paid_leave"})


class Fit(enum.Enum):
    """Why a task is on a company's list."""
    team = "team"      # marked for a company team, and the company gives team days or paid leave
    skill = "skill"    # wants a skill the company offers


def offers_teams(support_kinds: Iterable[str]) -> bool:
    return bool(TEAM_SUPPORT & set(support_kinds))


def fits(*, team_size: int | None, wanted_skill: str | None, teams: bool,
         skills: Iterable[str]) -> frozenset[Fit]:
    """How a task fits a company: `teams` is `offers_teams(...)`, `skills` the company's skills."""
    found = set()
    if teams and team_size is not None:
        found.add(Fit.team)
    if wanted_skill is not None and wanted_skill in set(skills):
        found.add(Fit.skill)
    return frozenset(found)


def parse_fit(value: str | None) -> Fit | None:
    """The list's `kind` filter from a query string; anything unknown means "both"."""
    try:
        return Fit(value) if value else None
    except ValueError:
        return None


@dataclass(frozen=True)
class TeamCheck:
    """What stops a team of `size` from taking a task's time, before anyone's own rules are asked."""
    no_one: bool = False        # nobody chosen
    not_for_teams: bool = False
    too_many: bool = False      # more than the task takes in one team

    @property
    def ok(self) -> bool:
        return not (self.no_one or self.not_for_teams or self.too_many)


def check_team(size: int, *, team_size: int | None) -> TeamCheck:
    """Free places are not checked here: only the conditional UPDATE knows them for sure."""
    return TeamCheck(no_one=size < 1, not_for_teams=team_size is None,
                     too_many=team_size is not None and size > team_size)
