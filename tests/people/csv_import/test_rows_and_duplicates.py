"""Row checks, duplicate handling, suppression, owners and enrolment through a real import."""
from sqlalchemy import func, select

from sequencer.models import Company, Enrollment, Prospect, Suppression
from sequencer.models.crm import SuppressionKind
from sequencer.outreach.suppression_lists import email_hash
from sequencer.people.csv_import.service import error_report, issues_page
from sequencer.platform.csv_export import neutralise
from tests.people.csv_import.helpers import by_email, csv_bytes, import_all

HEADER = ["Email", "First Name", "Last Name", "Title", "Company", "Website", "Phone", "Country", "City", "State"]


def test_each_bad_row_is_reported_with_line_column_and_reason_while_good_rows_import(session, factory, tmp_path):
    cfo = factory.persona("cfo", title_keywords=["cfo", "finance", "finansų"])
    rows = [HEADER,
            ["ok@acme.com", "Ana", "Good", "Head of Finance", "Acme", "https://www.acme.com/about", "(415) 555-2671",
             "United States", "San Francisco", "CA"],
            ["not-an-email", "Bad", "Email", "", "", "", "", "", "", ""],
            ["bad.phone@acme.com", "Bad", "Phone", "", "", "", "12", "", "", ""],
            ["bad.country@acme.com", "Bad", "Country", "", "", "", "", "Atlantis", "", ""],
            ["", "", "", "", "", "", "", "", "", ""],
            ["two@acme.com", "Two", "Problems", "", "", "not a domain!", "", "Narnia", "", ""],
            ["lt@uab.lt", "Rūta", "Petraitė", "Finansų direktorė", "UAB", "", "8 612 34567", "Lithuania", "", ""]]
    imp = import_all(session, factory.user("manager"), csv_bytes(rows), tmp_path)
    assert (imp.created_count, imp.failed_count) == (2, 4)
    ana = by_email(session)["ok@acme.com"]
    assert (ana.phone, ana.country, ana.timezone, ana.persona_id) == (
        "+14155552671", "US", "America/Los_Angeles", cfo.id)
    assert ana.company.domain == "acme.com" and ana.fields == {"state": "CA"}
    ruta = by_email(session)["lt@uab.lt"]
    assert (ruta.phone, ruta.timezone, ruta.persona_id) == ("+37061234567", "Europe/Vilnius", cfo.id)
    issues = [(i.line, i.column, i.kind) for i in issues_page(session, imp)]
    assert issues == [(3, "Email", "error"), (4, "Phone", "error"), (5, "Country", "error"),
                      (7, "Website", "error"), (7, "Country", "error")]
    assert "not a phone number" in issues_page(session, imp)[1].reason
    report = error_report(session, imp).splitlines()
    assert report[0] == ",".join(HEADER) + ",line,problem,column,reason"
    assert report[1].startswith("not-an-email,Bad,Email,") and ",3,error,Email," in report[1]
    assert len(report) == 5  # header + one row per bad line
    assert session.scalar(select(func.count(Prospect.id))) == 2  # nothing half-imported


def test_error_report_neutralises_formula_injection(session, factory, tmp_path):
    rows = [["Email", "First Name", "Last Name", "Title"],
            ["=HYPERLINK(\"http://evil\")", "+cmd", "-2+3", "@SUM(A1)"],
            ["ok@x.com", "=1+1", "Ok", "Boss"]]
    imp = import_all(session, factory.user("manager"), csv_bytes(rows), tmp_path)
    report = error_report(session, imp)
    assert "'=HYPERLINK" in report and "'+cmd" in report and "'-2+3" in report and "'@SUM" in report
    for cell in ("=", "+", "-", "@", "\t", "\r"):
        assert neutralise(cell + "x") == "'" + cell + "x"
    assert neutralise("plain") == "plain" and neutralise(None) == ""
    # stored as typed (it is data, not a formula, inside Sequencer)
    assert by_email(session)["ok@x.com"].first_name == "=1+1"


def test_duplicates_within_the_file_and_against_the_database(session, factory, tmp_path):
    company = factory.company(name="Acme", domain="acme.com")
    existing = factory.prospect(email="old@acme.com", first_name="Old", last_name="", title=None,
                                company_id=company.id, fields={"source": "crm"})
    session.commit()
    rows = [["Email", "First Name", "Last Name", "Title", "Company"],
            [" OLD@Acme.com ", "New", "Name", "CTO", "Acme"],
            ["fresh@acme.com", "Fresh", "One", "", "Acme"],
            ["Fresh@ACME.com", "Fresh", "Again", "", "Acme"]]
    imp = import_all(session, factory.user("manager"), csv_bytes(rows), tmp_path, on_duplicate="update_empty")
    assert (imp.created_count, imp.updated_count, imp.skipped_count) == (1, 1, 1)
    session.refresh(existing)
    assert (existing.first_name, existing.last_name, existing.title) == ("Old", "Name", "CTO")
    assert [i.reason for i in issues_page(session, imp)] == ["same email as line 3 of this file"]
    assert session.scalar(select(func.count(Company.id))) == 1  # matched by domain

    imp2 = import_all(session, factory.user("manager"), csv_bytes(rows[:2]), tmp_path, on_duplicate="overwrite")
    session.refresh(existing)
    assert imp2.updated_count == 1 and existing.first_name == "New"
    imp3 = import_all(session, factory.user("manager"), csv_bytes(rows[:3]), tmp_path, on_duplicate="skip")
    assert (imp3.created_count, imp3.skipped_count) == (0, 2)
    assert {i.kind for i in issues_page(session, imp3)} == {"duplicate"}


def test_suppressed_addresses_domains_and_erased_people_are_not_imported(session, factory, tmp_path):
    session.add_all([Suppression(kind=SuppressionKind.EMAIL, value="no@x.com"),
                     Suppression(kind=SuppressionKind.DOMAIN, value="rival.com"),
                     Suppression(kind=SuppressionKind.EMAIL_HASH, value=email_hash("gone@x.com"))])
    session.commit()
    rows = [["Email"], ["no@x.com"], ["anyone@rival.com"], ["Gone@X.com"], ["yes@x.com"]]
    imp = import_all(session, factory.user("manager"), csv_bytes(rows), tmp_path)
    assert imp.created_count == 1 and imp.skipped_count == 3
    assert [i.kind for i in issues_page(session, imp)] == ["suppressed"] * 3
    assert "erased" in issues_page(session, imp)[2].reason


def test_round_robin_owners_and_enrol_everything_imported(session, factory, tmp_path):
    a, b = factory.user("rep"), factory.user("rep")
    factory.mailbox(owner_id=a.id)
    factory.mailbox(owner_id=b.id)
    seq = factory.sequence(status="active")
    session.commit()
    rows = [["Email"]] + [[f"p{i}@x.com"] for i in range(4)]
    imp = import_all(session, factory.user("manager"), csv_bytes(rows), tmp_path, owner_ids=[a.id, b.id],
                     sequence_id=seq.id)
    owners = [p.owner_id for p in sorted(by_email(session).values(), key=lambda p: p.email)]
    assert owners == [a.id, b.id, a.id, b.id]
    assert imp.enrolled_count == 4
    assert session.scalar(select(func.count(Enrollment.id)).where(Enrollment.sequence_id == seq.id)) == 4


def test_the_upload_is_removed_once_imported(session, factory, tmp_path):
    imp = import_all(session, factory.user("manager"), csv_bytes([["Email"], ["a@x.com"]]), tmp_path)
    assert imp.status.value == "done" and list(tmp_path.iterdir()) == []


def test_a_rep_updates_only_prospects_they_own(session, factory, tmp_path):
    rep, other = factory.user("rep"), factory.user("rep")
    mine = factory.prospect(email="mine@x.com", title=None, owner_id=rep.id)
    theirs = factory.prospect(email="theirs@x.com", title=None, owner_id=other.id)
    session.commit()
    rows = [["Email", "Title"], ["mine@x.com", "CFO"], ["theirs@x.com", "CFO"]]
    imp = import_all(session, rep, csv_bytes(rows), tmp_path, on_duplicate="overwrite")
    session.refresh(mine), session.refresh(theirs)
    assert (mine.title, theirs.title, imp.updated_count, imp.skipped_count) == ("CFO", None, 1, 1)
    assert "owned by someone else" in issues_page(session, imp)[0].reason
