"""Every encoding and dialect our users' exports come in, read back with the right letters."""
import pytest

from sequencer.people.csv_import.reading import sniff
from tests.people.csv_import.helpers import NAMES_LT, by_email, csv_bytes, import_all

WESTERN = [["First Name", "Last Name", "Email", "Company", "Country"],
           ["Jürgen", "Müller", "jm@firma.de", "Müller & Söhne GmbH", "Germany"],
           ["François", "Lefèvre", "f.lefevre@societe.fr", "Société Générale", "France"]]


@pytest.mark.parametrize("encoding, expected", [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16"), ("cp1257", "cp1257"),
])
@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_baltic_names_survive_every_encoding_and_delimiter(tmp_path, encoding, expected, delimiter):
    rows = [r[:2] + [r[2].replace("ąžuolas", "azuolas")] + r[3:] for r in NAMES_LT]
    path = tmp_path / "f.csv"
    path.write_bytes(csv_bytes(rows, delimiter, encoding))
    found_encoding, found_delimiter, header = sniff(str(path))
    assert (found_encoding, found_delimiter) == (expected, delimiter)
    assert header == NAMES_LT[0]


def test_windows_1252_is_not_mistaken_for_baltic(tmp_path):
    path = tmp_path / "w.csv"
    path.write_bytes(csv_bytes(WESTERN, ",", "cp1252"))
    assert sniff(str(path))[:2] == ("cp1252", ",")


def test_cp1257_import_stores_the_lithuanian_letters(session, factory, tmp_path):
    user = factory.user("manager")
    rows = [r[:2] + [r[2].replace("ąžuolas", "azuolas")] + r[3:] for r in NAMES_LT]
    imp = import_all(session, user, csv_bytes(rows, ";", "cp1257"), tmp_path)
    assert imp.status.value == "done" and imp.created_count == 2
    people = by_email(session)
    sarunas = people["sarunas@azuolas.lt"]
    assert (sarunas.first_name, sarunas.last_name, sarunas.country, sarunas.timezone) == (
        "Šarūnas", "Žemaitė", "LT", "Europe/Vilnius")
    assert sarunas.company.name == "Ąžuolas UAB" and sarunas.company.domain == "azuolas.lt"
    assert people["jm@firma.de"].last_name == "Müller" and people["jm@firma.de"].timezone == "Europe/Berlin"


def test_windows_1252_import_keeps_accents(session, factory, tmp_path):
    imp = import_all(session, factory.user("manager"), csv_bytes(WESTERN, ",", "cp1252"), tmp_path)
    assert imp.created_count == 2
    people = by_email(session)
    assert people["f.lefevre@societe.fr"].first_name == "François"
    assert people["f.lefevre@societe.fr"].company.name == "Société Générale"


def test_quoted_newlines_stay_in_the_cell_and_lines_are_counted(session, factory, tmp_path):
    rows = [["Email", "Notes", "Country"], ["a@x.com", "first line\nsecond line", "LT"],
            ["broken", "x", "LT"]]
    imp = import_all(session, factory.user("manager"), csv_bytes(rows), tmp_path,
                     mapping={"0": "email", "1": "custom:Notes", "2": "country"})
    assert by_email(session)["a@x.com"].fields == {"notes": "first line\nsecond line"}
    from sequencer.people.csv_import.service import issues_page
    [issue] = issues_page(session, imp)
    assert issue.line == 4 and issue.column == "Email"  # the quoted newline made record 2 span lines 2-3
