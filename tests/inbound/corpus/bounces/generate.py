"""Write the bounce corpus (.eml files) and its table (expected.json): `python -m tests.inbound.corpus.bounces.generate`.

Each sample names its source format; expected reason, class and recipient are written by hand per case below.
"""
from __future__ import annotations

import json
from pathlib import Path

from tests.inbound.corpus.bounces import formats_a, formats_b, formats_c, formats_d

HERE = Path(__file__).parent


def main() -> None:
    samples = formats_a.samples() + formats_b.samples() + formats_c.samples() + formats_d.samples()
    table = {}
    for old in HERE.glob("*.eml"):
        old.unlink()
    for name, eml, want in samples:
        assert name not in table, name
        (HERE / f"{name}.eml").write_bytes(eml.encode("utf-8"))
        table[f"{name}.eml"] = want
    (HERE / "expected.json").write_text(json.dumps(table, indent=1, ensure_ascii=False, sort_keys=True) + "\n")
    print(f"{len(table)} samples, {len({w['format'] for w in table.values()})} formats")


if __name__ == "__main__":
    main()
