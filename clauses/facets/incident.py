"""The rule of incident: report to the municipality and follow its instructions."""

from __future__ import annotations

import re

from clauses import analysis as A
from clauses.analysis import normalize
from clauses.catalog import Clause, Facet
from clauses.context import STRONG, WEAK, Context, Finding, clause_text, sentence_modality
from clauses.facets.common import (
    context_text,
    contractor_bound,
    imposes,
    level,
)


def candidate(ctx: Context, clause: Clause, i: int) -> bool:
    report, response = clause.facets
    text = ctx.norm[i]
    return bool(
        (
            report.rx("event").search(text)
            or _scene(ctx, clause, i)
            or _earlier_paragraph(ctx, clause, i) is not None
        )
        and (report.rx("report").search(text) or response.rx("respond").search(text))
    )


# A heading or a title-like list lead that names the incident's occasion (事故発生時の対応 /
# 事故時の報告 / 漏えい等の報告), not its prevention (漏えいの防止).
_SCENE_TITLE = re.compile(r"(?:発生|時|際|場合|報告|対応|対処)(?!.*防止)")


_CONTINUES = re.compile(r"^(?:また|この場合(?:において|には)?|その際|当該場合において|なお)、")


def _scene(ctx: Context, clause: Clause, i: int) -> str:
    """The words that set the incident's scene for sentence ``i`` when it names none itself:
    its list lead (…事故が発生したときは、次に掲げる措置を講じなければならない。(1) 直ちに
    甲に報告すること) or its article heading (（事故発生時の対応） 乙は、直ちに甲に報告し…)."""
    event = clause.facets[0].rx("event")
    s = ctx.doc.sentences[i]
    if i > 0 and _CONTINUES.match(ctx.norm[i]):
        # …事故が発生したときは、直ちに甲に報告しなければならない。この場合において、乙は、
        # 甲の指示に従い…: the next sentence of the paragraph is in the same scene.
        prev = ctx.doc.sentences[i - 1]
        text = ctx.norm[i - 1]
        if (
            prev.paragraph == s.paragraph
            and prev.article == s.article
            and event.search(text)
            and ctx.catalog.rx("occurrence").search(text)
        ):
            return text
    if s.lead is not None:
        lead = ctx.norm[s.lead]
        if event.search(lead) and (
            ctx.catalog.rx("occurrence").search(lead)
            or ("。" not in lead and _SCENE_TITLE.search(lead))
        ):
            return lead
    if s.article is not None:
        heading = normalize(ctx.doc.articles[s.article].heading)
        if event.search(heading) and _SCENE_TITLE.search(heading):
            return heading
    return ""


_BREACH_EVENT = re.compile(
    r"(?:この|本)(?:契約|特記事項|覚書|約款|協定)(?:書)?[^。]{0,8}?に(?:違反|反)する事態"
)


def rule(ctx: Context, clause: Clause, i: int) -> list[Finding]:
    report, response = clause.facets
    text = ctx.norm[i]
    out: list[Finding] = []
    # A leak of secrets in general (秘密情報の漏えい) is no personal-information incident.
    earlier = _earlier_paragraph(ctx, clause, i)
    if earlier is not None and not report.rx("event").search(text):
        # 第1項の報告を行ったときは、…措置を講じなければならない: the incident, its scope
        # and its occurrence are those of the paragraph referred to.
        pi = bool(ctx.pi_level(earlier) or re.search(r"漏|洩|滅失|毀損|き損", ctx.norm[earlier]))
        pi = pi and not ctx.generic_only(earlier)
        if not pi and not ctx.about_information(earlier):
            return []
        occurred = True
    else:
        scene = "" if report.rx("event").search(text) else _scene(ctx, clause, i)
        pi = (
            ctx.pi_level(i)
            or re.search(r"漏(?!水|電)|洩|滅失|毀損|き損", text + scene)
            or ctx.catalog.personal.search(scene)
            or _named_before(ctx, clause, i)
            # この特記事項に違反する事態が生じ…: a breach of a contract about personal
            # information is an incident of its information.
            or (_BREACH_EVENT.search(text) and ctx.document_has_pi())
        ) and not ctx.generic_only(i)
        if not pi and not ctx.about_information(i):
            return []  # an accident on site (工事中の事故) shares the words only
        # 乙は、前項の場合には、…事故の拡大防止のための措置を講じなければならない: the
        # occurrence is the earlier paragraph's even when this one names the incident again.
        occurred = (
            _occurred(ctx, clause, scene + context_text(ctx, i))
            or (bool(scene) and "。" not in scene)
            or earlier is not None
        )
    reporting = report.rx("report")
    if "submit" in report.patterns and report.rx("report").search(text):
        # 事故報告書を…提出すること: the report is the thing handed in.
        reporting = re.compile(f"{reporting.pattern}|{report.rx('submit').pattern}")
    # 毎月末日現在における個人情報の取扱状況を…報告する under a heading 「事故発生時の報告及び
    # 監査」: a periodic report of the state of things is no report of an incident.
    periodic = not report.rx("event").search(text) and bool(
        ctx.catalog.clause("reporting_audit").facet("periodic_report").rx("periodic").search(text)
    )
    for p, mod, _role, subj in ctx.main_with(i, reporting):
        if not contractor_bound(subj) or not occurred or periodic:
            continue  # a notice given before any incident (運搬の方法を届け出る) is not one
        if _internal(ctx, report, clause_text(ctx.analyses[i], p)):
            note = "報告先が受託者内部の者で、委託者への報告が定められていません。"
            out.append(Finding(report.id, WEAK, i, note))
            continue
        if _outside(ctx, report, clause_text(ctx.analyses[i], p)):
            note = "報告先が本人又は当局のみで、委託者への報告が定められていません。"
            out.append(Finding(report.id, WEAK, i, note))
            continue
        if mod in A.IMPOSING:
            out.append(
                Finding(
                    report.id,
                    STRONG if pi else WEAK,
                    i,
                    "" if pi else "事故報告の対象に個人情報が明記されていません。",
                )
            )
        elif mod == A.EFFORT:
            out.append(Finding(report.id, WEAK, i, "事故の報告が努力義務にとどまっています。"))
    for p, mod, _role, subj in ctx.main_with(i, response.rx("respond")):
        if not contractor_bound(subj) or not occurred:
            continue
        if "協議" in p.lemma:
            # その対応について協議する: consulting on the response is no response (rule 4).
            note = "事故への対応が協議にとどまり、指示に従う義務や措置が定められていません。"
            out.append(Finding(response.id, WEAK, i, note))
            continue
        if mod in A.IMPOSING:
            out.append(Finding(response.id, STRONG if pi else WEAK, i))
        elif mod == A.EFFORT:
            out.append(Finding(response.id, WEAK, i))
    if not out and pi:
        # 村は、…事業者に対し、事故の有無…について報告させることができる: the municipality's
        # right to ask is no duty to report an incident when it occurs.
        for _p, mod, _role, subj in ctx.main_with(i, report.rx("report")):
            if subj == A.PRINCIPAL and mod == A.PERMISSION:
                note = "事故について委託者が報告を求める権限のみで、受託者の報告義務がありません。"
                out.append(Finding(report.id, WEAK, i, note))
                break
    if not out and ctx.catalog.rx("occurrence").search(text):
        mod, subj = sentence_modality(ctx.analyses[i])
        if mod != A.NONE and subj != A.UNKNOWN:
            out.append(Finding(report.id, WEAK, i, "事故発生時の報告義務が定められていません。"))
    return out


_DEFINES = re.compile(r"[「『](?P<term>[^」』]{1,20})[」』]とは、(?P<body>[^。]*)")
_INCIDENT_ALIAS = re.compile(r"以下[、]?[「『](?P<term>[^」』]{1,20})[」』]と(?:いう|いい|総称)")


def _occurred(ctx: Context, clause: Clause, text: str) -> bool:
    """Whether ``text`` speaks of an incident that has happened: in words (…が発生したときは)
    or through a term the contract defines as one (…漏えい…が発生し、又は発生したおそれが
    ある事態（以下「個人データ侵害」という。） → 個人データ侵害の影響を軽減する措置)."""
    if ctx.catalog.rx("occurrence").search(text):
        return True
    terms = ctx.__dict__.get("_incident_terms")
    if terms is None:
        event, occurrence = clause.facets[0].rx("event"), ctx.catalog.rx("occurrence")
        found = {
            m.group("term")
            for t in ctx.norm
            if event.search(t) and occurrence.search(t)
            for m in _INCIDENT_ALIAS.finditer(t)
            if event.search(m.group("term")) or re.search(r"事態|侵害", m.group("term"))
        }
        # 「個人データ侵害」とは、…セキュリティの侵害をいう: a term that names a breach is an
        # incident wherever it is used, with or without an occurrence word in its definition.
        defined = [(t.term, t.body) for t in ctx.definitions.terms]
        # (a term naming personal information, 個人データ侵害, is no defined term of the
        # resolver's: it is read from the definition sentence itself)
        defined += [
            (m.group("term"), m.group("body")) for t in ctx.norm if (m := _DEFINES.search(t))
        ]
        found |= {
            term
            for term, body in defined
            if event.search(term)
            and event.search(body)
            and (occurrence.search(body) or re.search(r"侵害|インシデント|事故|事案", term))
        }
        terms = re.compile("|".join(map(re.escape, sorted(found, key=len, reverse=True))) or "(?!)")
        ctx.__dict__["_incident_terms"] = terms
    return bool(terms.search(text))


def _earlier_paragraph(ctx: Context, clause: Clause, i: int) -> int | None:
    """An earlier paragraph of the same article that states the incident (its event and its
    occurrence) when sentence ``i`` refers back to it (第1項の報告を行ったときは / 前項の通知
    には / 当該事故): report and measures may be split over consecutive 項."""
    report = clause.facets[0]
    back = report.patterns.get("refers_back")
    m = back.search(ctx.norm[i]) if back is not None else None
    if m is None:
        return None
    s = ctx.doc.sentences[i]
    if s.article is None:
        return None
    article = _referred_article(ctx, s.article, m.group(0))
    if article is None:
        return None
    occurrence = ctx.catalog.rx("occurrence")
    last = next(
        (k for k in range(i - 1, max(-1, i - 60), -1) if ctx.doc.sentences[k].article == article),
        None,
    )
    if last is None:
        return None
    for k in range(last, max(-1, last - 12), -1):
        t = ctx.doc.sentences[k]
        if t.article != article:
            break
        if (
            t.kind in ("body", "item")
            and not back.search(ctx.norm[k])  # itself a reference (前項の事案が…): go on up
            and report.rx("event").search(ctx.norm[k])
            and occurrence.search(ctx.norm[k])
            and not _PREPARES.search(ctx.norm[k])
        ):
            return k
    return None


# …事故が発生した場合に備え、連絡体制を整備する: readiness for an incident, not one.
_PREPARES = re.compile(r"(?:場合|とき|時)に備え")

_ADDRESSEE = re.compile(
    r"([^、。]{1,30}?)(?:に対し(?:て)?|へ|に)(?:、|直ちに|速やかに|遅滞なく|口頭で|書面で|書面により)*"
    r"(?:報告|通知|連絡|届け出|届出|第一報|一報|速報)"
)


def _internal(ctx: Context, report: Facet, words: str) -> bool:
    """Whether the report in ``words`` goes to someone within the contractor (乙の個人情報
    保護管理者に報告し / 業務責任者に報告し), not to the municipality: an officer the text
    names (管理者, 責任者) is the contractor's own unless the municipality's."""
    return _addressed_only(ctx, report.patterns.get("internal"), words)


def _outside(ctx: Context, report: Facet, words: str) -> bool:
    """Whether the report in ``words`` goes only to others than the municipality (ご本人に
    通知し / 個人情報保護委員会に報告し)."""
    return _addressed_only(ctx, report.patterns.get("outside"), words)


def _addressed_only(ctx: Context, who: re.Pattern[str] | None, words: str) -> bool:
    """Whether the report in ``words`` is addressed to someone ``who`` names and not also to
    the municipality."""
    m = _ADDRESSEE.search(words)
    if m is None or who is None:
        return False
    to = m.group(1)
    return bool(who.search(to)) and not ctx.principal_rx.search(to)


def _referred_article(ctx: Context, article: int, ref: str) -> int | None:
    """The index of the article a reference points to: this one for 前項/第N項, the
    preceding one for 前条, the one numbered N in the same part for 第N条."""
    if "項" in ref or not ref.endswith(("報告", "通知", "連絡", "事故", "事案", "事態", "場合")):
        return article
    here = ctx.doc.articles[article]
    if ref.startswith("前条"):
        prev = article - 1
        if prev < 0 or ctx.doc.articles[prev].section != here.section:
            return None
        return prev
    n = re.match(r"第([0-9]+)条", ref)
    if n is None:
        return article
    return next(
        (
            a.index
            for a in ctx.doc.articles
            if a.section == here.section and a.number == int(n.group(1)) and a.index < article
        ),
        None,
    )


def _named_before(ctx: Context, clause: Clause, i: int) -> bool:
    """「事故が発生した場合は、…」 right after a provision that named the personal-information
    incident (個人情報の漏えい…等の事故が発生し…): the same incident."""
    if not re.search(r"事故|事案", ctx.norm[i]):
        return False
    event = clause.facets[0].rx("event")
    s = ctx.doc.sentences[i]
    for k in range(max(0, i - 3), i):
        t = ctx.doc.sentences[k]
        if (
            t.section == s.section
            and ctx.catalog.personal.search(ctx.norm[k])
            and event.search(ctx.norm[k])
        ):
            return True
    return False


def bound(ctx: Context, clause: Clause, i: int) -> dict[str, int]:
    report, response = clause.facets
    text = _scene(ctx, clause, i) + context_text(ctx, i)
    modal = imposes(ctx, i, text)
    occurred = (
        _occurred(ctx, clause, text)
        or _scene(ctx, clause, i) != ""
        or (_earlier_paragraph(ctx, clause, i) is not None)
    )
    return {
        "report": level(True, modal and occurred and bool(report.rx("report").search(text))),
        "response": level(bool(response.rx("respond").search(text)), modal and occurred),
    }


def advice(ctx: Context) -> list[str]:
    """No advisory note for this clause."""
    return []
