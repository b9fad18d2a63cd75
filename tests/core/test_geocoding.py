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
