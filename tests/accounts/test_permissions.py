"""Who may do what is written once, in accounts/permissions.py, and every door asks it."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from sequencer.accounts import permissions as perm
from sequencer.errors import Forbidden
from sequencer.models import Enrollment, Mailbox, Prospect, Task

PACKAGE = Path(__file__).resolve().parents[2] / "sequencer"
ROLE_CHECK = re.compile(r"\.role\s*(==|!=|in\b|not in\b)|\.role\.value\s*[!=]=|Role\.ADMIN,\s*Role\.MANAGER|"
                        r"^MANAGERS\s*=|\"(rep|manager|admin)\"\s*(==|!=|in)", re.M)


def test_no_role_check_is_written_outside_the_permissions_module():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel in ("accounts/permissions.py", "web/access.py", "api/common.py") or rel.startswith(
                ("models/", "demo/", "migrations/")):
            continue
        offenders += [f"{rel}: {m.group(0)}" for m in ROLE_CHECK.finditer(path.read_text())]
    assert offenders == []


class _U:
    def __init__(self, id, role):
        self.id, self.role = id, perm.Role(role)


REP, OTHER, MANAGER, ADMIN = _U(1, "rep"), _U(2, "rep"), _U(3, "manager"), _U(4, "admin")


def _enrollment(enrolled_by=None, owner=None, sender=None) -> Enrollment:
    e = Enrollment(enrolled_by_id=enrolled_by)
    e.prospect = Prospect(owner_id=owner)
    e.mailbox = Mailbox(owner_id=sender) if sender else None
    return e


@pytest.mark.parametrize("enrollment", [_enrollment(enrolled_by=1), _enrollment(owner=1), _enrollment(sender=1)])
def test_a_rep_manages_the_enrolments_of_their_book(enrollment):
    assert perm.may_manage_enrollment(REP, enrollment)
    assert not perm.may_manage_enrollment(OTHER, enrollment)
    assert perm.may_manage_enrollment(MANAGER, enrollment) and perm.may_manage_enrollment(ADMIN, enrollment)
    with pytest.raises(Forbidden, match="their own enrolments"):
        perm.require_manage_enrollment(OTHER, enrollment)


def test_reps_work_their_own_tasks_and_managers_anyones():
    task = Task(owner_id=1)
    assert perm.may_work_task(REP, task) and perm.may_work_task(MANAGER, task) and perm.may_work_task(ADMIN, task)
    assert not perm.may_work_task(OTHER, task)
    with pytest.raises(Forbidden, match="reps work their own tasks"):
        perm.require_work_task(OTHER, task)


def test_reps_send_from_and_assign_to_themselves_only():
    mine = Mailbox(owner_id=1)
    assert perm.may_send_from(REP, mine) and not perm.may_send_from(OTHER, mine) and perm.may_send_from(MANAGER, mine)
    assert perm.may_assign_to(REP, 1) and not perm.may_assign_to(REP, None) and not perm.may_assign_to(REP, 2)
    assert perm.may_assign_to(MANAGER, 2)


def test_the_managers_set_is_defined_once():
    assert perm.MANAGERS == (perm.Role.ADMIN, perm.Role.MANAGER)
    assert perm.is_manager(MANAGER) and perm.is_manager(ADMIN) and not perm.is_manager(REP)
