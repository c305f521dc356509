"""What a sending domain's DNS says, in plain words: SPF, DMARC, MX and the DKIM selectors of its provider.

Gmail and Yahoo reject bulk mail without SPF, DKIM and DMARC; each finding names the record, the domain
and what happens to the mail, so an admin can fix it without knowing the RFCs.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sequencer.deliverability import finding_texts as t
from sequencer.deliverability.dns_lookup import DnsUnavailable, Lookup

GOOGLE, MICROSOFT, RELAY = "google", "microsoft", "relay"
PROVIDER_NAMES = {GOOGLE: "Google Workspace", MICROSOFT: "Microsoft 365", RELAY: t.YOUR_SERVER}
SELECTORS = {GOOGLE: ("google",), MICROSOFT: ("selector1", "selector2")}
SPF_INCLUDES = {GOOGLE: "_spf.google.com", MICROSOFT: "spf.protection.outlook.com"}
_HOST_HINTS = {GOOGLE: ("gmail.com", "google.com", "googlemail.com"),
               MICROSOFT: ("office365.com", "outlook.com", "microsoft.com")}


@dataclass
class Finding:
    """One record's verdict; `problem` is None when the record is fine."""

    record: str  # spf | dmarc | mx | dkim
    found: list[str] = field(default_factory=list)
    problem: str | None = None


def provider_of(smtp_host: str | None, mx_hosts: list[str]) -> str:
    """Google, Microsoft or our own relay, from the SMTP host and else the domain's MX hosts."""
    hosts = [(smtp_host or "").lower(), *mx_hosts]
    for provider, hints in _HOST_HINTS.items():
        if any(h == hint or h.endswith("." + hint) for h in hosts if h for hint in hints):
            return provider
    if any(h.endswith(".mail.protection.outlook.com") for h in mx_hosts):
        return MICROSOFT
    return RELAY


def check_spf(lookup: Lookup, domain: str, provider: str) -> Finding:
    records = [t for t in lookup.txt(domain) if t.lower().startswith("v=spf1")]
    finding = Finding("spf", records)
    include = SPF_INCLUDES.get(provider)
    if not records:
        hint = t.said(t.SPF_HINT, provider=PROVIDER_NAMES[provider], include=include) if include else ""
        finding.problem = t.said(t.NO_SPF, domain=domain, hint=hint)
    elif len(records) > 1:
        finding.problem = t.said(t.MANY_SPF, count=len(records), domain=domain)
    elif records[0].lower().split()[-1] in ("+all", "all"):
        finding.problem = t.said(t.SPF_ALL, domain=domain)
    elif include and f"include:{include}" not in records[0].lower():
        finding.problem = t.said(t.SPF_NO_INCLUDE, domain=domain, include=include, provider=PROVIDER_NAMES[provider])
    return finding


def check_dmarc(lookup: Lookup, domain: str) -> Finding:
    records = [t for t in lookup.txt(f"_dmarc.{domain}") if t.lower().replace(" ", "").startswith("v=dmarc1")]
    finding = Finding("dmarc", records)
    if not records:
        finding.problem = t.said(t.NO_DMARC, domain=domain)
    elif len(records) > 1:
        finding.problem = t.said(t.MANY_DMARC, count=len(records), domain=domain)
    elif "p=" not in records[0].lower().replace(" ", ""):
        finding.problem = t.said(t.DMARC_NO_POLICY, domain=domain)
    return finding


def check_mx(lookup: Lookup, domain: str) -> Finding:
    hosts = lookup.mx(domain)
    finding = Finding("mx", hosts)
    if not hosts:
        finding.problem = t.said(t.NO_MX, domain=domain)
    return finding


def check_dkim(lookup: Lookup, domain: str, provider: str, selector: str | None,
               expected_key: str | None = None) -> Finding:
    """The provider's selectors (or the admin's): at least one must hold a live key (ours, when we sign)."""
    selectors = (selector,) if selector else SELECTORS.get(provider, ())
    finding = Finding("dkim")
    if not selectors:
        finding.problem = t.said(t.NO_SELECTOR, domain=domain)
        return finding
    keys: dict[str, str] = {}
    for sel in selectors:
        records = [t for t in lookup.txt(f"{sel}._domainkey.{domain}") if "p=" in t.replace(" ", "")]
        if records:
            keys[sel] = records[0]
            finding.found.append(f"{sel}: {records[0][:120]}")
    names = " or ".join(f"{s}._domainkey.{domain}" for s in selectors)
    if not keys:
        finding.problem = t.said(t.NO_DKIM, names=names, domain=domain)
    elif all(_p_value(k) == "" for k in keys.values()):
        finding.problem = t.said(t.DKIM_REVOKED, names=names, domain=domain)
    elif expected_key is not None and not any(_p_value(k) == expected_key for k in keys.values()):
        finding.problem = t.said(t.DKIM_NOT_OURS, names=names)
    return finding


def _p_value(record: str) -> str:
    for part in record.replace(" ", "").split(";"):
        if part.startswith("p="):
            return part[2:]
    return ""


def check_sending_domain(lookup: Lookup, domain: str, smtp_host: str | None, selector: str | None,
                         expected_key: str | None = None) -> tuple[str, list[Finding]]:
    """(provider, findings) for one domain; DnsUnavailable when DNS itself does not answer."""
    mx = check_mx(lookup, domain)
    provider = provider_of(smtp_host, mx.found)
    return provider, [check_spf(lookup, domain, provider), check_dkim(lookup, domain, provider, selector,
                                                                       expected_key),
                      check_dmarc(lookup, domain), mx]


def check_tracking_domain(lookup: Lookup, domain: str, target_host: str) -> Finding:
    """A tracking domain must be a CNAME to the host that serves our links (BASE_URL's)."""
    targets = lookup.cname(domain)
    finding = Finding("cname", targets)
    target = target_host.lower().rstrip(".")
    if not targets:
        finding.problem = t.said(t.NO_CNAME, domain=domain, target=target)
    elif targets[0] != target:
        finding.problem = t.said(t.CNAME_ELSEWHERE, domain=domain, found=targets[0], target=target)
    return finding


__all__ = ["DnsUnavailable", "Finding", "check_sending_domain", "check_tracking_domain", "provider_of"]
