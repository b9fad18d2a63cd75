"""Stored text made safe for places that have a grammar of their own: iCalendar properties and
parameters, e-mail headers. Pure.

Forms reject line breaks in one-line fields, but rows written before that, by a command or
straight into the database can still hold CR, LF, NUL or other control characters. In an
iCalendar content line a raw line break ends the line (icalendar refuses it; other parsers read
a broken feed), and in an e-mail header it would start a new header. So every such value passes
through here on its way out, whatever is stored."""

import re

# C0 and C1 control characters and DEL, plus the Unicode line and paragraph separators that
# str.splitlines() and some parsers treat as line ends.
_CONTROL = "\x00-\x1f\x7f-\x9f\u2028\u2029"
_CONTROL_RUN = re.compile(f"[{_CONTROL}]+")
_LINE_BREAK = re.compile("\r\n|[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_OTHER_CONTROL = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]")


def one_line(value) -> str:
    """For a one-line field (a title, a name, a header): every run of control characters,
    line breaks included, becomes one space; the ends are trimmed."""
    if value is None:
        return ""
    return _CONTROL_RUN.sub(" ", str(value)).strip()


def text_block(value) -> str:
    """For text that may have lines (a description): any kind of line break becomes "\\n", a tab
    becomes a space, other control characters (NUL among them) are dropped."""
    if value is None:
        return ""
    lines = _LINE_BREAK.sub("\n", str(value)).replace("\t", " ")
    return _OTHER_CONTROL.sub("", lines)
