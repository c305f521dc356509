"""Mailboxes: admins create them; the SMTP password goes in and never comes back out."""
from __future__ import annotations

from flask import current_app, jsonify
from sqlalchemy import select

from sequencer.accounts.permissions import ALL_ROLES
from sequencer.api import api_bp
from sequencer.api.common import current_api_user, load_json, require_roles
from sequencer.api.pagination import fetch, page_args, paged_response, paginated
from sequencer.api.schemas import MailboxInSchema, MailboxSchema
from sequencer.extensions import db
from sequencer.mail.mailboxes import create_mailbox, visible_to
from sequencer.models import Mailbox, Role
from sequencer.platform.security import SecretBox


@api_bp.post("/mailboxes")
@require_roles(Role.ADMIN)
def create_mailbox_endpoint():
    """Create a mailbox.
    ---
    post:
      summary: Create a sending mailbox (admins)
      tags: [Mailboxes]
      requestBody:
        required: true
        content:
          application/json:
            schema: MailboxInSchema
      responses:
        201:
          content:
            application/json:
              schema: MailboxSchema
        409:
          content:
            application/json:
              schema: ErrorSchema
        422:
          content:
            application/json:
              schema: ErrorSchema
    """
    data = load_json(MailboxInSchema())
    mailbox = create_mailbox(db.session, data, SecretBox(current_app.config["SECRET_KEY"]))
    db.session.commit()
    return jsonify(MailboxSchema().dump(mailbox)), 201


@api_bp.get("/mailboxes")
@paginated
@require_roles(*ALL_ROLES)
def list_mailboxes_endpoint():
    """List mailboxes.
    ---
    get:
      summary: List mailboxes (never with passwords; a rep sees connection details of their own mailboxes only)
      tags: [Mailboxes]
      responses:
        200:
          content:
            application/json:
              schema:
                type: array
                items: MailboxSchema
    """
    page = page_args()
    rows, total = fetch(db.session, select(Mailbox).order_by(Mailbox.email, Mailbox.id), page)
    user = current_api_user()
    return paged_response([visible_to(user, row, MailboxSchema().dump(row)) for row in rows], page, total)
