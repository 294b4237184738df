"""Each clause rule on short contracts: modality, who is bound, exceptions, quoting, scope."""

from __future__ import annotations

import pytest
from clause_samples import PREAMBLE, contract, status

from clauses import check

pytestmark = pytest.mark.usefixtures("nlp")


# -- subcontracting ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "乙は、甲の書面による承諾を得た場合を除き、本業務を第三者に再委託してはならない。",
            "satisfied",
        ),
        ("乙は、本業務の全部又は一部を第三者に再委託してはならない。", "satisfied"),
        ("乙は、再委託をしようとするときは、あらかじめ甲の承諾を得なければならない。", "satisfied"),
        ("再委託は、これを禁止する。", "satisfied"),
        ("乙は、本業務の一部を第三者に再委託することができる。", "weak"),
        ("乙は、再委託する場合には、事前に甲に通知しなければならない。", "weak"),
        ("乙は、乙が必要と認める場合を除き、本業務を再委託してはならない。", "weak"),
        ("甲は、本業務の一部を第三者に再委託してはならない。", "missing"),
        ("乙は、本業務を誠実に遂行しなければならない。", "missing"),
    ],
)
def test_subcontracting(sentence: str, expected: str) -> None:
    assert status(contract(sentence), "subcontracting") == expected


def test_subsidiary_note() -> None:
    report = check(contract("乙は、甲の承諾を得ないで再委託してはならない。"))
    sub = next(c for c in report.clauses if c.id == "subcontracting")
    assert any("子会社" in n for n in sub.notes)
    report = check(
        contract("乙は、甲の承諾を得ないで再委託（乙の子会社への委託を含む。）をしてはならない。")
    )
    sub = next(c for c in report.clauses if c.id == "subcontracting")
    assert sub.status == "satisfied" and not any("子会社" in n for n in sub.notes)


# -- confidentiality --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("sentences", "expected"),
    [
        (
            [
                "乙は、本業務に関して知り得た個人情報を他に漏らし、又は本業務の目的以外の目的に利用してはならない。"
            ],
            "satisfied",
        ),
        (
            [
                "乙は、個人情報を第三者に漏らしてはならない。",
                "乙は、甲の指示がある場合を除き、個人情報を契約の目的以外の目的に使用してはならない。",
            ],
            "satisfied",
        ),
        (["乙は、個人情報を第三者に漏らしてはならない。"], "weak"),
        (
            ["乙は、秘密情報を第三者に開示してはならず、本契約の目的以外に使用してはならない。"],
            "weak",
        ),
        (["甲は、乙から提供された個人情報を第三者に開示してはならない。"], "weak"),
    ],
)
def test_confidentiality(sentences: list[str], expected: str) -> None:
    assert status(contract(*sentences), "confidentiality") == expected


def test_confidentiality_through_a_defined_term() -> None:
    text = contract(
        "この契約において「秘密情報」とは、甲が乙に開示する情報（個人情報を含む。）をいう。",
        "乙は、秘密情報を第三者に開示してはならず、本契約の目的以外に使用してはならない。",
    )
    assert status(text, "confidentiality") == "satisfied"


def test_mutual_duty_binds_the_contractor() -> None:
    text = contract(
        "甲及び乙は、相手方の個人情報を第三者に漏らし、又は本契約の目的以外に利用してはならない。"
    )
    assert status(text, "confidentiality") == "satisfied"


# -- copying ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("乙は、甲の承諾なく個人情報を複写し、又は複製してはならない。", "satisfied"),
        ("個人情報の複製は、甲が指示した場合を除き、これを禁止する。", "satisfied"),
        ("乙は、業務の目的の範囲を超えて個人情報を複製してはならない。", "weak"),
        ("乙は、業務上必要な場合は、個人情報を複製することができる。", "weak"),
        (
            "乙は、甲の承諾なく個人情報を複写してはならない。ただし、乙が必要と判断した場合は、この限りでない。",
            "weak",
        ),
    ],
)
def test_copying(sentence: str, expected: str) -> None:
    assert status(contract(sentence), "copying") == expected


# -- security -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "乙は、個人情報の漏えい、滅失及びき損の防止その他の個人情報の適切な管理のために必要な措置を講じなければならない。",
            "satisfied",
        ),
        (
            "乙は、個人情報の漏えい、滅失及びき損の防止のために必要な措置を講ずるよう努めなければならない。",
            "weak",
        ),
        ("乙は、個人情報を適正に取り扱わなければならない。", "weak"),
    ],
)
def test_security(sentence: str, expected: str) -> None:
    assert status(contract(sentence), "security") == expected


# -- incident -------------------------------------------------------------------------------
def test_incident_report_and_instructions() -> None:
    text = contract(
        "乙は、個人情報の漏えい、滅失又はき損その他の事故が発生し、又は発生したおそれがあるときは、"
        "直ちに甲に報告し、甲の指示に従わなければならない。"
    )
    assert status(text, "incident") == "satisfied"
    assert status(text, "security") == "missing"


def test_incident_mentioned_without_duty() -> None:
    text = contract(
        "甲は、個人情報の漏えいの事故が発生したときは、その事実を公表することができる。"
    )
    assert status(text, "incident") != "satisfied"


# -- return / deletion ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "乙は、業務が完了したときは、甲の指示に従い、個人情報を記録した媒体を甲に返還し、又は廃棄しなければならない。",
            "satisfied",
        ),
        (
            "乙は、業務が完了したときは、個人情報を記録した媒体を直ちに甲に返還しなければならない。",
            "weak",
        ),
        ("乙は、業務が完了したときは、個人情報を消去しなければならない。", "weak"),
    ],
)
def test_return_deletion(sentence: str, expected: str) -> None:
    assert status(contract(sentence), "return_deletion") == expected


def test_list_of_matters_for_a_subcontract_is_not_a_duty() -> None:
    text = contract(
        "乙は、再委託先との契約において、個人情報の返還又は消去の義務その他の事項を定めなければならない。"
    )
    assert status(text, "return_deletion") == "missing"


# -- breach remedies ------------------------------------------------------------------------------
def test_termination_and_damages() -> None:
    text = contract(
        "乙がこの契約に違反したときは、甲はこの契約を解除することができるものとし、"
        "乙は、これにより甲に生じた損害を賠償するものとする。"
    )
    assert status(text, "breach_remedies") == "satisfied"


def test_termination_only_is_weak() -> None:
    text = contract("甲は、乙がこの契約に違反したときは、この契約を解除することができる。")
    assert status(text, "breach_remedies") == "weak"


def test_contractor_cannot_be_freed_from_damages() -> None:
    text = contract(
        "甲は、乙がこの契約に違反したときは、この契約を解除することができる。",
        "乙は、甲に生じた損害について、賠償する責任を負わないものとする。",
    )
    assert status(text, "breach_remedies") == "weak"


# -- reporting / audit ----------------------------------------------------------------------------
def test_periodic_report_and_audit() -> None:
    text = contract(
        "乙は、毎月、個人情報の取扱状況を甲に報告しなければならない。",
        "甲は、必要があると認めるときは、乙の事業所に立ち入り、個人情報の取扱状況を調査することができる。",
    )
    report = check(text)
    assert report.status("reporting_audit") == "satisfied"
    ra = next(c for c in report.clauses if c.id == "reporting_audit")
    assert any("再委託先" in n for n in ra.notes)


def test_report_on_request_only_is_weak() -> None:
    text = contract(
        "乙は、甲から求められたときは、個人情報の取扱状況を甲に報告しなければならない。"
    )
    assert status(text, "reporting_audit") == "weak"


def test_inspection_of_deliverables_is_not_an_audit() -> None:
    text = contract("甲は、成果物の納入を受けたときは、検査を行うものとする。")
    assert status(text, "reporting_audit") == "missing"


# -- parties, quoting, evidence -------------------------------------------------------------------
def test_roles_learned_from_the_preamble() -> None:
    text = (
        "株式会社テスト（以下「受注者」という。）と三木市（以下「発注者」という。）は、次のとおり契約を締結する。\n"
        "第1条 受注者は、発注者の承諾を得ずに再委託してはならない。\n"
    )
    assert status(text, "subcontracting") == "satisfied"
    swapped = (
        "株式会社Ａ（以下「丙」という。）は、株式会社Ｂ（以下「丁」という。）に対し、業務を委託する。\n"
        "第1条 丙は、本業務を再委託してはならない。\n"
    )
    assert status(swapped, "subcontracting") == "missing"


def test_quoting_the_regulation_satisfies_nothing() -> None:
    text = (
        "契約書には、次の各号に掲げる事項を明記するものとする。\n"
        "（１）個人情報に関する秘密保持、目的外利用の禁止等の義務\n"
        "（２）再委託の制限又は事前承認等再委託に係る条件に関する事項\n"
        "（３）個人情報の複製等の制限に関する事項\n"
        "目次\n第1条 再委託の禁止\n第2条 複写又は複製の禁止\n"
    )
    report = check(text)
    assert [c.status for c in report.clauses].count("satisfied") == 0
    assert report.status("subcontracting") == "missing"


def test_evidence_points_at_the_sentence() -> None:
    text = PREAMBLE + "（再委託の禁止）\n第6条 乙は、本業務を第三者に再委託してはならない。\n"
    report = check(text)
    sub = next(c for c in report.clauses if c.id == "subcontracting")
    ev = sub.evidence[0]
    assert ev.article == "第6条"
    assert ev.page == 1
    assert text[ev.start : ev.end] == ev.text == "乙は、本業務を第三者に再委託してはならない。"
    data = report.to_dict()
    assert set(data) == {"file", "profile", "pages", "ocr", "clauses", "seconds"}
    assert [c["id"] for c in data["clauses"]] == [
        "confidentiality",
        "subcontracting",
        "copying",
        "security",
        "incident",
        "return_deletion",
        "breach_remedies",
        "reporting_audit",
    ]


def test_parse_all_gives_identical_results() -> None:
    text = contract(
        "乙は、個人情報を他に漏らしてはならない。",
        "乙は、甲の承諾なく再委託してはならない。",
        "乙は、業務上必要な場合は、個人情報を複製することができる。",
        "甲は、乙が契約に違反したときは、契約を解除することができる。",
    )
    lazy = check(text).to_dict()
    full = check(text, parse="all").to_dict()
    lazy.pop("seconds"), full.pop("seconds")
    assert lazy == full


# -- general rules added for noun-form acts, structure, who is bound --------------------------
def test_long_parenthetical_inside_the_phrase() -> None:
    text = contract(
        "乙は、甲の承認を得ずに、本件事務を第三者（乙の関連会社（親会社（会社法に規定する"
        "ものをいう。）を含む。）を含む。）に委託してはならない。"
    )
    assert status(text, "subcontracting") == "satisfied"


def test_flow_down_only_and_whole_work_ban_are_weak() -> None:
    lead = (
        "乙は、次に掲げる事項を守らなければならない。\n"
        "（１）再委託先にもこの条の義務を遵守させること。"
    )
    assert status(PREAMBLE + "第1条 " + lead + "\n", "subcontracting") == "weak"
    assert (
        status(
            contract("乙は、本件事務の全部を一括して他人に請け負わせてはならない。"),
            "subcontracting",
        )
        == "weak"
    )


def test_item_ban_under_a_duty_lead() -> None:
    text = (
        PREAMBLE + "第1条 乙は、保有する個人情報について、次の事項を遵守しなければならない。\n"
        "一 個人情報を扱う作業を他に委託しないこと。\n"
        "二 個人情報を外部に漏らさないこと及び契約目的以外に用いないこと"
        "（甲の同意がある場合を除く。）。\n"
        "三 個人情報を記録した帳票の複写は、甲の指示があるときに限り行うこと。\n"
        "四 書庫の施錠その他の個人情報の漏えいを防止するための措置を講ずること。\n"
    )
    report = check(text)
    for cid in ("subcontracting", "confidentiality", "copying", "security"):
        assert report.status(cid) == "satisfied", cid


def test_generic_secret_item_under_a_personal_information_lead_is_weak() -> None:
    text = (
        PREAMBLE + "第1条 乙は、個人情報の取扱いについて、次の事項を守らなければならない。\n"
        "一 職務上知り得た秘密情報を他人に知らせず、本契約の目的以外に用いないこと。\n"
    )
    assert status(text, "confidentiality") == "weak"


def test_noun_list_of_acts_before_a_head_noun() -> None:
    text = contract(
        "乙は、個人情報（これを記録した磁気媒体を含む。）の複写、転記、外部記憶装置への保存"
        "その他これらに類する行為をしてはならない。ただし、甲の書面による承認を得たときは、この限りでない。"
    )
    assert status(text, "copying") == "satisfied"


def test_effort_and_principal_only_duties_are_weak() -> None:
    assert (
        status(contract("乙は、個人情報の複写を必要最小限とするよう努めるものとする。"), "copying")
        == "weak"
    )
    assert (
        status(contract("乙は、個人情報を目的外に利用しないよう努めること。"), "confidentiality")
        == "weak"
    )
    text = contract(
        "甲は、乙に渡す個人情報の漏えい及び滅失の防止のため必要な措置を講ずるものとする。"
    )
    assert status(text, "security") == "weak"
    assert (
        status(contract("乙は、個人情報の紛失の防止に努めなければならない。"), "security") == "weak"
    )


def test_list_leads_law_names_and_content_lists_are_not_measures() -> None:
    assert (
        status(
            contract("乙は、個人情報の保護に関し、次に掲げる事項を遵守するものとする。"), "security"
        )
        == "missing"
    )
    text = contract(
        "この契約において「個人情報」とは、個人情報の保護に関する法律第2条第1項に規定する個人情報をいう。"
    )
    assert status(text, "security") == "missing"
    text = contract(
        "乙は、再委託をするときは、再委託先における安全管理の方法を記載した書面を甲に提出し、甲の承認を受けなければならない。"
    )
    assert status(text, "security") == "missing"


def test_deferred_matters_are_weak() -> None:
    text = contract("個人情報の漏えい等の事故が発生した場合の措置については、甲乙協議の上定める。")
    assert status(text, "incident") == "weak"
    assert status(contract("再委託の可否は、別途協議して定める。"), "subcontracting") == "weak"


def test_incident_needs_an_occurrence_and_handling_alone_is_weak() -> None:
    text = contract(
        "乙は、個人情報を搬送するときは、その経路をあらかじめ甲に届け出て、紛失防止の措置を講じなければならない。"
    )
    assert status(text, "incident") == "missing"
    text = contract(
        "乙は、個人情報の盗難等の事故が起きたときは、乙の負担でこれを処理するものとする。"
    )
    assert status(text, "incident") == "weak"


def test_return_needs_information_not_deliverables_or_waste() -> None:
    text = contract(
        "成果品の所有権は、成果品の引渡しを受けた時に乙から甲に移転するものとする。",
        "乙は、作業に伴う廃棄物を適正に処分しなければならない。",
    )
    assert status(text, "return_deletion") == "missing"
    text = contract("甲は、契約の終了後、乙から個人情報を記録した媒体の返還を受けるものとする。")
    assert status(text, "return_deletion") == "weak"


def test_nominal_remedies_and_acceptance() -> None:
    text = contract(
        "甲は、乙が個人情報の取扱いに関する定めに違反したときは、契約の解除及び損害賠償の請求をすることができる。"
    )
    assert status(text, "breach_remedies") == "satisfied"
    text = (
        PREAMBLE + "第1条 乙は、個人情報について、次の事項を守らなければならない。\n"
        "一 この条の定めに違反したときは、甲による契約の解除及び損害賠償の請求に応じること。\n"
    )
    assert status(text, "breach_remedies") == "satisfied"


def test_termination_as_a_time_or_formality_is_not_a_remedy() -> None:
    text = contract(
        "前条の義務は、契約の解除後も存続する。",
        "この契約に基づく通知、承認及び解除は、書面により行わなければならない。",
    )
    assert status(text, "breach_remedies") == "missing"
    text = contract(
        "乙がこの契約に違反したときは、乙は、違約金として委託料の1割を甲に支払わなければならない。"
    )
    assert status(text, "breach_remedies") == "weak"


def test_ban_stated_as_a_noun() -> None:
    text = contract(
        "個人情報を扱う事務の再委託は、禁止とする。ただし、甲が書面で承認したときは、この限りでない。"
    )
    assert status(text, "subcontracting") == "satisfied"


def test_relative_clause_before_a_coordinated_act_is_not_coordinated() -> None:
    text = contract(
        "乙は、甲の承諾なしに、甲から引き渡された個人情報を記録した資料を複写し、又は複製してはならない。"
    )
    assert status(text, "return_deletion") == "missing"


def test_missing_result_says_what_was_looked_for() -> None:
    text = contract("乙は、本業務を誠実に遂行しなければならない。")
    result = next(c for c in check(text).clauses if c.id == "copying")
    assert result.status == "missing"
    assert result.notes == ["「個人情報の複製等の制限」を定める規定が見当たりません。"]


def test_act_as_topic_after_a_first_clause() -> None:
    text = contract(
        "委託業務の処理は乙自らが行うこととし、第三者への委託（乙の子会社への委託を含む。）は、"
        "あらかじめ甲の書面による承諾を得た場合に限り、これを行うことができるものとする。"
    )
    assert check(text).status("subcontracting") == "satisfied"


def test_revoking_a_designation_is_termination() -> None:
    text = contract(
        "甲は、乙がこの協定に違反したときは、その指定を取り消し、又は管理業務の停止を命ずる"
        "ことができる。",
        "乙は、この協定に違反して甲に損害を与えたときは、その損害を賠償しなければならない。",
    )
    assert check(text).status("breach_remedies") == "satisfied"


def test_inspection_the_contractor_may_not_refuse() -> None:
    text = contract(
        "乙は、毎月、個人情報の取扱状況を甲に報告しなければならない。",
        "甲が必要と認めるときは、職員を乙の事業所に立ち入らせ、個人情報の管理状況を検査させる"
        "ことができる。",
        "乙は、この検査を拒まないこと。",
    )
    assert check(text).status("reporting_audit") == "satisfied"


def test_items_after_a_done_first_clause_and_an_inspection_not_refused() -> None:
    text = PREAMBLE + (
        "第1条 乙は、個人情報を取り扱う場合には、次に掲げる事項を守らなければならない。\n"
        "（１）本業務の完了後、個人情報が記録された紙媒体は速やかに甲に返却し、電子データは甲の"
        "指示する方法により消去した上、その結果を書面で甲に報告すること。\n"
        "（２）毎月末日現在の個人情報の管理状況を、翌月１０日までに書面により甲に報告すること。\n"
        "（３）甲が個人情報の管理状況を確認するため作業場所に立ち入って検査を行うときは、これを"
        "拒まないこと。\n"
    )
    report = check(text)
    assert report.status("return_deletion") == "satisfied"
    assert report.status("reporting_audit") == "satisfied"


@pytest.mark.parametrize(
    "proviso",
    [
        "ただし、甲が管理画面において設定した頻度によるバックアップの取得は、この限りではありません。",
        "ただし、相手方の指示による場合を除きます。",
    ],
)
def test_a_proviso_on_the_principals_setting_or_instruction_keeps_the_ban(proviso: str) -> None:
    text = PREAMBLE + f"第1条 乙は、甲の承諾なく、個人情報を複製しないこと。{proviso}\n"
    assert check(text).status("copying") == "satisfied"


def test_the_incident_named_by_the_previous_item() -> None:
    text = PREAMBLE + (
        "第1条 乙は、次に掲げる事項を遵守すること。\n"
        "（１）個人情報の漏えい、紛失等の事故が発生し、又はそのおそれがあることを知った場合は、"
        "直ちに甲に電話で第一報を行い、その後速やかに事故報告書を提出すること。\n"
        "（２）事故が発生した場合は、甲の指示に従い、被害の拡大防止のための措置を講ずること。\n"
    )
    assert check(text).status("incident") == "satisfied"


def test_damages_for_a_leak_only_are_weak() -> None:
    text = contract(
        "甲は、乙がこの契約に違反したときは、この契約を解除することができる。",
        "乙は、その責めに帰すべき事由により個人情報の漏えいが生じ、これにより甲に損害を与えた"
        "ときは、当該漏えいに係る損害を賠償しなければならない。",
    )
    result = next(c for c in check(text).clauses if c.id == "breach_remedies")
    assert result.status == "weak"
    assert any("漏えい" in n for n in result.notes)


def test_termination_for_bid_rigging_and_nonconformity_damages_are_no_remedies() -> None:
    text = contract(
        "甲は、乙が私的独占の禁止及び公正取引の確保に関する法律第3条の規定に違反したことにより"
        "公正取引委員会が行った排除措置命令が確定したときは、この契約を解除することができる。",
        "甲は、成果物が契約の内容に適合しないときは、履行の追完に代え、損害賠償の請求をする"
        "ことができる。",
    )
    assert check(text).status("breach_remedies") == "missing"


def test_permission_without_the_principals_approval_is_weak() -> None:
    text = contract(
        "乙は、障害対策その他乙が必要と認める場合には、甲の承諾を得ることなく、個人情報を"
        "複製することができる。"
    )
    assert check(text).status("copying") == "weak"


@pytest.mark.parametrize(
    "proviso",
    [
        "ただし、本業務の遂行上必要であると乙が自ら判断した場合を除きます。",
        "ただし、乙が業務上必要と判断した場合は、この限りではありません。",
    ],
)
def test_a_proviso_at_the_contractors_discretion_cancels_the_ban(proviso: str) -> None:
    text = PREAMBLE + f"第1条 乙は、個人情報を複製しないこと。{proviso}\n"
    assert check(text).status("copying") == "weak"


def test_paper_forms_with_a_parenthetical_only() -> None:
    text = contract("乙は、甲から引渡しを受けた個人情報の帳票（紙媒体）を複写しないこと。")
    assert check(text).status("copying") == "weak"


def test_measures_over_secrets_in_general_are_weak() -> None:
    text = (
        PREAMBLE + "個人情報取扱特記事項\n第1条 乙は、甲から提供を受けた情報のうち秘密とされる"
        "ものについて、その漏えいを防止するために必要な措置を講じなければならない。\n"
    )
    assert check(text).status("security") == "weak"


def test_a_leak_of_secrets_in_general_is_no_personal_information_incident() -> None:
    text = contract(
        "乙は、秘密情報の漏えいを知ったときは、直ちに甲に通知し、甲の指示に従い必要な措置を"
        "講じなければならない。"
    )
    assert check(text).status("incident") == "weak"


def test_coordinated_relative_clause_imposes_nothing() -> None:
    text = contract(
        "乙は、甲から引き渡され、又は乙自らが作成した個人情報が記録された資料等を、業務完了後、"
        "乙の責任において廃棄するものとする。"
    )
    assert check(text).status("return_deletion") == "weak"


def test_report_and_measures_split_over_paragraphs_of_one_article() -> None:
    """第1項 the report, 第2項 a duty of the municipality, 第3項 the measures after 「第１項の
    報告を行ったときは」: the incident of the first paragraph."""
    first = (
        "乙は、個人情報の漏えい等が発生し、又は発生したおそれがあることを知ったときは、直ちに"
        "甲に報告しなければならない。\n２ 甲は、前項の事案について本人への通知を行うものとする。\n"
    )
    measures = (
        "３ 乙は、第１項の報告を行ったときは、甲の指示に基づき、被害の拡大防止及び再発防止の"
        "ために必要な措置を講じなければならない。"
    )
    assert check(contract(first + measures)).status("incident") == "satisfied"
    # The same paragraph in another article refers to nothing: the measures are missing.
    other = contract(
        first.rstrip("\n"), "乙は、個人情報を適正に管理しなければならない。\n" + measures
    )
    assert check(other).status("incident") == "weak"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("甲は、乙に対し、個人情報の複写及び複製を禁止する。", "satisfied"),
        (
            "甲は、乙に対し、個人情報の複写及び複製を禁止する。ただし、甲が必要と認めて指示した"
            "ときは、この限りでない。",
            "satisfied",
        ),
        # No addressee, or the municipality's own staff: a duty of the municipality.
        ("甲は、個人情報の複写及び複製を禁止する。", "weak"),
        ("甲は、甲の職員に対し、個人情報の複写を禁止する。", "weak"),
    ],
)
def test_a_ban_the_municipality_addresses_to_the_contractor_binds_it(
    sentence: str, expected: str
) -> None:
    assert check(contract(sentence)).status("copying") == expected


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("個人情報の複写又は複製は、甲の承認を要する。", "satisfied"),
        ("個人情報が記録された帳票及び電磁的記録の複写又は複製は、甲の承認を要する。", "satisfied"),
        # forms only, or an approval that is the contractor's own
        ("個人情報が記録された帳票の複写は、甲の承認を要する。", "weak"),
        ("個人情報の複写は、乙の責任者の承認を要する。", "weak"),
    ],
)
def test_copying_that_requires_the_municipalitys_approval(row: str, expected: str) -> None:
    assert check(contract(row)).status("copying") == expected


def test_a_ban_only_after_the_municipalitys_objection_is_weak() -> None:
    text = contract(
        "乙は、本業務の一部を第三者に委託しようとするときは、あらかじめその者の名称を甲に通知"
        "するものとし、甲が異議を述べたときは、当該第三者に委託してはならない。"
    )
    assert check(text).status("subcontracting") == "weak"


def test_a_chapter_heading_about_personal_information_scopes_the_duties_below_it() -> None:
    """A 仕様書 chapter 「１０　個人情報の取扱い」 whose items erase 入力データ: the data under
    that heading are personal information; under another heading they are not."""
    spec = (
        PREAMBLE
        + "９　入力作業\n受託者は、申込書等の記載内容を入力し、入力データを作成すること。\n"
        "{title}\n受託者は、次の事項を守ること。\n"
        "ア　本業務の終了後、申込書等は甲に返還すること。\n"
        "イ　受託者の入力端末に残存する入力データは、復元不可能な方法により消去すること。\n"
    )
    assert check(spec.format(title="１０　個人情報の取扱い")).status("return_deletion") == (
        "satisfied"
    )
    assert check(spec.format(title="１０　作業の終了")).status("return_deletion") == "weak"


def test_the_municipalitys_right_to_ask_about_incidents_is_weak() -> None:
    text = contract(
        "甲は、必要と認めるときは、乙に対し、個人情報に係る事故の有無及びその状況について報告"
        "させることができる。"
    )
    assert check(text).status("incident") == "weak"
    assert check(contract("乙は、本業務を誠実に行わなければならない。")).status("incident") == (
        "missing"
    )


def test_the_subject_of_a_relative_clause_is_not_the_one_bound() -> None:
    """…を甲又は甲が指定する次期受託者に引き継ぐこと: 甲が is the subject of 指定する only;
    the row binds the contractor (handing over is return only: weak, not missing)."""
    text = contract(
        "乙は、次の事項を守らなければならない。\n一 業務完了後、個人情報が記録された資料及び"
        "データを甲又は甲が指定する次期受託者に引き継ぐこと。"
    )
    assert check(text).status("return_deletion") == "weak"
