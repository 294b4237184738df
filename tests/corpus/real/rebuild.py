"""Rebuild the labelled real texts (<id>.txt) from local sources, standard library only.

Only texts whose licence allows redistribution (MIT, Apache, CC BY, public domain,
政府標準利用規約) are rebuilt, from git mirrors of the cited repositories; every other
text is listed with the note that it must be obtained from the cited source and checked
against the sha256 in citations.csv.

    python tests/corpus/real/rebuild.py OUT_DIR --mirrors DIR [--only ID ...] [--labels-out CSV]

A mirror of ``owner/name`` is looked up as DIR/owner+name/repo, DIR/owner+name,
DIR/owner+name.git or DIR/name (a bare repository or a checkout); it must contain the
cited commit. The search tool's ``fetch`` makes mirrors in the first layout.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
CITATIONS = HERE / "citations.csv"
LABELS = HERE / "labels.csv"
# Licence names (start of the licence column) that allow redistribution.
FREE_LICENCES = (
    "MIT",
    "Apache",
    "CC BY",
    "CC0",
    "public domain",
    "Public domain",
    "政府標準利用規約",
)


def redistributable(licence: str) -> bool:
    """True when the licence column names a licence that allows redistribution."""
    return licence.startswith(FREE_LICENCES)


def parse_git_source(source: str) -> tuple[str, str, str] | None:
    """Split 'owner/name@commit:path' into its parts; None for a web address."""
    if source.startswith(("http://", "https://")) or "@" not in source:
        return None
    repo, rest = source.split("@", 1)
    commit, path = rest.split(":", 1)
    return repo, commit, path


def find_mirror(mirrors: Path, repo: str) -> Path | None:
    """Return the git directory or work tree holding ``repo`` under ``mirrors``."""
    owner_name = repo.replace("/", "+")
    candidates = [
        mirrors / owner_name / "repo",
        mirrors / owner_name,
        mirrors / f"{owner_name}.git",
        mirrors / repo.split("/", 1)[1],
    ]
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    return None


def git_show(mirror: Path, commit: str, path: str) -> bytes:
    """Read ``path`` at ``commit`` from a bare repository or a checkout."""
    git_dir = mirror if (mirror / "objects").is_dir() else mirror / ".git"
    result = subprocess.run(
        ["git", "--git-dir", str(git_dir), "show", f"{commit}:{path}"],
        capture_output=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(result.stderr.decode("utf-8", "replace").strip())
    return result.stdout


def apply_locator(data: bytes, locator: str) -> bytes:
    """Cut the labelled part out of the file; every rebuildable text is a whole file."""
    if locator == "whole file":
        return data
    raise ValueError(f"unsupported locator for a rebuild: {locator!r}")


def write_present_labels(out_dir: Path, labels_out: Path) -> None:
    """Copy the label rows of the texts present in ``out_dir`` (eval needs every file)."""
    with LABELS.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        rows = [row for row in reader if (out_dir / row[0]).is_file()]
    with labels_out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    print(f"wrote {len(rows)} label rows to {labels_out}")


def main(argv: list[str] | None = None) -> int:
    """Rebuild what the licences allow and report the rest; exit 1 on any mismatch."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path, help="folder to write <id>.txt into")
    parser.add_argument("--mirrors", type=Path, required=True, help="folder holding git mirrors")
    parser.add_argument("--only", nargs="*", default=None, help="rebuild only these ids")
    parser.add_argument(
        "--labels-out",
        type=Path,
        default=None,
        help="write the rows of labels.csv whose <id>.txt is in OUT_DIR to this CSV",
    )
    args = parser.parse_args(argv)

    args.out_dir.mkdir(parents=True, exist_ok=True)
    with CITATIONS.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    if args.only:
        rows = [row for row in rows if row["id"] in set(args.only)]

    built, failed, elsewhere = 0, 0, 0
    for row in rows:
        ident, source, licence = row["id"], row["source"], row["licence"]
        git_source = parse_git_source(source)
        if not redistributable(licence) or git_source is None:
            elsewhere += 1
            print(
                f"{ident}: not redistributable here (licence: {licence}); obtain it from {source} "
                f"[{row['locator']}] and check sha256 {row['sha256']}"
            )
            continue
        repo, commit, path = git_source
        mirror = find_mirror(args.mirrors, repo)
        if mirror is None:
            failed += 1
            print(f"{ident}: no mirror of {repo} under {args.mirrors}", file=sys.stderr)
            continue
        try:
            data = apply_locator(git_show(mirror, commit, path), row["locator"])
        except (RuntimeError, ValueError) as exc:
            failed += 1
            print(f"{ident}: {exc}", file=sys.stderr)
            continue
        digest = hashlib.sha256(data).hexdigest()
        if digest != row["sha256"]:
            failed += 1
            print(f"{ident}: sha256 {digest} does not match {row['sha256']}", file=sys.stderr)
            continue
        (args.out_dir / f"{ident}.txt").write_bytes(data)
        built += 1
        print(f"{ident}: rebuilt ({len(data.decode('utf-8'))} characters)")

    print(f"rebuilt {built}, to obtain from the source {elsewhere}, failed {failed}")
    if args.labels_out is not None:
        write_present_labels(args.out_dir, args.labels_out)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
