# ruff: noqa: E501  (contract wordings read best one sentence a line)
"""Demo worker dispatch contracts: two contracts of 市民課 with the 派遣元 株式会社関西BPOセンター,
one whose contract states every matter, one that leaves out the pledge and the liability, and
whose dispatched workers' training is not recorded yet."""

from __future__ import annotations

import io
from datetime import date

from sqlmodel import Session, select

from portal.dispatch.models import DispatchContract
from portal.dispatch.operations import store_contract_pdf
from portal.models import Department, User, Vendor
from portal.permissions import Role
from portal.storage import Storage

_HEAD = (
    "労働者派遣契約書\n"
    "三木市（以下「甲」という。）と株式会社関西BPOセンター（以下「乙」という。）とは、"
    "乙が甲に労働者を派遣することについて、次のとおり労働者派遣契約を締結する。\n"
)
_ARTICLES = {
    "confidentiality": "（秘密保持）\n乙及び派遣労働者は、派遣就業に関して知り得た個人情報を他に漏らしてはならない。"
    "派遣就業の終了後も同様とする。\n"
    "２ 乙及び派遣労働者は、派遣就業に関して知り得た個人情報を派遣業務の目的以外の目的に利用してはならない。",
    "worker_pledge": "（誓約書）\n乙は、派遣労働者から、個人情報の秘密保持に関する誓約書を徴し、"
    "その写しを甲に提出しなければならない。",
    "training": "（教育）\n乙は、派遣労働者に対し、派遣就業の開始前に、個人情報の保護に関する教育を実施しなければならない。",
    "no_removal": "（持出しの禁止）\n派遣労働者は、甲の承諾を得た場合を除き、個人情報が記録された資料等を"
    "派遣就業の場所から持ち出してはならない。",
    "return_deletion": "（資料の返還等）\n乙は、労働者派遣の終了時に、派遣労働者が保有する個人情報が記録された資料等を"
    "甲に返還し、又は消去しなければならない。",
    "incident": "（事故の報告）\n乙は、派遣労働者による個人情報の漏えい等の事故が発生し、又は発生したおそれがあるときは、"
    "直ちに甲に報告し、甲の指示に従わなければならない。",
    "dispatcher_liability": "（損害賠償）\n乙は、派遣労働者がこの契約に定める個人情報の取扱いに関する義務に違反したことにより"
    "甲に損害を与えたときは、その損害を賠償しなければならない。",
}
# (number, work, PI, start, end, workers, trained on, matters left out of the contract)
DEMO_DISPATCH = [
    (
        "派-2026-001",
        "住民票の写し等の交付窓口業務",
        "住民基本台帳の氏名・住所・生年月日",
        date(2026, 4, 1),
        date(2027, 3, 31),
        4,
        date(2026, 3, 25),
        (),
    ),
    (
        "派-2026-014",
        "転入・転出届のデータ入力補助",
        "住民異動届の記載事項",
        date(2026, 10, 1),
        date(2027, 3, 31),
        2,
        None,
        ("worker_pledge", "dispatcher_liability"),
    ),
]


def dispatch_text(left_out: tuple[str, ...]) -> str:
    """A dispatch contract with every matter but those ``left_out``."""
    body = []
    for number, (_matter, article) in enumerate(
        ((m, a) for m, a in _ARTICLES.items() if m not in left_out), 1
    ):
        heading, _, text = article.partition("\n")
        body.append(f"{heading}\n第{number}条 {text}")
    return _HEAD + "\n".join(body) + "\n"


def load_dispatch(*, session: Session) -> None:
    """Register the demo dispatch contracts."""
    department = session.exec(select(Department).where(Department.name == "市民課")).one()
    vendor = session.exec(select(Vendor).where(Vendor.name == "株式会社関西BPOセンター")).one()
    for number, work, pi, start, end, workers, trained, _left_out in DEMO_DISPATCH:
        session.add(
            DispatchContract(
                contract_number=number,
                department_id=department.id,
                vendor_id=vendor.id,
                work=work,
                personal_information=pi,
                period_start=start,
                period_end=end,
                workers=workers,
                trained_on=trained,
            )
        )
    session.flush()


def upload_dispatch_contracts(*, session: Session, storage: Storage) -> list[int]:
    """Typeset and store each demo dispatch contract's PDF; returns the queued document ids."""
    from portal.demo.contracts import typeset

    officer = session.exec(
        select(User).where(User.role == Role.STAFF, User.department_id.is_not(None))
    ).first()
    ids = []
    for number, *_facts, left_out in DEMO_DISPATCH:
        contract = session.exec(
            select(DispatchContract).where(DispatchContract.contract_number == number)
        ).one()
        document = store_contract_pdf(
            session=session,
            storage=storage,
            actor=officer,
            contract=contract,
            stream=io.BytesIO(typeset(dispatch_text(left_out))),
            filename=f"労働者派遣契約書_{number}.pdf",
        )
        ids.append(document.id)
    return ids
