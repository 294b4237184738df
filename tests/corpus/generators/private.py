"""Generate the variant documents, labels.csv and notes.csv of this corpus folder.

Standard library only and deterministic: `python generate.py` rewrites docs/, labels.csv
and notes.csv from src/.

Source format (src/*.txt). A file starts with header lines beginning with '#', then a line
'---', then the document body.

Header lines:
  #kind: base | trap
  #labels: 1,1,1,1,1,1,1,1            labels of the full document (trap: of the document)
  #set no_c7: c7=w                     label override for a variant (no_cN / weak_cN)
  #note full c1: text                  note for a label of the full document (trap: 'doc')
  #note no_c1 c1: text                 note for a variant (optional for no_cN)
  #note weak_c1 c1: text               note for a weakened variant (required)

Body markup (bases only): a matter's text is written as
  {{c3}}FULL TEXT{{weak}}WEAK TEXT{{none}}TEXT WHEN REMOVED{{/c3}}
'{{none}}…' is optional (default: nothing). A matter may have several blocks; all of them
switch together. Blocks do not nest.
  {{if:c2}}TEXT{{/if}}
keeps TEXT except in the variant where matter c2 is removed: a passing mention of that
matter inside another matter's text (e.g. an audit right that extends to subcontractors),
so that the removal variant keeps no trace of it. It may sit inside a block.
Variants written for a base B: B__full.txt, B__no_cN.txt (every block of matter N uses its
'none' text), B__weak_cN.txt (every block of matter N uses its 'weak' text).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1]
HERE = CORPUS / "blind" / "private"  # set per folder by the loop at the end
CLAUSES = [f"c{i}" for i in range(1, 9)]
BLOCK = re.compile(r"\{\{(c[1-8])\}\}(.*?)\{\{/\1\}\}", re.S)
IF = re.compile(r"\{\{if:(c[1-8])\}\}(.*?)\{\{/if\}\}", re.S)


def parse(path: Path) -> tuple[dict, str]:
    """Split a source file into its header (dict) and body."""
    text = path.read_text(encoding="utf-8")
    head, sep, body = text.partition("\n---\n")
    if not sep:
        raise SystemExit(f"{path.name}: no '---' line")
    meta: dict = {"kind": "base", "labels": None, "set": {}, "notes": {}}
    for line in head.splitlines():
        line = line.strip()
        if not line.startswith("#"):
            continue
        key, _, value = line[1:].partition(":")
        value = value.strip()
        words = key.split()
        if words[0] == "kind":
            meta["kind"] = value
        elif words[0] == "labels":
            meta["labels"] = [v.strip() for v in value.split(",")]
        elif words[0] == "set":
            for item in value.split():
                c, _, v = item.partition("=")
                meta["set"].setdefault(words[1], {})[c] = v
        elif words[0] == "note":
            meta["notes"][(words[1], words[2])] = value
    labels = meta["labels"]
    if not labels or len(labels) != 8 or any(v not in {"1", "w", "0"} for v in labels):
        raise SystemExit(f"{path.name}: bad #labels")
    return meta, body


def render(body: str, clause: str | None, mode: str) -> str:
    """Render the body with matter `clause` in `mode` ('full', 'weak' or 'none')."""

    def pick(m: re.Match) -> str:
        inner = m.group(2)
        full, _, rest = inner.partition("{{weak}}")
        weak, _, none = rest.partition("{{none}}")
        if "{{weak}}" not in inner:
            raise SystemExit(f"block of {m.group(1)} without {{{{weak}}}}: {inner[:40]!r}")
        if m.group(1) != clause or mode == "full":
            return full
        return weak if mode == "weak" else none

    removed = clause if mode == "none" else None
    body = IF.sub(lambda m: "" if m.group(1) == removed else m.group(2), body)
    out = BLOCK.sub(pick, body)
    if "{{" in out:
        raise SystemExit(f"unbalanced markup near {out[out.index('{{') - 40 :][:80]!r}")
    out = re.sub(r"[ \t\u3000]+\n", "\n", out)
    out = re.sub(r"\n{3,}", "\n\n", out)
    return out.strip() + "\n"


def main() -> None:
    """Rewrite docs/, labels.csv and notes.csv of this folder from src/."""
    docs = HERE / "docs"
    docs.mkdir(exist_ok=True)
    for old in docs.glob("*.txt"):
        old.unlink()
    label_rows: list[list[str]] = []
    note_rows: list[list[str]] = []
    for src in sorted((HERE / "src").glob("*.txt")):
        meta, body = parse(src)
        stem = src.stem
        if meta["kind"] == "trap":
            name = f"{stem}.txt"
            (docs / name).write_text(render(body, None, "full"), encoding="utf-8")
            label_rows.append([name, *meta["labels"]])
            for c, v in zip(CLAUSES, meta["labels"], strict=True):
                note_rows.append([name, c, v, meta["notes"].get(("doc", c), "")])
            continue
        present = {m.group(1) for m in BLOCK.finditer(body)}
        missing = [c for c in CLAUSES if c not in present]
        if missing:
            raise SystemExit(f"{src.name}: no block for {missing}")
        variants = [("full", None, "full")]
        variants += [(f"no_{c}", c, "none") for c in CLAUSES]
        variants += [(f"weak_{c}", c, "weak") for c in CLAUSES]
        for tag, clause, mode in variants:
            name = f"{stem}__{tag}.txt"
            (docs / name).write_text(render(body, clause, mode), encoding="utf-8")
            labels = dict(zip(CLAUSES, meta["labels"], strict=True))
            if clause:
                labels[clause] = "0" if mode == "none" else "w"
            labels.update(meta["set"].get(tag, {}))
            label_rows.append([name, *[labels[c] for c in CLAUSES]])
            if tag == "full":
                for c in CLAUSES:
                    note = meta["notes"].get(("full", c))
                    if not note:
                        raise SystemExit(f"{src.name}: no note for full {c}")
                    note_rows.append([name, c, labels[c], note])
                continue
            changed = {clause} | set(meta["set"].get(tag, {}))
            for c in sorted(changed):
                note = meta["notes"].get((tag, c))
                if not note and mode == "none" and c == clause:
                    note = "この事項の記載を全て削除した。他の条項にもこの事項を課す記載はない。"
                if not note:
                    raise SystemExit(f"{src.name}: no note for {tag} {c}")
                note_rows.append([name, c, labels[c], note])
    with (HERE / "labels.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["file", *CLAUSES])
        w.writerows(label_rows)
    with (HERE / "notes.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["file", "clause", "label", "note"])
        w.writerows(note_rows)
    print(f"{len(label_rows)} documents written to {docs}")


def run_all() -> None:
    """Rewrite both folders of this set: the blind part and the visible dev part."""
    global HERE
    for split in ("blind", "dev"):
        HERE = CORPUS / split / "private"
        main()


if __name__ == "__main__":
    run_all()
