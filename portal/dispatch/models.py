"""労働者派遣契約: contracts under which dispatched workers (派遣労働者) handle held personal
information (三木市 第37条第5項 / 久喜市 第36条第5項). Their contract PDF is checked against
the ``dispatch`` clause catalog by the contract review (portal/reviews, owner kind
``dispatch``)."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Field, SQLModel

from portal.timeutil import utcnow


class DispatchContract(SQLModel, table=True):
    """One 労働者派遣契約 between a department and a 派遣元 (a vendor)."""

    __tablename__ = "dispatch_contracts"

    id: int | None = Field(default=None, primary_key=True)
    # The municipality's contract number: one record per contract (a second is a duplicate).
    contract_number: str = Field(max_length=50, unique=True)
    department_id: int = Field(foreign_key="departments.id", index=True)
    vendor_id: int = Field(foreign_key="vendors.id", index=True)  # 派遣元
    work: str = Field(max_length=500)  # 派遣業務の内容
    personal_information: str = Field(default="", max_length=500)  # 取り扱う保有個人情報
    period_start: date
    period_end: date
    workers: int  # 派遣労働者数
    # 第8条 (三木市 第9条): dispatched workers are among the staff to be trained.
    trained_on: date | None = Field(default=None)
    created_by_id: int | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


__all__ = ["DispatchContract"]
