"""Drafting mechanisms of the eighth round (issue #12): matters that municipal 約款, 別記
lists and private agreements spread over several 項 or articles."""

from __future__ import annotations

import pytest
from clause_samples import contract, status

REPORTED = "乙は、個人情報の漏えいその他の事故が生じたときは、速やかに甲に報告しなければならない。"


@pytest.mark.parametrize(
    "measures",
    [
        "２　乙は、前項の場合には、甲の指示に従い、事故の拡大防止及び再発防止のための措置を"
        "講じなければならない。",
        "２　乙は、前項の場合には、事故の拡大防止のために必要な措置を講じなければならない。",
    ],
)
def test_measures_in_the_next_paragraph_share_its_incident(measures: str) -> None:
    # The second 項 names the incident again (事故の拡大防止) but its occasion is the first's.
    assert status(contract(REPORTED + "\n" + measures), "incident") == "satisfied"


def test_measures_in_the_next_article_share_its_incident() -> None:
    measures = (
        "乙は、前条の場合には、甲の指示に従い、事故の拡大防止のための措置を講じなければならない。"
    )
    assert status(contract(REPORTED, measures), "incident") == "satisfied"


def test_measures_in_a_separate_article_need_their_own_occasion() -> None:
    measures = "乙は、事故の拡大防止のために必要な措置を講じなければならない。"
    assert (
        status(
            contract(
                REPORTED.replace("報告しなければならない", "報告するよう努めなければならない"),
                measures,
            ),
            "incident",
        )
        != "satisfied"
    )


def test_a_definition_list_item_says_what_holds_the_personal_information() -> None:
    # （三）個人情報等　資料等に記録された個人情報をいう: 資料等 hold it, and copying and
    # returning 資料等 is about personal information.
    text = contract(
        "この契約において、次の各号に掲げる用語の意義は、当該各号に定めるところによる。\n"
        "（一）資料等　甲が乙に貸与する課税台帳その他の書類及び電磁的記録をいう。\n"
        "（二）個人情報等　資料等に記録された個人情報をいう。",
        "乙は、甲の承諾を得ないで、資料等を複写し、又は複製してはならない。",
    )
    assert status(text, "copying") == "satisfied"


def test_a_term_named_as_a_means_or_a_purpose_is_no_part_of_a_definition() -> None:
    # 秘密情報 is defined through 本件業務 (its purpose), which is defined through data that
    # hold personal information: neither the work nor the secrets hold it.
    text = contract(
        "「学習用データ」とは、甲が乙に提供する問い合わせ履歴その他のデータをいう。",
        "「本件業務」とは、学習用データを加工してモデルを生成する業務をいう。",
        "乙は、学習用データに含まれる個人情報を適切に管理しなければならない。",
        "甲及び乙は、本件業務の遂行のため相手方から開示を受けた技術上又は営業上の情報"
        "（以下「秘密情報」という。）を第三者に開示し、又は漏えいしてはならない。"
        "また、秘密情報を本件業務以外の目的に使用してはならない。",
    )
    assert status(text, "confidentiality") == "weak"


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        (["甲の指示があるとき。", "あらかじめ甲の書面による承認を受けたとき。"], "satisfied"),
        (["甲の指示があるとき。", "乙が業務上必要と認めるとき。"], "weak"),
    ],
)
def test_exceptions_spelled_out_by_a_list(items: list[str], expected: str) -> None:
    lead = (
        "乙は、次の各号のいずれかに該当するときを除き、個人情報を複写し、又は複製してはならない。"
    )
    listed = "\n".join(f"（{n}）{t}" for n, t in zip("一二三", items, strict=False))
    assert status(contract(lead + "\n" + listed), "copying") == expected


AUDITED = "乙は、四半期ごとに、個人情報の管理状況を甲に報告しなければならない。"


def test_not_refusing_an_inspection_named_in_the_condition_accepts_it() -> None:
    lead = "乙は、次に掲げる事項を遵守しなければならない。"
    item = (
        "（１）甲が必要と認めて乙の事務所に立ち入り、個人情報の管理状況を調査するときは、"
        "これを拒まないこと。"
    )
    assert status(contract(AUDITED, lead + "\n" + item), "reporting_audit") == "satisfied"


def test_a_third_party_audit_report_in_lieu_of_an_audit_is_no_audit() -> None:
    in_lieu = (
        "乙は、甲から求めがあったときは、独立した第三者から受けた監査の報告書の写しを甲に提出する。"
        "甲は、当該報告書の提出をもって、乙に対する監査に代えるものとする。"
    )
    assert status(contract(AUDITED, in_lieu), "reporting_audit") == "weak"


@pytest.mark.parametrize(
    "ban",
    [
        "| 複写の禁止 | 乙は、個人情報が記載された紙の書類を複写しないこと。",
        "乙は、甲の承諾を得ずに、個人情報を記録した紙媒体及び可搬記録媒体を複写し、又は複製しない。",
    ],
)
def test_a_ban_on_copying_paper_or_portable_carriers_only_is_weak(ban: str) -> None:
    assert status(contract(ban), "copying") == "weak"


def test_a_periodic_report_under_an_incident_heading_is_no_incident_report() -> None:
    text = contract(
        "（事故発生時の報告及び監査）\n"
        "乙は、個人情報の漏えいその他の事故が発生したときは、直ちに被害の拡大を防止するために"
        "必要な措置を講じなければならない。\n"
        "２　乙は、毎月末日現在における個人情報の取扱状況を、翌月10日までに甲に"
        "報告しなければならない。"
    )
    assert status(text, "incident") == "weak"


def test_a_report_to_the_persons_concerned_only_is_no_report_to_the_municipality() -> None:
    text = contract(
        "乙は、個人情報の漏えい等の事態が生じたときは、原因を調査し、本人に通知するとともに、"
        "再発防止策を講じなければならない。"
    )
    assert status(text, "incident") == "weak"


def test_a_question_in_a_checklist_imposes_nothing() -> None:
    text = (
        "委託先評価シート\n"
        "| 1 | 秘密保持が契約に定められているか | ○ | 基本契約第7条 |\n"
        "| 2 | 再委託は委託者の事前の書面による承諾を要するか | ○ | 基本契約第5条。\n"
    )
    assert status(text, "subcontracting") == "missing"


def test_handing_the_information_over_is_its_return() -> None:
    text = contract(
        "乙は、管理業務を終了したときは、保有する個人情報を甲又は甲が指定する者に引き継ぐとともに、"
        "引継ぎを終えた後に残る個人情報を、復元できない方法により消去しなければならない。"
    )
    assert status(text, "return_deletion") == "satisfied"


def test_handing_over_alone_is_return_only() -> None:
    text = contract(
        "乙は、管理業務を終了したときは、保有する個人情報を甲に引き継がなければならない。"
    )
    assert status(text, "return_deletion") == "weak"


def test_a_return_addressed_in_the_continuative_is_no_relative_clause() -> None:
    # …資料等は、業務完了後直ちに甲に返還し、乙が作成した…資料等は…消去し: the parser hangs
    # 返還し on 乙; a continuative before 、 modifies no noun.
    text = contract(
        "乙は、この契約による業務を処理するために甲から引き渡された資料等は、業務完了後直ちに"
        "甲に返還し、乙が作成した個人情報が記録された資料等は、甲の指示に従い、消去し、又は"
        "廃棄しなければならない。"
    )
    assert status(text, "return_deletion") == "satisfied"


def test_a_verb_coordinated_with_a_condition_is_part_of_it() -> None:
    text = contract(
        "乙は、個人情報を複製し、又は改変するときは、事前に甲から書面による承諾を受けるものとする。"
    )
    assert status(text, "copying") == "satisfied"


def test_a_condition_with_its_own_object_starts_a_new_clause() -> None:
    text = contract(
        "乙は、契約が終了したときは、甲の指示に従い、個人情報を甲に返還し、又は復元不可能な方法"
        "により消去若しくは廃棄し、消去又は廃棄を行ったときはその旨を記載した書面を甲に提出する。"
    )
    assert status(text, "return_deletion") == "satisfied"


def test_use_for_no_other_purpose_whatsoever() -> None:
    text = contract(
        "乙は、知り得た甲の個人情報を秘密として取り扱い、第三者に開示し、又は漏えいしてはならない。",
        "乙は、知り得た甲の個人情報を、当該個別契約の遂行以外のいかなる目的にも利用してはならない。",
    )
    assert status(text, "confidentiality") == "satisfied"


TERMS = (
    "『スキャナビ』利用規約\n"
    "第1条 コネクトスキャン株式会社（以下「コネクトスキャン」といいます。）は、この利用規約"
    "（以下「本規約」といいます。）を定め、本規約に基づきサービスを提供します。\n"
    "第2条 本規約においては、次の用語をそれぞれ次の意味で使用します。\n"
    "(1) 利用者：本規約に基づいて利用契約を締結し、本サービスの提供を受ける者\n"
    "(2) 預託帳票：利用者がコネクトスキャンに送付する申込書その他の紙の帳票\n"
    "(3) 利用者データ：預託帳票に記載された情報（氏名、住所その他の個人情報を含みます。）\n"
    "(4) 処理センター：コネクトスキャンが預託帳票の電子化処理を行う施設\n"
    "{body}"
)


def test_a_provider_naming_itself_in_its_terms_is_the_contractor() -> None:
    body = (
        "第3条 利用者は、コネクトスキャンが本規約に違反したときは、利用契約を解除することが"
        "できます。\n"
        "第4条 コネクトスキャンは、本規約に違反したことにより利用者に損害を与えたときは、その"
        "損害を賠償します。\n"
    )
    assert status(TERMS.format(body=body), "breach_remedies") == "satisfied"


def test_a_term_set_off_by_a_colon_is_defined() -> None:
    body = (
        "第3条 コネクトスキャンは、利用者データの漏えい、滅失又は毀損を防止するため、"
        "必要な安全管理措置を講じるものとします。\n"
    )
    assert status(TERMS.format(body=body), "security") == "satisfied"


def test_a_place_or_work_defined_through_the_data_holds_none() -> None:
    from clauses.catalog import load_named_catalog
    from clauses.checker import Checker
    from contracts.document import build_document
    from contracts.pages import PageText

    doc = build_document([PageText(number=1, text=TERMS.format(body=""))])
    terms = {
        t.term: t.personal for t in Checker(load_named_catalog()).context(doc).definitions.terms
    }
    assert terms["利用者データ"] and terms["預託帳票"]
    assert not terms["処理センター"]


def test_a_katakana_name_holding_scan_is_no_copying() -> None:
    body = (
        "第3条 コネクトスキャンは、利用者データを秘密として管理し、利用者の承諾なく第三者に"
        "開示しないものとします。\n"
        "第4条 コネクトスキャンは、預託帳票の受領後10営業日以内に電子化処理を完了します。\n"
    )
    assert status(TERMS.format(body=body), "copying") == "missing"


def test_visiting_the_workplace_to_check_the_handling_is_an_inspection() -> None:
    text = contract(
        "乙は、毎週、本件個人情報の管理状況を作業報告書により甲に報告しなければならない。\n"
        "２ 甲は、必要があると認めるときは、乙の作業場所を訪問し、本件個人情報の管理状況を"
        "確認することができる。"
    )
    assert status(text, "reporting_audit") == "satisfied"


def test_consulting_on_the_response_is_no_response() -> None:
    text = contract(
        "甲又は乙は、個人情報の漏えい等が発生したことを知ったときは、相互に速やかに連絡し、"
        "その対応について協議するものとする。"
    )
    assert status(text, "incident") == "weak"


def test_general_remedies_of_a_printing_contract_without_personal_information_are_weak() -> None:
    text = contract(
        "甲は、点字広報誌の製作及び納品に関する業務を乙に依頼し、乙はこれを引き受ける。",
        "甲は、乙がこの契約に違反したときは、この契約を解除することができる。",
        "乙は、この契約に違反して甲に損害を与えたときは、その損害を賠償しなければならない。",
    )
    assert status(text, "breach_remedies") == "weak"


@pytest.mark.parametrize(
    "effort",
    [
        "乙は、個人情報の漏えい、滅失又はき損を防止するため、合理的な努力を払うものとする。",
        "乙は、個人情報の安全管理に努めるものとする。",
    ],
)
def test_security_as_an_effort_in_any_words_is_weak(effort: str) -> None:
    assert status(contract(effort), "security") == "weak"


def test_the_principal_supervising_the_contractor_is_the_principal_s_duty() -> None:
    text = contract(
        "甲は、乙に取り扱わせる個人情報の安全管理が図られるよう、乙に対し必要かつ適切な監督を"
        "行うものとする。"
    )
    assert status(text, "security") == "weak"


REPORTS = "乙は、毎月、個人情報の管理状況を書面により甲に報告しなければならない。"
LEAD = "この契約において、次の各号に掲げる用語の意義は、当該各号に定めるところによる。\n"
WORKS = "（一）成果物　乙が本業務により作成する報告書その他の資料をいう。\n"
ERASED = "乙は、契約が終了したときは、個人情報を速やかに消去しなければならない。"


@pytest.mark.parametrize(
    ("articles", "clause", "expected"),
    [
        # Reading the reports, or a visit about something else, is no inspection.
        (
            (REPORTS, "甲は、前条の報告により、乙の個人情報の管理状況を確認することができる。"),
            "reporting_audit",
            "weak",
        ),
        (
            (
                REPORTS,
                "甲は、必要があると認めるときは、乙の事業所を訪問し、業務の進捗について協議"
                "することができる。",
            ),
            "reporting_audit",
            "weak",
        ),
        # A definition that keeps a thing out of the personal information makes it no holder.
        (
            (
                LEAD
                + WORKS
                + "（二）個人情報等　個人に関する情報のうち、成果物に含まれないものをいう。",
                "乙は、甲の承諾を得ないで、成果物を複写し、又は複製してはならない。",
            ),
            "copying",
            "missing",
        ),
        (
            (
                LEAD
                + WORKS
                + "（二）個人情報等　個人情報（成果物に記載されたものを除く。）をいう。",
                "乙は、甲の承諾を得ないで、成果物を複写し、又は複製してはならない。",
            ),
            "copying",
            "missing",
        ),
        # Taking over data from the previous contractor returns nothing.
        (
            ("乙は、業務の開始に当たり、前受託者から個人情報を引き継ぐものとする。", ERASED),
            "return_deletion",
            "weak",
        ),
        # A return named inside a condition (…返還し、その受領書を受け取ったときは) is no duty.
        (
            (
                "乙は、個人情報を甲に返還し、その受領書を受け取ったときは、これを5年間保存"
                "しなければならない。",
                ERASED,
            ),
            "return_deletion",
            "weak",
        ),
        # Readiness for an incident (…発生した場合に備え) is no incident that occurred.
        (
            (
                "乙は、個人情報の漏えい等の事故が発生した場合に備え、緊急時の連絡体制を整備"
                "しなければならない。\n２ 乙は、前項の場合には、事故の拡大防止及び再発防止の"
                "ための措置を甲に報告しなければならない。",
            ),
            "incident",
            "weak",
        ),
    ],
)
def test_round8_rules_do_not_reach_too_far(
    articles: tuple[str, ...], clause: str, expected: str
) -> None:
    assert status(contract(*articles), clause) == expected
