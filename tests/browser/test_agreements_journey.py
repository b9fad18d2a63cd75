"""Journey (issue 13), cooperation agreements: the coordinator writes the Enggården × Dragør Skole
8th grade agreement (first with a mistyped e-mail: the message is next to the field and the rest is
kept), shows the parties' tasks and links the cycling trips; on the review date the tick mails the
survey; the school's contact person answers it from the mail; the coordinator reads the answer on
the agreement's page, while Enggården's staff see only that one person answered. axe on every page
in Danish and English."""

from datetime import timedelta

from portal.agreements.services import send_evaluations
from portal.core.agreements import local_today
from portal.database import write_transaction
from portal.extensions import db
from portal.models import OrganisationKind, utcnow
from tests.browser.helpers import (assert_error_next_to, check_a11y, check_in_english, log_in, open_mail, path_of,
                                   shoot, submit_form, unique_email)
from tests.factories import make_organisation, make_task, make_user


def _world(live_server):
    email = unique_email("anne")
    tag = email[5:11]
    with live_server.app.app_context():
        from portal.tasks.services import ensure_categories
        ensure_categories()
        make_user(email=email, name="Anne Møller", coordinator=True)
        mette = make_user(email=unique_email("mette"), name="Mette Lund")
        enggaarden = make_organisation(admin=mette, name=f"Enggården {tag}", kind=OrganisationKind.care_home)
        skole = make_organisation(admin=make_user(), name=f"Dragør Skole {tag}", kind=OrganisationKind.school)
        task = make_task(enggaarden, title=f"Cykeltur med beboerne {tag}")
        db.session.commit()
        world = {"email": email, "mette": mette.email, "a": enggaarden.name, "b": skole.name, "slug_a": enggaarden.slug,
                 "task": task.id, "task_title": task.title, "contact_b": unique_email("jonas")}
        db.session.remove()
    return world


def _fill_date(page, name, day):
    page.fill(f"#{name}-day", str(day.day))
    page.fill(f"#{name}-month", str(day.month))
    page.fill(f"#{name}-year", str(day.year))


def test_an_agreement_is_written_evaluated_at_its_review_date_and_read_by_the_coordinator(new_page, live_server):
    w = _world(live_server)
    today = local_today(utcnow())
    anne = new_page()
    log_in(anne, w["email"])
    anne.goto("/coordinator")
    with anne.expect_navigation():
        anne.click("main a[href='/coordinator/agreements']")
    check_a11y(anne, "agreements index (da)")
    check_in_english(anne, "/coordinator/agreements", "agreements index")
    with anne.expect_navigation():
        anne.click("main a[href='/coordinator/agreements/new']")
    check_a11y(anne, "agreement new (da)")
    check_in_english(anne, "/coordinator/agreements/new", "agreement new")

    anne.fill("#title", "Cykling uden alder med 8. klasse")
    anne.select_option("#party_a", label=w["a"])
    anne.select_option("#party_b", label=w["b"])
    anne.fill("#party_b_label", "8. klasse")
    anne.fill("#purpose", "Beboerne kommer ud på rickshaw-cykler, og eleverne møder ældre mennesker.")
    anne.fill("#duties_a", "Stiller tre rickshaw-cykler og en medarbejder.")
    anne.fill("#duties_b", "Sender fire elever hver torsdag.")
    anne.fill("#contact_a_name", "Mette Lund")
    anne.fill("#contact_a_email", w["mette"])
    anne.fill("#contact_b_name", "Jonas Berg")
    anne.fill("#contact_b_email", "jonas på skolen")
    _fill_date(anne, "starts_on", today - timedelta(days=60))
    _fill_date(anne, "review_on", today)

    # The parties' tasks, without saving anything yet.
    with anne.expect_navigation():
        anne.click("button[name=show_tasks]")
    assert anne.locator(f"label:has-text('{w['task_title']}')").count() == 1
    assert anne.input_value("#contact_b_email") == "jonas på skolen"
    check_a11y(anne, "agreement choosing tasks (da)")
    anne.check(f"input[name=tasks][value='{w['task']}']")
    with anne.expect_navigation():
        anne.click("main form[method=post] button.button-primary[type=submit]")
    assert path_of(anne) == "/coordinator/agreements/new"
    assert_error_next_to(anne, "contact_b_email")
    assert anne.input_value("#title") == "Cykling uden alder med 8. klasse"
    assert anne.is_checked(f"input[name=tasks][value='{w['task']}']")
    check_a11y(anne, "agreement form with error (da)")
    anne.fill("#contact_b_email", w["contact_b"])
    with anne.expect_navigation():
        anne.click("main form[method=post] button.button-primary[type=submit]")
    assert path_of(anne).startswith("/coordinator/agreements/")
    agreement_path = path_of(anne)
    main = anne.inner_text("main")
    assert w["task_title"] in main and f"{w['b']}, 8. klasse" in main
    check_a11y(anne, "agreement show (da)")
    check_in_english(anne, agreement_path, "agreement show", screenshot="agreement-show")

    # The review date has come: the tick mails the survey to both contact persons.
    with live_server.app.app_context(), write_transaction():
        assert send_evaluations(now=utcnow()) >= 2
        db.session.commit()
        db.session.remove()

    jonas = new_page()
    link = open_mail(jonas, w["contact_b"], "/agreements/evaluate/")
    with jonas.expect_navigation():
        link.click()
    survey = path_of(jonas)
    assert survey.startswith("/agreements/evaluate/")
    check_a11y(jonas, "agreement survey (da)")
    check_in_english(jonas, survey, "agreement survey", screenshot="agreement-survey")
    jonas.check("#rating-1")  # "4 – good" (the choices run from 5 down)
    jonas.fill("#went_well", "Eleverne glæder sig hver torsdag.")
    jonas.fill("#to_change", "Vi vil gerne have en fjerde cykel.")
    jonas.check("#carry_on-0")
    submit_form(jonas, "main form[method=post]")
    check_a11y(jonas, "agreement survey thanks (da)")
    jonas.goto(survey)
    assert jonas.locator("h1").count() == 1 and jonas.locator("form[method=post]").count() == 0

    anne.goto(agreement_path)
    main = anne.inner_text("main")
    assert "Vi vil gerne have en fjerde cykel." in main and "Eleverne glæder sig hver torsdag." in main
    check_a11y(anne, "agreement show with answers (da)")
    shoot(anne, "agreement-answers")
    check_in_english(anne, agreement_path, "agreement show with answers")

    # Enggården's staff read the agreement, but not what the school answered.
    mette = new_page()
    log_in(mette, w["mette"])
    mette.goto(f"/organisations/{w['slug_a']}")
    with mette.expect_navigation():
        mette.click(f"main a[href='/organisations/{w['slug_a']}/agreements']")
    check_a11y(mette, "organisation agreements (da)")
    check_in_english(mette, f"/organisations/{w['slug_a']}/agreements", "organisation agreements")
    with mette.expect_navigation():
        mette.click("main table a")
    main = mette.inner_text("main")
    assert "Cykling uden alder med 8. klasse" in main and "fjerde cykel" not in main
    check_a11y(mette, "agreement party view (da)")
    check_in_english(mette, path_of(mette), "agreement party view")
