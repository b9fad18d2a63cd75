"""CSV exports: a cell a spreadsheet would run as a formula is made plain text (OWASP CSV
injection), the file is what Danish Excel reads, and every export uses this one helper."""

import csv
import io
import re
from pathlib import Path

from portal.core.spreadsheet import FORMULA_TRIGGERS, csv_text, safe_cell

ATTACKS = ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "\tx", "\rx", "\nx", "=1+1;2",
           '=cmd|" /C calc"!A0', "＝1+1"]


def read_back(text: str) -> list[list[str]]:
    """The file as a spreadsheet program splits it: semicolons, after the byte-order mark."""
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline=""), delimiter=";"))


def test_a_cell_that_starts_like_a_formula_is_prefixed_with_an_apostrophe():
    for attack in ATTACKS:
        assert safe_cell(attack) == "'" + attack


def test_ordinary_text_and_the_portals_own_numbers_are_left_alone():
    for text in ["Ida Ærø", "ida@example.dk", "22 33 44 55", "Kommer", "05-12-2026 10:00", "A=B", "x-y", ""]:
        assert safe_cell(text) == text
    assert safe_cell(None) == "" and safe_cell(3) == 3 and safe_cell(-1.5) == -1.5
    assert safe_cell(True) == "True"


def test_no_cell_of_the_file_starts_with_a_formula_trigger_when_read_back():
    text = csv_text(["Navn", "=Overskrift"], [[attack, f"{attack}@example.dk"] for attack in ATTACKS])
    rows = read_back(text)
    assert len(rows) == 1 + len(ATTACKS)
    for row in rows:
        assert len(row) == 2
        for cell in row:
            assert not cell.startswith(FORMULA_TRIGGERS), cell
    # The text itself is all there, after the apostrophe.
    assert [row[0] for row in rows[1:]] == ["'" + attack for attack in ATTACKS]
    assert rows[0] == ["Navn", "'=Overskrift"]


def test_semicolons_quotes_and_line_breaks_inside_a_cell_stay_in_that_cell():
    rows = read_back(csv_text(["a", "b"], [['Ida; "Ærø"', "første\nanden"]]))
    assert rows[1] == ['Ida; "Ærø"', "første\nanden"]


def test_every_csv_export_goes_through_the_one_helper():
    """Only portal/core/spreadsheet.py may write CSV; a new export that used the csv module
    directly would skip the formula check."""
    portal = Path(__file__).resolve().parents[2] / "portal"
    writers = [str(path.relative_to(portal)) for path in portal.rglob("*.py")
               if re.search(r"^\s*(import csv\b|from csv import)", path.read_text(encoding="utf-8"), re.M)]
    assert writers == ["core/spreadsheet.py"]
