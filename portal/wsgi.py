"""The WSGI entry point for gunicorn: ``gunicorn -c infra/gunicorn.conf.py portal.wsgi:app``."""

import gc

from portal import create_app

app = create_app()
# The objects made at start-up live as long as the process: take them out of the cyclic
# collector's generations so that a large page (a tree of thousands of nodes) does not pay
# for re-scanning them at every full collection (bench/bench_tree.py: 180 ms → 95 ms).
gc.collect()
gc.freeze()
