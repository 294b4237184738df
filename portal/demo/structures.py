"""Demo management structures: every active node owes one; the demo vendor has one
confirmed (and a change since, awaiting confirmation), one submitted, and one draft."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session, select

from portal.features import current_features
from portal.models import Outsourcing, OutsourcingStatus, User
from portal.permissions import Role


def load_structures(session: Session) -> None:
    """Owe every active node its structure and fill in the demo vendor's first three."""
    if "portal.structures" not in current_features().names:
        return  # the feature is not installed: its tables may not even exist
    from portal.structures.models import ManagementStructure
    from portal.structures.operations import (
        StructureContent,
        review_structure,
        save_structure,
        start_revision,
        sync_structures,
    )
    from portal.structures.rules import StaffMember

    today = date.today()
    sync_structures(session=session, today=today)
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
    trained = today - timedelta(days=60)
    content = StructureContent(
        responsible_name="高橋 誠",
        responsible_title="個人情報管理責任者（業務部長）",
        responsible_contact="0794-00-0000",
        staff=(
            StaffMember("田中 美咲", 1, trained, trained),
            StaffMember("伊藤 健", 1, trained, trained),
            StaffMember("データ入力オペレーター（派遣）", 4, trained, trained, dispatched=True),
        ),
        places=("本社 第2入力センター（兵庫県三木市）",),
        systems=("データ入力システム（閉域網、持出し不可端末）",),
    )
    for number, root in enumerate(roots[:3]):
        structure = session.exec(
            select(ManagementStructure).where(ManagementStructure.outsourcing_id == root.id)
        ).one()
        save_structure(
            session=session,
            actor=vendor_user,
            structure=structure,
            outsourcing=root,
            content=content,
            submit=number < 2,
            today=today,
        )
        officer = session.exec(
            select(User).where(User.department_id == root.department_id, User.role == Role.STAFF)
        ).first()
        if number == 0 and officer is not None:
            review_structure(
                session=session,
                actor=officer,
                structure=structure,
                outsourcing=root,
                accept=True,
                comment="",
            )
            # A dispatched worker joined since: the change waits for confirmation.
            change = start_revision(
                session=session, actor=vendor_user, outsourcing=root, today=today
            )
            save_structure(
                session=session,
                actor=vendor_user,
                structure=change,
                outsourcing=root,
                content=StructureContent(
                    **{
                        **content.__dict__,
                        "staff": (
                            *content.staff,
                            StaffMember("山本 彩（派遣）", 1, today, today, dispatched=True),
                        ),
                    }
                ),
                submit=True,
                today=today,
            )
