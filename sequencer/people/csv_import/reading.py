"""Reading an uploaded CSV as it comes: sniff encoding and delimiter from a sample, then stream records.

Exports arrive as UTF-8 (with or without BOM), UTF-16 from Excel, Windows-1257 from Lithuanian
tools and Windows-1252 from older Western ones; charset-normalizer picks among the encodings our
users actually produce, which keeps it from guessing something exotic on a short file.
"""
from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO

from charset_normalizer import from_bytes

from sequencer.platform.bounds import storable
from sequencer.texts import tr

SAMPLE = 64 * 1024
CANDIDATES = ["utf_8", "utf_16", "cp1257", "cp1252", "cp1250", "cp1251"]
ALPHABETS = ("ąčęėįšųūž", "āčēģīķļņšūž", "äõöüšž", "ąćęłńóśźż", "äöüß", "àâçéèêëîïôùûüÿœæ", "áéíñóúü",
             "áâãàçéêíóôõú", "àèéìíîòóùú", "åäöæøé", "áčďéěíňóřšťúůýž")
DELIMITERS = ",;\t|"
MAX_FIELD = 1024 * 1024

csv.field_size_limit(MAX_FIELD)


class UnreadableFile(ValueError):
    """The upload is not a CSV we can read (binary, empty, no header)."""


@dataclass
class Record:
    line: int            # physical line where the record starts (1 = the header)
    cells: list[str]
    position: int        # bytes consumed so far (approximate: the reader works in chunks)


def detect_encoding(sample: bytes) -> str:
    """The file's encoding; `utf-8/cp1252` (say) when UTF-8 lines and lines of an older code page mix."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if sample.count(b"\x00") * 10 < len(sample):  # a stray NUL, not UTF-16's every other byte
        try:
            sample.decode("utf-8")
            return "utf-8"
        except UnicodeDecodeError as exc:
            if exc.start >= len(sample) - 3:  # the sample cut a character in half
                return "utf-8"
        mixed = _mixed(sample)
        if mixed:
            return mixed
    return _single_byte(sample)


def _mixed(sample: bytes) -> str | None:
    """`utf-8/<code page>` when some non-ASCII lines are UTF-8 and others are not (a file pasted together)."""
    lines = [ln for ln in sample.split(b"\n")[:-1] if not ln.isascii()]  # the last may be cut short
    others = []
    for line in lines:
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            others.append(line)
    if not others or len(others) == len(lines):
        return None
    return "utf-8/" + _single_byte(b"\n".join(others))


def _single_byte(sample: bytes) -> str:
    results = list(from_bytes(sample, cp_isolation=CANDIDATES))
    if not results:
        raise UnreadableFile(tr("the file is not text (no known encoding fits)"))
    calm = min(r.chaos for r in results)
    tied = [r.encoding for r in results if r.chaos <= calm + 0.02]
    best = min(tied, key=lambda enc: (_alphabets_needed(sample.decode(enc, errors="replace")),
                                      CANDIDATES.index(enc) if enc in CANDIDATES else 99))
    return codecs.lookup(best).name


def _alphabets_needed(text: str) -> int:
    """How many European alphabets it takes to spell the accented letters (fewer = the likelier decoding).

    Single-byte code pages all decode without error and look equally tidy to a statistical
    detector on a short export, but Windows-1257 read as 1252 turns Šarūnas into Ðarûnas, and
    1252 read as 1257 turns François into Franįois next to a German Müller: one alphabet more.
    """
    letters = {c for c in text.casefold() if c.isalpha() and not c.isascii()}
    unknown = {c for c in letters if not any(c in a for a in ALPHABETS)}
    letters -= unknown
    needed = 0
    while letters:
        best = max(ALPHABETS, key=lambda a: len(letters & set(a)))
        letters -= set(best)
        needed += 1
    return needed + 2 * len(unknown)


def detect_delimiter(text: str) -> str:
    lines = [ln for ln in text.splitlines()[:20] if ln.strip()]
    if not lines:
        raise UnreadableFile(tr("the file is empty"))
    try:
        return csv.Sniffer().sniff("\n".join(lines), delimiters=DELIMITERS).delimiter
    except csv.Error:
        counts = {d: lines[0].count(d) for d in DELIMITERS}
        return max(counts, key=lambda d: counts[d]) if max(counts.values()) else ","


def sniff(path: str) -> tuple[str, str, list[str]]:
    """(encoding, delimiter, header) of the file."""
    with open(path, "rb") as fh:
        sample = fh.read(SAMPLE)
    if not sample.strip():
        raise UnreadableFile(tr("the file is empty"))
    encoding = detect_encoding(sample)
    text = sample.decode(encoding.split("/")[0], errors="ignore")
    controls = sum(1 for c in text if c < " " and c not in "\t\r\n")
    if controls > max(8, len(text) // 100):  # a few stray NULs are stripped from their cells, not fatal
        raise UnreadableFile(tr("this is not a CSV file (it holds binary data)"))
    delimiter = detect_delimiter(text)
    header = next(records(path, encoding, delimiter), None)
    if header is None or not any(c.strip() for c in header.cells):
        raise UnreadableFile(tr("the file has no header row"))
    return encoding, delimiter, [c.strip() for c in header.cells]


def _per_line(raw: IO[bytes], fallback: str, consumed: list[int]) -> Iterator[str]:
    """Each physical line decoded as UTF-8, or as `fallback` when it is not UTF-8; counts the bytes read."""
    for line in raw:
        consumed[0] += len(line)
        try:
            yield line.decode("utf-8")
        except UnicodeDecodeError:
            yield line.decode(fallback, errors="replace")


def records(path: str, encoding: str, delimiter: str) -> Iterator[Record]:
    """Every record, header first, streamed (quoted newlines stay inside their cell).

    Control characters no database stores (NUL above all) are dropped from the cells here, so every
    later step, the error report included, sees only storable text.
    """
    primary, _, fallback = encoding.partition("/")
    with open(path, "rb") as raw:
        consumed = [0]
        text: Iterable[str]
        if fallback:
            text = _per_line(raw, fallback, consumed)
        else:
            text = io.TextIOWrapper(raw, encoding=primary, errors="replace", newline="")
        reader = csv.reader(text, delimiter=delimiter)
        line = 1
        try:
            for cells in reader:
                clean = [storable(c) for c in cells]
                yield Record(line, clean, consumed[0] if fallback else raw.tell())
                line = reader.line_num + 1
        except csv.Error as exc:
            raise UnreadableFile(tr("line %(line)s: %(problem)s", line=reader.line_num, problem=str(exc))) from None


def original_line(cells: list[str], delimiter: str) -> str:
    """The record written back as the export had it (for the error report)."""
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerow(cells)  # quotes cells holding newlines
    return out.getvalue()[:-2]


def cells_of(line: str, delimiter: str) -> list[str]:
    """A line written by `original_line` read back into its cells (older unquoted multi-line lines too)."""
    try:
        return next(csv.reader(io.StringIO(line, newline=""), delimiter=delimiter), [])
    except csv.Error:  # stored before multi-line cells were quoted: one record per physical line, kept whole
        return [cell for part in line.splitlines() for cell in part.split(delimiter)]
