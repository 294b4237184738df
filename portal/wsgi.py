"""The WSGI entry point for gunicorn: ``gunicorn -c infra/gunicorn.conf.py portal.wsgi:app``."""

from portal import create_app

app = create_app()
