"""Generate the dev set muni_o (``tests/corpus/dev/muni_o/``, no blind part).

The markup and the generation are muni_b's (``generators/muni_b.py``); run from anywhere:
``python tests/corpus/generators/muni_o.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import muni_b as generator

if __name__ == "__main__":
    generator.HERE = generator.CORPUS / "dev" / "muni_o"
    generator.main()
