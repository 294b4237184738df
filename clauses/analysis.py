"""Sentence analysis on a GiNZA parse: predicates, their modality, role and who is bound.

A contract sentence imposes something when its *main* predicate (the sentence-final one, or a
predicate coordinated with it) carries an obligation or prohibition and its subject is a
party. Predicates inside conditions (…場合には), exceptions (…場合を除き) or relative
clauses (…する業務) only describe circumstances. The dependency parse tells which is which;
the surface text after each predicate (its inflection and auxiliaries) tells the modality.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from itertools import pairwise
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

# Modalities
from clauses.modality import (  # noqa: F401 (re-exported: the rules read them as A.*)
    DECLARATIVE,
    EFFORT,
    IMPOSING,
    NONE,
    OBLIGATION,
    PERMISSION,
    PROHIBITION,
    classify_tail,
    is_negated,
)
from clauses.parties import (
    BOTH,
    CONTRACTOR,
    CONTRACTOR_SIDE,
    OTHER,
    PRINCIPAL,
    STAFF,
    UNKNOWN,
    PartyResolver,
)

# Roles of a predicate in its sentence
MAIN = "main"
CONDITION = "condition"
EXCEPTION = "exception"
RELATIVE = "relative"

_CONDITION = re.compile(
    r"場合|とき|時は|時には|際|ば$|たら|ならば|なら$|限り|ても|には$|に当た|に際し|上は|ので|ため$|"
    r"後に|後は|前に|まで"
)
_EXCEPTION = re.compile(r"を除[きいく]|を除いて|以外は|を除外")
_QUOTED = re.compile(
    r"(?:ない|ならず|できる|ものとする|こと|べき)(?:旨|との|とする旨|と(?:いう|定め|規定|記載|明記|され))"
)
# 委託契約には、…を定める必要がある: what a text is to lay down, not a duty laid down.
_IN_A_TEXT = re.compile(
    r"(?:契約|契約書|特記事項|約款|仕様書|規程|要綱|協定)(?:に|には|において|の中で)、"
)
_STATING_VERBS = {"明記", "記載", "規定", "掲げる", "列挙", "盛り込む", "明示"}
_REPORTED = re.compile(
    r"とされて(?:いる|います|おり)|とされる|"
    # …こととしております / …ことになっている: a rule described as it stands, not imposed
    r"(?:こと|もの)(?:と|に)(?:して|なって)(?:いる|います|おり|いた|いました)|"
    # …を定めております: the humble progressive of an explanation (a minute, a letter)
    r"[てで]おりま"
)
_NARRATED = re.compile(r"(?:まし|でし|[しっいえけせてれ])た$|か$|ですか|ますか")
# 申請はありません: there is none, which is no promise not to act.
_EXISTENCE = {"ある", "いる", "おる", "無い", "ない", "ござる", "いただく", "頂く"}
_BAN_NOUN = re.compile(r"(?:禁止|不可)(?:と|事項と)$")  # 再委託は禁止とする / 不可とする
_COND_NOUNS = {"場合", "とき", "時", "際", "限り", "後", "前", "上", "うち", "間", "まで"}
_MODAL_NOUNS = {"もの", "こと"}
# Verbs whose negation keeps a right (…の請求を妨げない, …しても差し支えない).
_KEEPS = {"妨げる", "差し支える", "差支える"}
_PURPOSE_NOUNS = {"よう", "ため", "旨"}
# Verbs that make an effort of their object (合理的な努力を払う / 最善の努力をする).
_EFFORT_VERBS = {"払う", "尽くす", "する", "傾ける"}


# The comma of horizontal or PDF-typeset text (，, which NFKC makes ",") is the 読点 「、」
# except between digits (1,000円).
_COMMA = re.compile(r"(?<![0-9]),|,(?![0-9])")
# A line break inside a sentence, with the blanks a PDF's layout leaves around it
# (…漏らしてはな \n　らない): Japanese text runs on without a space.
_BREAK = re.compile(r"[ \t]*\n[ \t]*")


def normalize(text: str) -> str:
    """NFKC-normalise, read a comma as 「、」 and join the lines, for matching vocabulary."""
    return _COMMA.sub("、", _BREAK.sub("", unicodedata.normalize("NFKC", text)))


# A table row 「秘密の保持　　　　個人情報を…こと。」: the first cell names the matter, the
# second states the duty.
_CELL_LABEL = re.compile(r"^[^\s、。「」()]{2,16}(?= {2,}\S)")


def blank_cell_label(text: str) -> str:
    """``text`` with the label cell of a table row blanked (same length), so that the words
    of the matter's name (複写の制限) are not read as the act the row imposes."""
    m = _CELL_LABEL.match(text)
    if not m or not text.rstrip().endswith(("。", "こと")):
        return text
    return " " * m.end() + text[m.end() :]


@dataclass(frozen=True)
class Predicate:
    """One predicate of a sentence with what the parse says about it."""

    index: int  # token index
    start: int  # character offset in the sentence
    lemma: str  # lemma including a compound prefix (再 + 委託 → 再委託)
    tail: str  # the predicate and its inflection up to the next 、 or 。
    modality: str
    role: str
    negated: bool
    subject: str
    governor: int  # token index of the predicate whose modality applies
    size: int = 0  # length of the predicate's own word (the tail's first characters)
    nominal: bool = False  # the head noun of an item imposed by its lead (…の禁止)


@dataclass
class SentenceAnalysis:
    """The predicates of one sentence, indexed for lookups by character offset."""

    text: str
    predicates: list[Predicate] = field(default_factory=list)
    token_starts: list[int] = field(default_factory=list)
    token_pred: list[int | None] = field(default_factory=list)  # token → predicate index
    topic: str = UNKNOWN

    def predicate_at(self, offset: int) -> Predicate | None:
        """The predicate governing the word that ends at character ``offset``."""
        if not self.token_starts:
            return None
        import bisect

        i = max(0, bisect.bisect_right(self.token_starts, offset - 1) - 1)
        p = self.token_pred[i]
        return self.predicates[p] if p is not None else None

    def main_predicates(self) -> list[Predicate]:
        """Predicates that carry the sentence's own modality."""
        return [p for p in self.predicates if p.role == MAIN]


def dep(tok: Token) -> str:
    """The token's dependency label without the ``_bunsetu`` suffix ja_ginza's parser gives
    the head word of a bunsetu (``nsubj_bunsetu``, ``obj_bunsetu`` …) when the
    bunsetu_recognizer, which would strip it, is not in the pipeline (``clauses.nlp``)."""
    return tok.dep_.removesuffix("_bunsetu")


def _compound_lemma(tok: Token) -> str:
    prefix = "".join(
        c.lemma_ for c in tok.children if dep(c) == "compound" and c.i < tok.i and c.i == tok.i - 1
    )
    return prefix + tok.lemma_


# The humble and polite forms of する (…いたします / …致しません).
_HUMBLE_SURU = {"いたす", "致す"}


def _is_predicate(tok: Token) -> bool:
    if (
        tok.lemma_ == "する"
        and tok.i >= 2
        and tok.doc[tok.i - 1].orth_ == "と"
        and (tok.doc[tok.i - 2].lemma_ in _MODAL_NOUNS or tok.doc[tok.i - 2].pos_ == "AUX")
    ):
        # the する of …ものとする / …こととする is the modal, and that of …できないとされる
        # a quotation: neither is a predicate of its own
        return False
    if (
        tok.lemma_ == "ある"
        and tok.i >= 3
        and tok.doc[tok.i - 1].orth_ == "が"
        and tok.doc[tok.i - 2].orth_ == "必要"
        and tok.doc[tok.i - 3].pos_ in ("VERB", "AUX")
    ):
        return False  # the ある of …講じる必要がある is the modal of the verb before it
    if _is_stranded_verb(tok):
        return True
    if _is_inflected_compound(tok):
        return True
    if dep(tok) in ("fixed", "aux", "compound", "case", "mark", "cc", "punct"):
        return False
    if (
        tok.pos_ in ("NOUN", "ADV")  # 開示・漏えいしません: 漏えい was tagged an adverb
        and "サ変" in tok.tag_
        and any(dep(c) == "aux" and c.lemma_ == "する" and c.i == tok.i + 1 for c in tok.children)
    ):
        return True  # a サ変 noun the parser left a noun (スキャンして): with する it is a verb
    if (
        tok.pos_ in ("NOUN", "VERB", "ADV")
        and tok.i + 1 < len(tok.doc)
        and tok.doc[tok.i + 1].lemma_ in _HUMBLE_SURU
        and tok.lemma_ not in _MODAL_NOUNS
    ):
        return True  # 複製いたしません / 報告致します: the humble する, which the parser may
        # make the head with the noun hung on it
    if (
        tok.pos_ == "NOUN"
        and "サ変" in tok.tag_
        and tok.i + 3 < len(tok.doc)
        and tok.doc[tok.i + 1].orth_ == "の"
        and tok.doc[tok.i + 2].orth_ in ("上", "うえ")
        and tok.doc[tok.i + 3].orth_ == "、"
    ):
        return True  # 甲に報告の上、…従うこと: the act done first (報告した上で), a predicate
    if tok.pos_ in ("VERB", "ADJ"):
        if tok.tag_.startswith("名詞"):
            # サ変 nouns used as verbs have する/できる attached; a mis-tagged noun has not.
            # …を甲に引き渡し、… : a noun-form verb in its continuative use (an adverbial
            # clause ending at 、) is a predicate too.
            return (
                any(dep(c) == "aux" for c in tok.children)
                or tok.dep_ == "ROOT"
                or (
                    dep(tok) == "advcl"
                    and tok.i + 1 < len(tok.doc)
                    and tok.doc[tok.i + 1].orth_ == "、"
                )
            )
        return True
    return False


# A parenthetical that closes a text: （…）or (…) at its very end, nested ones included.
_CLOSING_PAREN = re.compile(r"[(（](?:[^()（）]|[(（][^()（）]*[)）])*[)）]。?$")


def _nominal_head(doc: Doc) -> Token | None:
    """The head noun of an item written as a noun phrase (…の禁止 / …措置の実施), if it is an
    act (a サ変 noun): a thing named (秘密情報) imposes nothing."""
    roots = [t for t in doc if t.head.i == t.i]
    words = [t for t in doc if t.pos_ not in ("PUNCT", "SYM")]
    if not roots or not words:
        return None
    if len(roots) > 1 and roots[-1].i != words[-1].i:
        return None
    # Japanese heads come last: with the parse split in two (…者が本件… taken for a verb),
    # the last root is the item's head.
    root = roots[-1]
    closing = _CLOSING_PAREN.search(doc.text)
    if closing is not None and root.idx >= closing.start():
        # …再委託の禁止（…第三者に行わせる場合を含みます。）: the parenthetical that closes
        # the item is a note on it; the item's head is the word before it.
        before = [t for t in doc if t.idx + len(t.orth_) <= closing.start()]
        if not before:
            return None
        root = before[-1]
    if root.pos_ in ("NOUN", "VERB") and ("サ変" in root.tag_ or _VERBAL_NOUN.match(root.orth_)):
        return root
    return None


# A noun made of a verb's continuative form (受入れ, 引渡し, 取扱い, 申出): an act as well.
_VERBAL_NOUN = re.compile(r"^[\u4e00-\u9fff]+[れしいりきちけえせめびみぎ]$")


def _nominal_modality(tok: Token) -> str:
    if tok.lemma_ in ("禁止", "禁ずる"):
        return PROHIBITION
    if tok.lemma_ in ("制限", "限定", "配慮", "留意", "検討", "推進"):
        return NONE  # …の制限: which restriction the item does not say
    return OBLIGATION


def _is_inflected_compound(tok: Token) -> bool:
    """A verb with its own negation the parser made a compound of a noun before
    …ものとする (…複写を行わないものとする with 行わ hung on 資料): the parser's error; a verb
    that inflects is no part of a compound noun."""
    return (
        dep(tok) == "compound"
        and tok.pos_ == "VERB"
        and tok.tag_.startswith("動詞")
        and any(dep(c) == "aux" and c.lemma_ in ("ない", "ず", "ぬ") for c in tok.children)
    )


def _is_stranded_verb(tok: Token) -> bool:
    """する attached as an auxiliary to the nominaliser after it (…の請求をすることができる
    parsed with こと as the root): the parser's error; the verb is the predicate."""
    if not (
        dep(tok) == "aux"
        and tok.lemma_ in ("する", "行う")
        and tok.head.i > tok.i
        and tok.head.lemma_ in _MODAL_NOUNS
    ):
        return False
    # Only the words since the last 、 count: 契約を解除し、及び損害賠償の請求をすることが
    # できる has a verb of its own before the comma, and the stranded する after it.
    start = max((t.i for t in tok.doc[: tok.i] if t.orth_ == "、"), default=-1)
    return not any(
        _is_predicate(c) for c in tok.head.children if start < c.i < tok.i and dep(c) != "aux"
    )


def _tail(text: str, start: int) -> str:
    end = len(text)
    # A parenthetical after a predicate (…しないこと（甲の承諾を得た場合を除く。）) is not
    # part of its inflection: the tail stops there.
    for mark in ("、", "。", ",", "，", "(", "（"):
        k = text.find(mark, start)
        if k != -1:
            end = min(end, k)
    return text[start : min(end, start + 40)]


def analyse(doc: Doc, parties: PartyResolver, *, nominal: bool = False) -> SentenceAnalysis:
    """Analyse one parsed sentence.

    ``nominal``: the sentence is an item of a list whose lead imposes the items as duties
    (乙は、次に掲げる事項を遵守しなければならない。 (1) 目的外利用の禁止): an item written as
    a noun phrase with no predicate of its own imposes its head noun (禁止 forbids the act,
    実施 / 報告 obliges it; a mere 制限 names a restriction without saying which)."""
    text = doc.text
    result = SentenceAnalysis(text=text)
    result.token_starts = [t.idx for t in doc]
    preds = [t for t in doc if _is_predicate(t)]
    head = _nominal_head(doc) if nominal else None
    if head is not None and head not in preds:
        preds = sorted([*preds, head], key=lambda t: t.i)
    pred_index = {t.i: k for k, t in enumerate(preds)}
    tails = {t.i: _tail(text, t.idx) for t in preds}
    topic = _topic(doc, parties)
    result.topic = topic

    for tok in preds:
        modality, role, governor = _resolve(tok, tails, text)
        if head is not None and tok.i == head.i:
            modality, role, governor = _nominal_modality(tok), MAIN, tok.i
        subject = _subject(doc[governor], parties, UNKNOWN, topic)
        if subject == UNKNOWN:
            subject = _nearest_party(
                text[: doc[governor].idx],
                parties,
                topic,
                judge_acts=doc[governor].lemma_ not in _ACCEPTING,
            )
        if modality == PROHIBITION and subject == PRINCIPAL:
            # 村は、事業者に対し、名簿等の複写を禁止する: the ban binds its addressee.
            subject = _addressee(doc[governor], parties) or subject
        result.predicates.append(
            Predicate(
                index=tok.i,
                start=tok.idx,
                lemma=_compound_lemma(tok),
                tail=tails[tok.i],
                modality=modality,
                role=role,
                negated=is_negated(tails[tok.i][len(tok.orth_) :]) and tok.lemma_ not in _KEEPS,
                subject=subject,
                governor=governor,
                size=len(tok.orth_),
                nominal=head is not None and tok.i == head.i,
            )
        )
    # Continuative verbs with an object of their own (…特定個人情報等を…消去し、): a clause
    # coordinated with what follows, even where the parser hung it on a relative clause.
    transitive = {t.i for t in preds if "を" in _clause_words(text, t.idx)}
    # A continuative verb before 、 hung on a word before it (直ちに甲に連絡し、… with 連絡
    # attached to the topic 乙): Japanese heads follow their dependents, so the parser erred.
    backward = {t.i for t in preds if t.head.i < t.i}
    _coordinate(result, text, transitive | backward, backward)
    _shared_noun(result, text, transitive)
    # Each token belongs to the nearest predicate above it in the tree.
    # A nominaliser the parser made the head of a stranded verb belongs to that verb.
    stand_in = {t.head.i: t.i for t in preds if _is_stranded_verb(t)}
    owner: list[int | None] = []
    for t in doc:
        cur, hops = t, 0
        while (
            cur.i not in pred_index and cur.i not in stand_in and cur.head.i != cur.i and hops < 30
        ):
            cur, hops = cur.head, hops + 1
        owner.append(pred_index.get(stand_in.get(cur.i, cur.i)))
    result.token_pred = owner
    return result


_CONTENT_WORD = re.compile(r"[\u4e00-\u9fff\u30a1-\u30fa]")
_ATTRIBUTIVE_PAST = re.compile(r"^[しっいえれさけせめ]?た(?=[\u4e00-\u9fff\u30a1-\u30fa])")
# The words that join two nouns or clauses (甲又は乙 / …し、及び…).
_AND_OR = "又は|若しくは|及び|並びに"
_COORDINATOR = re.compile(rf"^、?(?:{_AND_OR}|かつ|又)")


def _clause_words(text: str, start: int) -> str:
    """The words before the predicate at ``start`` back to the previous 、 or 。."""
    return text[max(text.rfind("、", 0, start), text.rfind("。", 0, start)) + 1 : start]


def _shared_noun(result: SentenceAnalysis, text: str, transitive: set[int]) -> None:
    """…甲から引き渡され、又は乙が作成した資料を…廃棄する: a continuative verb without an
    object of its own, coordinated with a verb in the attributive past (…作成した資料), describes
    the noun they share, even where the parser hung it on the sentence's predicate; it imposes
    nothing (the return is not owed because the papers were handed over)."""
    preds = sorted(result.predicates, key=lambda p: p.start)
    for p, following in pairwise(preds):
        after = text[p.start + len(p.tail) :]
        if (
            p.role == MAIN
            and p.index not in transitive
            and p.tail[p.size :] in ("され", "れ", "し", "られ")
            and _COORDINATOR.match(after)
            and following.role == RELATIVE
            and _ATTRIBUTIVE_PAST.match(following.tail[following.size :])
        ):
            result.predicates[result.predicates.index(p)] = replace(p, modality=NONE, role=RELATIVE)


# 、…の複製、改変が必要なときは: a condition with its own subject (が) after a clause boundary.
# So is one about having done an act (…消去若しくは廃棄し、消去又は廃棄を行ったときは).
_OWN_CONDITION = re.compile(
    rf"^、(?!{_AND_OR})(?:[^。]{{0,40}}?が[^、。]{{0,16}}?"
    r"|[^、。]{0,20}?を(?:行っ|実施し|し)た)(?:とき|場合)(?:に)?は"
)
# The ending of a condition (…するときは / 場合に / …すれば).
_CONDITION_END = re.compile(r"(?:とき|場合|際|時)(?:に)?(?:は|も)?$|ば$")
# …遅滞なく甲に通知し、 / …資料等は、業務完了後直ちに甲に返還し、: an act addressed to a
# party, told in the continuative.
_ADDRESSED = re.compile(
    r"^(?:通知|通報|報告|連絡|届け出|届出|提出|申請|相談|返還|返却|引き?渡|送付|交付|納入)し$"
)


def _coordinate(
    result: SentenceAnalysis,
    text: str,
    transitive: set[int],
    backward: frozenset[int] | set[int] = frozenset(),
) -> None:
    """A continuative predicate followed by 又は/若しくは… shares the next predicate's modality,
    whatever attachment the parser chose (…を第三者に委託し、又は…行わせてはならない).

    So does one the parser made part of a relative clause after it when it has its own object
    (…個人情報を消去し、消去した日時…を記載した証明書を提出しなければならない): a verb in
    its continuative form before 、 does not modify a noun."""
    preds = sorted(result.predicates, key=lambda p: p.start)
    for k in range(len(preds) - 2, -1, -1):
        p = preds[k]
        if p.modality == EFFORT:
            continue  # …報告するよう努めるとともに、…講ずる: the effort stays an effort
        if p.role == MAIN and p.modality != NONE and classify_tail(p.tail[p.size :]):
            # Its own inflection carries a modality; one borrowed from a nominaliser the
            # parser attached it to (…漏らし、又は…利用しないこと) does not count.
            continue
        after = text[p.start + len(p.tail) :]
        # …開示せず、…利用しない: a negative continuative (ず、) coordinates on its own.
        negative_continuative = p.tail.endswith("ず") and after.startswith("、")
        clause_before_relative = (
            p.role == RELATIVE
            and (p.index in transitive or p.index in backward or _ADDRESSED.search(p.tail))
            and after.startswith("、")
            and p.tail.endswith(("し", "て"))
        )
        # …目的の範囲内でのみ使用し、…改変が必要なときは、…承諾を受けるものとする: a clause
        # before a condition with a subject of its own is no part of that condition.
        clause_before_condition = (
            p.role == CONDITION and p.tail.endswith("し") and bool(_OWN_CONDITION.match(after))
        )
        # …返還するとともに、…消去しなければならない: "together with" joins two duties.
        together = p.tail.endswith("とともに") and after.startswith("、")
        if (
            not p.tail
            or (p.tail[-1] not in "しいきりちみびぎえけせてれず" and not together)
            or not (
                _COORDINATOR.match(after)
                or negative_continuative
                or clause_before_relative
                or clause_before_condition
                or together
            )
            # Only the predicate whose own inflection ends at the 、 is coordinated; a verb
            # inside a relative clause before it (…から引き渡された資料を複写し、又は…)
            # is not.
            or _CONTENT_WORD.search(p.tail[p.size :])
        ):
            continue
        following = preds[k + 1]
        if (
            _COORDINATOR.match(after)
            and following.role == CONDITION
            and _CONDITION_END.search(following.tail)
            and "が" not in text[p.start + len(p.tail) : following.start]
        ):
            # …を複製し、又は改変するときは、…承諾を受ける: coordinated with a condition, the
            # verb is part of it.
            cond = replace(p, modality=NONE, role=CONDITION)
            result.predicates[result.predicates.index(p)] = cond
            preds[k] = cond
            continue
        if (
            p.role == RELATIVE
            and _COORDINATOR.match(after)
            and following.role == RELATIVE
            and _ATTRIBUTIVE_PAST.match(following.tail[following.size :])
        ):
            # …から引き渡され、又は乙が作成した資料: coordinated within a relative clause
            # (the next verb modifies a noun); it describes the noun and imposes nothing.
            continue
        # A verb in its attributive form (組合が行う実地検査を受け…) modifies a noun: the
        # modality its tail shows is that of the predicate after the noun.
        nxt = next(
            (
                q
                for q in preds[k + 1 :]
                if q.role == MAIN
                and q.modality != NONE
                and not _CONTENT_WORD.match(q.tail[q.size :])
            ),
            None,
        )
        if nxt is None:
            continue
        modality = nxt.modality
        if negative_continuative and modality == DECLARATIVE:
            # …第三者に開示せず、…目的の範囲内でのみ利用する: not doing the first act is a
            # promise not to act, a prohibition.
            modality = PROHIBITION
        coordinated = Predicate(
            index=p.index,
            start=p.start,
            lemma=p.lemma,
            tail=p.tail,
            modality=modality,
            role=MAIN,
            negated=p.negated,
            subject=nxt.subject,
            governor=nxt.governor,
            size=p.size,
        )
        result.predicates[result.predicates.index(p)] = coordinated
        preds[k] = coordinated


def _resolve(tok: Token, tails: dict[int, str], text: str) -> tuple[str, str, int]:
    """Follow the chain of coordinated predicates up to the one whose modality applies."""
    role = MAIN
    cur = tok
    for _ in range(30):
        tail = tails.get(cur.i) or _tail(text, cur.idx)
        body = tail[len(cur.orth_) :]
        if cur.lemma_ in ("努める", "努力") or (
            cur.lemma_ in _EFFORT_VERBS and re.search(r"努力(?:を|を最大限)$", text[: cur.idx])
        ):
            # 努めなければならない is still an effort duty; so is 合理的な努力を払う.
            return EFFORT, role, cur.i
        if cur.lemma_ in _KEEPS and is_negated(body):
            # …損害賠償の請求を妨げない / …しても差し支えない: a right kept, not a ban.
            return PERMISSION, role, cur.i
        cell = re.split(r"[|\s]", body)[0]  # a tail may run on over a table's cells
        end = cur.idx + len(cur.orth_) + len(cell)
        if _NARRATED.search(cell) and text[end : end + 1] in ("。", "", "?", "|", " "):
            # …こととしました。 / …定めた。 / …なっていますか。: what was done, or a question,
            # at the end of a sentence or a table cell (…承諾を要するか | ○ |): a report, a
            # minute or a checklist, not a duty.
            return NONE, role, cur.i
        if _defines(cur, text):
            # 「処理」とは、…消去又は破壊その他の一切の作業をいい: a definition says what a
            # word means; it imposes none of the acts it lists.
            return NONE, role, cur.i
        if _survives(cur, text):
            # …秘密保持…に関する規定は、なお有効に存続する: a survival clause keeps provisions
            # in force; it imposes none of the matters it names.
            return NONE, role, cur.i
        if (
            cur.lemma_ in _STATING_VERBS
            or _REPORTED.search(body)
            or (cur.lemma_ == "定める" and _IN_A_TEXT.search(text[: cur.idx]))
        ):
            # …事項を契約書に明記する / …こととされている: what a text must state, or what
            # is said to apply, describes a document; it imposes none of its matters.
            return NONE, role, cur.i
        if cur.lemma_ in ("禁止", "禁ずる", "禁じる") and not is_negated(body):
            return PROHIBITION, role, cur.i
        if (
            cur.lemma_ in ("する", "なる")
            and _BAN_NOUN.search(text[: cur.idx])
            # 禁止とする考えです / 禁止とする方針: a ban that modifies a noun is described
            and not _CONTENT_WORD.match(body)
        ):
            # 再委託は、原則として禁止とする。 / …は禁止となる。
            return PROHIBITION, role, cur.i
        if _EXCEPTION.search(body):
            return NONE, EXCEPTION, cur.i
        if _QUOTED.search(body):
            # …してはならない旨を規定する / …ものとするとの条項: a duty quoted or reported,
            # not imposed by this sentence.
            return NONE, RELATIVE, cur.i
        modality = classify_tail(body)
        if modality is not None:
            return modality, role, cur.i
        if _CONDITION.search(body):
            return NONE, CONDITION, cur.i
        head = cur.head
        if head.i == cur.i:
            end = cur.idx + len(tail)
            final = text[end : end + 1] in ("。", "") or end >= len(text.rstrip("。 "))
            if cur.lemma_ in _EXISTENCE and not re.search(
                r"(?:義務|責任|責め)(?:が|を)$", text[: cur.idx]
            ):
                # …はありません / ありがとうございます: a state of things, not a duty
                return NONE, role, cur.i
            if final and is_negated(body) and re.search(r"(?:義務|責任|責め)を$", text[: cur.idx]):
                return NONE, role, cur.i  # …義務を負わない: a duty denied
            if final and is_negated(body):
                # A plain negative at the end of a duty sentence is a promise not to act
                # (…利用しない。 / …開示いたしません。): a prohibition in any register.
                return PROHIBITION, role, cur.i
            return (DECLARATIVE if final else NONE), role, cur.i
        if head.pos_ in ("NOUN", "PRON", "PROPN", "NUM") and not _is_predicate(head):
            lemma = head.lemma_
            if lemma in ("上", "ほか", "外") and text[
                head.idx + len(head.orth_) : head.idx + len(head.orth_) + 1
            ] in ("、", "で", "に"):
                # …消去した上、その結果を報告すること: done first, then the next duty.
                cur = head.head if head.head.i != head.i else head
                if cur is head:
                    return NONE, role, tok.i
                continue
            if (
                lemma in ("責め", "責任", "義務")
                and head.head.i != head.i
                and head.head.lemma_ == "負う"
            ):
                # …損害を賠償する責めを負う: the act owed takes the modality of 負う.
                cur = head.head
                continue
            if lemma in _COND_NOUNS:
                after = text[head.idx : head.idx + 12]
                return NONE, (EXCEPTION if _EXCEPTION.search(after) else CONDITION), cur.i
            if lemma in _MODAL_NOUNS:
                after = text[head.idx : head.idx + 14]
                m = classify_tail(after)
                if m is not None:
                    return m, role, cur.i
                # "…すること" ending an item: an obligation stated by the list's lead.
                if text[head.idx + len(head.orth_) : head.idx + len(head.orth_) + 1] in ("。", ""):
                    return OBLIGATION, role, cur.i
            if lemma in _PURPOSE_NOUNS:
                return NONE, RELATIVE, cur.i
            return NONE, RELATIVE, cur.i
        cur = head
    return NONE, role, cur.i


# 効力を有する / 効力を失わない after 規定…は、なお: what survives the contract's end.
_IN_FORCE = re.compile(r"(?:なお|引き続き)?(?:その)?効力を$")


def _defines(tok: Token, text: str) -> bool:
    """Whether ``tok`` is the predicate of a definition (「X」とは、…をいう / …意味を有する)."""
    before = text[: tok.idx]
    if tok.lemma_ in ("いう", "言う") and before.endswith("を"):
        return "とは" in before
    return tok.lemma_ == "有する" and before.endswith("意味を")


def _survives(tok: Token, text: str) -> bool:
    """Whether ``tok`` is the predicate of a survival clause (…の規定は、…なお有効に存続する /
    なお効力を有する)."""
    if tok.lemma_ == "存続":
        return True
    return tok.lemma_ in ("有する", "失う") and bool(
        _IN_FORCE.search(text[: tok.idx]) and re.search(r"規定|条項|定め", text[: tok.idx])
    )


_NOMINAL = ("NOUN", "PROPN", "PRON")


def _phrase(tok: Token) -> str:
    left = tok
    for c in tok.lefts:
        if (
            dep(c) in ("compound", "nmod", "conj", "cc", "det", "amod", "nummod")
            or c.pos_ == "CCONJ"
        ):
            left = c if c.i < left.i else left
    start = min(left.i, tok.i)
    # データ提供者又は…: the compounds of the leftmost word belong to it.
    while (
        start > 0 and dep(tok.doc[start - 1]) == "compound" and tok.doc[start - 1].head.i == left.i
    ):
        start -= 1
    if start > 0 and tok.doc[start].pos_ == "CCONJ" and tok.doc[start - 1].pos_ in _NOMINAL:
        # ユーザ及びベンダは with ユーザ hung elsewhere: the coordination is one phrase.
        start -= 1
        while start > 0 and dep(tok.doc[start - 1]) == "compound":
            start -= 1
    return tok.doc[start : tok.i + 1].text


# A person or body named as the subject; 私 is the one who signs a pledge (誓約書), a person
# bound on their own account, not a contractor.
_PERSON = re.compile(r"(?:者|先|人|社|会社|機関|職員|員|法人|団体|組合|事務所)(?:等)?$|^私$")
_SUBJECT_DEPS = ("nsubj", "nsubj:pass", "csubj")
_TOPIC_DEPS = ("obl", "dislocated", "nmod")


def _marker(tok: Token) -> str:
    """The particle that marks ``tok`` (は, が, に …), or "" when it has none."""
    marks = [k.lemma_ for k in tok.children if k.i > tok.i and dep(k) in ("case", "fixed")]
    return "".join(marks)


def _subject_candidates(cur: Token, limit: int) -> list[tuple[Token, str]]:
    """The children of ``cur`` that could be its subject, with their marker: a nominal subject
    (Xが / Xは), or a topic (Xは) the parser attached as an oblique. Conditions (…場合は,
    …ときは) and settings (…においては) are not subjects."""
    out = []
    for c in cur.children:
        if c.i > limit or c.lemma_ in _COND_NOUNS:
            continue
        marker = _marker(c)
        if dep(c) in _SUBJECT_DEPS or (dep(c) in _TOPIC_DEPS and marker in ("は", "が")):
            if marker.startswith(("に", "で", "と", "を", "から", "より", "へ")):
                continue
            out.append((c, marker))
    return out


def _subject(gov: Token, parties: PartyResolver, topic: str, sentence_topic: str = UNKNOWN) -> str:
    """The party the predicate ``gov`` binds, read from the dependency tree: its nominal
    subject or topic, climbing from a subordinate predicate to the one it depends on.

    A topic (Xは) outranks a subject marked by が, which is more often that of a condition the
    parser attached to the main predicate; among equals the one nearest the predicate wins.
    A subject after the predicate is that of a later clause (甲は…できる、乙は…しなければ
    ならない), so only the words before ``gov`` are looked at."""
    cur = gov
    for _ in range(12):
        cands = _subject_candidates(cur, gov.i)
        named = [(c, m, parties.resolve(_phrase(c))) for c, m in cands]
        bound = [x for x in named if x[2] not in (OTHER, UNKNOWN)]
        if bound:
            bound.sort(key=lambda x: (x[1] == "は", x[0].i))
            return bound[-1][2]
        for c, marker, party in named:
            if party == OTHER and marker in ("は", "が") and _PERSON.search(_phrase(c)):
                # A named non-party subject (再委託先は, 第三者が …). A thing or an act as the
                # topic (再委託は、…禁止とする / 本契約は …) binds no one by name: the text
                # and the context decide (``Context.effective``).
                if sentence_topic in (CONTRACTOR, PRINCIPAL, BOTH, STAFF) and c.idx > 0:
                    # A contrastive は after the party's topic marks an object
                    # (乙は、帳票を返還し、電子データは消去する): the party stays bound.
                    return sentence_topic
                return OTHER if marker == "は" else topic
        if cur.head.i == cur.i:
            break
        if dep(cur) not in ("advcl", "conj", "acl", "ccomp", "xcomp", "obl", "nmod"):
            break
        cur = cur.head
    return topic


_AGENT_WORDS = "職員|担当者|担当職員|係員|指定する者|指定した者|従業者|従業員|従事者|役職員"


# 「甲が必要と認めるときは、…することができる」: who judges the need is who acts.
_JUDGES = re.compile(
    r"^(?:特に)?(?:必要|適当|相当|適切)(?:がある|である)?と(?:認める|判断する)(?:とき|場合)"
)


# 県が指定する者 / 甲が定めた方法: a verb in its attributive form right before a noun.
_RELATIVE_CLAUSE = re.compile(r"^[^、。]{0,12}?(?:する|した|している|定める|定めた)[\u4e00-\u9fff]")


# Verbs of undergoing what the other party does (調査を受け入れる / 求めに応じる): whoever judges
# the need (甲が必要と認めるときは) is not who accepts.
_ACCEPTING = {"受ける", "受け入れる", "応じる", "従う", "協力", "受忍"}


def _nearest_party(
    before: str, parties: PartyResolver, default: str, *, judge_acts: bool = True
) -> str:
    """The party last named as a topic (Xは) before a predicate, else as a subject (Xが).
    ``judge_acts``: a party that judges the need (Xが必要と認めるときは) acts itself."""
    if parties.pattern is None:
        return default
    for particle in ("は", "が"):
        # 県の職員が / 乙の従業者は: a person of a party acts for it.
        # 甲又は乙は: a coordination of parties is one subject.
        names = parties.pattern.pattern
        found = list(
            re.finditer(
                rf"(?:(?:{names})(?:{_AND_OR}))?(?:{names})"
                rf"(?:の(?:{_AGENT_WORDS}))?{particle}",
                before,
            )
        )
        for m in reversed(found):
            rest = re.split(r"[、。]", before[m.end() :], maxsplit=1)[0]
            if (
                particle == "が"
                and re.search(r"場合|とき|除|限り|ところ|際", rest)
                and not (judge_acts and _JUDGES.match(rest))
            ):
                continue  # the subject of a condition or an exception, not of the predicate
            if particle == "が" and _RELATIVE_CLAUSE.match(rest):
                continue  # 県が指定する次期受託者に: the subject of a relative clause
            party = parties.resolve(m.group(0)[:-1])
            if party not in (OTHER, UNKNOWN):
                return party
    return default


def _addressee(gov: Token, parties: PartyResolver) -> str | None:
    """The party a prohibition is addressed to (Xに対し(て) among the words of ``gov``), when
    that is the contractor's side: the municipality forbidding the contractor an act."""
    for c in gov.subtree:
        if c.i >= gov.i or (c.head.i != gov.i and dep(c) not in ("obl", "nmod", "iobj")):
            continue
        after = gov.doc.text[c.idx + len(c.orth_) : c.idx + len(c.orth_) + 5]
        if re.match(r"に対し(?:て)?[、,]?", after):
            party = parties.resolve(_phrase(c))
            if party in CONTRACTOR_SIDE:
                return party
    return None


def _topic(doc: Doc, parties: PartyResolver) -> str:
    """The party named as the sentence's topic (Xは、 near the start), if any."""
    m = re.match(
        r"^(?:[^、。]{0,30}?(?:において|については|に関し)、)?"
        rf"((?:[^、。はが]|{_AND_OR}){{1,24}})(?:は|が)、",
        doc.text,
    )
    if not m:
        # 甲又は甲が指名する監査人(…)は、: someone a party appoints acts for that party.
        bare = re.sub(r"\([^()]*\)", "", doc.text)
        m = re.match(r"^([^、。]{1,30}?)は、", bare)
        if m and _APPOINTED.search(m.group(1)):
            return parties.resolve(m.group(1))
        return UNKNOWN
    if re.search(r"(?:とき|場合|際|時)$", m.group(1)):
        return UNKNOWN  # 乙から報告を受けたときは、: a condition, not the topic
    party = parties.resolve(m.group(1))
    return party if party != OTHER else OTHER


_APPOINTED = re.compile(r"(?:が|の)(?:指名|指定|選任|委嘱)(?:する|した)[^、。]{0,8}(?:者|人|機関)$")
