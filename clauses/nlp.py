"""The GiNZA model, loaded once per process and only when first needed."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # spaCy is imported lazily: importing clauses must stay cheap.
    from spacy.language import Language
    from spacy.tokens import Doc

MODEL = "ja_ginza"
# NER finds nothing a clause needs and costs ~40% of the parse; the compound splitter and
# bunsetu recognizer are not used either.
EXCLUDED = ("ner", "compound_splitter", "bunsetu_recognizer")
# SudachiPy refuses input over 49,149 bytes; sentences are far shorter, but a pathological
# "sentence" (a table flattened without 。) must not crash the parse.
MAX_BYTES = 49_149
MAX_CHARS = MAX_BYTES // 3

_lock = threading.Lock()
_nlp: Language | None = None


def get_nlp() -> Language:
    """The shared ja_ginza pipeline (without NER), loaded on first use."""
    global _nlp
    if _nlp is None:
        with _lock:
            if _nlp is None:
                import spacy

                _nlp = spacy.load(MODEL, exclude=list(EXCLUDED))
    return _nlp


def is_loaded() -> bool:
    """Whether the model has been loaded in this process."""
    return _nlp is not None


def parse(texts: Iterable[str], *, batch_size: int = 32) -> Iterator[Doc]:
    """Parse short texts (sentences) in batches; over-long ones are cut to a safe size."""
    nlp = get_nlp()
    safe = (t if len(t.encode("utf-8")) <= MAX_BYTES else t[:MAX_CHARS] for t in texts)
    yield from nlp.pipe(safe, batch_size=batch_size)
