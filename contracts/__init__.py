"""Turn a contract file (PDF or UTF-8 text) into a structured Document.

``from contracts import load; doc = load("contract.pdf")``. PDF support is imported lazily.
"""

from contracts.document import (
    Article,
    Document,
    Item,
    PageSpan,
    Paragraph,
    Section,
    Sentence,
    build_document,
    load,
)
from contracts.errors import (
    BrokenPDFError,
    ContractError,
    EmptyDocumentError,
    EncryptedPDFError,
    LimitExceededError,
    NotPDFError,
    OCRUnavailableError,
    TextEncodingError,
    TooManyPagesError,
)
from contracts.pages import PageText, Progress

__all__ = [
    "Article",
    "BrokenPDFError",
    "ContractError",
    "Document",
    "EmptyDocumentError",
    "EncryptedPDFError",
    "Item",
    "LimitExceededError",
    "NotPDFError",
    "OCRUnavailableError",
    "PageSpan",
    "PageText",
    "Paragraph",
    "Progress",
    "Section",
    "Sentence",
    "TextEncodingError",
    "TooManyPagesError",
    "build_document",
    "load",
]
