"""The offline gazetteer places tasks without any network."""

from portal.geocoding import GAZETTEER, GazetteerGeocoder


def test_every_place_has_a_source_and_lies_on_amager():
    for place in GAZETTEER:
        assert place.source
        assert 55.55 < place.latitude < 55.68 and 12.55 < place.longitude < 12.70, place.name


def test_a_named_place_wins_over_the_postcode():
    geocoder = GazetteerGeocoder()
    assert geocoder.locate(address="Hovedgaden 3, Store Magleby", postcode="2791").name == "Store Magleby"
    assert geocoder.locate(address="Vinkelvej 2", postcode="2791", city="Dragør").name == "Dragør"
    assert geocoder.locate(address="Saltværksvej 1", postcode="2770", city="Kastrup").name == "Kastrup"
    assert geocoder.locate(address="Kastrupvej 1", postcode="2300", city="København S") is None  # a street, not the town


def test_an_unknown_place_gives_nothing_rather_than_a_guess():
    assert GazetteerGeocoder().locate(address="Strøget 1", postcode="1000", city="København K") is None


def test_nominatim_is_built_with_our_user_agent_and_domain_and_falls_back_offline():
    """Only construction is tested: the suite never touches the network."""
    from portal.geocoding import NominatimGeocoder, geocoder_from_config
    geocoder = geocoder_from_config("nominatim", {"NOMINATIM_DOMAIN": "nominatim.example.dk",
                                                  "NOMINATIM_USER_AGENT": "dragoer-frivillig-test"})
    assert isinstance(geocoder, NominatimGeocoder)
    assert geocoder.client.domain == "nominatim.example.dk"
    assert geocoder.client.headers["User-Agent"] == "dragoer-frivillig-test"
    assert geocoder.locate() is None  # nothing to look up: no request, no guess


def test_the_default_geocoder_is_the_offline_gazetteer():
    from portal.config import Defaults
    from portal.geocoding import GazetteerGeocoder, geocoder_from_config
    assert isinstance(geocoder_from_config(Defaults.GEOCODER), GazetteerGeocoder)
