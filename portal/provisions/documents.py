"""The provision agreement's PDF checked by the clause engine against the ``provision``
catalog (提供先との書面: 利用目的, 根拠法令, 記録範囲及び記録項目, 利用形態 and the safety
measures), through the contract review's public face (``portal.reviews.shared``)."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from sqlmodel import Session

from portal.models import User
from portal.permissions import Permission
from portal.provisions.models import Provision
from portal.provisions.queries import get_visible_provision
from portal.reviews.shared import ContractDocument, DocumentOwner, record_documents

OWNER_KIND = "provision"
CATALOG = "provision"


def can_manage(user: User, provision: Provision) -> bool:
    """An officer of the department that provides."""
    return user.can(Permission.MANAGE_PROVISIONS) and user.department_id == provision.department_id


def can_upload(user: User, provision: Provision) -> bool:
    """The providing department's officers store the signed agreement."""
    return user.can(Permission.UPLOAD_CONTRACTS) and can_manage(user, provision)


def can_review(user: User, provision: Provision) -> bool:
    """The providing department's officers confirm or override a matter's status."""
    return user.can(Permission.REVIEW_CONTRACTS) and can_manage(user, provision)


OWNER = DocumentOwner(
    kind=OWNER_KIND,
    catalog=CATALOG,
    load=lambda session, user, record_id: get_visible_provision(
        session=session, user=user, provision_id=record_id
    ),
    can_upload=can_upload,
    can_review=can_review,
    label=lambda provision: _("提供：%(recipient)s", recipient=provision.recipient_name),
    url=lambda provision: url_for("provisions.detail", provision_id=provision.id),
)


def agreement_documents(*, session: Session, provision: Provision) -> list[ContractDocument]:
    """The stored versions of the provision's agreement PDF, newest first."""
    return record_documents(session=session, owner=OWNER, record_id=provision.id)  # type: ignore[arg-type]
