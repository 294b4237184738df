"""Small contract texts for the clause tests."""

from __future__ import annotations

PREAMBLE = (
    "三木市（以下「甲」という。）と株式会社テスト（以下「乙」という。）とは、"
    "甲が乙に委託する業務について、次のとおり契約を締結する。\n"
)


def contract(*articles: str) -> str:
    """A small contract text: preamble plus numbered articles."""
    body = "\n".join(f"第{n}条 {a}" for n, a in enumerate(articles, 1))
    return PREAMBLE + body + "\n"


def status(text: str, clause: str) -> str:
    """The status the checker gives ``clause`` in ``text``."""
    from clauses import check

    return check(text).status(clause)
