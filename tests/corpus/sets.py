"""Write ``tests/corpus/sets.csv``: every text document of the corpus with its label and its set.

``tuned`` is what the rules were developed on (``docs/`` and the visible ``dev/`` split);
``blind`` was written and labelled by helpers who never read ``clauses/`` and is never read by
whoever tunes the rules. ``python -m clauses eval tests/corpus tests/corpus/sets.csv`` prints
the two side by side. (The real texts are cited, not stored: ``tests/corpus/real/README.md``.)
"""

from __future__ import annotations

import csv
from pathlib import Path

CORPUS = Path(__file__).resolve().parent


def rows() -> list[list[str]]:
    """(file relative to tests/corpus, c1..c8, set) for every labelled text document."""
    out: list[list[str]] = []
    sources = [(CORPUS / "labels.csv", CORPUS / "docs", "tuned")]
    for split, name in (("dev", "tuned"), ("blind", "blind")):
        for labels in sorted((CORPUS / split).glob("*/labels.csv")):
            sources.append((labels, labels.parent / "docs", name))
    for labels, docs, name in sources:
        with labels.open(encoding="utf-8", newline="") as fh:
            reader = csv.reader(fh)
            next(reader)
            for row in reader:
                path = docs / row[0]
                if row and path.suffix == ".txt" and path.exists():
                    out.append([path.relative_to(CORPUS).as_posix(), *row[1:9], name])
    return out


def main() -> None:
    """Rewrite sets.csv."""
    with (CORPUS / "sets.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["file", *(f"c{k}" for k in range(1, 9)), "set"])
        writer.writerows(rows())


if __name__ == "__main__":
    main()
