"""The GiNZA model is loaded once for the whole clauses test session."""

from __future__ import annotations

import pytest

from clauses.nlp import get_nlp


@pytest.fixture(scope="session")
def nlp():
    """The shared ja_ginza pipeline."""
    return get_nlp()
