"""Photos and PDFs kept with an inspection record, through the encrypted storage."""

from __future__ import annotations

import io
from datetime import date

from chain_helpers import make_node
from PIL import Image

from pdfgen import reportlab_pdf
from portal.inspections.models import Inspection
from portal.permissions import Role
from portal_testing import csrf_token, sign_in


def png_bytes(colour: str = "red") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def setup_inspection(factory, db_session):
    officer = factory.user(Role.STAFF)
    vendor = factory.vendor()
    node = make_node(factory, department_id=officer.department_id, vendor=vendor)
    inspection = Inspection(outsourcing_id=node.id, due_date=date(2027, 3, 1))
    db_session.add(inspection)
    db_session.commit()
    return officer, vendor, inspection


def attach(client, inspection_id: int, data: bytes, name: str):
    page = f"/inspections/{inspection_id}"
    return client.post(
        f"{page}/attachments",
        data={"csrf_token": csrf_token(client, page), "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
        follow_redirects=True,
    )


def test_photo_and_pdf_are_kept_and_downloaded_safely(app, client, factory, db_session):
    officer, vendor, inspection = setup_inspection(factory, db_session)
    sign_in(client, officer.email)
    photo = png_bytes()
    html = attach(client, inspection.id, photo, "作業室の写真.png").get_data(as_text=True)
    assert "「作業室の写真.png」を添付しました。" in html
    attach(client, inspection.id, reportlab_pdf("入退室記録の写し"), "入退室記録.pdf")

    from sqlmodel import select

    from portal.inspections.models import InspectionAttachment

    items = db_session.exec(select(InspectionAttachment).order_by(InspectionAttachment.id)).all()
    assert [i.content_type for i in items] == ["image/png", "application/pdf"]
    response = client.get(f"/inspections/attachments/{items[0].id}")
    assert response.status_code == 200 and response.get_data() == photo
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "filename*=UTF-8''%E4%BD%9C%E6%A5%AD" in response.headers["Content-Disposition"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == "sandbox"

    # The inspected vendor sees the result with its attachments; another vendor does not.
    vendor_client = app.test_client()
    sign_in(vendor_client, factory.user(Role.VENDOR, vendor_id=vendor.id).email)
    assert vendor_client.get(f"/inspections/attachments/{items[0].id}").status_code == 200
    stranger = app.test_client()
    sign_in(stranger, factory.user(Role.VENDOR).email)
    assert stranger.get(f"/inspections/attachments/{items[0].id}").status_code == 404


def test_wrong_type_and_duplicate_are_refused_in_japanese(client, factory, db_session):
    officer, _vendor, inspection = setup_inspection(factory, db_session)
    sign_in(client, officer.email)
    html = attach(client, inspection.id, b"just text, not a photo", "memo.txt").get_data(
        as_text=True
    )
    assert "添付できるのは写真（JPEG・PNG）とPDFだけです。" in html
    photo = png_bytes("blue")
    attach(client, inspection.id, photo, "a.png")
    html = attach(client, inspection.id, photo, "b.png").get_data(as_text=True)
    assert "同じファイルが既に添付されています（a.png）。" in html
