"""Review (auditrev): the audit log read on a phone (390 px)."""

from portal import audit
from portal.extensions import db
from tests.browser.helpers import log_in, unique_email
from tests.factories import make_organisation, make_user


def test_on_a_phone_the_log_scrolls_in_its_box_instead_of_breaking_words_letter_by_letter(new_page, live_server):
    coordinator = unique_email("anne")
    with live_server.app.app_context():
        boss = make_user(email=coordinator, name="Anne Møller", coordinator=True)
        org = make_organisation(name="Wiedergården – Dragør Aktivitetshus")
        audit.record(boss, "clearance_recorded", obj=org, organisation=org, summary="Karen Holm",
                     after={"status": "approved", "checked_on": "2026-11-10"}, subjects=[boss.id])
        db.session.commit()
        db.session.remove()
    page = new_page(viewport={"width": 390, "height": 844})
    log_in(page, coordinator)
    page.goto("/coordinator/audit?lang=en")
    # "Børneattest status recorded" in a column a few letters wide read "Børn / eatt / est / reco / rded".
    # (A date may break after a hyphen.)
    broken = page.eval_on_selector_all(".audit-table tbody td", """cells => {
        const canvas = document.createElement("canvas").getContext("2d");
        return cells.filter(c => c.cellIndex !== 3).flatMap(cell => {
            const style = getComputedStyle(cell);
            canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
            const room = cell.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
            return cell.innerText.split(/\\s+|(?<=-)/).filter(w => canvas.measureText(w).width > room + 1);
        });
    }""")
    assert broken == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
