"""Error pages in Japanese with a request id; never a traceback to a user."""

from __future__ import annotations

import logging

from flask import Flask, current_app, g, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError

from portal.db import db
from portal.features import ACCESS_DENIED, current_features
from portal.security import request_id
from portal.storage import StorageFull, StorageUnavailable

log = logging.getLogger(__name__)


def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: (_("リクエストが正しくありません"), _("入力内容を確認して、もう一度お試しください。")),
        401: (_("サインインが必要です"), _("この操作にはサインインが必要です。")),
        403: (
            _("権限がありません"),
            _(
                "このページを表示する権限がありません。必要な場合は所属の責任者にお問い合わせください。"
            ),
        ),
        404: (
            _("ページが見つかりません"),
            _("お探しのページは存在しないか、表示できる範囲にありません。"),
        ),
        405: (_("この操作はできません"), _("このページではその操作を受け付けていません。")),
        413: (
            _("ファイルが大きすぎます"),
            _("アップロードできるファイルの大きさの上限を超えています。"),
        ),
        429: (
            _("操作が多すぎます"),
            _(
                "短い時間に操作が集中したため、一時的に受付を停止しています。しばらく待ってからお試しください。"
            ),
        ),
        500: (
            _("システムエラーが発生しました"),
            _(
                "処理中に問題が発生しました。時間をおいてお試しください。続く場合は受付番号を添えて管理者にご連絡ください。"
            ),
        ),
        503: (
            _("ただいま利用できません"),
            _("システムが一時的に利用できません。しばらく待ってからお試しください。"),
        ),
        507: (
            _("保存領域が不足しています"),
            _(
                "保存領域に空きがないため、ファイルを保存できませんでした。登録は行われていません。受付番号を添えて管理者にご連絡ください。"
            ),
        ),
    }


def is_disconnect(error: BaseException) -> bool:
    """Whether ``error`` says the database cannot be reached (down, restarting, connection
    dropped) rather than that a statement is wrong: the request may succeed later."""
    if isinstance(error, OperationalError | InterfaceError):
        return True
    return isinstance(error, DBAPIError) and error.connection_invalidated


def render_error(
    code: int, message: str | None = None, *, without_database: bool = False
) -> ResponseReturnValue:
    """The Japanese error page (or JSON for the API) for ``code``.

    ``without_database``: the page is drawn as for a signed-out visitor, since the signed-in
    user's row (expired by the rollback) cannot be read back from a database that is gone.
    """
    title, default = _messages().get(code, _messages()[500])
    body = message or default
    if code in {401, 403}:
        _record_denial(code)
    if request.path.startswith("/api/"):
        return jsonify(error=body, request_id=request_id()), code
    offline: dict = {}
    if without_database:
        offline = {"current_user": current_app.login_manager.anonymous_user(), "nav_items": list}
    html = render_template("errors/error.html", code=code, title=title, message=body, **offline)
    return html, code


def _record_denial(code: int) -> None:
    # The access log (a feature) listens here; the core does not know who records what.
    for hook in current_features().get(ACCESS_DENIED):
        hook(code)


def init_app(app: Flask) -> None:
    """Register the handlers."""

    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError) -> ResponseReturnValue:
        return render_error(
            400,
            _(
                "フォームの有効期限が切れたか、不正な送信です。ページを読み込み直してから、もう一度お試しください。"
            ),
        )

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException) -> ResponseReturnValue:
        if isinstance(error, InternalServerError):
            return _internal(error)
        return render_error(error.code or 500)

    @app.errorhandler(DBAPIError)
    def _database_error(error: DBAPIError) -> ResponseReturnValue:
        if not is_disconnect(error):
            return _internal(error)
        return database_unavailable(error)

    @app.errorhandler(StorageUnavailable)
    def _storage_down(error: StorageUnavailable) -> ResponseReturnValue:
        log.error("file storage unavailable [request %s]: %s", request_id(), error)
        _safe_rollback()
        return render_error(
            503,
            _(
                "ファイルの保管先に接続できないため、ファイルを保存できませんでした。登録は行われていません。しばらく待ってからお試しください。"
            ),
        )

    @app.errorhandler(StorageFull)
    def _storage_full(error: StorageFull) -> ResponseReturnValue:
        log.error("file storage full [request %s]: %s", request_id(), error)
        _safe_rollback()
        return render_error(507)

    @app.errorhandler(Exception)
    def _internal(error: Exception) -> ResponseReturnValue:
        log.exception("unhandled error [request %s]", request_id())
        _safe_rollback()
        return render_error(500)


def database_unavailable(error: BaseException) -> ResponseReturnValue:
    """The 503 for a database that cannot be reached; what the request did is rolled back."""
    log.error("database unavailable [request %s]: %s", request_id(), error)
    g.database_unavailable = True  # nothing more is read from it (e.g. the user's locale)
    _safe_rollback()
    return render_error(503, without_database=True)


def _safe_rollback() -> None:
    try:
        db.rollback()
    except Exception:
        log.warning("rollback failed [request %s]", request_id())
