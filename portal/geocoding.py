"""Where things are. DAWA has been shut down and geopy has no Danish geocoder, so the portal
ships a small gazetteer of Dragør and its neighbours, each coordinate with its source.
Nominatim (OpenStreetMap) is a later, opt-in adapter; tests never touch the network."""

from dataclasses import dataclass

from flask import current_app

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


def geocoder_from_config(name: str, config: dict | None = None):
    if name == "gazetteer":
        return GazetteerGeocoder()
    if name == "nominatim":
        config = config or {}
        return NominatimGeocoder(domain=config.get("NOMINATIM_DOMAIN", "nominatim.openstreetmap.org"),
                                 user_agent=config.get("NOMINATIM_USER_AGENT", "dragoer-frivillig (frivillig@dragoer.dk)"))
    raise ValueError(f"Unknown GEOCODER: {name!r}")


def configured_geocoder():
    """The geocoder the running app is configured with (GEOCODER)."""
    return geocoder_from_config(current_app.config["GEOCODER"], current_app.config)


class NominatimGeocoder:
    """OpenStreetMap's Nominatim through geopy, for addresses the gazetteer does not know.
    Off by default (GEOCODER=nominatim turns it on); one request a second at most, as the
    public server's usage policy asks; anything it cannot answer falls back to the gazetteer."""

    def __init__(self, *, domain: str, user_agent: str, timeout: float = 5, fallback=None):
        from geopy.extra.rate_limiter import RateLimiter
        from geopy.geocoders import Nominatim

        self.client = Nominatim(user_agent=user_agent, domain=domain, timeout=timeout)
        self._geocode = RateLimiter(self.client.geocode, min_delay_seconds=1, max_retries=1, swallow_exceptions=True)
        self.domain = domain
        self.fallback = fallback or GazetteerGeocoder()

    def locate(self, *, address: str = "", postcode: str = "", city: str = "") -> Place | None:
        query = {"street": address, "postalcode": postcode, "city": city, "country": "Denmark"}
        found = self._geocode({k: v for k, v in query.items() if v}) if (address or postcode or city) else None
        if found is None:
            return self.fallback.locate(address=address, postcode=postcode, city=city)
        return Place(found.address.split(",")[0], postcode, found.latitude, found.longitude,
                     f"OpenStreetMap Nominatim ({self.domain})")
