"""The main menu, built from what features register (design.md, house rule 9).

A feature adds its entry from its own package's __init__.py:

    nav.register_menu_item("tasks.index", _l("Find a task"), section="tasks", order=20)

`section` marks the item as current on every page of that section (see `section_of` in portal.web);
`visible(user)` decides who sees it. templates/partials/header.html loops over `main_menu()`."""

from dataclasses import dataclass
from typing import Callable

from flask import current_app
from flask_login import current_user

from portal import access


def everyone(user) -> bool:
    return True


def signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def signed_out(user) -> bool:
    return not signed_in(user)


coordinator = access.is_coordinator


@dataclass(frozen=True)
class MenuItem:
    endpoint: str
    label: object  # a lazy string, translated when shown
    section: str | None
    order: int
    visible: Callable[[object], bool]


_items: dict[str, MenuItem] = {}


def register_menu_item(endpoint: str, label, *, section: str | None = None, order: int,
                       visible: Callable[[object], bool] = everyone) -> None:
    """Adds (or replaces) the menu item for `endpoint`; lower `order` comes first."""
    _items[endpoint] = MenuItem(endpoint, label, section, order, visible)


def main_menu(user=None) -> list[MenuItem]:
    """The items `user` (default: the current user) sees, for blueprints this app registered."""
    user = current_user if user is None else user
    blueprints = current_app.blueprints
    return [item for item in sorted(_items.values(), key=lambda item: (item.order, item.endpoint))
            if item.endpoint.split(".")[0] in blueprints and item.visible(user)]


def init_app(app) -> None:
    app.jinja_env.globals["main_menu"] = main_menu
