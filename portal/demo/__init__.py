"""Demo data: a small municipality with one account per role.

Only for development and demonstrations; production mode refuses it. The tables it is made
from are in :mod:`portal.demo.data`; its contract documents (typeset, stored and analysed by
``portal demo load``) in :mod:`portal.demo.contracts` and :mod:`portal.demo.contract_texts`.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta

from sqlalchemy import Engine, MetaData, inspect
from sqlmodel import Session, select

from portal.admin.operations import create_department, create_division, create_user
from portal.corporate_number import check_digit
from portal.demo import year
from portal.demo.data import (
    ACCOUNTS,
    DEMO_PASSWORD,
    ORGANISATION,
    TASKS,
    TIER_ACCOUNTS,
    VENDORS,
)
from portal.demo.dispatch import load_dispatch
from portal.demo.selection import load_selection
from portal.demo.structures import load_structures
from portal.models import Department, Outsourcing, OutsourcingStatus, User, Vendor
from portal.outsourcings.operations import place_in_chain
from portal.permissions import Role
from portal.timeutil import utcnow

__all__ = [
    "ACCOUNTS",
    "DEMO_PASSWORD",
    "ORGANISATION",
    "TASKS",
    "TIER_ACCOUNTS",
    "VENDORS",
    "corporate_number",
    "load",
    "load_large",
    "print_accounts",
    "reset",
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
    load_structures(session)
    _report_incidents(session, vendors[0])
    # The upgrade tests load the demo into the schema of an earlier migration: the records of
    # features whose tables that schema lacks are left out, everything else is as before.
    present = set(inspect(session.connection()).get_table_names())
    if "certifications" in present:
        load_selection(session=session, vendors=vendors, today=date.today())
    if "dispatch_contracts" in present:
        load_dispatch(session=session)
    if "provisions" in present:
        _load_provisions(session)


def _load_provisions(session: Session) -> None:
    """Provisions to outside bodies with the profile's safety measures (see demo.provisions)."""
    from flask import current_app

    from portal.demo.provisions import load_provisions

    measures = current_app.extensions["portal.profile"].safety_measures()
    load_provisions(session=session, measures=measures)


def _plan_inspections(session: Session) -> None:
    """Every active node gets its open inspection; the year is proposed and mostly accepted."""
    from portal.inspections.models import Inspection
    from portal.inspections.operations import accept_proposals, propose_plan, sync_inspections

    today = date.today()
    # A year's history: the inspections that fell due are done (two left overdue).
    year.record_past_inspections(session=session, today=today)
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
    # The other vendors filed theirs, mostly on time (two late, one returned).
    year.file_past_reports(session=session, today=today)


def _report_incidents(session: Session, vendor: Vendor) -> None:
    """Two incidents: one the demo vendor reported two days ago (150 persons, so the
    Commission must be told; escalated once, the 速報 filed within its window), and a
    small one that is closed with its measures shared and the publication decision recorded."""
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
                discovered_on=today - timedelta(days=2),
                persons=150,
                containment="未配達分の回収を郵便局に依頼し、発送を停止した。",
            ),
            today=today - timedelta(days=2),
        )
        if incidents.can_escalate(manager, big, held):
            incidents.escalate_incident(
                session=session,
                actor=manager,
                incident=big,
                outsourcing=held,
                note="被害状況（誤送付150通、回収42通）と経緯を報告する。",
            )
        # Its 速報 to the Commission is still to file, inside its window (5 days from
        # awareness): the home page counts the days left.
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
        # Every contract runs through the current fiscal year (April to March); a third of
        # them began the year before.
        fiscal = year.fiscal_year(today)
        start = date(fiscal - (index % 3 == 0), 4, 1)
        end = date(fiscal + 1 + index % 3, 3, 31)
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
    root = (
        parent if parent.root_id in (None, parent.id) else session.get(Outsourcing, parent.root_id)
    )
    root_task = root.task_name if root is not None else parent.task_name
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
        # One request waits for the officer's decision (the first chain deep enough).
        pending = (
            index == 5
            and parent.tier == depth - 1
            and n == 0
            and session.exec(
                select(Outsourcing.id).where(Outsourcing.status == OutsourcingStatus.REQUESTED)
            ).first()
            is None
        )
        violation = index == 11 and parent.tier == 1
        child = _node(
            session,
            parent,
            task_name=year.subtask_name(root_task, parent.tier + 1, index + n),
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


def rebuild(engine: Engine) -> None:
    """Drop every table and build the schema again through the migrations, as the tests do.

    Deleting the rows cannot work: the access log's chain head refuses DELETE (a trigger),
    which is the point of it. The demo database is thrown away whole instead.
    """
    from portal import migrate

    if engine.dialect.name == "postgresql":
        # The schema holds the trigger functions too; it goes with everything in it.
        with engine.begin() as connection:
            connection.exec_driver_sql("DROP SCHEMA public CASCADE")
            connection.exec_driver_sql("CREATE SCHEMA public")
    else:
        metadata = MetaData()
        metadata.reflect(bind=engine)
        metadata.drop_all(bind=engine)  # the triggers of SQLite go with their tables
    migrate.upgrade(engine)


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
