"""The OAuth client an admin registered with Google or Microsoft: one row per provider, the secret encrypted."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from sequencer.models._common import created_at
from sequencer.platform.db import Base


class OAuthApp(Base):
    __tablename__ = "oauth_apps"

    provider: Mapped[str] = mapped_column(String(32), primary_key=True)  # google | microsoft
    client_id: Mapped[str] = mapped_column(String(500), default="")
    client_secret_encrypted: Mapped[str | None] = mapped_column(Text)
    tenant: Mapped[str | None] = mapped_column(String(200))  # Microsoft: a tenant id, "organizations" or "common"
    # empty means the provider's own endpoint; set to point at another (a test provider, a sovereign cloud)
    authorize_url: Mapped[str | None] = mapped_column(String(2000))
    token_url: Mapped[str | None] = mapped_column(String(2000))
    updated_at: Mapped[datetime] = created_at()
