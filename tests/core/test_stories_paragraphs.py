"""A story's plain-text body as paragraphs: blank lines (also with spaces, or Windows and old Mac
line ends) separate paragraphs; single line breaks stay inside one."""

from portal.core.paragraphs import paragraphs


def test_blank_lines_separate_paragraphs_and_single_breaks_stay():
    assert paragraphs("Første\nlinje\n\n\n  Anden  \r\n \r\nTredje") == [["Første", "linje"], ["Anden"], ["Tredje"]]


def test_old_mac_line_ends_and_empty_text():
    assert paragraphs("En\r\rTo") == [["En"], ["To"]]
    assert paragraphs("") == [] and paragraphs(None) == [] and paragraphs("\n\n  \n") == []


def test_markup_is_kept_as_text_for_the_template_to_escape():
    assert paragraphs("<script>alert(1)</script>") == [["<script>alert(1)</script>"]]
