"""The demo's contract texts, written for the demo (no real contract is quoted).

A contract is put together from its parties, the task and, for each of the eight matters of
the regulation (CLAUSES.md), a wording that imposes it (``S``), one that only mentions it or
imposes part of it (``W``), or nothing (``M``). Three drafting styles are used, as Japanese
municipalities' contracts are written: 甲/乙 with numbered articles, 発注者/受注者 as in the
standard public-works form, and 市/受託者 with a separate 個人情報取扱特記事項 of numbered
items. The expected verdict of each demo contract is thus known, and the demo's test checks
the analysis against it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

CLAUSE_ORDER = (
    "confidentiality",
    "subcontracting",
    "copying",
    "security",
    "incident",
    "return_deletion",
    "breach_remedies",
    "reporting_audit",
)
HEADINGS = {
    "confidentiality": "秘密の保持",
    "subcontracting": "再委託の制限",
    "copying": "複写及び複製の禁止",
    "security": "安全管理措置",
    "incident": "事故発生時の報告",
    "return_deletion": "資料等の返還及び廃棄",
    "breach_remedies": "契約の解除及び損害賠償",
    "reporting_audit": "報告及び調査",
}

# {A}: the one who entrusts (the city, or the contractor in a subcontract); {B}: the one who
# handles the personal information. Each list holds alternative wordings; the demo picks one
# per contract so that no two read alike.
WORDINGS: dict[str, dict[str, list[str]]] = {
    "confidentiality": {
        "S": [
            "{B}は、この契約による業務に関して知り得た個人情報をみだりに他人に知らせてはならない。"
            "この契約が終了し、又は解除された後においても、同様とする。\n"
            "2　{B}は、この契約による業務を処理するために{A}から提供を受け、又は自ら収集した"
            "個人情報を、当該業務の目的以外の目的に利用し、又は第三者に提供してはならない。",
            "{B}は、本業務の遂行上知り得た個人情報を第三者に漏らしてはならず、"
            "本業務の目的以外の目的のために利用してはならない。"
            "本契約の終了後も同様とする。",
        ],
        "W": [
            "{B}は、本業務に関して知り得た{A}の秘密情報を、{A}の承諾なく第三者に開示して"
            "はならない。",
        ],
    },
    "subcontracting": {
        "S": [
            "{B}は、あらかじめ{A}の書面による承諾を得た場合を除き、この契約による業務の全部"
            "又は一部を第三者（{B}の子会社（会社法（平成17年法律第86号）第2条第3号に規定する"
            "子会社をいう。）を含む。）に委託してはならない。",
            "{B}は、{A}の事前の承認を受けなければ、本業務における個人情報の取扱いを第三者に"
            "再委託してはならない。",
        ],
        "W": [
            "{B}は、本業務の一部を第三者に再委託することができる。この場合において、{B}は、"
            "再委託先の名称及び所在地を{A}に通知するものとする。",
        ],
    },
    "copying": {
        "S": [
            "{B}は、{A}の指示又は承諾があるときを除き、この契約による業務を処理するために"
            "{A}から提供を受けた個人情報が記録された資料等を複写し、又は複製してはならない。",
        ],
        "W": [
            "{B}は、業務の目的の範囲を超えて、個人情報を複製してはならない。",
        ],
    },
    "security": {
        "S": [
            "{B}は、この契約による業務に係る個人情報の漏えい、滅失又はき損の防止その他の"
            "個人情報の適切な管理のために必要な措置を講じなければならない。",
            "{B}は、取り扱う個人情報について、アクセス権限の設定、作業場所の入退室管理、"
            "記録媒体の施錠保管その他の漏えい、滅失及びき損を防止するための措置を講じなければ"
            "ならない。",
        ],
        "W": [
            "{B}は、個人情報の適切な管理に努めるものとする。",
        ],
    },
    "incident": {
        "S": [
            "{B}は、この契約に違反する事態が生じ、又は個人情報の漏えい、滅失、き損その他の"
            "事故が発生し、若しくは発生するおそれがあることを知ったときは、直ちに{A}に報告し、"
            "{A}の指示に従わなければならない。",
        ],
        "W": [
            "個人情報の漏えい等の事故が発生した場合の取扱いについては、{A}と{B}とが協議して"
            "定める。",
        ],
    },
    "return_deletion": {
        "S": [
            "{B}は、この契約が終了し、又は解除されたときは、この契約による業務に係る個人情報"
            "が記録された資料等を、{A}の指示に従い、直ちに{A}に返還し、又は廃棄しなければ"
            "ならない。",
            "{B}は、本業務が完了したときは、{A}から提供を受けた個人情報の記録媒体を{A}に"
            "返却するとともに、{B}の機器に記録された個人情報を復元できない方法により消去し、"
            "その旨を書面で{A}に報告しなければならない。",
        ],
        "W": [
            "{B}は、本業務が完了したときは、本業務に係る個人情報を速やかに消去しなければならない。",
        ],
    },
    "breach_remedies": {
        "S": [
            "{A}は、{B}がこの契約の個人情報の取扱いに関する定めに違反していると認めたときは、"
            "この契約を解除することができる。\n"
            "2　{B}は、その責めに帰すべき事由によりこの契約に定める個人情報の取扱いに関する"
            "義務に違反し、{A}に損害を与えたときは、その損害を賠償しなければならない。",
        ],
        "W": [
            "{A}は、{B}がこの契約に違反したときは、この契約を解除することができる。",
        ],
    },
    "reporting_audit": {
        "S": [
            "{B}は、この契約による業務に係る個人情報の取扱状況について、毎月、{A}に書面で"
            "報告しなければならない。\n"
            "2　{A}は、必要があると認めるときは、{B}及び再委託先の作業場所に立ち入り、"
            "個人情報の管理状況を実地に調査することができる。",
            "{B}は、四半期ごとに、個人情報の管理状況を{A}に報告しなければならない。\n"
            "2　{A}は、{B}における個人情報の取扱状況について、随時、監査を行うことができる。"
            "{B}は、これに協力しなければならない。",
        ],
        "W": [
            "{B}は、{A}から求められたときは、個人情報の取扱状況を報告しなければならない。",
        ],
    },
}


@dataclass(frozen=True)
class DemoContract:
    """One demo contract: whose it is, how it is drafted, how strong each matter is."""

    key: str  # names the outsourcing it belongs to (see portal.demo.contracts)
    style: str  # "kou_otsu", "hacchu_juchu" or "shi_jutaku"
    title: str
    task: str
    client: str  # the one who entrusts: the city, or the contractor in a subcontract
    contractor: str
    levels: dict[str, str] = field(default_factory=dict)  # clause id → "S", "W" or "M"
    variant: int = 0  # which of the alternative wordings
    scanned: bool = False  # printed, sealed and scanned (an image-only PDF)
    amendment_of: str | None = None  # key of the contract this one replaces (第2版)
    filename: str = ""
    # Dates as written in the contract (和暦); taken from the outsourcing, so that demo
    # dates relative to the load day carry through.
    date: str = "令和8年4月1日"
    period: str = "令和8年4月1日から令和9年3月31日まで"

    def expected(self) -> dict[str, str]:
        """{clause id: expected status} of the clause check."""
        names = {"S": "satisfied", "W": "weak", "M": "missing"}
        expected = {cid: names[self.levels.get(cid, "S")] for cid in CLAUSE_ORDER}
        if self.style == "shi_jutaku" and expected["security"] == "missing":
            # The 特記事項's 基本的事項 still asks for "適正な取扱い": a weak security duty.
            expected["security"] = "weak"
        return expected


def _wording(contract: DemoContract, clause_id: str, a: str, b: str) -> str | None:
    level = contract.levels.get(clause_id, "S")
    if level == "M":
        return None
    options = WORDINGS[clause_id][level]
    return options[contract.variant % len(options)].format(A=a, B=b)


def contract_text(contract: DemoContract) -> str:
    """The full text of ``contract``, one paragraph a line (headings, articles, 項, 号)."""
    if contract.style == "shi_jutaku":
        return _with_special_provisions(contract)
    a, b = ("甲", "乙") if contract.style == "kou_otsu" else ("発注者", "受注者")
    lines = [
        contract.title,
        f"{contract.client}（以下「{a}」という。）と{contract.contractor}（以下「{b}」という。）"
        f"とは、{contract.task}（以下「本業務」という。）について、次のとおり委託契約を締結する。",
        "第1条（目的）",
        f"{a}は、本業務を{b}に委託し、{b}は、これを受託する。",
        "第2条（委託期間）",
        f"委託期間は、{contract.period}とする。",
        "第3条（業務の内容）",
        f"本業務の内容は、別紙仕様書のとおりとする。{b}は、仕様書に定めるところにより、"
        "善良な管理者の注意をもって本業務を処理しなければならない。",
        "第4条（委託料）",
        f"{a}は、本業務の対価として、別に定める委託料を、{b}の適法な請求を受けた日から"
        "30日以内に支払うものとする。",
    ]
    number = 5
    for clause_id in CLAUSE_ORDER:
        text = _wording(contract, clause_id, a, b)
        if text is None:
            continue
        lines.append(f"第{number}条（{HEADINGS[clause_id]}）")
        lines.extend(text.split("\n"))
        number += 1
    lines += [
        f"第{number}条（権利義務の譲渡の禁止）",
        f"{b}は、この契約により生ずる権利又は義務を第三者に譲渡し、又は承継させてはならない。",
        f"第{number + 1}条（協議）",
        "この契約に定めのない事項又はこの契約に関し疑義が生じた事項については、"
        f"{a}{b}協議の上定めるものとする。",
        f"この契約の締結を証するため、本書2通を作成し、{a}{b}記名押印の上、各自その1通を保有する。",
        contract.date,
        f"{a}　{contract.client}",
        f"{b}　{contract.contractor}",
    ]
    return "\n".join(lines)


def _with_special_provisions(contract: DemoContract) -> str:
    """A short contract whose personal-information duties are in an attached 特記事項."""
    a, b = "市", "受託者"
    lines = [
        contract.title,
        f"{contract.client}（以下「市」という。）と{contract.contractor}（以下「受託者」という。）"
        f"とは、{contract.task}（以下「本業務」という。）の委託について、次のとおり契約を"
        "締結する。",
        "第1条（委託業務）",
        "市は、本業務を受託者に委託し、受託者はこれを受託する。",
        "第2条（履行期間）",
        f"履行期間は、{contract.period}とする。",
        "第3条（個人情報の保護）",
        "受託者は、この契約による業務を処理するための個人情報の取扱いについては、"
        "別記「個人情報取扱特記事項」を守らなければならない。",
        "第4条（その他）",
        "この契約に定めのない事項については、市と受託者とが協議して定める。",
        contract.date,
        f"市　{contract.client}",
        f"受託者　{contract.contractor}",
        "別記",
        "個人情報取扱特記事項",
        "（基本的事項）",
        "第1条　受託者は、個人情報の保護の重要性を認識し、この契約による業務の実施に当たっては、"
        "個人の権利利益を侵害することのないよう、個人情報を適正に取り扱わなければならない。",
    ]
    number = 2
    for clause_id in CLAUSE_ORDER:
        text = _wording(contract, clause_id, a, b)
        if text is None:
            continue
        first, *rest = text.split("\n")
        lines.append(f"（{HEADINGS[clause_id]}）")
        lines.append(f"第{number}条　{first}")
        lines.extend(rest)
        number += 1
    return "\n".join(lines)


def wareki(day: date) -> str:
    """A date as contracts write it: 令和8年4月1日 (令和元年 for 2019)."""
    year = day.year - 2018
    return f"令和{'元' if year == 1 else year}年{day.month}月{day.day}日"
