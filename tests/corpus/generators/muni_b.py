"""Generate the muni_b corpus variants and labels from the marked-up sources.

Run from anywhere: ``python tests/corpus/blind/muni_b/generate.py``. The script works on
the folder it lives in (the same file is copied into dev/muni_b/): it reads ``src/*.txt``
(base documents) and ``src/traps/*.txt`` (standalone traps) and rewrites ``docs/``,
``labels.csv``, ``notes.csv`` and the counts block of ``README.md``.

Markup in a base document:
- ``#% key: value`` header lines (dest, title, full labels, overrides, notes).
- ``{{cN:full}}TEXT{{/cN}}`` text that carries matter N. Directly followed by
  ``{{cN:weak}}ALT{{/cN}}`` it is replaced by ALT in the weakened variant; without a
  following weak block it is kept unchanged in the weakened variant. A ``weak`` block not
  preceded by a ``full`` block appears only in the weakened variant.
  In the removed variant every block of matter N disappears.
- ``{{#NAME:STYLE}}`` an item number, counted per NAME after removal (STYLE: a=1, f=１,
  k=一, c=①, i=ア), so that removing an item does not leave a gap. ``{{#NAME:STYLE:K}}``
  adds K to the count (a list that continues after an unnumbered first 項, 第８条の２ …);
  STYLE l=a, b, c; ``{{#NAME>PARENT:STYLE}}`` counts anew within each PARENT number (6.1, 6.2
  under 第6条) and ``{{=PARENT}}`` writes PARENT's current number.
Lines left empty by a removal are dropped. Standard library only; deterministic.

PDF look: a header line ``#% pdf: width=40 lines=42 page=dash header=TEXT`` makes every
variant of that document look like text extracted from a PDF: lines hard-broken every
``width`` characters (in the middle of sentences), a page number alone on a line every
``lines`` lines (``dash`` gives 「- 3 -」, ``fw`` gives 「３」) and the running header repeated
at the top of each following page. Applied after the markup is rendered.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1]
HERE = CORPUS / "blind" / "muni_b"  # set per folder by the loop at the end
# Variant names (a set that reuses this script may name them NAME__rm_cN / NAME__wk_cN).
REMOVED = "c{c}_removed"
WEAKENED = "c{c}_weak"
CLAUSES = range(1, 9)
BLOCK = re.compile(r"\{\{c([1-8]):(full|weak)\}\}(.*?)\{\{/c\1\}\}", re.S)
NUM = re.compile(
    r"\{\{#([A-Za-z0-9_]+)(?:>([A-Za-z0-9_]+))?:([afkcil])(?::(\d+))?\}\}|\{\{=([A-Za-z0-9_]+)\}\}"
)
GONE = "\x00"
FW = "０１２３４５６７８９"
KANJI = [
    "",
    "一",
    "二",
    "三",
    "四",
    "五",
    "六",
    "七",
    "八",
    "九",
    "十",
    "十一",
    "十二",
    "十三",
    "十四",
    "十五",
    "十六",
    "十七",
    "十八",
    "十九",
    "二十",
]
CIRCLED = "⓪①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
IROHA = "アイウエオカキクケコサシスセソタチツテトナニヌネノ"


def number(n: int, style: str) -> str:
    """Render item number n in the given style."""
    if style == "a":
        return str(n)
    if style == "f":
        return "".join(FW[int(d)] for d in str(n))
    if style == "k":
        return KANJI[n]
    if style == "c":
        return CIRCLED[n]
    if style == "l":
        return "abcdefghijklmnopqrstuvwxyz"[n - 1]
    return IROHA[n - 1]


def parse(path: Path) -> tuple[dict[str, str], str]:
    """Split a source file into its header dict and body text."""
    head: dict[str, str] = {}
    body: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
        if line.startswith("#%"):
            key, _, value = line[2:].partition(":")
            head[key.strip()] = value.strip()
        else:
            body.append(line)
    return head, "".join(body).lstrip("\n")


def render(body: str, clause: int | None, mode: str) -> str:
    """Render the body: mode 'full', 'remove' or 'weak' applied to one clause."""
    out: list[str] = []
    pos = 0
    blocks = list(BLOCK.finditer(body))
    i = 0
    while i < len(blocks):
        m = blocks[i]
        out.append(body[pos : m.start()])
        n, kind, text = int(m.group(1)), m.group(2), m.group(3)
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        paired = (
            kind == "full"
            and nxt is not None
            and nxt.start() == m.end()
            and int(nxt.group(1)) == n
            and nxt.group(2) == "weak"
        )
        weak_text = nxt.group(3) if paired else None
        if n != clause or mode == "full":
            out.append(text if kind == "full" else GONE)
        elif mode == "remove":
            # Empty, not GONE: the newline after a removed block is the blank line that
            # separated it from the next item, and it must survive.
            out.append("" if kind == "full" else GONE)
        elif kind == "full":
            out.append(weak_text if paired else text)
        else:
            out.append(text)
        pos = nxt.end() if paired else m.end()
        i += 2 if paired else 1
    out.append(body[pos:])
    text = "".join(out)
    lines = [
        ln
        for ln in text.splitlines(keepends=True)
        if not (GONE in ln and ln.replace(GONE, "").strip() == "")
    ]
    text = "".join(lines).replace(GONE, "")
    counters: dict[str, int] = {}

    def repl(m: re.Match[str]) -> str:
        if m.group(5):
            return str(counters.get(m.group(5), 0))
        key = m.group(1)
        if m.group(2):
            key = f"{key}>{m.group(2)}={counters.get(m.group(2), 0)}"
        counters[key] = counters.get(key, 0) + 1
        return number(counters[key] + int(m.group(4) or 0), m.group(3))

    text = NUM.sub(repl, text)
    if "{{" in text or "}}" in text:
        raise SystemExit(f"unbalanced markup left in output (clause {clause}, {mode})")
    # A removed block can take the blank line before a heading with it; put it back.
    text = re.sub(r"([^\n])\n(（[^）\n]{1,30}）\n)", r"\1\n\n\2", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.rstrip("\n") + "\n"


def labels_from(spec: str) -> list[str]:
    """Parse '1 1 w 0 ...' into eight labels."""
    vals = spec.split()
    if len(vals) != 8 or any(v not in {"1", "w", "0"} for v in vals):
        raise SystemExit(f"bad label spec: {spec!r}")
    return vals


def overrides(spec: str) -> dict[int, str]:
    """Parse 'c7=w c1=w' into {7: 'w', 1: 'w'}."""
    out: dict[int, str] = {}
    for part in spec.split():
        k, _, v = part.partition("=")
        out[int(k.lstrip("c"))] = v
    return out


def pdf_look(text: str, spec: str) -> str:
    """Hard-wrap lines and paginate with page numbers and a running header."""
    opts = dict(part.split("=", 1) for part in spec.split(" ") if "=" in part)
    width, per_page = int(opts.get("width", "40")), int(opts.get("lines", "42"))
    style, header = opts.get("page", "dash"), opts.get("header", "").replace("_", "　")
    wrapped: list[str] = []
    for line in text.rstrip("\n").split("\n"):
        if len(line) <= width:
            wrapped.append(line)
            continue
        wrapped += [line[i : i + width] for i in range(0, len(line), width)]

    def folio(n: int) -> str:
        if style == "fw":
            return "".join(FW[int(d)] for d in str(n))
        return f"- {n} -"

    out: list[str] = []
    page, count = 1, 0
    for line in wrapped:
        out.append(line)
        count += 1
        if count >= per_page:
            out += ["", folio(page)]
            page += 1
            if header:
                out.append(header)
            count = 0
    out += ["", folio(page)]
    return "\n".join(out) + "\n"


def main() -> None:
    """Write docs/, labels.csv, notes.csv and the README counts for this folder."""
    docs = HERE / "docs"
    docs.mkdir(exist_ok=True)
    for old in docs.glob("*.txt"):
        old.unlink()
    label_rows: list[list[str]] = []
    note_rows: list[list[str]] = []
    for src in sorted((HERE / "src").glob("*.txt")):
        head, body = parse(src)
        name = src.stem
        full = labels_from(head["full"])
        rem = overrides(head.get("remove", ""))
        wk = overrides(head.get("weak", ""))
        variants = [("full", None, "full")]
        variants += [(REMOVED.format(c=c), c, "remove") for c in CLAUSES]
        variants += [(WEAKENED.format(c=c), c, "weak") for c in CLAUSES]
        seen: dict[str, str] = {}
        for suffix, clause, mode in variants:
            text = render(body, clause, mode)
            if "pdf" in head:
                text = pdf_look(text, head["pdf"])
            fname = f"{name}__{suffix}.txt"
            if text in seen:
                raise SystemExit(f"{fname} is identical to {seen[text]}")
            seen[text] = fname
            (docs / fname).write_text(text, encoding="utf-8")
            labels = list(full)
            if clause is not None:
                table = rem if mode == "remove" else wk
                labels[clause - 1] = table.get(clause, "0" if mode == "remove" else "w")
            label_rows.append([fname, *labels])
            if clause is None:
                for c in CLAUSES:
                    note_rows.append([fname, f"c{c}", labels[c - 1], head[f"n.c{c}"]])
            else:
                key = f"n.c{clause}." + ("0" if mode == "remove" else "w")
                note_rows.append([fname, f"c{clause}", labels[clause - 1], head[key]])
    traps = HERE / "src" / "traps"
    for src in sorted(traps.glob("*.txt")) if traps.is_dir() else []:
        head, body = parse(src)
        fname = f"{src.stem}.txt"
        if "{{" in body:
            raise SystemExit(f"markup in trap {src}")
        text = body.rstrip("\n") + "\n"
        if "pdf" in head:
            text = pdf_look(text, head["pdf"])
        (docs / fname).write_text(text, encoding="utf-8")
        labels = labels_from(head["full"])
        label_rows.append([fname, *labels])
        for c in CLAUSES:
            note_rows.append([fname, f"c{c}", labels[c - 1], head[f"n.c{c}"]])
    with (HERE / "labels.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["file", *[f"c{c}" for c in CLAUSES]])
        w.writerows(label_rows)
    with (HERE / "notes.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["file", "clause", "label", "note"])
        w.writerows(note_rows)
    counts = {c: {"1": 0, "w": 0, "0": 0} for c in CLAUSES}
    for row in label_rows:
        for c in CLAUSES:
            counts[c][row[c]] += 1
    names = [
        "confidentiality",
        "subcontracting",
        "copying",
        "security",
        "incident",
        "return_deletion",
        "breach_remedies",
        "reporting_audit",
    ]
    table = [f"Documents: {len(label_rows)}", "", "| clause | 1 | w | 0 |", "|---|---|---|---|"]
    for c in CLAUSES:
        table.append(
            f"| c{c} {names[c - 1]} | {counts[c]['1']} | {counts[c]['w']} | {counts[c]['0']} |"
        )
    readme = HERE / "README.md"
    if readme.exists():
        text = readme.read_text(encoding="utf-8")
        start, end = "<!-- counts -->", "<!-- /counts -->"
        if start in text and end in text:
            a, rest = text.split(start, 1)
            _, b = rest.split(end, 1)
            text = a + start + "\n" + "\n".join(table) + "\n" + end + b
            readme.write_text(text, encoding="utf-8")
    print("\n".join(table), file=sys.stdout)


def run_all() -> None:
    """Rewrite both folders of this set: the blind part and the visible dev part."""
    global HERE
    for split in ("blind", "dev"):
        HERE = CORPUS / split / "muni_b"
        main()


if __name__ == "__main__":
    run_all()
