"""The frivilligbørs' rules as plain values: who may move a deal where, when its follow-up is
due, and the one rule of the børs (no money changes hands). No Flask, no database."""

import enum
import re
from datetime import date, timedelta

# Strings, not the model's enums, so these rules stay free of the database layer; the services
# pass `status.value` and `side.value`.
PROPOSED, AGREED, DECLINED, WITHDRAWN, DONE, EVALUATED = (
    "proposed", "agreed", "declined", "withdrawn", "done", "evaluated")
COMPANY, ORGANISATION = "company", "organisation"

# A follow-up further away than this is a typing slip, not a plan.
MAX_FOLLOW_UP = timedelta(days=2 * 366)


class Action(enum.Enum):
    accept = "accept"
    decline = "decline"
    withdraw = "withdraw"
    mark_done = "mark_done"
    evaluate = "evaluate"


# action: (the status it starts from, the status it leads to, who may take it)
#   "other"    – the side that did not propose (a proposal is answered by the one it was made to)
#   "proposer" – the side that proposed
#   "either"   – either party
_RULES = {
    Action.accept: (PROPOSED, AGREED, "other"),
    Action.decline: (PROPOSED, DECLINED, "other"),
    Action.withdraw: (PROPOSED, WITHDRAWN, "proposer"),
    Action.mark_done: (AGREED, DONE, "either"),
    Action.evaluate: (DONE, EVALUATED, "either"),
}


def other_side(side: str) -> str:
    return ORGANISATION if side == COMPANY else COMPANY


def may(action: Action, *, status: str, proposed_by: str, sides: set[str] | frozenset[str]) -> bool:
    """Whether someone acting for `sides` (the parties they belong to: "company",
    "organisation", or both) may take `action` on a deal in `status` that `proposed_by` proposed.
    Someone on both sides may not answer a proposal: a deal needs two parties who said yes."""
    start, _end, who = _RULES[action]
    if status != start or not sides:
        return False
    if who == "either":
        return True
    if who == "proposer":
        return proposed_by in sides
    return other_side(proposed_by) in sides and proposed_by not in sides


def starts_from(action: Action) -> str:
    """The status a deal must have for `action`."""
    return _RULES[action][0]


def result(action: Action) -> str:
    """The status a deal has after `action`."""
    return _RULES[action][1]


def allowed_actions(*, status: str, proposed_by: str, sides: set[str] | frozenset[str]) -> list[Action]:
    return [action for action in Action if may(action, status=status, proposed_by=proposed_by, sides=sides)]


def follow_up_problem(follow_up_on: date, *, today: date) -> str | None:
    """None when `follow_up_on` is a sensible follow-up date seen from `today` (the local date),
    else "past" (today or earlier: a follow-up is something to look forward to) or "far"."""
    if follow_up_on <= today:
        return "past"
    if follow_up_on - today > MAX_FOLLOW_UP:
        return "far"
    return None


def follow_up_due(*, status: str, follow_up_on: date, already_sent: bool, today: date) -> bool:
    """An agreed deal's follow-up reminder goes out once, on or after its local follow-up date.
    Done or evaluated deals have been followed up by the parties themselves."""
    return status == AGREED and not already_sent and follow_up_on <= today


# Amounts of money in Danish and English: "500 kr", "kr. 500", "1.000,- kr", "DKK 200", "200 euro",
# "€ 50", "50 $". Words alone ("sponsorat", "betaling") are too common in honest text to refuse.
_AMOUNT = r"\d[\d.,' ]*(?:,-)?"
_CURRENCY = r"(?:kr\.?|kroner|dkk|eur|euro|euros|€|\$|usd)"
_MONEY = re.compile(rf"(?<![\w]){_AMOUNT}\s*{_CURRENCY}(?!\w)|(?<!\w){_CURRENCY}\s*{_AMOUNT}", re.IGNORECASE)


def mentions_money(text: str | None) -> bool:
    """True when the text names an amount of money. The børs has one rule: no money changes
    hands; a partnership is things, time and skills, never a payment or a sales pitch."""
    return bool(text) and _MONEY.search(text) is not None
