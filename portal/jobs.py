"""The registry of time-based steps that `flask --app wsgi tick` runs (design.md, section 3).

A feature registers its own steps from its package's __init__.py, so adding a scheduled job touches
no other feature and not cli.py:

    jobs.register("reminders", "portal.signups.services:send_reminders", order=30)

A step is named by dotted path and imported only when tick runs, so a function that moves inside its
feature needs only that feature's line changed, and registering imports nothing heavy. Each step takes
`now=` (keyword), returns how much it did (an int), and flushes; tick commits each step in its own
transaction, so one failing step does not undo the others. Steps must be idempotent: tick may run on
every node at once."""

from dataclasses import dataclass
from importlib import import_module
from typing import Callable

from sqlalchemy.exc import IntegrityError

from portal.database import write_transaction
from portal.extensions import db


@dataclass(frozen=True)
class Step:
    name: str
    target: str  # "package.module:function"
    order: int

    def load(self) -> Callable[..., int]:
        module, _, attribute = self.target.partition(":")
        return getattr(import_module(module), attribute)


_steps: dict[str, Step] = {}


def register(name: str, target: str, *, order: int) -> None:
    """Adds (or, registered again under the same name, replaces) one step; lower `order` runs first."""
    if ":" not in target:
        raise ValueError(f"A job target is 'module:function', not {target!r}.")
    _steps[name] = Step(name, target, order)


def steps() -> list[Step]:
    return sorted(_steps.values(), key=lambda step: (step.order, step.name))


def run_all(*, now) -> dict[str, int]:
    """Runs every registered step, each in its own write transaction; returns {name: count}."""
    done = {}
    for step in steps():
        function = step.load()
        with write_transaction():
            try:
                done[step.name] = function(now=now)
                db.session.commit()
            except IntegrityError:
                # Another tick did the same a moment ago; what it made is what we wanted.
                db.session.rollback()
                done[step.name] = 0
    return done
