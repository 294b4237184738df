"""What other features use of the contract review: storing a document of their own record
for the clause check against a named catalog, and showing its result.

``store_document(session=…, storage=…, actor=…, owner=OWNER, record_id=…, stream=…,
filename=…)`` stores the PDF as the record's next version and queues its analysis against
``owner.catalog``; register ``OWNER`` (a :class:`DocumentOwner`) in ``DOCUMENT_OWNERS`` so that
the review pages find the record; a feature's upload view ends with
``receive_owned_upload(owner=OWNER, record=…, back=…, done=…)``. This module is the reviews
feature's public face.
"""

from __future__ import annotations

from portal.reviews.forms import UploadForm
from portal.reviews.models import ContractDocument, DocumentStatus
from portal.reviews.operations import ReviewError, record_documents, store_document
from portal.reviews.owners import DOCUMENT_OWNERS, DocumentOwner
from portal.reviews.presenters import clause_titles, status_names
from portal.reviews.uploads import receive_owned_upload

__all__ = [
    "DOCUMENT_OWNERS",
    "ContractDocument",
    "DocumentOwner",
    "DocumentStatus",
    "ReviewError",
    "UploadForm",
    "clause_titles",
    "receive_owned_upload",
    "record_documents",
    "status_names",
    "store_document",
]
