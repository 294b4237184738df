"""Demo provisions to outside bodies and pseudonymisation decisions (保有個人情報の提供)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session, select

from portal.models import Outsourcing, User


def load_provisions(*, session: Session, measures: dict[str, str]) -> None:
    """Three provisions of the demo staff's department (one checked on site with an
    improvement still open, one not pseudonymised with its reason, one ended), and the
    pseudonymisation decision of the first outsourcings of that department."""
    from portal.provisions import operations as ops

    today = date.today()
    staff = session.exec(select(User).where(User.email == "staff@demo.example.jp")).one()
    department_id = staff.department_id
    if department_id is None:  # the demo's staff always has one; be safe for edited data
        return
    codes = list(measures)
    entries = [
        ops.ProvisionData(
            recipient_name="兵庫県企画部統計課",
            recipient_kind="administrative",
            information_name="住民基本台帳",
            purpose="学校基本調査の調査対象名簿の作成",
            legal_basis="統計法第9条、学校基本調査規則",
            record_scope="調査基準日現在の学齢児童のいる世帯：氏名、住所、生年月日、性別",
            usage_form="暗号化した電子媒体による一括提供（年1回）",
            start_date=today - timedelta(days=200),
            end_date=None,
            agreement_date=today - timedelta(days=210),
            persons=3400,
            safety_measures=codes[:6],
            safety_measures_note="媒体は職員が手渡しし、受領書を徴する。",
            pseudonymisation="replaced",
            pseudonymisation_reason="",
        ),
        ops.ProvisionData(
            recipient_name="三木市社会福祉協議会",
            recipient_kind="other",
            information_name="避難行動要支援者名簿",
            purpose="平常時の見守り活動及び災害時の避難支援",
            legal_basis="災害対策基本法第49条の11第2項、三木市避難行動要支援者支援条例",
            record_scope="同意を得た要支援者：氏名、住所、電話番号、支援を要する事由",
            usage_form="紙の名簿の写しの交付（年2回更新）",
            start_date=today - timedelta(days=400),
            end_date=None,
            agreement_date=today - timedelta(days=410),
            persons=860,
            safety_measures=codes,
            safety_measures_note="名簿は施錠できる保管庫で保管し、更新時に旧名簿を回収する。",
            pseudonymisation="not_applied",
            pseudonymisation_reason="訪問による見守りと避難支援に氏名・住所が欠かせないため。",
        ),
        ops.ProvisionData(
            recipient_name="国立大学法人○○大学 医学部",
            recipient_kind="other",
            information_name="特定健康診査結果",
            purpose="生活習慣病予防に関する疫学研究",
            legal_basis="個人情報の保護に関する法律第69条第2項第4号（学術研究）",
            record_scope="令和5年度受診者：受診年度、年齢階級、性別、検査値",
            usage_form="識別できる記載を削除した電子ファイルの提供",
            start_date=today - timedelta(days=700),
            end_date=today - timedelta(days=300),
            agreement_date=today - timedelta(days=720),
            persons=5200,
            safety_measures=codes[:4],
            safety_measures_note="",
            pseudonymisation="removed",
            pseudonymisation_reason="",
        ),
    ]
    created = [
        ops.register_provision(
            session=session, actor=staff, department_id=department_id, data=entry, measures=measures
        )
        for entry in entries
    ]
    created[2].status = "ended"
    ops.record_check(
        session=session,
        provision=created[1],
        actor=staff,
        data=ops.CheckData(
            checked_on=today - timedelta(days=20),
            timing="during",
            method="on_site",
            result="improvement",
            findings="名簿は保管庫にあったが、保管庫の鍵が机上に置かれていた。",
            improvement_request="保管庫の鍵の管理者を定め、鍵の貸出を記録すること。",
            follow_up_due=today + timedelta(days=5),
        ),
        today=today,
        follow_up_days=30,
    )
    ops.record_check(
        session=session,
        provision=created[0],
        actor=staff,
        data=ops.CheckData(
            checked_on=today - timedelta(days=205),
            timing="before",
            method="documents",
            result="adequate",
            findings="受領後の保管方法と消去の手順を書面で確認した。",
        ),
        today=today,
        follow_up_days=30,
    )
    nodes = session.exec(
        select(Outsourcing)
        .where(Outsourcing.department_id == department_id, Outsourcing.parent_id.is_(None))
        .order_by(Outsourcing.id)
        .limit(2)
    ).all()
    for node, (method, reason) in zip(
        nodes,
        [("replaced", ""), ("not_applied", "通知書の宛名印字に氏名・住所が必要なため。")],
        strict=False,
    ):
        ops.record_outsourcing_pseudonymisation(
            session=session, outsourcing=node, actor=staff, method=method, reason=reason
        )
    session.flush()
