"""One transaction per request (design.md, house rule 3), written once.

A route validates its form, then hands *one* service call to `attempt`: a DomainError rolls
the whole request back and is shown next to its field (or as a message when there is no
form); anything else commits once. Other exceptions roll back in the teardown and reach the
500 page. Mail is queued in the outbox inside the same transaction, so a rolled-back request
sends nothing, and the sender delivers after the commit."""

from dataclasses import dataclass
from typing import Any, Callable

from flask import flash

from portal.errors import DomainError
from portal.extensions import db
from portal.forms import add_domain_error


@dataclass
class Outcome:
    ok: bool
    value: Any = None
    error: DomainError | None = None

    def __bool__(self) -> bool:
        return self.ok


def attempt(call: Callable[[], Any], *, form=None, quiet: bool = False) -> Outcome:
    """Runs `call()`; commits on success, rolls back and shows the error on a DomainError
    (`quiet`: shows nothing, the route answers with `outcome.error` itself, e.g. an error page)."""
    try:
        value = call()
    except DomainError as error:
        db.session.rollback()
        if quiet:
            pass
        elif form is not None:
            add_domain_error(form, error)
        else:
            flash(str(error.message), "error")
        return Outcome(False, error=error)
    db.session.commit()
    return Outcome(True, value=value)
