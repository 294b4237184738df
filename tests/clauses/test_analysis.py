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


def test_who_judges_the_need_is_who_acts() -> None:
    an = _analyse("甲が必要と認めるときは、乙の事業所に立ち入り、検査することができる。")
    assert _pred(an, "検査").subject == A.PRINCIPAL


def test_together_with_joins_two_duties() -> None:
    an = _analyse(
        "乙は、業務が終了したときは、資料を直ちに甲に返還するとともに、乙が作成した電磁的記録に"
        "含まれる個人情報を復元不可能な方法により消去し、消去した日時を記載した証明書を甲に"
        "提出しなければならない。"
    )
    for lemma in ("返還", "消去"):
        p = next(p for p in an.predicates if p.lemma == lemma)
        assert (p.role, p.modality) == (A.MAIN, A.OBLIGATION)


@pytest.mark.parametrize(
    ("tail", "expected"),
    [("ことを要する", A.OBLIGATION), ("義務を負う", A.OBLIGATION), ("ことを要しない", A.NONE)],
)
def test_requirement_registers(tail: str, expected: str | None) -> None:
    from clauses.modality import classify_tail

    assert classify_tail(tail) == expected


def test_table_row_label_is_not_the_act() -> None:
    assert A.blank_cell_label("複写の制限    個人情報を複写しないこと。").startswith(" " * 5)
    row = "乙は、個人情報を複写しないこと。"
    assert A.blank_cell_label(row) == row


def test_a_suru_noun_tagged_as_an_adverb_is_a_predicate() -> None:
    an = _analyse("当社は、預託情報を第三者に開示・漏えいしません。")
    p = next(p for p in an.predicates if p.lemma.endswith("漏えい"))
    assert (p.role, p.modality) == (A.MAIN, A.PROHIBITION)
