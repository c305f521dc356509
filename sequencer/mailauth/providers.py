"""What Google and Microsoft need: endpoints, the mail-only scopes, and the SMTP/IMAP servers to preset."""
from __future__ import annotations

from dataclasses import dataclass

from sequencer.errors import Invalid
from sequencer.models.mail import MailboxAuth
from sequencer.texts import tr


@dataclass(frozen=True)
class Provider:
    key: str  # google | microsoft
    label: str
    auth: MailboxAuth
    authorize_url: str  # "{tenant}" is filled from the admin's settings (Microsoft)
    token_url: str
    scopes: tuple[str, ...]
    smtp_host: str
    imap_host: str
    smtp_port: int = 587
    imap_port: int = 993
    extra_authorize: tuple[tuple[str, str], ...] = ()  # what the provider needs to hand out a refresh token


GOOGLE = Provider(
    key="google", label="Google", auth=MailboxAuth.OAUTH_GOOGLE,
    authorize_url="https://accounts.google.com/o/oauth2/v2/auth",
    token_url="https://oauth2.googleapis.com/token",
    scopes=("https://mail.google.com/",),
    smtp_host="smtp.gmail.com", imap_host="imap.gmail.com",
    extra_authorize=(("access_type", "offline"), ("prompt", "consent")),
)
MICROSOFT = Provider(
    key="microsoft", label="Microsoft", auth=MailboxAuth.OAUTH_MICROSOFT,
    authorize_url="https://login.microsoftonline.com/{tenant}/oauth2/v2.0/authorize",
    token_url="https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token",
    scopes=("https://outlook.office.com/SMTP.Send", "https://outlook.office.com/IMAP.AccessAsUser.All",
            "offline_access"),
    smtp_host="smtp.office365.com", imap_host="outlook.office365.com",
    extra_authorize=(("prompt", "select_account"),),
)
PROVIDERS = {p.key: p for p in (GOOGLE, MICROSOFT)}
BY_AUTH = {p.auth: p for p in PROVIDERS.values()}


def provider(key: str) -> Provider:
    """The provider named `key`; raises `Invalid` for anything else."""
    try:
        return PROVIDERS[key]
    except KeyError:
        raise Invalid.field("provider", tr("must be google or microsoft")) from None


def for_auth(auth: MailboxAuth) -> Provider | None:
    """The provider behind an OAuth mailbox; None for a password mailbox."""
    return BY_AUTH.get(auth)
