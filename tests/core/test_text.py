from portal.core.text import hash_token, is_safe_redirect, new_token, slugify


def test_slugs_spell_out_danish_letters():
    assert slugify("Enggården") == "enggaarden"
    assert slugify("Dragør Skole – 8. klasse") == "dragoer-skole-8-klasse"
    assert slugify("Æblehaven & Ølstykke") == "aeblehaven-oelstykke"
    assert slugify("!!!") == "organisation"


def test_only_local_paths_are_safe_redirects():
    for good in ("/me", "/organisations/enggaarden?x=1", "/"):
        assert is_safe_redirect(good), good
    for bad in ("https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)",
                "evil.example/me", "", None, "/\r\nSet-Cookie:x=1", "\\\\evil"):
        assert not is_safe_redirect(bad), bad


def test_tokens_are_random_and_only_their_hash_is_kept():
    a, b = new_token(), new_token()
    assert a != b and len(a) >= 40
    assert hash_token(a) == hash_token(a) != hash_token(b)
    assert a not in hash_token(a)
