"""The newsletter's text rules (pure): the intro as paragraphs whatever line breaks were pasted, the
reader's language, each reader's own name and link, and which tokens are worth a lookup."""

from portal.core.newsletter import NAME_MARK, UNSUBSCRIBE_MARK, intro_text, looks_like_token, mail_locale, personal


def test_intro_paragraphs_survive_any_line_breaks_and_lose_control_characters():
    assert intro_text("Kære alle,\r\n\r\n\r\nVi mangler hænder.\rTak!\x00\x07") == "Kære alle,\n\nVi mangler hænder.\nTak!"
    assert intro_text("  \n\n ") == ""
    assert intro_text("Jul 🎄\u2028Godt nytår") == "Jul 🎄\nGodt nytår"


def test_readers_get_english_only_when_they_chose_it():
    assert mail_locale("en") == "en" and mail_locale("en_GB") == "en"
    assert mail_locale("da") == "da" and mail_locale(None) == "da" and mail_locale("de") == "da"


def test_each_reader_gets_their_own_name_and_link_and_a_name_cannot_move_the_link():
    body = f"Hej {NAME_MARK}\nAfmeld: {UNSUBSCRIBE_MARK}"
    assert personal(body, name="Karen\nJensen", unsubscribe_url="https://x/u/abc") == "Hej Karen Jensen\nAfmeld: https://x/u/abc"
    sneaky = personal(body, name=UNSUBSCRIBE_MARK, unsubscribe_url="https://x/u/abc")
    assert sneaky.count("https://x/u/abc") == 1


def test_only_token_shaped_values_are_looked_up():
    assert looks_like_token("abcDEF123_-abcDEF123_-abcDEF123_-abcDEF123_")
    assert not looks_like_token("short")
    assert not looks_like_token("a" * 65)
    assert not looks_like_token("abc\x00" * 8)
    assert not looks_like_token("")
