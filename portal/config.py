"""Configuration from ``PORTAL_*`` environment variables.

Development is the default; production (``PORTAL_ENV=production``) refuses to start with an
unsafe configuration rather than run with one.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INSTANCE = PROJECT_ROOT / "instance"
MIN_SECRET_KEY_LENGTH = 32
DEV_SECRET_MARKERS = ("dev", "change-me", "changeme", "secret", "insecure", "example")


class ConfigError(RuntimeError):
    """The configuration is not safe or not complete enough to start."""


def _flag(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _dev_secret_key(instance: Path) -> str:
    """A random key kept in the instance folder so development sessions survive restarts."""
    path = instance / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key


def _optional_flag(value: str | None) -> bool | None:
    """None when unset (the profile decides), else the flag's value."""
    if value is None or value.strip() == "":
        return None
    return _flag(value)


#: The features the app installs, in order (each module's ``register(app, features)`` runs;
#: see portal/features.py). The order is the order of the tree's badges; ``portal.api`` comes
#: after the features that add API routes.
DEFAULT_FEATURES: tuple[str, ...] = (
    "portal.auth",
    "portal.audit",
    "portal.main",
    "portal.admin",
    "portal.outsourcings",
    "portal.incidents",
    "portal.inspections",
    "portal.reports",
    "portal.provisions",
    "portal.structures",
    "portal.reviews",
    "portal.dispatch",
    "portal.selection",
    "portal.ledger",
    "portal.charts",
    "portal.api",
    "portal.backup",
    "portal.demo_commands",
)


def load_config(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Build the Flask configuration from ``PORTAL_*`` variables."""
    env = os.environ if environ is None else environ
    mode = env.get("PORTAL_ENV", "development").strip().lower()
    if mode not in {"development", "production", "testing"}:
        raise ConfigError(f"PORTAL_ENV must be development, production or testing, not {mode!r}")
    instance = Path(env.get("PORTAL_INSTANCE_DIR") or DEFAULT_INSTANCE)
    production = mode == "production"

    secret_key = env.get("PORTAL_SECRET_KEY", "")
    if not secret_key and not production:
        secret_key = _dev_secret_key(instance)
    backend = env.get("PORTAL_STORAGE_BACKEND", "local").strip().lower()
    storage_key = env.get("PORTAL_STORAGE_KEY", "")
    if not storage_key and not production and backend == "local":
        from portal.storage import dev_storage_key

        storage_key = dev_storage_key(instance)

    return {
        "ENV_MODE": mode,
        "PRODUCTION": production,
        "TESTING": mode == "testing",
        "DEBUG": _flag(env.get("PORTAL_DEBUG")),
        "SECRET_KEY": secret_key,
        "INSTANCE_DIR": str(instance),
        "DATABASE_URL": env.get("PORTAL_DATABASE_URL") or f"sqlite:///{instance / 'portal.db'}",
        "STORAGE_DIR": env.get("PORTAL_STORAGE_DIR") or str(instance / "storage"),
        # Uploaded files: "local" (encrypted at rest) or "s3"; see portal/storage.py.
        "STORAGE_BACKEND": backend,
        "STORAGE_KEY": storage_key,
        "S3_BUCKET": env.get("PORTAL_S3_BUCKET", ""),
        "S3_ENDPOINT_URL": env.get("PORTAL_S3_ENDPOINT_URL") or None,
        "S3_REGION": env.get("PORTAL_S3_REGION") or None,
        "S3_PREFIX": env.get("PORTAL_S3_PREFIX", ""),
        "S3_ADDRESSING_STYLE": env.get("PORTAL_S3_ADDRESSING_STYLE", "auto"),
        # Backups (portal backup / portal restore): a key apart from the storage key, and a
        # place apart from the instance; see portal/backup/operations.py.
        "BACKUP_KEY": env.get("PORTAL_BACKUP_KEY", ""),
        "BACKUP_DIR": env.get("PORTAL_BACKUP_DIR") or None,
        "BACKUP_KEEP": int(env.get("PORTAL_BACKUP_KEEP") or "0") or None,
        # Contract analysis in the worker.
        "ANALYSIS_OCR": _flag(env.get("PORTAL_ANALYSIS_OCR"), default=True),
        # OCR engine for scans: "ppocr" (PP-OCRv6 on ONNX Runtime, the default: a third of
        # Tesseract's character errors on stamped scans) or "tesseract" (half the CPU time).
        "ANALYSIS_OCR_ENGINE": _ocr_engine(env.get("PORTAL_ANALYSIS_OCR_ENGINE")),
        "ANALYSIS_MAX_PAGES": int(env.get("PORTAL_ANALYSIS_MAX_PAGES", "200")),
        # A running analysis renews its claim every few seconds; one whose claim is older
        # than the lease belongs to a dead worker and is resumed by the next one.
        "ANALYSIS_LEASE_SECONDS": int(env.get("PORTAL_ANALYSIS_LEASE_SECONDS", "60")),
        "ANALYSIS_HEARTBEAT_SECONDS": float(env.get("PORTAL_ANALYSIS_HEARTBEAT_SECONDS", "5")),
        # Page images of the evidence pages (review page): resolution and how many at most.
        "ANALYSIS_PAGE_IMAGE_DPI": int(env.get("PORTAL_ANALYSIS_PAGE_IMAGE_DPI", "110")),
        "ANALYSIS_MAX_PAGE_IMAGES": int(env.get("PORTAL_ANALYSIS_MAX_PAGE_IMAGES", "60")),
        "REDIS_URL": env.get("PORTAL_REDIS_URL") or None,
        # E-mail (reminders); without a host, notices stay in the portal.
        "SMTP_HOST": env.get("PORTAL_SMTP_HOST") or None,
        "SMTP_PORT": int(env.get("PORTAL_SMTP_PORT", "25")),
        "SMTP_FROM": env.get("PORTAL_SMTP_FROM", "itaku-portal@localhost"),
        "SMTP_USER": env.get("PORTAL_SMTP_USER") or None,
        "SMTP_PASSWORD": env.get("PORTAL_SMTP_PASSWORD") or None,
        "SMTP_STARTTLS": _flag(env.get("PORTAL_SMTP_STARTTLS")),
        "PROFILE": env.get("PORTAL_PROFILE", "miki"),
        "PROFILE_PATH": [p for p in env.get("PORTAL_PROFILE_PATH", "").split(os.pathsep) if p],
        "DEMO": _flag(env.get("PORTAL_DEMO")),
        "HUEY_SQLITE_PATH": env.get("PORTAL_HUEY_PATH") or str(instance / "jobs.db"),
        "BABEL_DEFAULT_LOCALE": "ja",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Tokyo",
        "LANGUAGES": ("ja", "en"),
        # Sessions: server-side records; the cookie only carries a random token.
        "SESSION_COOKIE_NAME": "portal_session",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _flag(env.get("PORTAL_COOKIE_SECURE"), default=production),
        "SESSION_IDLE_MINUTES": int(env.get("PORTAL_SESSION_IDLE_MINUTES", "30")),
        "SESSION_ABSOLUTE_HOURS": int(env.get("PORTAL_SESSION_ABSOLUTE_HOURS", "12")),
        "REMEMBER_COOKIE_DURATION": 0,
        "WTF_CSRF_TIME_LIMIT": None,  # the CSRF token lives as long as the session
        "MAX_CONTENT_LENGTH": int(env.get("PORTAL_MAX_UPLOAD_MB", "30")) * 1024 * 1024,
        "LOGIN_LIMITS_PER_ADDRESS": env.get("PORTAL_LOGIN_LIMIT_ADDRESS", "30 per 10 minutes"),
        "LOGIN_LIMITS_PER_ACCOUNT": env.get("PORTAL_LOGIN_LIMIT_ACCOUNT", "10 per 10 minutes"),
        "RATELIMIT_ENABLED": _flag(env.get("PORTAL_RATELIMIT_ENABLED"), default=True),
        # The access log's signed checkpoints live outside the database; the private key is
        # read only by ``portal audit checkpoint`` (see infra/), the public key by ``verify``.
        "AUDIT_CHECKPOINT_DIR": env.get("PORTAL_AUDIT_CHECKPOINT_DIR")
        or str(instance / "audit-checkpoints"),
        "AUDIT_SIGNING_KEY_FILE": env.get("PORTAL_AUDIT_SIGNING_KEY_FILE") or None,
        "AUDIT_PUBLIC_KEY_FILE": env.get("PORTAL_AUDIT_PUBLIC_KEY_FILE") or None,
        "AUDIT_DAILY_VOLUME_THRESHOLD": int(env.get("PORTAL_AUDIT_DAILY_VOLUME_THRESHOLD", "500")),
        # Second factor: keys sealing TOTP secrets (id:base64key list; see portal/auth/totp.py)
        # and whether it is required. Unset, the profile's [security] totp_required decides;
        # production refuses to switch off what the profile requires.
        "TOTP_KEY": env.get("PORTAL_TOTP_KEY", ""),
        "TOTP_REQUIRED": _optional_flag(env.get("PORTAL_TOTP_REQUIRED")),
        # Granting a role needs a sign-in (password and second factor) this recent.
        "REAUTH_MINUTES": int(env.get("PORTAL_REAUTH_MINUTES", "5")),
        "FEATURES": list(DEFAULT_FEATURES),
    }


def _ocr_engine(value: str | None) -> str:
    from contracts.ocr import DEFAULT_ENGINE, ENGINES

    engine = (value or "").strip().lower() or DEFAULT_ENGINE
    if engine not in ENGINES:
        raise ConfigError(f"PORTAL_ANALYSIS_OCR_ENGINE must be one of {', '.join(ENGINES)}")
    return engine


def check_production_safety(config: Mapping[str, Any]) -> None:
    """Refuse a production start with a weak secret, debug on, or demo data."""
    if not config.get("PRODUCTION"):
        return
    key = config.get("SECRET_KEY") or ""
    problems = []
    if len(key) < MIN_SECRET_KEY_LENGTH:
        problems.append(
            f"PORTAL_SECRET_KEY must be set to at least {MIN_SECRET_KEY_LENGTH} random characters"
        )
    elif any(marker in key.lower() for marker in DEV_SECRET_MARKERS):
        problems.append("PORTAL_SECRET_KEY looks like a development placeholder")
    if config.get("DEBUG"):
        problems.append("debug mode must be off in production (unset PORTAL_DEBUG)")
    if config.get("DEMO"):
        problems.append("demo mode is refused in production (unset PORTAL_DEMO)")
    if config.get("TOTP_REQUIRED") is False:
        problems.append(
            "PORTAL_TOTP_REQUIRED=false is refused in production (the profile's "
            "[security] totp_required decides)"
        )
    if (config.get("STORAGE_BACKEND") or "local") == "local" and not config.get("STORAGE_KEY"):
        problems.append("PORTAL_STORAGE_KEY must be set (uploaded files are encrypted with it)")
    if problems:
        raise ConfigError("refusing to start in production: " + "; ".join(problems))
