"""The writer's shortcuts (portal.core.ical) give the very bytes of the general way: the feeds'
ETags and the calendars that imported them depend on the bytes staying the same."""

from hypothesis import given, settings
from hypothesis import strategies as st

from portal.core.ical import _Lines, _no_space, _uid_line, escape_text, fold


@settings(max_examples=500)
@given(st.one_of(st.text(max_size=120),
                 st.from_regex(r"slot-[0-9]{1,12}@frivillig\.dragoer\.dk", fullmatch=True),
                 st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7e), max_size=90)))
def test_a_uid_line_is_written_as_the_general_way_writes_it(uid):
    assert _uid_line(uid) == fold(f"UID:{escape_text(_no_space(uid))}")


@given(st.integers(min_value=0, max_value=10**6))
def test_a_sequence_line_is_the_number_as_it_is_remembered_or_not(number):
    lines = _Lines()
    assert lines.sequence(number) == f"SEQUENCE:{number}\r\n".encode() == lines.sequence(number)
