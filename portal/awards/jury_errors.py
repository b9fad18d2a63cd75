"""The user-facing errors of the jury, the tally and the winners, in one place."""

from flask_babel import lazy_gettext as _l

from portal.errors import DomainError, InvalidState


class JuryError(DomainError):
    pass


def no_account() -> JuryError:
    return JuryError(_l("Nobody has a profile with that e-mail address. Ask the person to create one "
                        "first, then appoint them."), field="email")


def already_member() -> JuryError:
    return JuryError(_l("That person is already on this year's jury."), field="email")


def jury_closed() -> InvalidState:
    return InvalidState(_l("The winners have been announced, so the jury can no longer be changed."))


def not_scoring_yet() -> InvalidState:
    return InvalidState(_l("The jury's work begins when the nominations close. Until then you can read "
                           "the nominations."))


def announced() -> InvalidState:
    return InvalidState(_l("The winners have been announced. Scores, conflicts and winners can no longer be "
                           "changed."))


def not_public() -> InvalidState:
    return InvalidState(_l("This nomination is not among the year's public nominations."))


def conflicted() -> JuryError:
    return JuryError(_l("You have declared a conflict of interest with this nominee, so you cannot score "
                        "them."), field="score")


def own_nomination() -> JuryError:
    return JuryError(_l("You wrote this nomination or are the one nominated, so you cannot score it."),
                     field="score")


def score_range() -> JuryError:
    return JuryError(_l("Give a score from 1 to 10."), field="score")


def already_conflicted() -> InvalidState:
    return InvalidState(_l("You have already declared a conflict of interest with this nominee."))


def no_conflict() -> InvalidState:
    return InvalidState(_l("There is no declared conflict of interest to withdraw."))


def conflict_has_score() -> InvalidState:
    return InvalidState(_l("A score exists for this nominee, so the conflict of interest stays."))


def wrong_category() -> JuryError:
    return JuryError(_l("Choose one of this category's public nominations."), field="nomination")


def motivation_required() -> JuryError:
    return JuryError(_l("Write the motivation: it is read out and shown with the winner."), field="motivation")

