"""Stored text on its way into a calendar line or a mail header: no line break or control
character gets through, and ordinary text is left alone."""

from portal.core.safetext import one_line, text_block


def test_one_line_turns_every_line_break_and_control_character_into_a_space():
    assert one_line("Gåtur\r\nmed kaffe") == "Gåtur med kaffe"
    assert one_line("Gåtur\nmed\rkaffe") == "Gåtur med kaffe"
    assert one_line("Foo\r\nBcc: x@y.dk") == "Foo Bcc: x@y.dk"
    assert one_line("a\x00b\x07c\x1bd\x7fe\x85f\u2028g\u2029h\x0bi\x0cj\x1ck\tl") == "a b c d e f g h i j k l"
    assert one_line("\r\n  Ældresagen  \n") == "Ældresagen"


def test_one_line_leaves_ordinary_text_alone():
    text = "Ældresagen Dragør – \"Gåtur\"; kaffe, kage & æblegrød: 50% ^_^ 😀"
    assert one_line(text) == text
    assert one_line(None) == "" and one_line(42) == "42"


def test_text_block_keeps_lines_and_drops_other_control_characters():
    assert text_block("Mødested:\r\nSøndre Mole\rved skuret\n\nHusk\u2028tøj") == \
        "Mødested:\nSøndre Mole\nved skuret\n\nHusk\ntøj"
    assert text_block("a\x00b\x07c\x1bd\x7fe\x9ff\tg") == "abcdef g"
    assert text_block(None) == ""
