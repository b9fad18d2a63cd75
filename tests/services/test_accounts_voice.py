"""A person's ideas, supports, pledges, answers and help requests are in their data export, and
deleting the account takes their supports, pledges and answers out of the counts beside them."""

from portal.account import services as account
from portal.extensions import db
from portal.models import CallAnswer, HelpPledge, IdeaComment, IdeaSupport
from tests.factories import PASSWORD, make_call, make_help_request, make_idea, make_organisation, make_user


def _citizen_with_a_voice():
    ida, bo = make_user(email="ida@example.dk"), make_user(email="bo@example.dk")
    own = make_idea(ida, title="Bænke ved stranden")
    other = make_idea(bo, title="Skak på Enggården", support_count=2, help_count=1)
    call = make_call(organisation=make_organisation(admin=make_user()), answer_count=2)
    db.session.add_all([IdeaSupport(idea_id=other.id, user_id=ida.id), IdeaSupport(idea_id=other.id, user_id=bo.id),
                        HelpPledge(idea_id=other.id, user_id=ida.id, note="Torsdag eftermiddag"),
                        IdeaComment(idea_id=other.id, author_id=ida.id, body="Jeg kan lære fra mig."),
                        CallAnswer(call_id=call.id, user_id=ida.id, body="Flere lektiecaféer."),
                        CallAnswer(call_id=call.id, user_id=bo.id, body="Længere åbent.")])
    make_help_request(user_id=ida.id, area="Kongevejen")
    db.session.flush()
    return ida, own, other, call


def test_the_export_holds_what_the_person_wrote_and_chose(ctx):
    ida, own, other, call = _citizen_with_a_voice()
    voice = account.export_data(ida)["citizens_voice"]
    assert [i["title"] for i in voice["ideas"]] == ["Bænke ved stranden"]
    assert [s["idea"] for s in voice["supported_ideas"]] == [other.id]
    assert voice["help_pledged"][0]["note"] == "Torsdag eftermiddag"
    assert voice["comments"][0]["text"] == "Jeg kan lære fra mig."
    assert voice["answers_to_calls"][0]["answer"] == "Flere lektiecaféer."
    assert voice["help_requests"][0]["area"] == "Kongevejen"


def test_deleting_the_account_takes_its_support_pledge_and_answer_out_of_the_counts(ctx):
    ida, own, other, call = _citizen_with_a_voice()
    db.session.commit()
    account.delete_account(ida, PASSWORD)
    db.session.commit()
    db.session.refresh(other)
    db.session.refresh(call)
    assert (other.support_count, other.help_count, call.answer_count) == (1, 0, 1)
    # Her own idea stays, without her name on it.
    db.session.refresh(own)
    assert own.author_id is None
