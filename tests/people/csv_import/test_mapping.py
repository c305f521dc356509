"""Header guesses for the exports SDRs bring, and the places → ISO code and time zone rules."""
import pytest

from sequencer.people.csv_import import geo
from sequencer.people.csv_import.mapping import check, guess

APOLLO = ["First Name", "Last Name", "Title", "Company", "Email", "Email Status", "Person Linkedin Url", "Website",
          "City", "State", "Country", "Mobile Phone"]
ZOOMINFO = ["First Name", "Last Name", "Job Title", "Company Name", "Email Address", "Direct Phone Number",
            "Person City", "Person State", "Country", "LinkedIn Contact Profile URL"]
LITHUANIAN = ["Vardas Pavardė", "El. paštas", "Pareigos", "Įmonė", "Svetainė", "Telefonas", "Miestas", "Šalis"]


def _targets(header):
    return [guess(header)[str(i)] for i in range(len(header))]


def test_apollo_zoominfo_and_lithuanian_headers():
    assert _targets(APOLLO) == ["first_name", "last_name", "title", "company", "email", "", "linkedin_url",
                                "company_domain", "city", "state", "country", "phone"]
    assert _targets(ZOOMINFO) == ["first_name", "last_name", "title", "company", "email", "phone", "city", "state",
                                  "country", "linkedin_url"]
    assert _targets(LITHUANIAN) == ["full_name", "email", "title", "company", "company_domain", "phone", "city",
                                    "country"]


def test_mapping_problems_are_named_per_column():
    header = ["Email", "Mail", "Notes"]
    assert check(header, {"0": "email", "1": "email", "2": "custom:Notes"}) == [
        {"field": "mapping.1", "message": "Email is already column 'Email'"}]
    assert check(header, {"0": "", "1": "nonsense"}) == [
        {"field": "mapping.1", "message": "unknown target 'nonsense'"},
        {"field": "mapping", "message": "map one column to Email"}]


@pytest.mark.parametrize("value, code", [("Lithuania", "LT"), ("Lietuva", "LT"), ("LTU", "LT"), ("lt", "LT"),
                                         ("Vokietija", "DE"), ("Deutschland", "DE"), ("USA", "US"),
                                         ("United Kingdom", "GB"), ("Atlantis", None), ("", None)])
def test_country_names_to_iso_codes(value, code):
    assert geo.country_code(value) == code


@pytest.mark.parametrize("country, city, state, zone", [
    ("LT", None, None, "Europe/Vilnius"), ("DE", "Berlin", None, "Europe/Berlin"),
    ("US", None, "TX", "America/Chicago"), ("US", "Los Angeles", None, "America/Los_Angeles"),
    ("US", None, "Colorado", "America/Denver"), ("US", "Nowhere", None, "America/New_York"),
    ("CA", None, "BC", "America/Vancouver"), ("AU", None, "Western Australia", "Australia/Perth"),
    (None, None, None, None),
])
def test_time_zone_from_country_city_or_state(country, city, state, zone):
    assert geo.infer_timezone(country, city, state) == zone
