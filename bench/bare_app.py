"""The baseline for the load test: a bare Flask page served by the same gunicorn settings.

gunicorn -c infra/gunicorn.conf.py bench.bare_app:app
"""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def index() -> str:
    return "ok"
