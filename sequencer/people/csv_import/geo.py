"""Places as exports write them: country names in English or Lithuanian to ISO codes, and a time zone
inferred from the country (and the city or state where one country spans several zones)."""
from __future__ import annotations

import os
import unicodedata
import zoneinfo
from functools import lru_cache

import pycountry

ALIASES = {
    "usa": "US", "us": "US", "u s a": "US", "united states of america": "US", "america": "US", "jav": "US",
    "uk": "GB", "u k": "GB", "england": "GB", "scotland": "GB", "great britain": "GB", "britain": "GB",
    "lietuva": "LT", "latvija": "LV", "latvia": "LV", "eesti": "EE", "estija": "EE", "deutschland": "DE",
    "vokietija": "DE", "lenkija": "PL", "polska": "PL", "suomija": "FI", "švedija": "SE", "norvegija": "NO",
    "danija": "DK", "prancūzija": "FR", "ispanija": "ES", "italija": "IT", "olandija": "NL",
    "nyderlandai": "NL", "jungtinė karalystė": "GB", "didžioji britanija": "GB", "airija": "IE",
    "jungtinės amerikos valstijos": "US", "latvijos respublika": "LV", "lietuvos respublika": "LT",
    "czech republic": "CZ", "russia": "RU", "south korea": "KR", "holland": "NL", "the netherlands": "NL",
}
# Where one country has several zones, the states/provinces exports name most often.
STATE_ZONES = {
    "US": {
        "America/New_York": "NY NJ PA MA CT RI VT NH ME DE MD DC VA WV NC SC GA FL OH MI IN KY "
                            "new york,new jersey,pennsylvania,massachusetts,connecticut,rhode island,vermont,"
                            "new hampshire,maine,delaware,maryland,district of columbia,virginia,west virginia,"
                            "north carolina,south carolina,georgia,florida,ohio,michigan,indiana,kentucky",
        "America/Chicago": "IL WI MN IA MO AR LA MS AL TN TX OK KS NE SD ND "
                           "illinois,wisconsin,minnesota,iowa,missouri,arkansas,louisiana,mississippi,alabama,"
                           "tennessee,texas,oklahoma,kansas,nebraska,south dakota,north dakota",
        "America/Denver": "CO NM UT WY MT ID colorado,new mexico,utah,wyoming,montana,idaho",
        "America/Phoenix": "AZ arizona",
        "America/Los_Angeles": "CA WA OR NV california,washington,oregon,nevada",
        "America/Anchorage": "AK alaska",
        "Pacific/Honolulu": "HI hawaii",
    },
    "CA": {
        "America/Toronto": "ON QC ontario,quebec,québec", "America/Vancouver": "BC british columbia",
        "America/Edmonton": "AB alberta", "America/Winnipeg": "MB manitoba",
        "America/Halifax": "NS NB PE nova scotia,new brunswick,prince edward island",
        "America/Regina": "SK saskatchewan", "America/St_Johns": "NL newfoundland",
    },
    "AU": {
        "Australia/Sydney": "NSW ACT new south wales", "Australia/Melbourne": "VIC victoria",
        "Australia/Brisbane": "QLD queensland", "Australia/Perth": "WA western australia",
        "Australia/Adelaide": "SA south australia", "Australia/Hobart": "TAS tasmania",
        "Australia/Darwin": "NT northern territory",
    },
}


def _key(text: str) -> str:
    return " ".join(text.casefold().replace(".", " ").split())


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@lru_cache(maxsize=4096)
def country_code(value: str) -> str | None:
    """`Lithuania`, `Lietuva`, `LTU`, `lt` → `LT`; None when it names no country."""
    key = _key(value)
    if not key:
        return None
    if key in ALIASES or _fold(key) in {_fold(k) for k in ALIASES}:
        return ALIASES.get(key) or next(v for k, v in ALIASES.items() if _fold(k) == _fold(key))
    try:
        return pycountry.countries.lookup(value.strip()).alpha_2
    except LookupError:
        pass
    try:
        found = pycountry.countries.search_fuzzy(value.strip())
    except LookupError:
        return None
    return found[0].alpha_2 if len(found) == 1 else None


@lru_cache(maxsize=1)
def _country_zones() -> dict[str, list[str]]:
    """Country → zones in zone.tab order (the most populous first), from the system's tz database."""
    zones: dict[str, list[str]] = {}
    for base in zoneinfo.TZPATH:
        path = os.path.join(base, "zone.tab")
        if os.path.exists(path):
            with open(path, encoding="utf-8") as fh:
                for line in fh:
                    if not line.startswith("#") and line.strip():
                        parts = line.split("\t")
                        zones.setdefault(parts[0], []).append(parts[2].strip())
            break
    return zones


@lru_cache(maxsize=1)
def _state_lookup() -> dict[tuple[str, str], str]:
    out = {}
    for country, zones in STATE_ZONES.items():
        for zone, spec in zones.items():
            words = spec.split(" ")
            abbrevs = [w for w in words if w.isupper()]
            rest = " ".join(w for w in words if not w.isupper())
            for a in abbrevs:
                out[(country, a.casefold())] = zone
            for n in rest.split(","):
                if n.strip():
                    out[(country, n.strip())] = zone
    return out


@lru_cache(maxsize=8192)
def infer_timezone(country: str | None, city: str | None = None, state: str | None = None) -> str | None:
    """The prospect's zone: the only one of the country, else by state, by city name, else the main one."""
    if not country:
        return None
    zones = _country_zones().get(country, [])
    if not zones:
        return None
    if len(zones) == 1:
        return zones[0]
    if state:
        hit = _state_lookup().get((country, _key(state)))
        if hit:
            return hit
    if city:
        wanted = _fold(_key(city)).replace(" ", "_")
        for zone in zones:
            if _fold(zone.rsplit("/", 1)[-1].casefold()) == wanted:
                return zone
    return zones[0]
