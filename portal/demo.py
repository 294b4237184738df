"""Demo data: a small municipality with one account per role.

Only for development and demonstrations; production mode refuses it.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import delete
from sqlmodel import Session, SQLModel

from portal.admin.operations import create_department, create_division, create_user
from portal.corporate_number import check_digit
from portal.models import Vendor
from portal.permissions import Role

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
    echo("")
