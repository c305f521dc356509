"""Who may do what: the one place each access rule is written, called by the API, the UI, the CLI and the services.

Three roles: admins run the workspace, managers run the team, reps work their own book. A rep's book
is what they own (prospects, deals, tasks, mailboxes) and what they started (enrolments, imports).
The `require_*` forms raise `Forbidden` with the reason a person will read.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, and_

from sequencer.errors import Forbidden
from sequencer.models import Role, User
from sequencer.texts import tr

if TYPE_CHECKING:
    from sequencer.models import Enrollment, Mailbox, Opportunity, Prospect, Task

MANAGERS: tuple[Role, ...] = (Role.ADMIN, Role.MANAGER)
ADMINS: tuple[Role, ...] = (Role.ADMIN,)
ALL_ROLES: tuple[Role, ...] = (Role.ADMIN, Role.MANAGER, Role.REP)
# reports (sequence results, A/B decisions, rep activity) are team-wide numbers: the API and the UI use this one rule
REPORT_VIEWERS: tuple[Role, ...] = MANAGERS


def is_manager(user: User) -> bool:
    """Managers and admins see and act on the whole team's work."""
    return user.role in MANAGERS


def is_admin(user: User) -> bool:
    return user.role == Role.ADMIN


def is_rep(user: User) -> bool:
    return user.role == Role.REP


def may_manage_enrollment(user: User, enrollment: Enrollment) -> bool:
    """Managers any; a rep the enrolments they made, of prospects they own, or sent from their mailbox."""
    if is_manager(user):
        return True
    return user.id in (enrollment.enrolled_by_id, enrollment.prospect.owner_id,
                       enrollment.mailbox.owner_id if enrollment.mailbox else None)


def require_manage_enrollment(user: User, enrollment: Enrollment) -> None:
    if not may_manage_enrollment(user, enrollment):
        raise Forbidden(tr("reps see their own enrolments"))


def may_work_task(user: User, task: Task) -> bool:
    """Reps work their own tasks; managers anyone's."""
    return is_manager(user) or task.owner_id == user.id


def require_work_task(user: User, task: Task) -> None:
    if not may_work_task(user, task):
        raise Forbidden(tr("reps work their own tasks"))


def report_owner(user: User, requested: int | None) -> int | None:
    """Whose numbers a report page shows: a manager picks anyone or the whole team (None); a rep sees their own."""
    if is_manager(user):
        return requested
    if requested not in (None, user.id):
        raise Forbidden(tr("reps see their own reports"))
    return user.id


def may_see_queue_of(user: User, owner_id: int) -> bool:
    """A rep sees their own task queue; managers everyone's."""
    return is_manager(user) or owner_id == user.id


def may_edit_prospect(user: User, prospect: Prospect) -> bool:
    return is_manager(user) or prospect.owner_id == user.id


def may_edit_deal(user: User, deal: Opportunity) -> bool:
    return is_manager(user) or deal.owner_id == user.id


def may_assign_to(user: User, owner_id: int | None) -> bool:
    """Reps can give work (prospects, deals, imports) only to themselves."""
    return is_manager(user) or owner_id == user.id


def may_send_from(user: User, mailbox: Mailbox) -> bool:
    """Reps send from their own mailboxes only."""
    return is_manager(user) or mailbox.owner_id == user.id


def sending_mailbox_owner(user: User) -> int | None:
    """Whose mailboxes `user` may send from (lists, defaults): None means everyone's (managers), else their own."""
    return None if is_manager(user) else user.id


def may_see_mailbox_connection(user: User, mailbox: Mailbox) -> bool:
    """SMTP/IMAP hosts, usernames and poll errors: managers any mailbox's, a rep only their own mailboxes'."""
    return is_manager(user) or mailbox.owner_id == user.id


def may_reconnect_mailbox(user: User, mailbox: Mailbox) -> bool:
    """An OAuth mailbox whose grant is gone: admins, or the rep who owns it (it is their account to sign in to)."""
    return is_admin(user) or mailbox.owner_id == user.id


def require_reconnect_mailbox(user: User, mailbox: Mailbox) -> None:
    if not may_reconnect_mailbox(user, mailbox):
        raise Forbidden(tr("only an admin or the mailbox's owner may connect it again"))


def require_send_from(user: User, mailbox: Mailbox) -> None:
    if not may_send_from(user, mailbox):
        raise Forbidden(tr("reps send from their own mailboxes only"))


def may_suppress_domains(user: User) -> bool:
    """A domain entry stops every teammate's enrolments there: managers and admins only."""
    return is_manager(user)


def may_suppress_address(user: User, prospect: Prospect | None) -> bool:
    """Managers any address; a rep only the address of a prospect they own."""
    return is_manager(user) or (prospect is not None and prospect.owner_id == user.id)


def require_lift_suppression(user: User) -> None:
    """Lifting an entry lets email flow again to everyone it covers: managers and admins only."""
    if not is_manager(user):
        raise Forbidden(tr("only managers can remove entries from the suppression list"))


def may_see_import(user: User, started_by_id: int | None) -> bool:
    return is_manager(user) or started_by_id == user.id


def may_revoke_token(user: User, owner_id: int) -> bool:
    """Everyone revokes their own API tokens; admins anyone's (a leaked token, a person who left)."""
    return is_admin(user) or owner_id == user.id


def require_manage_webhooks(user: User) -> None:
    """Webhooks send the team's data out of Sequencer: managers and admins only."""
    if not is_manager(user):
        raise Forbidden(tr("only managers and admins manage webhooks"))


def require_manage_goals(user: User) -> None:
    """Goals set the team's targets and costs: managers and admins set them; reps see their plan and pace."""
    if not is_manager(user):
        raise Forbidden(tr("only managers and admins set goals and costs"))


def may_see_goal(user: User, owner_id: int | None) -> bool:
    """Managers every goal; a rep the team's goals and their own."""
    return is_manager(user) or owner_id in (None, user.id)


def planned_for_team_goals() -> ColumnElement[bool]:
    """Who a team goal is shared among: active reps (managers and admins set the plan; they are not planned for)."""
    return and_(User.role == Role.REP, User.active.is_(True))
