"""The newsletter's text, pure: the intro as paragraphs of a plain-text mail, and one rendered body
made personal for each reader without rendering the template thousands of times."""

import re

from portal.core.paragraphs import paragraphs
from portal.core.safetext import one_line, text_block

# Placeholders the body is rendered with once per language; Private Use Area characters, which
# no form lets through and no translation contains.
NAME_MARK = "\ue000name\ue000"
UNSUBSCRIBE_MARK = "\ue000unsubscribe\ue000"
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")


def intro_text(text: str | None) -> str:
    """What the coordinator typed, as the mail shows it: paragraphs (split at blank lines, whatever
    kind of line break was pasted) separated by one empty line, control characters gone."""
    return "\n\n".join("\n".join(lines) for lines in paragraphs(text_block(text)))


def mail_locale(locale: str | None) -> str:
    """The language a reader gets: English if they chose it, Danish otherwise."""
    return "en" if str(locale or "").lower().startswith("en") else "da"


def personal(body: str, *, name: str | None, unsubscribe_url: str) -> str:
    """The body rendered once for a language, made one reader's: their name and their own link. The
    link goes in first, so a name that happens to spell the link's placeholder cannot move it."""
    return body.replace(UNSUBSCRIBE_MARK, unsubscribe_url).replace(NAME_MARK, one_line(name))


def looks_like_token(value: str | None) -> bool:
    """A link's token as we make them (secrets.token_urlsafe); anything else is not looked up, so a
    NUL byte or ten thousand characters in the address never reach the database."""
    return bool(value) and _TOKEN.fullmatch(value) is not None
