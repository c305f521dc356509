"""Role checks for UI views; enforced on the server for every request."""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort
from flask_babel import gettext as _
from flask_login import current_user, login_required

from sequencer.accounts.permissions import ADMINS, MANAGERS, REPORT_VIEWERS  # noqa: F401  (re-exported for the views)
from sequencer.models import Role


def roles_required(*roles: Role) -> Callable:
    """Logged in, and holding one of `roles` (403 otherwise)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any):
            if current_user.role not in roles:
                abort(403, _("Your role does not allow this page."))
            return view(*args, **kwargs)

        return wrapped

    return decorator


