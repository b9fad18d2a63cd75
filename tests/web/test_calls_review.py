"""Calls for input, tried the way nobody tried them when they were built (issue 11 review): the
answers spreadsheet opened in LibreOffice with its factory settings, a question changed after
people answered it, a postcode typed on an Arabic keyboard."""

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.core.timeutil import to_local
from portal.extensions import db
from portal.models import Call, CallAnswer, utcnow
from tests.conftest import login, submit
from tests.factories import make_call, make_organisation, make_user

SOFFICE = shutil.which("soffice")
ODF = {"table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
       "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0"}
# LibreOffice's own defaults for its text-import dialog (officecfg Calc CSVImport, 7.4): comma,
# semicolon and tab all split cells. Evaluate formulas is off there by default, but it is one tick
# that the dialog then remembers: it is on here, as for an organiser who once ticked it.
FACTORY_IMPORT = "CSV:44/59/9,34,76,1,,0,false,false,false,false,false,-1,true"
ANSWERS = ["Lektiehjælp, sprogcafé og højtlæsning", "Godt forslag,=1+1", "Gerne;=2+2 og mere",
           'Første linje\n=HYPERLINK("http://x")\nsidste linje', "Brætspil"]


@pytest.fixture
def answered(app):
    with app.app_context():
        owner = make_user(email="sanne@example.dk")
        call = make_call(organisation=make_organisation(admin=owner), owner=owner)
        for n, body in enumerate(ANSWERS):
            db.session.add(CallAnswer(call_id=call.id, user_id=make_user(name=f"Person{n} Holm").id, body=body,
                                      show_name=True))
        db.session.commit()
        return call.id


def _export(client, call_id) -> bytes:
    login(client, "sanne@example.dk")
    response = client.get(f"/calls/{call_id}/answers.csv")
    assert response.status_code == 200
    return response.data


def test_every_cell_of_the_answers_export_is_quoted_so_commas_cannot_split_an_answer(client, answered):
    """A quoted cell stays one cell whatever separators the spreadsheet splits on."""
    text = _export(client, answered).decode("utf-8-sig")
    # Split on the separators outside quotes: every field begins and ends with a quote.
    fields = re.findall(r'(?:^|;)((?:"(?:[^"]|"")*")|[^;\r\n]*)', text, flags=re.M)
    assert fields and all(f.startswith('"') and f.endswith('"') for f in fields if f != ""), fields


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed (apt-get install libreoffice-calc-nogui)")
def test_libreoffice_with_its_factory_separators_keeps_each_answer_in_one_cell_and_runs_no_formula(
        client, answered, tmp_path):
    source = tmp_path / "svar.csv"
    source.write_bytes(_export(client, answered))
    subprocess.run([SOFFICE, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path / 'profile'}",
                    f"--infilter={FACTORY_IMPORT}", "--convert-to", "fods", "--outdir", str(tmp_path), str(source)],
                   check=True, capture_output=True, timeout=120)
    root = ET.parse(tmp_path / "svar.fods").getroot()
    rows = [[(cell.get(f"{{{ODF['table']}}}formula"),
              "\n".join("".join(p.itertext()) for p in cell.findall("text:p", ODF)))
             for cell in row.findall("table:table-cell", ODF)]
            for row in root.iter(f"{{{ODF['table']}}}table-row")]
    rows = [[cell for cell in row if cell != (None, "")] for row in rows]
    rows = [row for row in rows if row]
    assert [formula for row in rows for formula, _ in row if formula] == []
    assert len(rows) == len(ANSWERS) + 1 and all(len(row) == 3 for row in rows), rows
    assert sorted(row[1][1] for row in rows[1:]) == sorted(ANSWERS)
    today = to_local(utcnow()).strftime("%d-%m-%Y")
    assert {row[2][1] for row in rows[1:]} == {today}, "the date stays in its own column"


# --- editing after people answered ------------------------------------------------------------

def _edit_data(call, **changes):
    day = to_local(call.closes_at)
    data = {"title": call.title, "question": call.question, "background": call.background or "",
            "closes_on-day": str(day.day), "closes_on-month": str(day.month), "closes_on-year": str(day.year),
            "closes_time": day.strftime("%H:%M"), "audience": "everyone", "meeting_task": "0", "action": "save",
            "answers_public": "y"}
    data.update(changes)
    return data


def test_the_question_cannot_be_changed_once_people_have_answered_but_the_rest_can(app, client):
    with app.app_context():
        owner = make_user(email="sanne@example.dk")
        call = make_call(organisation=make_organisation(admin=owner), owner=owner, answers_public=True,
                         question="Skal vi have flere bænke ved havnen?")
        db.session.add(CallAnswer(call_id=call.id, user_id=make_user().id, body="Ja, gerne!", show_name=False))
        call.answer_count = 1
        db.session.commit()
        call_id = call.id
        data = _edit_data(call)
    client.get("/?lang=en")
    login(client, "sanne@example.dk")
    form = client.get(f"/calls/{call_id}/edit").get_data(as_text=True)
    assert "People have already answered this question" in form
    changed = submit(client, f"/calls/{call_id}/edit", dict(data, question="Skal biblioteket lukke om søndagen?"))
    page = changed.get_data(as_text=True)
    assert changed.status_code == 400 and 'id="question-error"' in page
    assert "Skal biblioteket lukke om søndagen?" in page, "what was typed comes back"
    with app.app_context():
        assert db.session.get(Call, call_id).question == "Skal vi have flere bænke ved havnen?"
    # The same question sent back as a browser does (CRLF, blanks around it) is no change.
    same = dict(data, question="  Skal vi have flere bænke ved havnen?\r\n", background="Vi har fået penge til det.",
                **{"closes_on-day": str(to_local(utcnow() + timedelta(days=20)).day),
                   "closes_on-month": str(to_local(utcnow() + timedelta(days=20)).month),
                   "closes_on-year": str(to_local(utcnow() + timedelta(days=20)).year)})
    assert submit(client, f"/calls/{call_id}/edit", same).status_code == 302
    with app.app_context():
        call = db.session.get(Call, call_id)
        assert call.background == "Vi har fået penge til det." and call.question == "Skal vi have flere bænke ved havnen?"


def test_before_anyone_answered_the_question_can_still_be_changed(app, client):
    with app.app_context():
        owner = make_user(email="sanne@example.dk")
        call = make_call(organisation=make_organisation(admin=owner), owner=owner)
        db.session.commit()
        call_id, data = call.id, _edit_data(call, answers_public="")
    login(client, "sanne@example.dk")
    assert submit(client, f"/calls/{call_id}/edit", dict(data, question="Et helt nyt spørgsmål?")).status_code == 302
    with app.app_context():
        assert db.session.get(Call, call_id).question == "Et helt nyt spørgsmål?"


# --- a postcode in other digits ---------------------------------------------------------------

def test_a_postcode_typed_in_arabic_or_fullwidth_digits_places_a_near_call(app, client):
    with app.app_context():
        make_user(email="anne@example.dk", coordinator=True)
        db.session.commit()
    login(client, "anne@example.dk")
    day = to_local(utcnow()).date() + timedelta(days=10)
    base = {"organisation": "municipality", "question": "Hvad mangler der i Store Magleby?", "background": "",
            "closes_on-day": str(day.day), "closes_on-month": str(day.month), "closes_on-year": str(day.year),
            "closes_time": "12:00", "audience": "near", "place_name": "", "radius_km": "2", "meeting_task": "0",
            "action": "publish"}
    for title, postcode in (("Arabisk", "٢٧٩١"), ("Fuld bredde", "２７９１")):
        response = submit(client, "/calls/new", dict(base, title=title, postcode=postcode))
        assert response.status_code == 302, response.get_data(as_text=True)[:300]
    with app.app_context():
        calls = db.session.scalars(select(Call).order_by(Call.id)).all()
        assert [(c.postcode, c.latitude is not None) for c in calls] == [("2791", True), ("2791", True)]
