"""``python -m clauses``: see clauses.cli."""

from clauses.cli import main

raise SystemExit(main())
