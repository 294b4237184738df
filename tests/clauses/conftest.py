"""The GiNZA model is loaded once for the whole clauses test session."""

from __future__ import annotations

import pytest

from clauses.nlp import get_nlp


@pytest.fixture(scope="session")
def nlp():
    """The shared ja_ginza pipeline."""
    return get_nlp()


PREAMBLE = (
    "三木市（以下「甲」という。）と株式会社テスト（以下「乙」という。）とは、"
    "甲が乙に委託する業務について、次のとおり契約を締結する。\n"
)


def contract(*articles: str) -> str:
    """A small contract text: preamble plus numbered articles."""
    body = "\n".join(f"第{n}条 {a}" for n, a in enumerate(articles, 1))
    return PREAMBLE + body + "\n"
