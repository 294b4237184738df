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
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    if not rows or rows[0][:1] != ["file"] or len(rows[0]) != len(ids) + 1:
        raise ValueError(f"{path}: header must be file,c1..c{len(ids)}")
    labels: dict[str, list[str]] = {}
    for n, row in enumerate(rows[1:], 2):
        if not row or not row[0].strip():
            continue
        values = [v.strip().lower() for v in row[1:]]
        if len(values) != len(ids) or any(v not in LABELS for v in values):
            raise ValueError(f"{path}:{n}: values must be 1, w or 0")
        labels[row[0].strip()] = [LABELS[v] for v in values]
    return labels


def evaluate(
    docs_dir: Path, labels: dict[str, list[str]], profile: str, err: TextIO
) -> tuple[dict[str, dict[str, float]], int]:
    """Run the check on every labelled file; return per-clause figures and failure count."""
    from clauses import check

    ids = load_catalog().ids
    counts = {
        cid: {"n": 0, "correct": 0, "sat": 0, "sat_found": 0, "false_sat": 0, "not_sat": 0}
        for cid in ids
    }
    failures = 0
    for name, truth in labels.items():
        path = docs_dir / name
        try:
            report = check(path, profile=profile)
        except Exception as exc:  # a broken file counts as a failure, the others go on
            failures += 1
            print(f"{name}: エラー: {_error_ja(exc)}", file=err)
            continue
        for cid, expected in zip(ids, truth, strict=True):
            got = report.status(cid)
            c = counts[cid]
            c["n"] += 1
            c["correct"] += got == expected
            if expected == "satisfied":
                c["sat"] += 1
                c["sat_found"] += got == "satisfied"
            else:
                c["not_sat"] += 1
                c["false_sat"] += got == "satisfied"
    figures: dict[str, dict[str, float]] = {}
    total = {k: 0 for k in ("n", "correct", "sat", "sat_found", "false_sat", "not_sat")}
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
    return figures, failures


def cmd_eval(docs_dir: str, labels_csv: str, profile: str, out: TextIO, err: TextIO) -> int:
    """Print per-clause recall of satisfied, false-satisfied rate and 3-way accuracy."""
    ids = load_catalog().ids
    try:
        labels = read_labels(Path(labels_csv), ids)
    except (OSError, ValueError) as exc:
        print(f"ラベルファイルを読み込めません: {exc}", file=err)
        return 2
    if not Path(docs_dir).is_dir():
        print(f"文書フォルダが見つかりません: {docs_dir}", file=err)
        return 2
    figures, failures = evaluate(Path(docs_dir), labels, profile, err)
    print(f"{'clause':<18}{'n':>5}{'recall(1)':>11}{'false-1':>10}{'accuracy':>10}", file=out)
    for cid, f in figures.items():
        print(
            f"{cid:<18}{f['n']:>5}{f['recall_satisfied']:>11.3f}{f['false_satisfied']:>10.3f}"
            f"{f['accuracy']:>10.3f}",
            file=out,
        )
    if failures:
        print(f"読み取れなかったファイル: {failures}件", file=err)
        return 1
    return 0


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
    return cmd_eval(args.docs_dir, args.labels, args.profile, sys.stdout, sys.stderr)
