"""Drafting mechanisms of the fifth round (issue #12): written here in the manner of the
texts, each a general rule of Japanese contract drafting rather than a document's wording."""

from __future__ import annotations

from clause_samples import PREAMBLE, contract, status

from contracts.document import build_document
from contracts.pages import PageText

NDA = (
    "株式会社エー（以下「甲」という。）と株式会社ビー（以下「乙」という。）は、"
    "次のとおり契約を締結する。\n"
    "第1条 甲及び乙は、相手方から開示を受けた一切の情報（以下「秘密情報」という。）を"
    "秘密として保持し、"
    "第三者に開示し、又は漏えいしてはならない。ただし、{proviso}\n"
    "2 甲及び乙は、秘密情報を本契約の目的以外に使用してはならない。\n"
    "3 甲が乙に提供する個人情報（個人情報の保護に関する法律に定める個人情報をいう。以下同じ。）は、"
    "前項の規定にかかわらず、秘密情報とみなす。\n"
)


def test_standard_carve_outs_of_what_is_secret_leave_no_discretion() -> None:
    proviso = "次の各号のいずれかに該当する情報は、この限りでない。\n"
    proviso += "(1) 公知の情報\n(2) 既に保有していた情報"
    assert status(NDA.format(proviso=proviso), "confidentiality") == "satisfied"


def test_a_carve_out_at_the_contractors_judgement_still_weakens() -> None:
    proviso = "乙が必要と認める場合は、この限りでない。"
    assert status(NDA.format(proviso=proviso), "confidentiality") == "weak"


def test_a_term_named_as_one_kind_of_personal_information_carries_it() -> None:
    text = contract(
        "甲は、課税資料（以下「課税資料」という。）の入力業務を乙に委託する。",
        "乙は、甲の承諾なしに、課税資料その他の個人情報を複写してはならない。",
        "乙は、業務が完了したときは、課税資料を甲に返還し、"
        "乙が作成した電磁的記録は甲の指示に従い消去しなければならない。",
    )
    assert status(text, "return_deletion") == "satisfied"


def test_a_body_named_beside_a_known_contractor_entrusts() -> None:
    text = (
        "国立大学法人北東大学（以下「本学」という。）と株式会社サンプル（以下「受託者」という。）は、"
        "次のとおり定める。\n"
        "第1条 受託者は、毎事業年度、個人情報の取扱状況を本学に書面で報告しなければならない。\n"
        "2 本学は、必要があると認めるときは、受託者の事業所に立ち入り、"
        "個人情報の取扱状況を検査することができる。\n"
    )
    assert status(text, "reporting_audit") == "satisfied"


def test_purpose_written_as_only_for() -> None:
    text = contract(
        "乙は、この契約による業務に関して知り得た個人情報を他に漏らしてはならない。",
        "乙は、個人情報を本業務の遂行のためにのみ利用するものとする。",
    )
    assert status(text, "confidentiality") == "satisfied"


def test_a_privacy_policy_declares_and_binds_no_contractor() -> None:
    text = (
        "プライバシーポリシー\n"
        "株式会社シー（以下「当社」といいます。）は、お客様の個人情報を次の方針に従って取り扱います。\n"
        "第1条 当社は、個人情報の漏えい等の事故が発生したときは、直ちに委託元に報告し、"
        "その指示に従って対応します。\n"
    )
    assert status(text, "incident") == "weak"


SPEC = (
    "業務仕様書\n"
    "７ 個人情報の取扱い\n"
    "（１）返還及び廃棄\n"
    "　受託者は、業務の完了後、個人情報を記録した媒体を市に返還し、"
    "作業の過程で生じた複製物は消去すること。\n"
    "（２）管理状況の報告及び調査\n"
    "　ア　受託者は、毎月１０日までに、個人情報の管理状況を月次報告書により市に提出すること。\n"
    "　イ　市は、必要があると認めるときは、受託者の作業場所に立ち入り、個人情報の管理状況を"
    "調査することができる。\n"
)


def test_a_titled_item_followed_by_its_own_text_is_a_heading() -> None:
    doc = build_document([PageText(number=1, text=SPEC)])
    title = next(s for s in doc.sentences if s.text.startswith("管理状況の報告"))
    below = [s for s in doc.sentences if s.index > title.index]
    assert title.lead is None
    assert all(s.lead == title.index for s in below)


def test_duties_under_a_titled_item_are_read_on_their_own() -> None:
    assert status(
        PREAMBLE.replace("甲", "市").replace("乙", "受託者") + SPEC, "reporting_audit"
    ) == ("satisfied")


def test_damages_owed_as_a_liability_borne() -> None:
    text = contract(
        "乙は、この契約による業務を処理するため個人情報を取り扱う。",
        "乙は、この特記事項に違反し、甲に損害を与えたときは、その損害を賠償する責めを負う。",
        "甲は、乙がこの特記事項に違反したときは、この契約を解約することができる。",
    )
    assert status(text, "breach_remedies") == "satisfied"


def test_a_duty_to_prevent_the_harms_is_a_duty_of_safe_management() -> None:
    for duty in (
        "乙は、個人情報を厳重に管理し、漏えい、滅失等を防止しなければならない。",
        "乙は、個人情報の漏えい、滅失、毀損を防止するため、善良な管理者の注意をもって"
        "個人情報を管理しなければならない。",
        "乙は、甲が別に定める情報セキュリティポリシーを遵守し、個人情報の安全を確保しなければならない。",
    ):
        text = contract("乙は、この契約による業務を処理するため個人情報を取り扱う。", duty)
        assert status(text, "security") == "satisfied", duty


def test_one_measure_taken_to_prevent_a_harm_is_part_of_the_matter() -> None:
    text = contract(
        "乙は、この契約による業務を処理するため個人情報を取り扱う。",
        "乙は、個人情報の漏えいを防止するため、個人情報を記録した媒体を施錠できる保管庫に"
        "保管しなければならない。",
    )
    assert status(text, "security") == "weak"


TITLED = (
    "個人情報取扱特記事項\n"
    "第1条 乙は、個人情報の保護の重要性を認識し、この契約による業務を実施するに当たっては、"
    "個人情報を適正に取り扱わなければならない。\n"
    "第2条 乙は、甲の承諾なしに、甲から引き渡された資料等を複写し、又は複製してはならない。\n"
)


def test_a_contract_titled_for_personal_information_scopes_its_carriers() -> None:
    assert status(TITLED, "copying") == "satisfied"


def test_a_carrier_in_a_contract_titled_otherwise_is_not_personal_information() -> None:
    text = TITLED.replace("個人情報取扱特記事項", "物品保守業務委託契約書")
    assert status(text, "copying") == "weak"


def test_a_right_kept_by_a_negated_verb_is_a_permission() -> None:
    text = contract(
        "乙は、この契約による業務を処理するため個人情報を取り扱う。",
        "甲は、乙がこの契約に違反したときは、この契約を解除することができる。"
        "\n２ 前項の規定による解除は、甲の乙に対する損害賠償の請求を妨げない。",
    )
    assert status(text, "breach_remedies") == "satisfied"
    free = contract(
        "乙は、この契約による業務を処理するため個人情報を取り扱う。",
        "乙は、本業務の一部を第三者に再委託しても差し支えない。",
    )
    assert status(free, "subcontracting") == "weak"


def test_the_potential_form_without_koto_grants_a_right() -> None:
    from clauses.modality import PERMISSION, classify_tail

    assert classify_tail("できるものとする") == PERMISSION
    text = contract(
        "乙は、この契約による業務を処理するため個人情報を取り扱う。",
        "乙がこの特記事項に違反した場合、甲は契約を解除し、損害賠償を請求できるものとする。",
    )
    assert status(text, "breach_remedies") == "satisfied"


def test_personal_data_under_its_other_names() -> None:
    text = contract(
        "乙は、甲から預託されたパーソナルデータを第三者に開示し、又は漏えいしてはならない。",
        "乙は、パーソナルデータを本契約の目的以外に利用してはならない。",
    )
    assert status(text, "confidentiality") == "satisfied"


def test_a_companys_pledge_to_its_client_binds_the_company() -> None:
    text = (
        "個人情報の取扱いに関する誓約書\n株式会社エー　御中\n"
        "当社は、貴社から委託を受けた業務の遂行に当たり、貴社から預託された個人情報の取扱いに"
        "ついて、次の事項を遵守することを誓約します。\n"
        "第1条 当社は、本業務に関して知り得た個人情報を第三者に開示し、又は漏えいしません。\n"
        "第2条 当社は、個人情報を本業務の目的以外に利用しません。\n"
    )
    assert status(text, "confidentiality") == "satisfied"


def test_an_approval_within_the_contractor_is_no_approval() -> None:
    text = contract(
        "乙は、この契約による業務を処理するため個人情報を取り扱う。",
        "乙は、個人情報を複製するときは、その都度、作業責任者の許可を得なければならない。",
    )
    assert status(text, "copying") == "weak"


def test_lent_goods_and_the_work_are_no_information_of_a_titled_contract() -> None:
    text = (
        "個人情報の取扱いを伴う業務委託契約書\n"
        "株式会社エー（以下「当社」という。）と株式会社ビー（以下「委託先」という。）は、"
        "次のとおり契約を締結する。\n"
        "第1条 委託先は、善良な管理者の注意をもって本件業務を行わなければならない。\n"
        "第2条 委託先は、貸与品を本件業務以外に使用してはならず、"
        "本件業務の完了後は速やかに当社に返却する。\n"
    )
    for clause in ("confidentiality", "security", "return_deletion"):
        assert status(text, clause) == "missing", clause


def test_paper_named_as_the_topic_of_a_copying_ban_is_paper_only() -> None:
    text = contract(
        "乙は、この契約による業務を処理するため個人情報を取り扱う。",
        "乙は、甲から預託を受けた紙媒体の個人情報について、複写機による複写を行わないものとする。",
    )
    assert status(text, "copying") == "weak"
