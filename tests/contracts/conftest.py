"""Contract texts shared by the extraction tests (the PDFs are cached in tests/pdfgen.py)."""

from __future__ import annotations

import pytest

TITLE = "個人情報の取扱いに関する業務委託契約書"
HEADER = "委託契約書（試験用）　社外秘"

# Article bodies long enough to wrap over several lines, with full- and half-width digits.
_ARTICLES = [
    (
        "秘密保持",
        "乙は、本業務の遂行に当たって知り得た個人情報を他に漏らしてはならず、"
        "本契約の目的以外の目的に利用してはならない。本契約が終了し、又は解除された後においても、同様とする。",
    ),
    (
        "再委託の制限",
        "乙は、甲の書面による事前の承諾を得た場合を除き、本業務の全部又は一部を"
        "第三者（乙の子会社を含む。）に再委託してはならない。",
    ),
    (
        "複製等の制限",
        "乙は、甲の指示又は承諾がある場合を除き、本業務に係る個人情報を複製し、"
        "又は複写してはならない。",
    ),
    (
        "安全管理措置",
        "乙は、個人情報の漏えい、滅失又はき損の防止その他の個人情報の適切な管理の"
        "ために必要な措置を講じなければならない。",
    ),
    (
        "事故発生時の対応",
        "乙は、個人情報の漏えい等の事案が発生し、又は発生したおそれがあることを"
        "知ったときは、直ちに甲に報告し、甲の指示に従わなければならない。",
    ),
    (
        "返還及び消去",
        "乙は、本契約が終了したときは、甲の指示に従い、個人情報が記録された媒体を"
        "甲に返還し、又は個人情報を消去しなければならない。",
    ),
]


def contract_text(articles: int = 20, *, full_width: bool = False) -> str:
    """A contract: title, preamble, numbered articles with paragraphs and items."""
    digits = str.maketrans("0123456789", "０１２３４５６７８９") if full_width else None
    lines = [TITLE, "甲と乙は、甲が乙に委託する業務に関し、次のとおり契約を締結する。"]
    for n in range(1, articles + 1):
        heading, body = _ARTICLES[(n - 1) % len(_ARTICLES)]
        number = str(n).translate(digits) if digits else str(n)
        lines.append(f"第{number}条（{heading}）")
        lines.append(body)
        two = "２" if full_width else "2"
        lines.append(
            f"{two}　乙は、前項の義務を従事者に遵守させるため、令和7年4月1日から"
            f"毎年{number}回以上の研修を実施し、その結果を甲に書面により報告しなければならない。"
        )
        if n % 3 == 0:
            lines.append("（１）従事者の氏名及び所属")
            lines.append(
                "（２）研修の実施日、実施場所及び内容並びに受講した従事者の人数及び理解度の確認結果"
            )
    return "\n".join(lines)


@pytest.fixture(scope="session")
def contract() -> str:
    """About four pages of contract text with half-width digits."""
    return contract_text()


@pytest.fixture(scope="session")
def contract_full_width() -> str:
    """The same contract with full-width digits (第１２条, ２　乙は)."""
    return contract_text(full_width=True)


@pytest.fixture(scope="session")
def short_contract() -> str:
    """One page, for OCR tests."""
    return contract_text(3)
