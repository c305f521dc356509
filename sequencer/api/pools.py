"""Mailbox pools (a rep's mailboxes that share sending) and the domains' DNS check results."""
from __future__ import annotations

from flask import jsonify
from sqlalchemy import select

from sequencer.accounts.permissions import ADMINS, ALL_ROLES, MANAGERS
from sequencer.api import api_bp
from sequencer.api.common import current_api_user, load_json, require_roles
from sequencer.api.deliverability_schemas import DomainAcceptSchema, DomainCheckSchema, PoolInSchema, PoolSchema
from sequencer.api.pagination import fetch, page_args, paged_response, paginated
from sequencer.deliverability.domains import acknowledge
from sequencer.extensions import db
from sequencer.models import DomainCheck, MailboxPool
from sequencer.outreach.pools import create_pool, serialize_pool
from sequencer.platform import clock


@api_bp.post("/mailbox-pools")
@require_roles(*ALL_ROLES)
def create_pool_endpoint():
    """Create a mailbox pool.
    ---
    post:
      summary: Create a mailbox pool (managers; a rep for their own mailboxes); members join by their `pool_id`
      tags: [Mailboxes]
      requestBody: {required: true, content: {application/json: {schema: PoolInSchema}}}
      responses:
        201: {content: {application/json: {schema: PoolSchema}}}
        403: {content: {application/json: {schema: ErrorSchema}}}
    """
    data = load_json(PoolInSchema())
    user = current_api_user()
    pool = create_pool(db.session, data["name"], data.get("owner_id", user.id), user)
    db.session.commit()
    return jsonify(PoolSchema().dump(serialize_pool(db.session, pool, clock.now()))), 201


@api_bp.get("/mailbox-pools")
@paginated
@require_roles(*ALL_ROLES)
def list_pools_endpoint():
    """List mailbox pools.
    ---
    get:
      summary: List mailbox pools with each member's room today
      tags: [Mailboxes]
      responses:
        200: {content: {application/json: {schema: {type: array, items: PoolSchema}}}}
    """
    page = page_args()
    rows, total = fetch(db.session, select(MailboxPool).order_by(MailboxPool.id), page)
    now = clock.now()
    return paged_response([PoolSchema().dump(serialize_pool(db.session, p, now)) for p in rows], page, total)


@api_bp.get("/domain-checks")
@paginated
@require_roles(*MANAGERS)
def list_domain_checks_endpoint():
    """List domain checks.
    ---
    get:
      summary: The last DNS check of each sending domain (SPF, DKIM, DMARC, MX) and tracking domain (CNAME)
      tags: [Mailboxes]
      responses:
        200: {content: {application/json: {schema: {type: array, items: DomainCheckSchema}}}}
    """
    page = page_args()
    rows, total = fetch(db.session, select(DomainCheck).order_by(DomainCheck.kind, DomainCheck.domain), page)
    return paged_response([DomainCheckSchema().dump(r) for r in rows], page, total)


@api_bp.post("/domain-checks/accept")
@require_roles(*ADMINS)
def accept_domain_check_endpoint():
    """Accept a domain's DNS findings.
    ---
    post:
      summary: An admin accepts a sending domain's DNS findings, so its new mailboxes may send their first email
      tags: [Mailboxes]
      requestBody: {required: true, content: {application/json: {schema: DomainAcceptSchema}}}
      responses:
        200: {content: {application/json: {schema: DomainCheckSchema}}}
        403: {content: {application/json: {schema: ErrorSchema}}}
        404: {content: {application/json: {schema: ErrorSchema}}}
    """
    data = load_json(DomainAcceptSchema())
    check = acknowledge(db.session, data["domain"], current_api_user(), clock.now())
    db.session.commit()
    return jsonify(DomainCheckSchema().dump(check))
