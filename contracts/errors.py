"""Errors raised while turning a file into a Document.

Each carries a stable ``code`` (for APIs and job records) and a Japanese message for users.
"""

from __future__ import annotations


class ContractError(Exception):
    """A file could not be turned into a Document."""

    code = "contract_error"
    message_ja = "契約書を読み取れませんでした。"

    def __init__(self, detail: str = "", *, message_ja: str | None = None) -> None:
        super().__init__(detail or self.code)
        self.detail = detail
        if message_ja is not None:
            self.message_ja = message_ja


class NotPDFError(ContractError):
    code = "not_pdf"
    message_ja = "PDFファイルではありません。PDF形式の契約書を選んでください。"


class EncryptedPDFError(ContractError):
    code = "encrypted"
    message_ja = (
        "パスワードで保護（暗号化）されたPDFは読み取れません。保護を解除したPDFを登録してください。"
    )


class BrokenPDFError(ContractError):
    code = "broken_pdf"
    message_ja = "PDFファイルが壊れているため読み取れません。元のファイルから作り直してください。"


class TooManyPagesError(ContractError):
    code = "too_many_pages"
    message_ja = "ページ数が上限を超えています。"


class NoPagesError(ContractError):
    code = "no_pages"
    message_ja = "PDFにページがありません。契約書のページを含むPDFを登録してください。"


class BlankPDFError(ContractError):
    code = "blank_pdf"
    message_ja = "PDFの先頭のページが白紙で、文字も画像もありません。契約書のPDFを選んでください。"


class LimitExceededError(ContractError):
    """Memory, CPU time or text size ran past its limit (a hostile or pathological file)."""

    code = "limit_exceeded"
    message_ja = "ファイルの処理が制限（メモリ・時間・文字数）を超えたため中止しました。"


class OCRUnavailableError(ContractError):
    code = "ocr_unavailable"
    message_ja = (
        "スキャンされたページがありますが、文字認識（OCR）が利用できないため読み取れません。"
    )


class EmptyDocumentError(ContractError):
    code = "empty"
    message_ja = "契約書から文字を読み取れませんでした。"


class TextEncodingError(ContractError):
    code = "text_encoding"
    message_ja = "テキストファイルはUTF-8で保存してください。"
