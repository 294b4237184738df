"""Demo data: a small municipality with one account per role.

Only for development and demonstrations; production mode refuses it.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta

from sqlalchemy import delete
from sqlmodel import Session, SQLModel, select

from portal.admin.operations import create_department, create_division, create_user
from portal.corporate_number import check_digit
from portal.models import Department, Outsourcing, OutsourcingStatus, User, Vendor
from portal.outsourcings.operations import place_in_chain
from portal.permissions import Role
from portal.timeutil import utcnow

DEMO_PASSWORD = "Itaku-Demo-2026"  # noqa: S105 - printed to the developer on purpose

ORGANISATION = {
    "総務部": ["総務課", "情報政策課", "契約課"],
    "市民生活部": ["市民課", "税務課", "保険年金課"],
    "健康福祉部": ["健康増進課", "介護保険課", "障害福祉課", "子育て支援課"],
    "教育委員会事務局": ["学校教育課", "生涯学習課"],
}

VENDORS = [
    # (name, 12-digit base of the 法人番号, parent index or None)
    ("株式会社みらい情報システム", "010401012345", None),
    ("みらいデータサービス株式会社", "010401098765", 0),  # a subsidiary (子会社) of the first
    ("有限会社三木印刷", "140002011111", None),
    ("株式会社関西BPOセンター", "120001022222", None),
    ("株式会社ひょうごデータ入力", "140001033333", None),
    ("播磨システム開発株式会社", "140001044444", None),
    ("株式会社アーク情報処理", "010001055555", None),
    ("アーク・オペレーションズ株式会社", "010001066666", 6),  # subsidiary
    ("株式会社コールセンター神戸", "140001077777", None),
    ("一般社団法人地域健康づくり協会", "140005088888", None),
    ("株式会社クラウドホスティングジャパン", "011001099999", None),
    ("株式会社みらいサポート", "010401011112", 0),  # subsidiary
    ("三木ビジネスサービス株式会社", "140001012121", None),
    ("株式会社データ保管センター", "120001013131", None),
    ("株式会社フォーム印刷", "140001014141", None),
    ("株式会社ライフケアシステムズ", "120001015151", None),
    ("株式会社エス・ピー・オー", "010001016161", None),
    ("有限会社メール発送サービス", "140002017171", None),
]

# Vendor users of a vendor at each tier of the first demo chain (tiers 2, 3 and 4).
TIER_ACCOUNTS = [
    ("vendor2@demo.example.jp", 1, "再委託 五郎"),
    ("vendor3@demo.example.jp", 4, "再々委託 六子"),
    ("vendor4@demo.example.jp", 5, "四次 七海"),
]

ACCOUNTS = [
    # (e-mail, role, name, department, vendor index)
    ("admin@demo.example.jp", Role.ADMIN, "管理 太郎", None, None),
    ("chief@demo.example.jp", Role.CHIEF, "総括 花子", None, None),
    ("manager@demo.example.jp", Role.MANAGER, "責任 一郎", ("市民生活部", "市民課"), None),
    ("staff@demo.example.jp", Role.STAFF, "担当 次郎", ("市民生活部", "市民課"), None),
    ("auditor@demo.example.jp", Role.AUDITOR, "監査 三郎", None, None),
    ("vendor@demo.example.jp", Role.VENDOR, "委託 四郎", None, 0),
]

TASKS = [
    (
        "住民基本台帳システム運用保守",
        "市民生活部",
        "市民課",
        "氏名、住所、生年月日、性別、世帯情報",
        False,
        78000,
    ),
    ("住民票等郵送請求受付業務", "市民生活部", "市民課", "氏名、住所、請求内容", False, 6500),
    (
        "個人住民税課税資料パンチ入力",
        "市民生活部",
        "税務課",
        "氏名、住所、所得額、控除額",
        False,
        42000,
    ),
    ("納税通知書印刷封入封緘", "市民生活部", "税務課", "氏名、住所、税額", False, 45000),
    (
        "国民健康保険被保険者証作成",
        "市民生活部",
        "保険年金課",
        "氏名、住所、被保険者番号",
        False,
        18000,
    ),
    (
        "特定健康診査受診券発送",
        "市民生活部",
        "保険年金課",
        "氏名、住所、被保険者番号、健診結果",
        True,
        12000,
    ),
    ("健康診査結果データ化", "健康福祉部", "健康増進課", "氏名、生年月日、健診結果", True, 9000),
    (
        "がん検診予約コールセンター",
        "健康福祉部",
        "健康増進課",
        "氏名、電話番号、受診希望",
        True,
        4000,
    ),
    ("介護保険認定調査", "健康福祉部", "介護保険課", "氏名、住所、心身の状況", True, 3200),
    (
        "介護給付費通知書作成",
        "健康福祉部",
        "介護保険課",
        "氏名、住所、利用サービス、費用",
        True,
        5100,
    ),
    (
        "障害福祉サービス受給者証印刷",
        "健康福祉部",
        "障害福祉課",
        "氏名、住所、障害の種別",
        True,
        1800,
    ),
    (
        "児童手当現況届審査補助",
        "健康福祉部",
        "子育て支援課",
        "氏名、住所、所得、児童の氏名",
        False,
        7400,
    ),
    (
        "保育所入所申込データ入力",
        "健康福祉部",
        "子育て支援課",
        "保護者・児童の氏名、就労状況、世帯状況",
        True,
        2100,
    ),
    (
        "学齢簿システム保守",
        "教育委員会事務局",
        "学校教育課",
        "児童生徒の氏名、住所、保護者",
        False,
        6800,
    ),
    (
        "就学援助申請書審査補助",
        "教育委員会事務局",
        "学校教育課",
        "氏名、所得、世帯状況",
        False,
        900,
    ),
    (
        "図書館システム運用",
        "教育委員会事務局",
        "生涯学習課",
        "利用者の氏名、住所、貸出履歴",
        False,
        21000,
    ),
    ("職員給与計算業務", "総務部", "総務課", "職員の氏名、給与、扶養、口座", False, 1100),
    (
        "文書管理システムクラウド運用",
        "総務部",
        "情報政策課",
        "行政文書に含まれる個人情報",
        False,
        50000,
    ),
    ("ネットワーク監視・運用", "総務部", "情報政策課", "通信記録", False, 0),
    ("入札参加資格審査申請受付", "総務部", "契約課", "事業者代表者の氏名、連絡先", False, 1500),
    ("市税口座振替依頼書処理", "市民生活部", "税務課", "氏名、口座情報", False, 16000),
    (
        "後期高齢者医療保険料通知発送",
        "市民生活部",
        "保険年金課",
        "氏名、住所、保険料額",
        False,
        11000,
    ),
    ("予防接種予診票発送", "健康福祉部", "健康増進課", "氏名、住所、接種歴", True, 5200),
    (
        "地域包括支援センター運営",
        "健康福祉部",
        "介護保険課",
        "氏名、住所、相談内容、心身の状況",
        True,
        2600,
    ),
    (
        "子ども医療費受給者証作成",
        "健康福祉部",
        "子育て支援課",
        "氏名、住所、受給者番号",
        False,
        9800,
    ),
    (
        "放課後児童クラブ利用申請受付",
        "教育委員会事務局",
        "生涯学習課",
        "児童・保護者の氏名、連絡先",
        False,
        1300,
    ),
    ("マイナンバーカード交付予約受付", "市民生活部", "市民課", "氏名、住所、電話番号", False, 8000),
    ("選挙入場券印刷発送", "総務部", "総務課", "氏名、住所、投票区", False, 62000),
    ("ふるさと納税受付業務", "総務部", "契約課", "寄附者の氏名、住所、寄附額", False, 14000),
    ("障害者手帳交付事務補助", "健康福祉部", "障害福祉課", "氏名、障害の程度", True, 700),
]


def corporate_number(base12: str) -> str:
    """A valid 法人番号 for a 12-digit base."""
    return f"{check_digit(base12)}{base12}"


def load(*, session: Session) -> None:
    """Create the demo organisation, vendors and one account per role."""
    departments = {}
    for order, (division_name, names) in enumerate(ORGANISATION.items()):
        division = create_division(session=session, name=division_name, sort_order=order)
        for sub_order, name in enumerate(names):
            departments[(division_name, name)] = create_department(
                session=session, division_id=division.id, name=name, sort_order=sub_order
            )
    vendors: list[Vendor] = []
    for name, base, parent in VENDORS:
        vendor = Vendor(
            name=name,
            corporate_number=corporate_number(base),
            address="兵庫県三木市上の丸町10番30号",
            contact="個人情報管理責任者 電話 0794-00-0000",
            parent_vendor_id=vendors[parent].id if parent is not None else None,
        )
        session.add(vendor)
        session.flush()
        vendors.append(vendor)
    for email, role, name, department, vendor in ACCOUNTS:
        create_user(
            session=session,
            email=email,
            role=role,
            name=name,
            password=DEMO_PASSWORD,
            department_id=departments[department].id if department else None,
            vendor_id=vendors[vendor].id if vendor is not None else None,
        )
    for email, vendor_index, name in TIER_ACCOUNTS:
        create_user(
            session=session,
            email=email,
            role=Role.VENDOR,
            name=name,
            password=DEMO_PASSWORD,
            vendor_id=vendors[vendor_index].id,
        )
    _load_chains(session, departments, vendors)
    _plan_inspections(session)
    _load_reports(session)
    _report_incidents(session, vendors[0])


def _plan_inspections(session: Session) -> None:
    """Every active node gets its open inspection; the year is proposed and mostly accepted."""
    from portal.inspections.models import Inspection
    from portal.inspections.operations import accept_proposals, propose_plan, sync_inspections

    today = date.today()
    sync_inspections(session=session, today=today)
    propose_plan(session=session, today=today)
    proposed = session.exec(select(Inspection).where(Inspection.proposed_date.is_not(None))).all()
    # Two thirds accepted by the officers; the rest still waits as a proposal.
    accept_proposals(session=session, inspections=[i for i in proposed if i.id % 3])


def _load_reports(session: Session) -> None:
    """Every active node owes its reports; the demo vendor has submitted a few: one accepted,
    one naming an unapproved subcontractor (a violation on the tree), one answering "no" to a
    matter. The rest are due or overdue."""
    from portal.reports.models import ComplianceReport
    from portal.reports.operations import (
        ReportContent,
        SubcontractorEntry,
        approved_subcontractors,
        review_report,
        save_report,
        sync_reports,
    )
    from portal.reports.rules import checklist_items

    today = date.today()
    sync_reports(session=session, today=today)
    vendor_user = session.exec(select(User).where(User.email == "vendor@demo.example.jp")).one()
    roots = session.exec(
        select(Outsourcing)
        .where(
            Outsourcing.vendor_id == vendor_user.vendor_id,
            Outsourcing.parent_id.is_(None),  # type: ignore[union-attr]
            Outsourcing.status == OutsourcingStatus.ACTIVE,
        )
        .order_by(Outsourcing.id)
    ).all()
    all_yes = {key: {"answer": "yes", "comment": ""} for key, _title in checklist_items()}
    for number, root in enumerate(roots[:2]):
        ended = session.exec(
            select(ComplianceReport)
            .where(ComplianceReport.outsourcing_id == root.id, ComplianceReport.period_end < today)
            .order_by(ComplianceReport.period_start)
        ).all()
        in_use = tuple(
            SubcontractorEntry(vendor_id=v.id)
            for v in approved_subcontractors(session=session, outsourcing=root).values()
        )
        officer = session.exec(
            select(User).where(User.department_id == root.department_id, User.role == Role.STAFF)
        ).first()
        for index, report in enumerate(ended[:2]):
            checklist, subcontractors = all_yes, in_use
            if number == 1:
                checklist = all_yes | {
                    "copying": {
                        "answer": "no",
                        "comment": "作業用端末に一時的に複製した。削除済み。",
                    }
                }
            elif index == 1:
                subcontractors = (
                    *in_use,
                    SubcontractorEntry(
                        name="株式会社未承認データ処理",
                        corporate_number=corporate_number("140001019191"),
                    ),
                )
            save_report(
                session=session,
                actor=vendor_user,
                report=report,
                outsourcing=root,
                content=ReportContent(
                    checklist=checklist, subcontractors=subcontractors, had_incidents=False
                ),
                submit=True,
                today=today,
            )
            if number == 0 and index == 0 and officer is not None:
                review_report(
                    session=session,
                    actor=officer,
                    report=report,
                    outsourcing=root,
                    accept=True,
                    comment="",
                )


def _report_incidents(session: Session, vendor: Vendor) -> None:
    """Two incidents: one the demo vendor reported three days ago (150 persons, so the
    Commission must be told; escalated once, the 速報 filed), and a small one that is closed
    with its measures shared and the publication decision recorded."""
    from portal.incidents import operations as incidents

    today = date.today()
    users = {u.email: u for u in session.exec(select(User)).all()}
    manager, staff = users["manager@demo.example.jp"], users["staff@demo.example.jp"]
    reporter = users["vendor@demo.example.jp"]
    candidates = session.exec(
        select(Outsourcing)
        .where(Outsourcing.vendor_id == vendor.id, Outsourcing.status == OutsourcingStatus.ACTIVE)
        .order_by(Outsourcing.id)
    ).all()
    # Preferably in the demo manager's department, so that the demo accounts can act on it.
    held = next(
        (o for o in candidates if o.department_id == manager.department_id),
        candidates[0] if candidates else None,
    )
    if held is not None:
        big = incidents.report_incident(
            session=session,
            actor=reporter,
            outsourcing=held,
            report=incidents.IncidentReport(
                summary="案内文書の差込印刷で宛名と内容がずれ、他人の情報を記載した文書を発送した。",
                discovered_on=today - timedelta(days=3),
                persons=150,
                containment="未配達分の回収を郵便局に依頼し、発送を停止した。",
            ),
            today=today - timedelta(days=3),
        )
        if incidents.can_escalate(manager, big, held):
            incidents.escalate_incident(
                session=session,
                actor=manager,
                incident=big,
                outsourcing=held,
                note="被害状況（誤送付150通、回収42通）と経緯を報告する。",
            )
        incidents.record_commission_report(
            session=session,
            actor=staff,
            incident=big,
            which="first",
            filed_on=today - timedelta(days=1),
            note="個人情報保護委員会の報告フォームで速報（受付番号は台帳参照）",
            today=today,
        )
    own = session.exec(
        select(Outsourcing)
        .where(
            Outsourcing.department_id == staff.department_id,
            Outsourcing.status == OutsourcingStatus.ACTIVE,
            Outsourcing.parent_id.is_(None),  # type: ignore[union-attr]
        )
        .order_by(Outsourcing.id.desc())  # type: ignore[union-attr]
    ).first()
    if own is None:
        return
    small = incidents.report_incident(
        session=session,
        actor=staff,
        outsourcing=own,
        report=incidents.IncidentReport(
            summary="受付票2件を誤って別の申請者に返送した。",
            discovered_on=today - timedelta(days=20),
            persons=2,
            kind="leak",
            containment="返送先から受付票を回収した。",
        ),
        today=today - timedelta(days=20),
    )
    incidents.record_measures(
        session=session,
        actor=staff,
        incident=small,
        outsourcing=own,
        cause="返送前の宛名確認が一人で行われていた。",
        measures="返送時は二人で宛名と受付番号を照合し、照合欄に押印する。",
    )
    incidents.decide_publication(
        session=session,
        actor=manager,
        incident=small,
        decision="notify",
        reason="影響は2名に限られ回収済みのため、本人に連絡し謝罪する。公表は行わない。",
    )
    incidents.close_incident(session=session, actor=manager, incident=small)


SUBTASKS = ["データ入力", "印刷・封入", "システム保守", "コールセンター", "保管"]


def _node(session: Session, parent: Outsourcing | None, **fields: object) -> Outsourcing:
    node = Outsourcing(**fields)  # type: ignore[arg-type]
    place_in_chain(session=session, node=node, parent=parent)
    return node


def _load_chains(session: Session, departments: dict, vendors: list[Vendor]) -> None:
    """About 30 roots; chains down to tier 4 with subsidiaries, pending requests, a violation."""
    rng = random.Random(2026)  # noqa: S311 - demo data, not security
    today = date.today()
    officer_ids = {
        d.id: session.exec(select(User.id).where(User.department_id == d.id)).first()
        for d in departments.values()
    }
    for index, (task, division, department_name, categories, special, persons) in enumerate(TASKS):
        department = departments[(division, department_name)]
        start = date(today.year - (index % 3 == 0), 4, 1)
        end = date(start.year + 1 + index % 3, 3, 31)
        vendor = vendors[0] if index in (0, 9, 17) else vendors[(index * 7) % len(vendors)]
        root = _node(
            session,
            None,
            task_name=task,
            department_id=department.id,
            vendor_id=vendor.id,
            start_date=start,
            end_date=end,
            status=OutsourcingStatus.ACTIVE,
            pi_categories=categories,
            special_care=special,
            persons=persons,
            scope_note="業務の実施に必要な項目に限定し、それ以外の項目は提供しない。",
            requested_by_id=officer_ids.get(department.id),
            requested_at=utcnow(),
        )
        depth = 4 if index in (0, 5, 8) else rng.choice([1, 1, 2, 2, 3])
        _grow(session, root, depth, vendors, rng, officer_ids.get(department.id), index)


def _grow(
    session: Session,
    parent: Outsourcing,
    depth: int,
    vendors: list[Vendor],
    rng: random.Random,
    officer_id: int | None,
    index: int,
) -> None:
    if parent.tier >= depth:
        return
    if index == 0:  # the first chain follows the demo vendor users down to tier 4
        child_vendor = {1: vendors[1], 2: vendors[4], 3: vendors[5]}[parent.tier]
        subsidiary = child_vendor.parent_vendor_id == parent.vendor_id
        children = [(child_vendor, subsidiary)]
    else:
        count = rng.choice([1, 1, 2])
        children = []
        for _ in range(count):
            own = [v for v in vendors if v.parent_vendor_id == parent.vendor_id]
            others = [v for v in vendors if v.id != parent.vendor_id]
            child_vendor = rng.choice(own) if own and rng.random() < 0.5 else rng.choice(others)
            children.append((child_vendor, child_vendor.parent_vendor_id == parent.vendor_id))
    for n, (vendor, subsidiary) in enumerate(children):
        pending = index % 6 == 3 and parent.tier == depth - 1 and n == 0
        violation = index == 11 and parent.tier == 1
        child = _node(
            session,
            parent,
            task_name=f"{parent.task_name}（{SUBTASKS[(index + n) % len(SUBTASKS)]}）",
            department_id=parent.department_id,
            vendor_id=vendor.id,
            parent_id=parent.id,
            start_date=parent.start_date,
            end_date=parent.end_date,
            status=OutsourcingStatus.REQUESTED if pending else OutsourcingStatus.ACTIVE,
            pi_categories=parent.pi_categories,
            special_care=parent.special_care,
            persons=parent.persons,
            scope_note="元の委託の範囲のうち、再委託する作業に必要な項目に限る。",
            reason="繁忙期の処理量に対応するため、専門の事業者に作業の一部を再委託する。",
            responsible_persons="個人情報管理責任者 1名、作業従事者 5名",
            protection_measures="入退室管理された作業室、持出し禁止、作業端末の暗号化、作業後の消去証明",
            oversight_method="月1回の作業報告と年1回の実地確認を当社が行い、結果を市に報告する。",
            declared_subsidiary=subsidiary,
            entered_without_approval=violation,
            requested_at=utcnow(),
            decided_by_id=None if (pending or violation) else officer_id,
            decided_at=None if (pending or violation) else utcnow(),
            decision_comment="" if (pending or violation) else "申請内容を確認し承認する。",
        )
        if not pending:
            _grow(session, child, depth, vendors, rng, officer_id, index)


def load_large(*, session: Session, nodes: int, seed: int = 1) -> int:
    """Add about ``nodes`` outsourcings in wide, deep chains (for benchmarks); returns how many."""
    rng = random.Random(seed)  # noqa: S311 - benchmark data
    departments = session.exec(select(Department)).all()
    vendors = list(session.exec(select(Vendor)).all())
    while len(vendors) < 200:
        n = len(vendors)
        vendors.append(
            Vendor(
                name=f"株式会社ベンチマーク{n:04d}",
                corporate_number=corporate_number(f"{900000000000 + n:012d}"),
            )
        )
        session.add(vendors[-1])
    session.flush()
    today = date.today()
    made = 0
    while made < nodes:
        department = rng.choice(departments)
        root = _node(
            session,
            None,
            task_name=f"大規模委託{made:05d}",
            department_id=department.id,
            vendor_id=rng.choice(vendors).id,
            start_date=date(today.year, 4, 1),
            end_date=date(today.year + 2, 3, 31),
            status=OutsourcingStatus.ACTIVE,
            persons=rng.randint(0, 50000),
        )
        made += 1
        frontier = [root]
        while frontier and made < nodes:
            parent = frontier.pop(0)
            for _ in range(rng.choice([0, 1, 2, 3]) if parent.tier < 6 else 0):
                if made >= nodes:
                    break
                child = _node(
                    session,
                    parent,
                    task_name=f"{parent.task_name}-{made:05d}",
                    department_id=parent.department_id,
                    vendor_id=rng.choice(vendors).id,
                    parent_id=parent.id,
                    start_date=parent.start_date,
                    end_date=parent.end_date,
                    status=rng.choice(
                        [OutsourcingStatus.ACTIVE] * 8 + [OutsourcingStatus.REQUESTED]
                    ),
                    entered_without_approval=rng.random() < 0.01,
                )
                made += 1
                frontier.append(child)
    session.flush()
    return made


def reset(*, session: Session) -> None:
    """Delete every row of every table (children first)."""
    for table in reversed(SQLModel.metadata.sorted_tables):
        if table.name != "alembic_version":
            session.execute(delete(table))
    session.flush()


def print_accounts(echo: Callable[[str], None]) -> None:
    """Print the demo accounts for the developer."""
    echo("")
    echo(f"デモ用アカウント / demo accounts (password: {DEMO_PASSWORD})")
    for email, role, name, _department, _vendor in ACCOUNTS:
        echo(f"  {role.value:8} {email:28} {name}")
    for email, _vendor, name in TIER_ACCOUNTS:
        echo(f"  {'vendor':8} {email:28} {name}")
    echo("二要素認証 / second factor: vendor 以外は最初のサインインで認証アプリを登録します")
    echo("  (every role but vendor enrols an authenticator app at first sign-in; see README)")
    echo("")
