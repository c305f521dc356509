"""The client side of IMAP that imaplib leaves to its caller: quoting, folder names in modified UTF-7, LIST replies."""
from __future__ import annotations

import base64
import re


def quote(name: str) -> str:
    """An IMAP quoted string (imaplib passes mailbox names through unquoted)."""
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def encode_folder(name: str) -> str:
    """A folder name in modified UTF-7 (RFC 3501 5.1.3), quoted."""
    out: list[str] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            encoded = base64.b64encode("".join(run).encode("utf-16-be")).rstrip(b"=").replace(b"/", b",")
            out.append("&" + encoded.decode() + "-")
            run.clear()

    for ch in name:
        if 0x20 <= ord(ch) <= 0x7E:
            flush()
            out.append("&-" if ch == "&" else ch)
        else:
            run.append(ch)
    flush()
    return quote("".join(out))


def expect_ok(result: tuple[str, list], what: str) -> list:
    """The data of an imaplib result, or an error naming the command."""
    typ, data = result
    if typ != "OK":
        raise RuntimeError(f"IMAP {what} failed: {typ} {data!r}")
    return data


LIST_LINE = re.compile(rb'\((?P<flags>[^)]*)\) (?:NIL|"(?:[^"\\]|\\.)*") (?P<name>.*)$')


def list_entries(data: list) -> list[tuple[bytes, str]]:
    """(flags, raw mailbox name) for each LIST reply line; names stay in modified UTF-7."""
    entries = []
    for item in data:
        if item is None:
            continue
        if isinstance(item, tuple):  # name sent as a literal
            head, name = item[0], item[1]
            flags = LIST_LINE.match(head + b'""').group("flags")
        else:
            match = LIST_LINE.match(item)
            flags, name = match.group("flags"), match.group("name")
            if name.startswith(b'"'):
                name = re.sub(rb"\\(.)", rb"\1", name[1:-1])
        entries.append((flags, name.decode("ascii")))
    return entries
