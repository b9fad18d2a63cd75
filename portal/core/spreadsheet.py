"""CSV files that staff open in Excel or LibreOffice. Pure: rows in, text out. Every export
goes through `csv_text`, so none can forget the two things below.

- Formula injection (OWASP "CSV Injection"): a spreadsheet runs a cell that starts with `=`,
  `+`, `-` or `@` (and, in some programs, after a tab or a carriage return) as a formula, so a
  volunteer named `=HYPERLINK("http://x")` would become a live link in the organiser's sheet.
  Such a cell gets a leading `'`, which the spreadsheet shows as text.
- Danish Excel expects semicolons and needs a byte-order mark to read æ, ø and å.
- Every cell is quoted. LibreOffice's text import splits on commas and tabs as well as semicolons
  unless told otherwise (its factory setting): an unquoted "Hansen, =1+1" became two cells and the
  second ran as a formula, which the prefix on the first cannot stop. A quoted cell stays one cell
  whatever the separators."""

import csv
import io
from collections.abc import Iterable

# The fullwidth forms are read as formulas by Excel in East Asian locales.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
BOM = "\ufeff"


def safe_cell(value) -> str | int | float:
    """Text that a spreadsheet would run is made plain text. Numbers the portal writes itself
    (counts, hours) stay numbers; None is an empty cell."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def csv_text(header: Iterable, rows: Iterable[Iterable], *, delimiter: str = ";") -> str:
    """The whole file, byte-order mark first, every cell made safe (the header too)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, quoting=csv.QUOTE_ALL)
    writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return BOM + out.getvalue()
