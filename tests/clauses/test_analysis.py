"""Sentence analysis: who a predicate binds is read from the GiNZA dependency tree."""

from __future__ import annotations

import pytest

from clauses import analysis as A
from clauses.nlp import parse
from clauses.parties import PartyResolver

pytestmark = pytest.mark.usefixtures("nlp")

_PARTIES = PartyResolver({"甲": A.PRINCIPAL, "乙": A.CONTRACTOR, "本市": A.PRINCIPAL})


def _analyse(text: str) -> A.SentenceAnalysis:
    return A.analyse(next(parse([text])), _PARTIES)


def _pred(an: A.SentenceAnalysis, lemma: str) -> A.Predicate:
    return next(p for p in an.predicates if p.lemma == lemma)


def test_dependency_labels_lose_the_bunsetu_suffix() -> None:
    doc = next(parse(["乙は、個人情報を第三者に提供してはならない。"]))
    assert doc[0].dep_ == "nsubj_bunsetu"  # what ja_ginza's parser emits in our pipeline
    assert A.dep(doc[0]) == "nsubj"


def test_subject_comes_from_the_parse_not_from_a_condition_noun() -> None:
    # 「…損害が生じたときは、乙は、…賠償しなければならない」: とき is a condition, 損害が its
    # subject; the party bound is the topic 乙.
    an = _analyse(
        "乙の責めに帰すべき事由により本市に損害が生じたときは、乙は、その損害を賠償しなければ"
        "ならない。"
    )
    assert _pred(an, "賠償").subject == A.CONTRACTOR


def test_a_later_clause_does_not_lend_its_subject_to_an_earlier_one() -> None:
    an = _analyse(
        "甲は、必要に応じ、乙の事業所に立ち入り、監査を行うことができ、乙はこれに協力"
        "しなければならない。"
    )
    assert _pred(an, "行う").subject == A.PRINCIPAL
    assert _pred(an, "協力").subject == A.CONTRACTOR


def test_an_act_as_topic_binds_no_named_party() -> None:
    an = _analyse("再委託は原則として禁止とする。")
    assert all(p.subject != A.OTHER for p in an.predicates)
