"""Generate the muni_a corpus variants and labels from the marked-up sources in src/.

Standard library only and deterministic.  Run ``python generate.py`` (from anywhere); it
rewrites docs/, labels.csv and notes.csv of the folder this script lives in.  The same file
is copied into the blind and the dev folder, each processes its own src/.

Markup (see README.md):
  {{cN}}FULL{{/cN}}            matter N; kept as is in the weakened variant
  {{cN}}FULL{{|}}WEAK{{/cN}}   matter N; WEAK (may be empty) replaces FULL when weakened
  {{#name}}                    next value of counter `name` ("#!counter name FMT [START]")
  {{#name:key}} / {{@key}}     same, remembering the value under `key` for a later reference
Header lines (start with "#!") hold metadata: full-variant labels, label overrides and notes.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1]
HERE = CORPUS / "blind" / "muni_a"  # set per folder by the loop at the end

CLAUSES = [f"c{i}" for i in range(1, 9)]
KANJI = "〇一二三四五六七八九"
IROHA = "アイウエオカキクケコサシスセソタチツテト"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
BLOCK = re.compile(r"\{\{(c[1-8])\}\}(.*?)\{\{/\1\}\}", re.S)
COUNTER = re.compile(r"\{\{#([A-Za-z0-9_]+)(?::([A-Za-z0-9_]+))?\}\}")
REF = re.compile(r"\{\{@([A-Za-z0-9_]+)\}\}")


def require(condition: bool, message: str) -> None:
    """Stop generation with a message (explicit, so that python -O keeps the checks)."""
    if not condition:
        raise ValueError(message)


def kanji(n: int) -> str:
    """Write 1..99 in kanji numerals (十, 二十三)."""
    tens, ones = divmod(n, 10)
    out = ""
    if tens:
        out += ("" if tens == 1 else KANJI[tens]) + "十"
    if ones:
        out += KANJI[ones]
    return out


def fmt(template: str, n: int) -> str:
    """Format counter value n with a template using {a} {f} {k} {i} {c}."""
    full = str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    return template.format(a=n, f=full, k=kanji(n), i=IROHA[n - 1], c=CIRCLED[n - 1])


def parse(path: Path) -> tuple[dict, str]:
    """Split a source into its header metadata and its marked-up body."""
    meta: dict = {
        "counters": {},
        "labels": {},
        "notes": {},
        "full": None,
        "set": None,
        "kind": "base",
    }
    body = []
    for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
        if not line.startswith("#!"):
            body.append(line)
            continue
        parts = line[2:].strip().split(" ", 3)
        key = parts[0]
        if key == "set":
            meta["set"] = parts[1]
        elif key == "kind":
            meta["kind"] = parts[1]
        elif key == "counter":
            tokens = line[2:].split()
            start = int(tokens[3]) if len(tokens) > 3 else 1
            meta["counters"][parts[1]] = (tokens[2], start)
        elif key == "full":
            vals = line[2:].split()[1:]
            require(len(vals) == 8 and set(vals) <= {"1", "w", "0"}, f"{path}: bad #!full")
            meta["full"] = vals
        elif key == "label":
            variant = parts[1]
            for item in line[2:].split()[2:]:
                c, v = item.split("=")
                require(c in CLAUSES and v in {"1", "w", "0"}, f"{path}: bad label {line}")
                meta["labels"].setdefault(variant, {})[c] = v
        elif key == "note":
            variant, clause, text = parts[1], parts[2], parts[3]
            meta["notes"][(variant, clause)] = text
        else:
            raise ValueError(f"{path}: unknown header {key}")
    require(meta["full"] is not None and meta["set"] in {"blind", "dev"}, f"{path}: bad header")
    return meta, "".join(body)


def render(body: str, counters: dict, mode: str, clause: str | None) -> str:
    """Select the text of one variant and resolve the numbering."""

    def choose(m: re.Match) -> str:
        c, inner = m.group(1), m.group(2)
        full, sep, weak = inner.partition("{{|}}")
        if c != clause or mode == "full":
            return full
        if mode == "rm":
            return ""
        return weak if sep else full

    text = BLOCK.sub(choose, body)
    require(not re.search(r"\{\{(/?c[1-8]|\|)", text), "unbalanced markup")
    values: dict[str, int] = {}
    remembered: dict[str, str] = {}

    def number(m: re.Match) -> str:
        name, key = m.group(1), m.group(2)
        template, start = counters[name]
        values[name] = values.get(name, start - 1) + 1
        out = fmt(template, values[name])
        if key:
            remembered[key] = out
        return out

    text = COUNTER.sub(number, text)

    def ref(m: re.Match) -> str:
        if m.group(1) not in remembered:
            raise KeyError(f"reference to removed or unknown target {m.group(1)} ({mode} {clause})")
        return remembered[m.group(1)]

    text = REF.sub(ref, text)
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip("\n") + "\n"


def main() -> int:
    """Rewrite docs/, labels.csv and notes.csv from src/."""
    here = HERE
    docs = here / "docs"
    docs.mkdir(exist_ok=True)
    for old in docs.glob("*.txt"):
        old.unlink()
    label_rows, note_rows = [], []
    for src in sorted((here / "src").glob("*.txt")):
        meta, body = parse(src)
        stem = src.stem
        variants = [("full", None)]
        if meta["kind"] == "base":
            variants += [("rm", c) for c in CLAUSES] + [("wk", c) for c in CLAUSES]
        for mode, clause in variants:
            vkey = "full" if mode == "full" else f"{mode}_{clause}"
            name = stem if meta["kind"] == "trap" else f"{stem}__{vkey}"
            text = render(body, meta["counters"], mode, clause)
            if mode != "full":
                same = text == render(body, meta["counters"], "full", None)
                require(not same, f"{name} equals the full variant")
            (docs / f"{name}.txt").write_text(text, encoding="utf-8")
            labels = dict(zip(CLAUSES, meta["full"], strict=True))
            if mode != "full":
                labels[clause] = "0" if mode == "rm" else "w"
            labels.update(meta["labels"].get(vkey, {}))
            label_rows.append([f"{name}.txt"] + [labels[c] for c in CLAUSES])
            overridden = set(meta["labels"].get(vkey, {}))
            targets = CLAUSES if mode == "full" else sorted({clause} | overridden)
            for c in targets:
                note = meta["notes"].get((vkey, c))
                if note is None and mode == "rm" and c == clause:
                    note = "この事項に当たる文をすべて削除した（他の条項にも痕跡なし）"
                if note is None:
                    raise KeyError(f"{src.name}: missing note for {vkey} {c}")
                note_rows.append([f"{name}.txt", c, labels[c], note])
    with open(here / "labels.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["file", *CLAUSES])
        w.writerows(label_rows)
    with open(here / "notes.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["file", "clause", "label", "note"])
        w.writerows(note_rows)
    print(f"{len(label_rows)} documents written to {docs}", file=sys.stderr)
    return 0


def run_all() -> None:
    """Rewrite both folders of this set: the blind part and the visible dev part."""
    global HERE
    for split in ("blind", "dev"):
        HERE = CORPUS / split / "muni_a"
        if main():
            raise SystemExit(1)


if __name__ == "__main__":
    run_all()
