"""The frivilligbørs' pure rules: who may move a deal where, when the follow-up is due, and
spotting money in a text (the børs' one rule)."""

from datetime import date, timedelta

import pytest

from portal.core.exchange import (AGREED, COMPANY, DECLINED, DONE, EVALUATED, ORGANISATION, PROPOSED, WITHDRAWN,
                                  Action, allowed_actions, follow_up_due, follow_up_problem, may,
                                  mentions_money, result)

BOTH = {COMPANY, ORGANISATION}


@pytest.mark.parametrize("proposer", [COMPANY, ORGANISATION])
def test_only_the_side_a_proposal_was_made_to_may_accept_or_decline_it(proposer):
    other = ORGANISATION if proposer == COMPANY else COMPANY
    for action in (Action.accept, Action.decline):
        assert may(action, status=PROPOSED, proposed_by=proposer, sides={other})
        assert not may(action, status=PROPOSED, proposed_by=proposer, sides={proposer})
        assert not may(action, status=PROPOSED, proposed_by=proposer, sides=set())


def test_someone_on_both_sides_cannot_answer_their_own_proposal():
    assert not may(Action.accept, status=PROPOSED, proposed_by=COMPANY, sides=BOTH)
    assert may(Action.withdraw, status=PROPOSED, proposed_by=COMPANY, sides=BOTH)


def test_only_the_proposer_may_withdraw_and_only_while_proposed():
    assert may(Action.withdraw, status=PROPOSED, proposed_by=COMPANY, sides={COMPANY})
    assert not may(Action.withdraw, status=PROPOSED, proposed_by=COMPANY, sides={ORGANISATION})
    assert not may(Action.withdraw, status=AGREED, proposed_by=COMPANY, sides={COMPANY})


def test_either_party_marks_an_agreement_done_and_evaluates_it_in_that_order():
    for side in (COMPANY, ORGANISATION):
        assert may(Action.mark_done, status=AGREED, proposed_by=COMPANY, sides={side})
        assert may(Action.evaluate, status=DONE, proposed_by=COMPANY, sides={side})
    assert not may(Action.evaluate, status=AGREED, proposed_by=COMPANY, sides={COMPANY})
    assert not may(Action.mark_done, status=PROPOSED, proposed_by=COMPANY, sides={COMPANY})
    assert not may(Action.mark_done, status=AGREED, proposed_by=COMPANY, sides=set())


@pytest.mark.parametrize("status", [DECLINED, WITHDRAWN, EVALUATED])
def test_a_closed_deal_allows_nothing(status):
    assert allowed_actions(status=status, proposed_by=COMPANY, sides=BOTH) == []


def test_each_action_leads_where_the_deal_s_life_goes():
    assert [result(a) for a in Action] == [AGREED, DECLINED, WITHDRAWN, DONE, EVALUATED]


def test_a_follow_up_date_must_lie_ahead_but_not_absurdly_far():
    today = date(2026, 12, 31)
    assert follow_up_problem(today, today=today) == "past"
    assert follow_up_problem(today - timedelta(days=1), today=today) == "past"
    assert follow_up_problem(today + timedelta(days=1), today=today) is None
    assert follow_up_problem(date(2028, 12, 31), today=today) is None
    assert follow_up_problem(date(2030, 1, 1), today=today) == "far"


def test_the_follow_up_is_due_once_on_its_date_for_agreed_deals_only():
    today = date(2027, 3, 28)
    assert follow_up_due(status=AGREED, follow_up_on=today, already_sent=False, today=today)
    assert follow_up_due(status=AGREED, follow_up_on=today - timedelta(days=3), already_sent=False, today=today)
    assert not follow_up_due(status=AGREED, follow_up_on=today + timedelta(days=1), already_sent=False, today=today)
    assert not follow_up_due(status=AGREED, follow_up_on=today, already_sent=True, today=today)
    for status in (PROPOSED, DECLINED, WITHDRAWN, DONE, EVALUATED):
        assert not follow_up_due(status=status, follow_up_on=today, already_sent=False, today=today)


@pytest.mark.parametrize("text", ["Vi betaler 500 kr for hjælpen", "kr. 1.000,- til kassen", "DKK 200",
                                  "200 euro", "€ 50 i sponsorat", "vi giver 5000 kroner", "10.000,- kr."])
def test_an_amount_of_money_is_spotted(text):
    assert mentions_money(text)


@pytest.mark.parametrize("text", ["10 medarbejdere en fredag i september", "regnskabshjælp 5 timer",
                                  "lån af varevogn", "en tak på Frivillig Fredag, kaffe og en rundvisning",
                                  "Kronen på værket", "europæisk samarbejde", "", None])
def test_honest_text_is_not_taken_for_money(text):
    assert not mentions_money(text)
