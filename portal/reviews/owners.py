"""Records other than outsourcings whose contract documents the review checks.

A feature whose record has a contract PDF (a dispatch contract, a provision agreement)
registers a :class:`DocumentOwner` once::

    features.add(DOCUMENT_OWNERS, DocumentOwner(kind="dispatch", catalog="dispatch", ...))

and stores a document with ``portal.reviews.operations.store_document``. The review pages
(progress, the catalog's matters as cards, evidence, officers' reviews, page images) then
work for that record as they do for an outsourcing, within the feature's own scope.
This module is the reviews feature's public face for the others.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from portal.features import Slot, current_features
from portal.models import User


@dataclass(frozen=True)
class DocumentOwner:
    """How the review reaches one kind of record: scope, rights, links and the catalog."""

    kind: str  # stored in ContractDocument.owner_kind
    catalog: str  # the clause catalog its documents are checked against
    # The record if ``user`` may see it, else None (the review answers 404).
    load: Callable[[Session, User, int], Any | None]
    can_upload: Callable[[User, Any], bool]
    can_review: Callable[[User, Any], bool]
    label: Callable[[Any], str]  # the record's name in breadcrumbs
    url: Callable[[Any], str]  # the record's page (its document list and upload form)


#: The record kinds other features registered.
DOCUMENT_OWNERS: Slot[DocumentOwner] = Slot("document_owners")


def document_owner(kind: str) -> DocumentOwner | None:
    """The registered owner ``kind`` of the current app, or None."""
    return next((o for o in current_features().get(DOCUMENT_OWNERS) if o.kind == kind), None)
