"""``python -m clauses check FILE...`` and ``python -m clauses eval DOCS_DIR LABELS.csv``."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from clauses.catalog import load_catalog
from clauses.profile import ProfileError, available_profiles, load_profile
from contracts.errors import ContractError

LABELS = {"1": "satisfied", "w": "weak", "0": "missing"}


def _error_ja(exc: Exception) -> str:
    if isinstance(exc, ContractError):
        return exc.message_ja
    if isinstance(exc, OSError):
        return f"ファイルを読み込めません（{exc.strerror or exc}）。"
    return f"解析中にエラーが発生しました（{type(exc).__name__}）。"


def cmd_check(
    files: Sequence[str],
    profile: str,
    fmt: str,
    out: TextIO,
    err: TextIO,
    ocr_engine: str | None = None,
) -> int:
    """Check each file and print the reports; a failing file does not stop the others."""
    from clauses import check

    failed = 0
    collected = []
    for name in files:
        try:
            report = check(Path(name), profile=profile, ocr_engine=ocr_engine)
        except Exception as exc:  # every failure is reported per file, then the run goes on
            failed += 1
            print(f"{name}: エラー: {_error_ja(exc)}", file=err)
            if fmt == "jsonl":
                print(
                    json.dumps(
                        {
                            "file": name,
                            "error": getattr(exc, "code", "error"),
                            "message": _error_ja(exc),
                        },
                        ensure_ascii=False,
                    ),
                    file=out,
                )
            continue
        if fmt == "jsonl":
            print(json.dumps(report.to_dict(), ensure_ascii=False), file=out)
        elif fmt == "json":
            collected.append(report.to_dict())
        else:
            print(report.to_text(), file=out)
            print(file=out)
    if fmt == "json":
        data = collected[0] if len(files) == 1 and collected else collected
        print(json.dumps(data, ensure_ascii=False, indent=2), file=out)
    return 1 if failed else 0


def read_labels(path: Path, ids: Sequence[str]) -> dict[str, list[str]]:
    """Read ``file,c1..c8`` labels (1/w/0) into file → statuses in catalog order."""
    return read_labelled_sets(path, ids)[0]


def read_labelled_sets(
    path: Path, ids: Sequence[str]
) -> tuple[dict[str, list[str]], dict[str, str]]:
    """Read ``file,c1..c8`` labels plus the optional ``set`` column (tuned, blind, real …):
    file → statuses, and file → set name (empty when the column is absent)."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    header = [h.strip().lower() for h in rows[0]] if rows else []
    set_col = header.index("set") if "set" in header else None
    columns = [k for k in range(len(header)) if k != set_col]
    if header[:1] != ["file"] or len(columns) != len(ids) + 1:
        raise ValueError(f"{path}: header must be file,c1..c{len(ids)}[,set]")
    labels: dict[str, list[str]] = {}
    sets: dict[str, str] = {}
    for n, row in enumerate(rows[1:], 2):
        if not row or not row[0].strip():
            continue
        if len(row) != len(header):
            raise ValueError(f"{path}:{n}: values must be 1, w or 0")
        values = [row[k].strip().lower() for k in columns[1:]]
        if any(v not in LABELS for v in values):
            raise ValueError(f"{path}:{n}: values must be 1, w or 0")
        name = row[0].strip()
        labels[name] = [LABELS[v] for v in values]
        sets[name] = row[set_col].strip() if set_col is not None else ""
    return labels, sets


_COUNTS = ("n", "correct", "sat", "sat_found", "false_sat", "not_sat")


def run_checks(
    docs_dir: Path, files: Sequence[str], profile: str, err: TextIO
) -> tuple[dict[str, list[str]], int]:
    """Check every file once: file → statuses in catalog order, and the failure count."""
    from clauses import check

    ids = load_catalog().ids
    got: dict[str, list[str]] = {}
    failures = 0
    for name in files:
        try:
            report = check(docs_dir / name, profile=profile)
        except Exception as exc:  # a broken file counts as a failure, the others go on
            failures += 1
            print(f"{name}: エラー: {_error_ja(exc)}", file=err)
            continue
        got[name] = [report.status(cid) for cid in ids]
    return got, failures


def figures_of(
    labels: dict[str, list[str]], got: dict[str, list[str]]
) -> dict[str, dict[str, float]]:
    """Per-clause (and total) recall of satisfied, false-satisfied rate and accuracy."""
    ids = load_catalog().ids
    counts = {cid: dict.fromkeys(_COUNTS, 0) for cid in ids}
    for name, statuses in got.items():
        for cid, expected, status in zip(ids, labels[name], statuses, strict=True):
            c = counts[cid]
            c["n"] += 1
            c["correct"] += status == expected
            if expected == "satisfied":
                c["sat"] += 1
                c["sat_found"] += status == "satisfied"
            else:
                c["not_sat"] += 1
                c["false_sat"] += status == "satisfied"
    figures: dict[str, dict[str, float]] = {}
    total = dict.fromkeys(_COUNTS, 0)
    for cid, c in [*counts.items(), ("total", total)]:
        if cid != "total":
            for k in total:
                total[k] += c[k]
        figures[cid] = {
            "n": c["n"],
            "recall_satisfied": c["sat_found"] / c["sat"] if c["sat"] else 1.0,
            "false_satisfied": c["false_sat"] / c["not_sat"] if c["not_sat"] else 0.0,
            "accuracy": c["correct"] / c["n"] if c["n"] else 0.0,
        }
    return figures


def evaluate(
    docs_dir: Path, labels: dict[str, list[str]], profile: str, err: TextIO
) -> tuple[dict[str, dict[str, float]], int]:
    """Run the check on every labelled file; return per-clause figures and failure count."""
    got, failures = run_checks(docs_dir, list(labels), profile, err)
    return figures_of(labels, got), failures


def evaluate_sets(
    docs_dir: Path, labels: dict[str, list[str]], sets: dict[str, str], profile: str, err: TextIO
) -> tuple[dict[str, dict[str, dict[str, float]]], int]:
    """Per set (in order of first appearance): the per-clause figures; and failure count."""
    got, failures = run_checks(docs_dir, list(labels), profile, err)
    names = list(dict.fromkeys(sets[f] for f in labels))
    return {
        name: figures_of(labels, {f: v for f, v in got.items() if sets[f] == name})
        for name in names
    }, failures


def cmd_eval(
    docs_dir: str, labels_csv: str, profile: str, out: TextIO, err: TextIO, fmt: str = "text"
) -> int:
    """Print per-clause recall of satisfied, false-satisfied rate and 3-way accuracy
    (per set side by side when the labels have a ``set`` column)."""
    ids = load_catalog().ids
    try:
        labels, sets = read_labelled_sets(Path(labels_csv), ids)
    except (OSError, ValueError) as exc:
        print(f"ラベルファイルを読み込めません: {exc}", file=err)
        return 2
    if not Path(docs_dir).is_dir():
        print(f"文書フォルダが見つかりません: {docs_dir}", file=err)
        return 2
    if any(sets.values()):
        per_set, failures = evaluate_sets(Path(docs_dir), labels, sets, profile, err)
        if fmt == "json":
            print(json.dumps({"sets": per_set}, ensure_ascii=False, indent=2), file=out)
        else:
            _print_sets(per_set, out)
    else:
        figures, failures = evaluate(Path(docs_dir), labels, profile, err)
        if fmt == "json":
            print(json.dumps(figures, ensure_ascii=False, indent=2), file=out)
        else:
            print(
                f"{'clause':<18}{'n':>5}{'recall(1)':>11}{'false-1':>10}{'accuracy':>10}",
                file=out,
            )
            for cid, f in figures.items():
                print(
                    f"{cid:<18}{f['n']:>5}{f['recall_satisfied']:>11.3f}"
                    f"{f['false_satisfied']:>10.3f}{f['accuracy']:>10.3f}",
                    file=out,
                )
    if failures:
        print(f"読み取れなかったファイル: {failures}件", file=err)
        return 1
    return 0


def _print_sets(per_set: dict[str, dict[str, dict[str, float]]], out: TextIO) -> None:
    """One row per clause, one block of n / recall / false-1 / accuracy per set."""
    names = list(per_set)
    width = 29
    print(f"{'':<18}" + "".join(f"{'[' + n + ']':^{width}}" for n in names), file=out)
    print(
        f"{'clause':<18}" + f"{'n':>5}{'recall(1)':>10}{'false-1':>8}{'acc':>6}" * len(names),
        file=out,
    )
    for cid in next(iter(per_set.values())):
        row = f"{cid:<18}"
        for n in names:
            f = per_set[n][cid]
            row += (
                f"{f['n']:>5}{f['recall_satisfied']:>10.3f}{f['false_satisfied']:>8.3f}"
                f"{f['accuracy']:>6.3f}"
            )
        print(row, file=out)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m clauses``."""
    parser = argparse.ArgumentParser(
        prog="python -m clauses", description="委託契約書の必須記載事項（8項目）の確認"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p_check = sub.add_parser("check", help="契約書（PDF/テキスト）を確認する")
    p_check.add_argument("files", nargs="+", metavar="FILE")
    p_check.add_argument("--profile", default="miki")
    p_check.add_argument("--format", choices=("text", "json", "jsonl"), default="text")
    p_check.add_argument(
        "--ocr-engine", choices=("ppocr", "tesseract"), help="スキャンの文字認識（既定: ppocr）"
    )
    p_eval = sub.add_parser("eval", help="ラベル付きの文書で精度を測る")
    p_eval.add_argument("docs_dir", metavar="DOCS_DIR")
    p_eval.add_argument("labels", metavar="LABELS.csv")
    p_eval.add_argument("--profile", default="miki")
    p_eval.add_argument("--format", choices=("text", "json"), default="text")
    args = parser.parse_args(argv)
    try:
        load_profile(args.profile)
    except ProfileError:
        print(
            f"規程プロファイル「{args.profile}」が見つかりません（利用可能: "
            f"{', '.join(available_profiles())}）。",
            file=sys.stderr,
        )
        return 2
    if args.command == "check":
        return cmd_check(
            args.files, args.profile, args.format, sys.stdout, sys.stderr, args.ocr_engine
        )
    return cmd_eval(args.docs_dir, args.labels, args.profile, sys.stdout, sys.stderr, args.format)
