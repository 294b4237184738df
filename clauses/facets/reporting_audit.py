"""The rule of reporting_audit: periodic compliance reports and the municipality's audit."""

from __future__ import annotations

import re

from clauses import analysis as A
from clauses.catalog import Clause
from clauses.context import STRONG, WEAK, Context, Finding, clause_text
from clauses.facets.common import (
    context_text,
    contractor_bound,
    imposes,
    level,
)
from clauses.modality import PERMIT

# An audit named in a condition and accepted by an anaphor: …調査する場合は、これに応じること /
# …調査するときは、これを拒まないこと.
_ACCEPTS_NAMED_AUDIT = re.compile(
    r"(?:監査|検査|調査|立入|立ち入)[^。]{0,12}(?:場合|とき)(?:に)?は、(?:これ|当該[^、。]{0,6})に(?:応じ|協力)"
    r"|(?:監査|検査|調査|立入|立ち入)[^。]{0,12}(?:場合|とき)(?:に)?は、(?:これ|当該[^、。]{0,6})を(?:受け|拒|妨げ)"
)


# 発生の有無 / 発生件数: whether (how often) incidents occurred, a topic of a periodic report.
_OCCURRENCE_AS_TOPIC = re.compile(r"^(?:の)?(?:有無|件数|状況)")


def _incident_report(ctx: Context, i: int) -> bool:
    """Whether sentence ``i`` reports an incident that occurs (…が発生したときは、報告する):
    an occurrence named only inside a parenthetical (取扱状況（事故の発生の有無を含む。）)
    or as a topic of the report (事故の発生の有無) makes no report an incident report."""
    text = ctx.masked[i] if ctx.masked else ctx.norm[i]
    return any(
        not _OCCURRENCE_AS_TOPIC.match(text[m.end() :])
        for m in ctx.catalog.rx("occurrence").finditer(text)
    )


_RESULT = re.compile(r"^(?:その|これらの|当該)(?:結果|旨)")


def _result_of_return(ctx: Context, i: int, words: str, start: int) -> bool:
    """Whether the report in ``words`` is of a return or erasure the sentence imposed before it
    (…返還し、又は消去し、その結果を書面により報告する): it belongs to return/deletion."""
    if not _RESULT.match(words):
        return False
    before = ctx.norm[i][:start]
    rd = ctx.catalog.clause("return_deletion")
    return any(f.rx("act").search(before) for f in rd.facets)


def _compliance_items(ctx: Context, i: int) -> str:
    """The items listed under sentence ``i`` that are about compliance (個人情報の管理状況,
    特記事項の遵守状況): the contents of a report they make a compliance report; the
    state of the work (管理業務の実施状況, 利用状況) does not."""
    return "".join(
        ctx.norm[k]
        for k in ctx.items.get(i, [])
        if ctx.explicit_pi(k) or re.search(r"遵守|特記事項", ctx.norm[k])
    )


def candidate(ctx: Context, clause: Clause, i: int) -> bool:
    rep, aud = clause.facets
    text = ctx.norm[i]
    return bool(
        (
            rep.rx("report").search(text)
            and (rep.rx("periodic").search(text) or rep.rx("topic").search(text))
        )
        or aud.rx("act").search(text)
    )


def rule(ctx: Context, clause: Clause, i: int) -> list[Finding]:
    rep, aud = clause.facets
    text = ctx.norm[i]
    out: list[Finding] = []
    # A report's contents may be listed under it (次に掲げる事項を記載した月次報告書 … (3) 個人
    # 情報の管理状況): its items say what it reports.
    context = (
        text
        + (ctx.norm[ctx.doc.sentences[i].lead] if ctx.doc.sentences[i].lead is not None else "")
        + _compliance_items(ctx, i)
    )
    incident = _incident_report(ctx, i)
    for p, mod, _role, subj in ctx.main_with(i, rep.rx("report")):
        if not contractor_bound(subj) or incident:
            continue
        if "not_report" in rep.patterns and rep.rx("not_report").search(
            clause_text(ctx.analyses[i], p)
        ):
            continue  # 廃棄証明書を提出する: a certificate, not a report on compliance
        if _result_of_return(ctx, i, clause_text(ctx.analyses[i], p), p.start):
            continue  # …返還し、又は消去し、その結果を報告する: a report on the return
        if mod == A.EFFORT and rep.rx("topic").search(context):
            note = "遵守状況の報告が努力義務にとどまっています。"
            out.append(Finding(rep.id, WEAK, i, note))
            continue
        if mod not in A.IMPOSING:
            continue
        periodic = rep.rx("periodic").search(context)
        topic = rep.rx("topic").search(context)
        if periodic and topic:
            out.append(Finding(rep.id, STRONG, i))
        elif topic and re.search(r"求め|請求|指示", context):
            out.append(
                Finding(
                    rep.id,
                    WEAK,
                    i,
                    "遵守状況の報告が求めに応じた場合のみで、定期報告の定めがありません。",
                )
            )
    audit_named = aud.rx("act").search(text) and not ctx.catalog.rx("deliverable").search(text)
    for pred in ctx.analyses[i].predicates if audit_named else ():
        # 甲が…検査を行うときは、これを拒まないこと: the contractor accepts the inspection that
        # the condition names.
        mod, role, subj = ctx.effective(i, pred)
        if (
            role == A.MAIN
            and mod == A.PROHIBITION
            and re.match(r"拒ま|妨げ", pred.tail)
            # 発注者が…調査するときは、これを拒まないこと: the parse lends the condition's
            # subject to the main predicate; the one told not to refuse is the contractor.
            and (
                contractor_bound(subj)
                or (subj == A.PRINCIPAL and _ACCEPTS_NAMED_AUDIT.search(text))
            )
        ):
            out.append(Finding(aud.id, STRONG, i))
        elif (
            role == A.MAIN
            and mod in A.IMPOSING
            and subj in (A.PRINCIPAL, A.CONTRACTOR, A.BOTH)
            and re.match(r"応じ|受け|協力", pred.tail)
            and _ACCEPTS_NAMED_AUDIT.search(text)
        ):
            # 市が…実地に調査する場合は、これに応じること: the municipality named in the condition
            # is the one who inspects; the party told to accept it is the contractor (the parse
            # lends the condition's subject to the main predicate).
            out.append(Finding(aud.id, STRONG, i))
    for p, mod, role, subj in ctx.hits(i, aud.rx("act")):
        words = clause_text(ctx.analyses[i], p)
        # …検査を拒まない / 妨げない: the negation is the acceptance itself.
        accepts = p.negated and re.search(r"拒|妨げ", p.tail[: p.size + 2])
        if role != A.MAIN or (p.negated and not accepts):
            continue
        if ctx.catalog.rx("deliverable").search(text):
            continue
        if (subj in (A.PRINCIPAL, A.BOTH) and mod in (A.PERMISSION, *A.IMPOSING)) or (
            contractor_bound(subj)
            and mod in A.IMPOSING
            and re.search(r"受け|受入|応じ|協力|拒|妨げ", words + p.tail)
        ):
            out.append(Finding(aud.id, STRONG, i))
    return out


# An audit of the accounts (会計監査 / 経理の監査) is no audit of how information is handled.
_ACCOUNTS_AUDIT = re.compile(r"(?:会計|経理|決算|財務|収支)(?:の|に関する|について)?(?:監査|検査)")


def _bare_audit(ctx: Context, text: str) -> bool:
    """An audit (監査, not 検査, which is as often the acceptance of the work) with no object
    named (甲による監査を受け入れる), in a contract about personal information: the audit of
    the contractor's compliance."""
    return "監査" in text and not _ACCOUNTS_AUDIT.search(text) and ctx.document_has_pi()


def bound(ctx: Context, clause: Clause, i: int) -> dict[str, int]:
    rep, aud = clause.facets
    text = context_text(ctx, i)
    modal = imposes(ctx, i, text)
    text += _compliance_items(ctx, i)
    has_report = bool(rep.rx("report").search(text))
    periodic, topic = bool(rep.rx("periodic").search(text)), bool(rep.rx("topic").search(text))
    audit = bool(aud.rx("act").search(text)) and not ctx.catalog.rx("deliverable").search(text)
    has_report = has_report and not _incident_report(ctx, i)
    return {
        "periodic_report": level(has_report and (periodic or topic), modal and periodic and topic),
        "audit": level(
            audit,
            audit
            and bool(
                ctx.catalog.rx("audit_topic").search(text)
                or ctx.pi_level(i)
                or _bare_audit(ctx, text)
            )
            and bool(modal or PERMIT.search(text)),
        ),
    }


def advice(ctx: Context) -> list[str]:
    aud = ctx.catalog.clause("reporting_audit").facet("audit")
    if not any(aud.rx("act").search(t) and aud.rx("subcontractor").search(t) for t in ctx.norm):
        return ["監査・検査の対象が再委託先に及ぶ旨の記載がありません。"]
    return []
