"""A small authoritative DNS server on loopback (dnslib) serving exactly the records a test sets."""
from __future__ import annotations

import pytest
from dnslib import CNAME, MX, QTYPE, RR, TXT, DNSLabel
from dnslib.server import BaseResolver, DNSLogger, DNSServer


def _txt_chunks(value: str) -> list[bytes]:
    raw = value.encode()
    return [raw[i:i + 255] for i in range(0, len(raw), 255)] or [b""]


class Zone(BaseResolver):
    """name -> [(type, value)]; CNAMEs are followed for the other types, like a recursive resolver would."""

    def __init__(self) -> None:
        self.records: dict[str, list[tuple[str, object]]] = {}

    def add(self, name: str, rtype: str, value: object) -> None:
        self.records.setdefault(name.lower().rstrip("."), []).append((rtype, value))

    def _rr(self, name: str, rtype: str, value: object) -> RR:
        if rtype == "TXT":
            rdata = TXT(_txt_chunks(str(value)))
        elif rtype == "MX":
            rdata = MX(str(value), 10)
        else:
            rdata = CNAME(str(value))
        return RR(DNSLabel(name), getattr(QTYPE, rtype), rdata=rdata, ttl=60)

    def resolve(self, request, handler):
        reply = request.reply()
        name = str(request.q.qname).lower().rstrip(".")
        wanted = QTYPE[request.q.qtype]
        for _ in range(5):
            entries = self.records.get(name, [])
            for rtype, value in entries:
                if rtype == wanted:
                    reply.add_answer(self._rr(name, rtype, value))
            cnames = [v for t, v in entries if t == "CNAME"]
            if reply.rr or wanted == "CNAME" or not cnames:
                break
            reply.add_answer(self._rr(name, "CNAME", cnames[0]))
            name = str(cnames[0]).lower().rstrip(".")
        if not reply.rr and not any(n == name or n.endswith("." + name) for n in self.records):
            reply.header.rcode = 3  # NXDOMAIN
        return reply


class LoopbackDns:
    def __init__(self) -> None:
        self.zone = Zone()
        self.server = DNSServer(self.zone, address="127.0.0.1", port=0, logger=DNSLogger("-request,-reply,-truncated"))

    @property
    def port(self) -> int:
        return self.server.server.server_address[1]

    def __enter__(self) -> LoopbackDns:
        self.server.start_thread()
        return self

    def __exit__(self, *exc) -> None:
        self.server.stop()
        self.server.server.server_close()


@pytest.fixture
def loopback_dns(app):
    """The server, with the app's DNS_NAMESERVER/DNS_PORT pointed at it."""
    with LoopbackDns() as server:
        app.config.update(DNS_NAMESERVER="127.0.0.1", DNS_PORT=server.port)
        yield server
