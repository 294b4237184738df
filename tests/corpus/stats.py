"""Print the corpus counts: documents, per clause × status, lengths and structures.

Run: ``python tests/corpus/stats.py``.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
CLAUSES = (
    "confidentiality",
    "subcontracting",
    "copying",
    "security",
    "incident",
    "return_deletion",
    "breach_remedies",
    "reporting_audit",
)
STATUS = {"1": "satisfied", "w": "weak", "0": "missing"}


def main() -> None:
    """Print the tables."""
    with (HERE / "labels.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    texts = [r for r in rows if r["file"].endswith(".txt")]
    pdfs = [r for r in rows if r["file"].endswith(".pdf")]
    print(f"documents: {len(texts)} text + {len(pdfs)} PDF rows = {len(rows)} labelled files")
    print(f"{'clause':18s}" + "".join(f"{s:>11s}" for s in STATUS.values()))
    for i, clause in enumerate(CLAUSES, 1):
        counts = Counter(r[f"c{i}"] for r in texts)
        print(f"{clause:18s}" + "".join(f"{counts[k]:>11d}" for k in STATUS))
    full = sum(all(r[f"c{i}"] == "1" for i in range(1, 9)) for r in texts)
    print(f"fully compliant documents: {full}")
    lengths = sorted(len((HERE / "docs" / r["file"]).read_text(encoding="utf-8")) for r in texts)
    bands = Counter(
        "<1500"
        if n < 1500
        else "1500-8000"
        if n <= 8000
        else "8000-15000"
        if n < 15000
        else ">=15000"
        for n in lengths
    )
    print(
        "length (characters):",
        ", ".join(f"{k}: {bands[k]}" for k in ("<1500", "1500-8000", "8000-15000", ">=15000")),
    )
    kinds = Counter(
        Path(r["file"]).stem.split("_", 1)[1] if r["file"].startswith("gen/") else "hand-written"
        for r in texts
    )
    print("structures:", ", ".join(f"{k}: {v}" for k, v in sorted(kinds.items())))


if __name__ == "__main__":
    main()
