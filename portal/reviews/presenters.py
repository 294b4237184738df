"""How a document's state is shown: progress labels, status names, clause titles."""

from __future__ import annotations

import functools
from typing import Any

from flask_babel import gettext as _

from portal.reviews.models import ContractDocument, DocumentStatus


@functools.cache
def clause_titles() -> dict[str, str]:
    """{clause id: title} of the eight matters, in catalog order (no GiNZA involved)."""
    from clauses.catalog import load_catalog

    return {clause.id: clause.title for clause in load_catalog().clauses}


def status_names() -> dict[str, str]:
    """The clause statuses as the review page names them."""
    return {"satisfied": _("適合"), "weak": _("不十分"), "missing": _("欠落")}


def progress_label(document: ContractDocument) -> str:
    """Where the analysis stands, in words."""
    n, total = document.stage_done, document.stage_total
    if document.status == DocumentStatus.DONE:
        return _("解析が完了しました。")
    if document.status == DocumentStatus.FAILED and document.error_code == "empty":
        # A scan that opened but gave no text: not eight missing clauses, and what to do.
        return _(
            "文字を読み取れませんでした。スキャンした契約書であれば、文字がはっきり写るように"
            "（300dpi程度で）スキャンし直し、新しい版として登録してください。"
        )
    if document.status == DocumentStatus.FAILED:
        return _("解析できませんでした: %(reason)s", reason=document.error_message)
    if document.status == DocumentStatus.QUEUED:
        return _("解析の順番を待っています。")
    if document.stage == "extracting":
        if total:
            return _("ページを読み取っています（%(n)d / %(total)d ページ）", n=n, total=total)
        return _("ページを読み取っています。")
    if document.stage == "ocr":
        return _("文字認識（OCR）を行っています（%(n)d / %(total)d ページ）", n=n, total=total)
    if document.stage == "images":
        return _("ページ画像を作成しています（%(n)d / %(total)d ページ）", n=n, total=total)
    if document.stage == "analysing":
        return _("条項を解析しています（%(n)d / %(total)d 項目）", n=n, total=total)
    return _("解析しています。")


def interruption_note(document: ContractDocument) -> str:
    """Whether the analysis was taken over from a worker that stopped, in words ("" if not)."""
    if not document.interruptions:
        return ""
    if document.status in (DocumentStatus.QUEUED, DocumentStatus.RUNNING):
        return _(
            "解析を担当していた処理が途中で停止したため、解析を最初からやり直しています"
            "（中断 %(n)d 回）。",
            n=document.interruptions,
        )
    return _(
        "解析は途中で中断されましたが、自動的に再開して最後まで行いました（中断 %(n)d 回）。",
        n=document.interruptions,
    )


def progress_data(document: ContractDocument) -> dict[str, Any]:
    """The JSON the page polls and the API returns as ``progress``."""
    return {
        "stage": document.stage,
        "current": document.stage_done,
        "total": document.stage_total,
        "label": progress_label(document),
        "interruptions": document.interruptions,
        "note": interruption_note(document),
    }


def error_data(document: ContractDocument) -> dict[str, str] | None:
    """The failure, if any: a stable code and the Japanese message."""
    if document.status != DocumentStatus.FAILED:
        return None
    return {"code": document.error_code, "message": document.error_message}


def ocr_warnings(report: dict[str, Any] | None) -> dict[str, Any]:
    """Where OCR was unsure: the low-confidence pages, and the clauses decided on them.

    ``pages`` lists the pages the analysis flagged (``ocr_pages`` with ``low``);
    ``clauses`` maps a clause id to the flagged pages its evidence lies on, so that no
    status decided there is shown without the warning.
    """
    pages = sorted(int(p["page"]) for p in (report or {}).get("ocr_pages", []) if p.get("low"))
    low = set(pages)
    clauses = {}
    for clause in (report or {}).get("clauses", []):
        on = sorted({int(e["page"]) for e in clause.get("evidence", []) if int(e["page"]) in low})
        if on:
            clauses[clause["id"]] = on
    return {"pages": pages, "clauses": clauses}
