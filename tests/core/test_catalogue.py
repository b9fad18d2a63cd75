"""Danish is the default language: every string in the code and templates must have a
Danish translation with the same placeholders (a missing one silently shows English)."""

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
METHODS = [("portal/**.py", "python"), ("templates/**.html", "jinja2"), ("templates/**.txt", "jinja2")]
OPTIONS = {"templates/**.html": {"extensions": "jinja2.ext.do"}, "templates/**.txt": {"extensions": "jinja2.ext.do"}}
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}


def source_messages() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), METHODS, OPTIONS, KEYWORDS):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_string_in_the_code_has_a_danish_translation():
    catalogue = read_po((ROOT / "portal/translations/da/LC_MESSAGES/messages.po").open("rb"))
    translated = {(m.id[0] if isinstance(m.id, tuple) else m.id): m for m in catalogue
                  if m.id and not m.fuzzy and all(m.string if isinstance(m.string, tuple) else [m.string])}
    missing = sorted(source_messages() - set(translated))
    assert not missing, f"untranslated (run `make update-messages`): {missing[:10]}"


def test_translations_keep_their_placeholders():
    catalogue = read_po((ROOT / "portal/translations/da/LC_MESSAGES/messages.po").open("rb"))
    for m in catalogue:
        if not m.id or not m.string:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        forms = m.string if isinstance(m.string, tuple) else (m.string,)
        for n, form in enumerate(forms):
            source = ids[min(n, len(ids) - 1)]  # Danish has two forms, like English
            assert sorted(PLACEHOLDER.findall(source)) == sorted(PLACEHOLDER.findall(form)), m.id


def test_no_template_folder_is_hidden_from_the_extractor():
    # Babel skips folders starting with "_" or ".", so their strings would never be translated.
    hidden = [p for p in (ROOT / "templates").rglob("*") if p.is_dir() and p.name.startswith(("_", "."))]
    assert not hidden
