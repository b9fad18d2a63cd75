"""Where things are. DAWA has been shut down and geopy has no Danish geocoder, so the portal
ships a small gazetteer of Dragør and its neighbours, each coordinate with its source.
Nominatim (OpenStreetMap) is a later, opt-in adapter; tests never touch the network."""

from dataclasses import dataclass

from portal.core.text import slugify


@dataclass(frozen=True)
class Place:
    name: str
    postcode: str
    latitude: float
    longitude: float
    source: str


# Town centres from the settlements' Wikipedia infoboxes (read 2026-11-22).
GAZETTEER = (
    Place("Dragør", "2791", 55.59250, 12.67222, "en.wikipedia.org/wiki/Dragør (infobox: 55°35′33″N 12°40′20″E)"),
    Place("Store Magleby", "2791", 55.59611, 12.63528,
          "en.wikipedia.org/wiki/Store_Magleby (infobox: 55°35′46″N 12°38′07″E)"),
    Place("Kastrup", "2770", 55.63750, 12.64167,
          "de.wikipedia.org/wiki/Kastrup_(Tårnby_Kommune) (55°38′15″N 12°38′30″E)"),
    Place("Tårnby", "2770", 55.63333, 12.60000, "de.wikipedia.org/wiki/Tårnby_Kommune (55°38′N 12°36′E)"),
)


class GazetteerGeocoder:
    """Finds a place by its name in the address or town, else by postcode (its main town)."""

    def __init__(self, places=GAZETTEER):
        self.places = places

    def locate(self, *, address: str = "", postcode: str = "", city: str = "") -> Place | None:
        words = f"-{slugify(f'{address} {city}', 200)}-"
        # Whole words only: "Kastrupvej" in København S is not Kastrup.
        by_name = [p for p in self.places if f"-{slugify(p.name)}-" in words]
        if by_name:
            return max(by_name, key=lambda p: len(p.name))  # "Store Magleby" before "Dragør"
        return next((p for p in self.places if p.postcode == postcode.strip()), None)


def geocoder_from_config(name: str):
    if name == "gazetteer":
        return GazetteerGeocoder()
    raise ValueError(f"Unknown GEOCODER: {name!r}")
