"""The demo's contract documents: typeset at load time, uploaded, and analysed at once.

``portal demo load`` stores a few contracts on the demo outsourcings (text PDFs in three
drafting styles, one stamped scan, one amended contract, one subcontract weaker than its
parent's) through the same upload operation officers use, commits, and then runs the same job
function the worker runs on each of them, so the tree, the review pages and the flow-down
check show real results before the server starts, with or without a worker.

Typesetting uses reportlab (a run-time dependency for this reason): pure Python, a few
milliseconds per page and no process to start, where LibreOffice would cost seconds per file
and a working office installation. The scan is made by :mod:`contracts.scansim`.
"""

from __future__ import annotations

import functools
import io
import re
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from sqlmodel import Session, select

from portal.demo.contract_texts import DemoContract, contract_text, wareki
from portal.models import Outsourcing, User, Vendor
from portal.permissions import Role
from portal.reviews.models import ContractDocument
from portal.reviews.operations import upload_document
from portal.storage import Storage

CITY = "三木市"
SCAN_SEED = 1

# Which demo outsourcing each contract belongs to: (task of the root, tier).
PLACES = {
    "juki": ("住民基本台帳システム運用保守", 1),
    "juki-sub": ("住民基本台帳システム運用保守", 2),
    "juki-subsub": ("住民基本台帳システム運用保守", 3),
    "yuso": ("住民票等郵送請求受付業務", 1),
    "mynumber": ("マイナンバーカード交付予約受付", 1),
    "mynumber-2": ("マイナンバーカード交付予約受付", 1),
    "kazei": ("個人住民税課税資料パンチ入力", 1),
    "kaigo": ("介護給付費通知書作成", 1),
}

# (key, style, title, variant, {clause: level}, scanned, amendment of). Client and contractor
# are the parent's and the node's vendors (the city for a root).
PLAN: list[tuple[str, str, str, int, dict[str, str], bool, str | None]] = [
    ("juki", "kou_otsu", "住民基本台帳システム運用保守業務委託契約書", 0, {}, False, None),
    # Weaker than its parent (第4項): free subcontracting, deletion only, reports on request.
    (
        "juki-sub",
        "kou_otsu",
        "住民基本台帳システム運用保守業務に係る再委託契約書",
        1,
        {"subcontracting": "W", "return_deletion": "W", "reporting_audit": "W"},
        False,
        None,
    ),
    ("juki-subsub", "hacchu_juchu", "データ入力作業委託契約書", 1, {}, False, None),
    (
        "yuso",
        "shi_jutaku",
        "住民票等郵送請求受付業務委託契約書",
        0,
        {"breach_remedies": "W"},
        True,
        None,
    ),
    (
        "mynumber",
        "shi_jutaku",
        "マイナンバーカード交付予約受付業務委託契約書",
        1,
        {"incident": "M", "copying": "W"},
        False,
        None,
    ),
    (
        "mynumber-2",
        "shi_jutaku",
        "マイナンバーカード交付予約受付業務委託契約書（変更後）",
        1,
        {},
        False,
        "mynumber",
    ),
    (
        "kazei",
        "kou_otsu",
        "個人住民税課税資料パンチ入力業務委託契約書",
        1,
        {"security": "W", "reporting_audit": "M"},
        False,
        None,
    ),
    (
        "kaigo",
        "hacchu_juchu",
        "介護給付費通知書作成業務委託契約書",
        0,
        {"confidentiality": "W"},
        False,
        None,
    ),
]


def demo_contracts(session: Session) -> list[tuple[DemoContract, Outsourcing]]:
    """The demo contracts with the outsourcing each belongs to (after ``demo.load``)."""
    made = []
    for key, style, title, variant, levels, scanned, amendment_of in PLAN:
        root_task, tier = PLACES[key]
        node = _node_at(session, root_task, tier)
        if node is None:
            continue
        parent = session.get(Outsourcing, node.parent_id) if node.parent_id else None
        client = _vendor_name(session, parent.vendor_id) if parent is not None else CITY
        contract = DemoContract(
            key=key,
            style=style,
            title=title,
            task=root_task + ("業務" if not root_task.endswith("業務") else ""),
            client=client,
            contractor=_vendor_name(session, node.vendor_id),
            levels=levels,
            variant=variant,
            scanned=scanned,
            amendment_of=amendment_of,
            filename=f"{title}{'（スキャン）' if scanned else ''}.pdf",
            # An amendment half a year into the term.
            date=wareki(node.start_date + timedelta(days=183) if amendment_of else node.start_date),
            period=f"{wareki(node.start_date)}から{wareki(node.end_date)}まで",
        )
        made.append((contract, node))
    return made


def _vendor_name(session: Session, vendor_id: int) -> str:
    vendor = session.get(Vendor, vendor_id)
    assert vendor is not None
    return vendor.name


def _node_at(session: Session, root_task: str, tier: int) -> Outsourcing | None:
    node = session.exec(
        select(Outsourcing).where(
            Outsourcing.task_name == root_task,
            Outsourcing.parent_id.is_(None),  # type: ignore[union-attr]
        )
    ).first()
    while node is not None and node.tier < tier:
        node = session.exec(
            select(Outsourcing).where(Outsourcing.parent_id == node.id).order_by(Outsourcing.id)  # type: ignore[arg-type]
        ).first()
    return node


def upload_contracts(*, session: Session, storage: Storage) -> list[int]:
    """Typeset the demo contracts and upload each as its outsourcing's next version; returns
    the new documents' ids (queued for analysis)."""
    ids = []
    for contract, node in demo_contracts(session):
        document = upload_document(
            session=session,
            storage=storage,
            actor=_uploader(session, node),
            outsourcing=node,
            stream=io.BytesIO(contract_pdf(contract)),
            filename=contract.filename,
        )
        ids.append(document.id)
    return ids


def _uploader(session: Session, node: Outsourcing) -> User:
    """A subcontract is uploaded by the vendor that signed it (holds the parent); a contract
    of the city by an officer of its department, or the chief where it has none."""
    if node.parent_id is not None:
        parent = session.get(Outsourcing, node.parent_id)
        assert parent is not None
        vendor_user = session.exec(select(User).where(User.vendor_id == parent.vendor_id)).first()
        if vendor_user is not None:
            return vendor_user
    officer = session.exec(
        select(User).where(User.department_id == node.department_id, User.role == Role.STAFF)
    ).first()
    return officer or session.exec(select(User).where(User.role == Role.CHIEF)).one()


def analyse_contracts(document_ids: list[int], *, echo: Callable[[str], None]) -> dict[int, str]:
    """Run the worker's analysis job on each document now, one transaction each (as the
    worker would); returns {document id: final status}."""
    from portal.db import transaction
    from portal.reviews.jobs import analyse_document

    results = {}
    total = len(document_ids)
    if total:
        echo(f"デモの契約書 {total} 件を解析します（初回は言語モデルの読み込みに数十秒かかります）")
    for number, document_id in enumerate(document_ids, start=1):
        started = time.perf_counter()
        with transaction() as session:
            results[document_id] = analyse_document(document_id, session=session)
            name = session.get(ContractDocument, document_id).filename  # type: ignore[union-attr]
        seconds = time.perf_counter() - started
        echo(f"  [{number}/{total}] {name}: {results[document_id]} ({seconds:.1f} s)")
    return results


# --- typesetting ---------------------------------------------------------------------------

MM = 72 / 25.4
PAGE_W, PAGE_H = 210 * MM, 297 * MM
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 25 * MM, 28 * MM, 25 * MM
FONT_SIZE, LEADING = 10.5, 17.5
_TRUETYPE_JA = [  # TrueType (glyf) Japanese fonts reportlab can embed (Debian packages)
    "/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf",
    "/usr/share/fonts/truetype/fonts-japanese-mincho.ttf",
    "/usr/share/fonts/opentype/ipafont-mincho/ipam.ttf",
]
_HEADING = re.compile(
    r"^(第[0-9０-９]+条[（(].*[）)]|[（(][^）)]{1,20}[）)]|別記|個人情報取扱特記事項)$"
)
_ITEM = re.compile(r"^[0-9０-９]+\u3000")


@functools.cache
def _font() -> str:
    """An embedded Mincho when one is installed; else a standard CID font (not embedded,
    still extractable: PDFium maps it through its own CMaps)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFont

    path = next((p for p in _TRUETYPE_JA if Path(p).exists()), None)
    if path is None:
        pdfmetrics.registerFont(UnicodeCIDFont("HeiseiMin-W3"))
        return "HeiseiMin-W3"
    pdfmetrics.registerFont(TTFont("DemoMincho", path))
    return "DemoMincho"


def _wrap(text: str, width: float, measure: Callable[[str], float]) -> list[str]:
    lines, current = [], ""
    for ch in text:
        # 禁則: closing punctuation never starts a line; it hangs in the margin instead.
        if current and ch not in "、。）」』" and measure(current + ch) > width:
            lines.append(current)
            current = ""
        current += ch
    return [*lines, current] if current else lines or [""]


def typeset(text: str) -> bytes:
    """A contract as a word processor would print it: title, headings, 項 with a hanging
    indent, page numbers."""
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    font = _font()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(PAGE_W, PAGE_H), invariant=1)
    pdf.setTitle(text.split("\n", 1)[0])
    page = 1
    y = PAGE_H - MARGIN_TOP

    def new_page() -> float:
        nonlocal page
        pdf.setFont(font, 9)
        pdf.drawCentredString(PAGE_W / 2, 13 * MM, f"－ {page} －")
        pdf.showPage()
        page += 1
        return PAGE_H - MARGIN_TOP

    title, *paragraphs = text.split("\n")
    pdf.setFont(font, 15)
    pdf.drawCentredString(PAGE_W / 2, y, title)
    y -= LEADING * 2
    width = PAGE_W - 2 * MARGIN_X
    for paragraph in paragraphs:
        heading = bool(_HEADING.match(paragraph))
        item = bool(_ITEM.match(paragraph))
        if heading:
            y -= LEADING * 0.3
        # Body paragraphs start one character in; a 項 ("2　…") hangs its later lines.
        lines = _wrap(paragraph, width - FONT_SIZE, lambda s: stringWidth(s, font, FONT_SIZE))
        for i, line in enumerate(lines):
            if y < MARGIN_BOTTOM:
                y = new_page()
            pdf.setFont(font, FONT_SIZE)
            first_indent = 0.0 if heading or item else FONT_SIZE
            pdf.drawString(MARGIN_X + (FONT_SIZE if i else first_indent), y, line)
            y -= LEADING
    pdf.setFont(font, 9)
    pdf.drawCentredString(PAGE_W / 2, 13 * MM, f"－ {page} －")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def contract_pdf(contract: DemoContract) -> bytes:
    """The contract's PDF: typeset, and for a scanned one printed, sealed and scanned."""
    pdf = typeset(contract_text(contract))
    if not contract.scanned:
        return pdf
    from contracts.scansim import scan_pdf

    # Seed 1: a scan Tesseract reads well enough that each matter comes out as drafted
    # (others put the seal over a sentence, or misread 講じ: real, but not the demo's point).
    return scan_pdf(pdf, seed=SCAN_SEED)
