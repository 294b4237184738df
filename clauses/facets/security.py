"""The rule of security: safe-management measures for the personal information."""

from __future__ import annotations

import re

from clauses import analysis as A
from clauses.catalog import Clause, Facet
from clauses.context import STRONG, WEAK, Context, Finding, clause_text, sentence_modality
from clauses.facets.common import (
    PRINCIPAL_NOTE,
    contractor_bound,
    imposes,
    level,
    mains_modality,
)


def _titled(ctx: Context, i: int) -> str:
    """Sentence ``i`` (laws taken out), and when it leads a list under a title (４ 安全管理措置
    / (1) 受注者は、…次に掲げる措置を講じなければならない。) the title before it: the title
    names the measures the list sets out."""
    text = ctx.without_laws(i)
    lead = ctx.doc.sentences[i].lead
    if (
        lead is not None
        and ctx.doc.sentences[lead].kind in ("fragment", "heading")
        and _LEAD.search(text)
    ):
        return ctx.norm[lead] + "  " + text
    return text


def _titled_pi(ctx: Context, i: int) -> int:
    """The scope of a list lead under a title (…次に掲げる措置を講じなければならない): that of
    the title's list, whose items name the data the measures protect."""
    pi = ctx.pi_level(i)
    lead = ctx.doc.sentences[i].lead
    if (
        not pi
        and lead is not None
        and ctx.doc.sentences[lead].kind in ("fragment", "heading")
        and _LEAD.search(ctx.norm[i])
    ):
        return ctx.pi_level(lead)
    return pi


def candidate(ctx: Context, clause: Clause, i: int) -> bool:
    f = clause.facets[0]
    text = _titled(ctx, i)
    if ctx.catalog.rx("occurrence").search(text) and re.search(r"報告|通知|連絡|場合|とき", text):
        return False  # measures taken after an incident belong to the incident clause
    lead = _LEAD.search(text)
    if (
        _DEFINES.search(text)
        or (
            lead
            and not _sec_specific(f, text)
            # …安全に管理するよう努めるものとし、次の各号に掲げる事項を遵守しなければならない:
            # the lead's own duty before its list is read.
            and not _lead_own_duty(f, text[: lead.start()])
        )
    ):
        return False  # a definition, or a list lead whose items carry the measures
    return bool(
        _sec_specific(f, text)
        or _on_principal(ctx, f, text)
        or f.rx("generic").search(text)
        or f.rx("partial").search(text)
        or (f.rx("harms").search(text) and f.rx("prevent").search(text))
        or (f.rx("measures").search(text) and re.search(r"努め|努力", text))
    )


def _lead_own_duty(f: Facet, pre: str) -> bool:
    """Whether the words of a list lead before its list (…安全に管理するよう努めるものとし、)
    govern the information themselves: a verb of handling, not a topic (保護に関し)."""
    return any(re.match(r"(?:し|する|させ)", pre[m.end() :]) for m in f.rx("generic").finditer(pre))


def _on_principal(ctx: Context, f: Facet, text: str) -> bool:
    """Measures left to the municipality's own responsibility (…その他の安全管理措置は、お客様の
    責任において行う): named, but not the contractor's duty."""
    return bool(
        f.rx("measures").search(text)
        and f.rx("harms").search(text)
        and re.search(rf"(?:{ctx.principal_rx.pattern})の(?:責任|負担)(?:において|で)", text)
    )


def _taken_in_relative(ctx: Context, f: Facet, i: int) -> bool:
    """Whether every taking of measures in sentence ``i`` sits in a relative clause (…安全管理
    措置を講じることについて合意した個人情報（以下「個人情報」という。）を…漏洩してはならない):
    it describes the information, it imposes no measures."""
    an = ctx.analyses.get(i)
    matches = list(f.rx("take").finditer(ctx.norm[i]))
    if an is None or not matches:
        return False
    for m in matches:
        p = an.predicate_at(m.end())
        if p is None or ctx.effective(i, p)[1] != A.RELATIVE:
            return False
    return True


def _sec_specific(f: Facet, text: str) -> bool:
    """Measures against leaks etc. that the sentence has someone take (講ずる, 実施する …)."""
    return bool(
        f.rx("measures").search(text) and f.rx("harms").search(text) and f.rx("take").search(text)
    )


_DEFINES = re.compile(r"とは、.*(?:をいう|を指す|とする)。?$")
_LEAD = re.compile(r"次に掲げる|次の各号|次の事項|以下の事項|次のとおり")


def rule(ctx: Context, clause: Clause, i: int) -> list[Finding]:
    f = clause.facets[0]
    text = _titled(ctx, i)
    an = ctx.analyses.get(i)
    if an is None:
        return []
    # A duty over secrets in general (秘密とされるもの) does not cover the personal information
    # its section title names.
    pi = 0 if ctx.generic_only(i) else _titled_pi(ctx, i)
    if not pi and not ctx.about_information(i):
        return []  # site safety (工事現場の安全管理) shares the words only
    mod, subj = sentence_modality(an)
    if _on_principal(ctx, f, text) and mod in A.IMPOSING:
        return [Finding(f.id, WEAK, i, PRINCIPAL_NOTE)] if pi else []
    specific = _sec_specific(f, text) and not _taken_in_relative(ctx, f, i)
    if subj == A.PRINCIPAL and mod in A.IMPOSING and (specific or f.rx("generic").search(text)):
        return [Finding(f.id, WEAK, i, PRINCIPAL_NOTE)] if pi else []
    if not contractor_bound(subj):
        # Items of a list of measures carry the lead's duty.
        mains = [ctx.effective(i, p) for p in an.main_predicates()]
        if mains:
            mod, _, subj = mains[-1]
        if not contractor_bound(subj):
            return []
    s = ctx.doc.sentences[i]
    if s.lead is not None and mains_modality(ctx, i):
        mod = mains_modality(ctx, i)
    prevent = bool(f.rx("harms").search(text) and f.rx("prevent").search(text))
    if mod != A.EFFORT and not specific:
        # …防止に努めるものとし、その概要を…掲載します: the effort is the measure, the
        # duty that ends the sentence is another one.
        efforts = [ctx.effective(i, p) for p in an.main_predicates()]
        if any(m == A.EFFORT and contractor_bound(sj) for m, _, sj in efforts):
            mod = A.EFFORT
    # …安全管理に努めます: an effort named by the measures' own word is an effort duty too.
    named = specific or prevent or f.rx("generic").search(text) or f.rx("measures").search(text)
    if mod == A.EFFORT and named and pi:
        return [Finding(f.id, WEAK, i, "安全管理措置が努力義務にとどまっています。")]
    if mod not in A.IMPOSING:
        return []
    if specific and pi >= 1:
        return [Finding(f.id, STRONG, i)]
    if prevent and pi >= 2 and _prevent_duty(ctx, f, i):
        # …を厳重に管理し、漏えい、滅失等を防止しなければならない / 漏えい防止に万全を期す:
        # a duty to prevent the harms is the duty to take what measures that needs.
        return [Finding(f.id, STRONG, i)]
    if specific and pi == 0:
        return [Finding(f.id, WEAK, i, "安全管理措置の対象に個人情報が明記されていません。")]
    if (specific or f.rx("generic").search(text)) and pi:
        return [
            Finding(
                f.id,
                WEAK,
                i,
                "個人情報の適正な取扱い・管理の一般的な定めのみで、安全管理措置が明記されていません。",
            )
        ]
    if f.rx("generic").search(text) and ctx.generic_only(i):
        # 業務上知り得た秘密を記録した文書を善良な管理者の注意をもって管理する (rule 1).
        return [
            Finding(f.id, WEAK, i, "秘密一般の管理の定めのみで、個人情報が明記されていません。")
        ]
    partial = f.rx("partial").search(ctx.masked[i])
    end = text.find("、", partial.end()) if partial else -1
    if partial and ctx.catalog.information.search(text[: end if end != -1 else len(text)]):
        # What is locked away is information (資料を…施錠できる書庫に保管): a check of the
        # cabinet named inside a report's contents is no measure, lent keys are no information.
        note = "個別の措置（施錠保管等）の定めのみで、安全管理措置全体の義務が定められていません。"
        return [Finding(f.id, WEAK, i, note)]
    return []


_PREVENT_PURPOSE = re.compile(
    r"(?:防止|防ぐ)(?:する)?(?:ため|ために|よう)|(?:こと|事)の?(?:ない|無い)よう|(?:され|し)ないよう"
)
_MANAGE = re.compile(r"管理|万全")


def _prevent_duty(ctx: Context, f: Facet, i: int) -> bool:
    """Whether sentence ``i`` obliges the contractor to prevent the harms (its main predicate
    is 防止する / 防ぐ / 万全を期す), or to manage the information so as to prevent them (…を
    防止するため、善良な管理者の注意をもって管理しなければならない)."""
    an = ctx.analyses[i]
    for p in an.main_predicates():
        mod, _role, subj = ctx.effective(i, p)
        if mod not in A.IMPOSING or not contractor_bound(subj):
            continue
        words = clause_text(an, p)
        if (
            "防止" in p.lemma
            or p.lemma in ("防ぐ", "防止")
            or ("万全" in words and p.lemma == "期す")
        ):
            return True
        if _MANAGE.search(p.lemma) and _PREVENT_PURPOSE.search(an.text[: p.start]):
            return True
    return False


def bound(ctx: Context, clause: Clause, i: int) -> dict[str, int]:
    f = clause.facets[0]
    text = _titled(ctx, i)
    specific = _sec_specific(f, text) or bool(
        f.rx("harms").search(text) and f.rx("prevent").search(text)
    )
    strong = (
        specific
        and _titled_pi(ctx, i) >= 1
        and imposes(ctx, i)
        and not re.search(r"努め|努力", text)
    )
    return {"measures": level(True, strong)}


def advice(ctx: Context) -> list[str]:
    """No advisory note for this clause."""
    return []
