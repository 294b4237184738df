"""Who the parties are (read from the document), matters spread over several provisions,
and texts that share the words of a clause without imposing it."""

from __future__ import annotations

import pytest
from clause_samples import PREAMBLE, contract

from clauses import check

pytestmark = pytest.mark.usefixtures("nlp")

_OWN = (
    "株式会社Ａ（以下「当社」という。）は、株式会社Ｂ（以下「委託先」という。）に対し、"
    "顧客の個人情報の入力業務を委託する。\n"
)
_TOS = (
    "クラウドサービス利用規約\n第1条 本規約は、株式会社Ｘ（以下「当社」という。）が提供する"
    "本サービスの利用条件を定めるものです。\n"
)


# -- parties ----------------------------------------------------------------------------------
def test_company_outsourcing_contract_toha_is_the_principal() -> None:
    duty = "個人情報を第三者に開示し、又は本業務の目的以外に利用してはならない。"
    assert check(_OWN + "第1条 委託先は、" + duty + "\n").status("confidentiality") == "satisfied"
    assert check(_OWN + "第1条 当社は、" + duty + "\n").status("confidentiality") != "satisfied"


def test_terms_of_service_toha_is_the_contractor_and_the_customer_the_principal() -> None:
    text = _TOS + (
        "第2条 当社は、お客様から預託された個人情報を第三者に開示せず、本サービスの提供の"
        "目的以外に利用しません。\n"
        "第3条 当社は、お客様の個人情報の漏えい等の事故が発生したときは、速やかにお客様に"
        "通知し、お客様の指示に従い必要な措置を講じます。\n"
        "第4条 お客様は、当社が本規約に違反したときは、利用契約を解除することができます。\n"
        "第5条 当社は、本規約に違反してお客様に損害を与えたときは、その損害を賠償します。\n"
        "第6条 当社は、本サービスの提供に必要な範囲で、業務の一部を第三者に委託することが"
        "できるものとします。\n"
    )
    report = check(text)
    assert report.status("confidentiality") == "satisfied"
    assert report.status("incident") == "satisfied"
    assert report.status("breach_remedies") == "satisfied"
    assert report.status("subcontracting") == "weak"


@pytest.mark.parametrize("secret", ["個人情報", "秘密情報"])
def test_mutual_duty_of_each_party(secret: str) -> None:
    text = (
        "株式会社Ａと株式会社Ｂは、次のとおり秘密保持契約を締結する。\n"
        f"第1条 各当事者は、相手方から開示された{secret}を第三者に開示してはならず、"
        "本契約の目的以外に使用してはならない。\n"
    )
    expected = "satisfied" if secret == "個人情報" else "weak"
    assert check(text).status("confidentiality") == expected


@pytest.mark.parametrize(
    ("principal", "contractor"),
    [("〇〇広域連合", "受託者"), ("株式会社Ａ", "受領者"), ("〇〇区", "受注者")],
)
def test_principal_names(principal: str, contractor: str) -> None:
    name = {"受領者": "開示者", "受託者": "委託者", "受注者": "発注者"}[contractor]
    text = (
        f"{principal}（以下「{name}」という。）と株式会社Ｂ（以下「{contractor}」という。）は、"
        "次のとおり契約を締結する。\n"
        f"第1条 {contractor}は、{name}の承諾を得ずに個人情報の取扱いを再委託してはならない。\n"
    )
    assert check(text).status("subcontracting") == "satisfied"


def test_attachment_inherits_the_parties_of_the_main_contract() -> None:
    text = (
        PREAMBLE + "第1条 乙は、別記特記事項を守らなければならない。\n"
        "別記\n個人情報取扱特記事項\n第1条 乙は、甲の承諾を得ずに再委託してはならない。\n"
    )
    assert check(text).status("subcontracting") == "satisfied"


def test_one_character_name_is_a_party_only_as_a_word() -> None:
    text = contract("区分ごとの個人情報の管理は、乙の責任において行わなければならない。")
    # 区分 is not the ward (区): the sentence still binds the contractor, nothing is imposed
    # on the municipality.
    assert check(text).status("confidentiality") == "missing"


# -- a matter spread over several provisions -----------------------------------------------------
def test_return_in_one_paragraph_erasure_in_the_next() -> None:
    text = (
        PREAMBLE + "第1条 乙は、業務が完了したときは、個人情報を記録した媒体を甲に返還しなければ"
        "ならない。\n２ 乙は、前項の場合において、乙の電子計算機に記録された個人情報を消去"
        "しなければならない。\n"
    )
    assert check(text).status("return_deletion") == "satisfied"


def test_audit_right_and_periodic_report_in_different_articles() -> None:
    text = contract(
        "甲は、必要があると認めるときは、乙の事業所に立ち入り、個人情報の管理状況を検査する"
        "ことができる。",
        "（報告）乙は、四半期ごとに、個人情報の取扱状況を書面により甲に報告しなければならない。",
    )
    assert check(text).status("reporting_audit") == "satisfied"


# -- traps ----------------------------------------------------------------------------------------
def test_generic_remedies_in_a_contract_without_personal_information_are_weak() -> None:
    text = "工事請負契約書\n" + contract(
        "甲は、乙がこの契約に違反したときは、この契約を解除することができる。",
        "乙は、この契約に違反して甲に損害を与えたときは、その損害を賠償しなければならない。",
    )
    result = next(c for c in check(text).clauses if c.id == "breach_remedies")
    assert result.status == "weak"
    assert any("個人情報の取扱いの定めがなく" in n for n in result.notes)


@pytest.mark.parametrize(
    ("sentence", "clause"),
    [
        (
            "乙は、工事現場における事故の防止のため、安全管理に必要な措置を講じなければならない。",
            "security",
        ),
        (
            "乙は、工事の施工中に事故が発生したときは、直ちに甲に報告し、甲の指示に従わなければならない。",
            "incident",
        ),
        (
            "乙は、業務が完了したときは、甲から貸与された鍵を甲に返還しなければならない。",
            "return_deletion",
        ),
        ("乙は、毎月、業務の進捗状況を甲に報告しなければならない。", "reporting_audit"),
        ("甲は、成果物の引渡しを受けたときは、完了検査を行うものとする。", "reporting_audit"),
    ],
)
def test_shared_words_only(sentence: str, clause: str) -> None:
    assert check("工事請負契約書\n" + contract(sentence)).status(clause) == "missing"


def test_minutes_that_report_a_planned_clause_impose_nothing() -> None:
    text = (
        "第３回個人情報保護審議会 会議録\n"
        "委員長 委託契約には、再委託の制限、複製の制限、安全管理措置を定める必要がある。\n"
        "事務局 受託者は、委託者の承諾なく再委託してはならない旨を特記事項に規定する予定です。\n"
    )
    assert check(text).status("subcontracting") == "missing"


def test_checklist_questions_impose_nothing() -> None:
    text = (
        "委託先チェックリスト\n"
        "１ 再委託の禁止又は事前承認について定めているか。 □はい □いいえ\n"
        "２ 個人情報の複製の制限について定めているか。 □はい □いいえ\n"
    )
    report = check(text)
    assert report.status("subcontracting") == "missing"
    assert report.status("copying") == "missing"


def test_termination_for_other_grounds_is_not_a_remedy() -> None:
    text = (
        PREAMBLE + "第1条 甲は、乙が次の各号のいずれかに該当するときは、この契約を解除することが"
        "できる。\n（１）破産手続開始の申立てがあったとき。\n（２）暴力団員であると認められたとき。\n"
    )
    assert check(text).status("breach_remedies") == "missing"


def test_acceptance_inspection_of_a_report_is_not_an_audit() -> None:
    text = contract(
        "乙は、業務が完了したときは、業務完了報告書を甲に提出しなければならない。",
        "甲は、前条の報告書を受理したときは、その日から起算して１０日以内に検査を行わなければならない。",
    )
    assert check(text).status("reporting_audit") == "missing"


def test_report_on_request_is_weak_not_an_incident() -> None:
    text = contract("乙は、甲から求めがあったときは、個人情報の取扱状況を甲に報告すること。")
    assert check(text).status("reporting_audit") == "weak"


def test_a_subcontractor_mentioned_without_restriction_is_weak() -> None:
    text = contract(
        "甲は、乙の事業所に立ち入り、個人情報の管理状況を検査することができる。"
        "再委託先がある場合は、再委託先についても同様とする。"
    )
    result = next(c for c in check(text).clauses if c.id == "subcontracting")
    assert result.status == "weak"
    assert result.notes[0].startswith("再委託の制限・事前承認に触れる記載はありますが")


def test_coordinated_acts_share_a_negative_nominalised_duty() -> None:
    text = (
        PREAMBLE
        + "第1条 乙は、個人情報の取扱いについて、次に掲げる事項を遵守しなければならない。\n"
        "(1) 本業務に関して知り得た個人情報を他に漏らし、又は本業務の目的以外に利用しないこと。\n"
    )
    assert check(text).status("confidentiality") == "satisfied"


def test_a_person_of_the_principal_acts_for_it() -> None:
    text = contract(
        "乙は、四半期ごとに、個人情報の取扱状況を県に報告すること。",
        "県が必要と認めるときは、県の職員が乙の事業所に立ち入り、個人情報の管理状況を検査する"
        "ことができるものとし、乙はこれに協力すること。",
    )
    assert check(text).status("reporting_audit") == "satisfied"


def test_information_learnt_is_not_an_incident() -> None:
    text = contract(
        "乙は、業務の遂行を通じて知った個人情報について、漏えい、滅失又はき損を防ぐための措置"
        "その他その適切な管理に必要な措置を講じなければならない。"
    )
    assert check(text).status("incident") == "missing"


def test_effort_duties_written_with_monotosuru_are_weak() -> None:
    text = contract("乙は、個人情報の漏えい、滅失及びき損の防止に努めるものとする。")
    assert check(text).status("security") == "weak"
    text = contract("乙は、定期的に、個人情報の取扱状況を甲に報告するよう努めるものとする。")
    result = next(c for c in check(text).clauses if c.id == "reporting_audit")
    assert result.status == "weak"
    assert "遵守状況の報告が努力義務にとどまっています。" in result.notes


def test_service_user_is_the_principal_in_terms_of_service_only() -> None:
    text = _TOS + (
        "第2条 当社は、利用者の個人情報を第三者に開示せず、本サービスの目的以外に利用しません。\n"
        "第3条 利用者は、当社が本規約に違反したときは、利用契約を解除することができます。\n"
        "第4条 当社は、本規約に違反して利用者に損害を与えたときは、その損害を賠償します。\n"
    )
    assert check(text).status("breach_remedies") == "satisfied"


def test_a_circular_on_what_contracts_must_state_imposes_nothing() -> None:
    text = (
        "事務連絡\n各課室等の長 様\n"
        "１ 派遣労働者に個人情報の取扱いに係る業務を行わせる場合には、労働者派遣契約書に"
        "秘密保持義務等個人情報の取扱いに関する事項を明記してください。\n"
    )
    assert check(text).status("confidentiality") == "missing"


def test_a_handbook_reporting_what_is_said_to_apply_imposes_nothing() -> None:
    text = (
        "個人情報保護の手引き\n"
        "委託契約書には、再委託の禁止、複製の制限、事故時の報告等を定めることとされている。\n"
        "受託者は、一般に、委託者の承諾なく再委託することはできないとされる。\n"
    )
    assert check(text).status("subcontracting") == "missing"


def test_items_under_a_title_speak_for_themselves() -> None:
    text = (
        "〇〇業務委託仕様書\n１ 委託業務名 住民税申告書入力業務\n３ 個人情報の取扱い\n"
        "（１）業務上知り得た個人情報を第三者に漏らさないこと。\n"
        "（２）個人情報を本業務の目的以外に利用しないこと。\n"
        "（３）個人情報の漏えい等の事故が発生した場合は、直ちに発注者に報告し、その指示に従うこと。\n"
        "（４）業務終了後、貸与資料は発注者に返却し、受注者が作成した個人情報を含む電子データは"
        "完全に消去すること。\n"
    )
    report = check(text)
    for clause in ("confidentiality", "incident", "return_deletion"):
        assert report.status(clause) == "satisfied", clause


@pytest.mark.parametrize(
    "sentence",
    [
        "再委託は、事前に書面を提出させて甲が承認した場合に限ることとしております。",
        "業務終了時に個人情報を消去させ、消去証明書を提出させることとしました。",
        "再委託はどのような扱いになっていますか。",
        "現時点で再委託の申請はありません。",
        "契約解除や損害賠償の規定を置いております。",
    ],
)
def test_minutes_and_reports_impose_nothing(sentence: str) -> None:
    # Past tense, questions, "there is none" and the humble progressive of an explanation
    # describe what stands; they impose nothing.
    report = check(PREAMBLE + "議事概要\n" + sentence + "\n")
    assert all(c.status != "satisfied" for c in report.clauses)


_DPA = (
    "個人データの処理に関する契約書\n"
    "株式会社Ａ（以下「Ａ社」又は「管理者」という。）及び株式会社Ｂ（以下「Ｂ社」又は「処理者」"
    "という。）は、Ｂ社がＡ社のために行う個人データの処理に関して、次のとおり契約を締結する。\n"
)


def test_two_names_of_one_party_share_its_role() -> None:
    text = _DPA + (
        "第1条 処理者は、管理者の事前の書面による承認を得ない限り、個人データの処理の全部又は"
        "一部をサブ処理者に行わせてはならない。\n"
        "第2条 Ｂ社は、個人データを秘密として保持し、本契約の目的以外に利用してはならない。\n"
    )
    report = check(text)
    assert report.status("subcontracting") == "satisfied"
    assert report.status("confidentiality") == "satisfied"


def test_a_subcontractor_is_not_the_contractor() -> None:
    # 再委託先 holds 委託先, サブ処理者 holds 処理者: neither is the party bound.
    text = (
        _DPA
        + "第1条 サブ処理者は、個人データの漏えいの防止のために必要な措置を講じなければならない。\n"
    )
    assert check(text).status("security") != "satisfied"


def test_a_denied_duty_imposes_nothing() -> None:
    text = _DPA + (
        "第1条 処理者は、個人データ侵害を認識したときは、直ちに管理者に通知しなければならない。\n"
        "第2条 処理者は、前項の通知を行うほか、個人データ侵害に関して何らかの措置を講じ、又は"
        "管理者の指示に従う義務を負わない。\n"
    )
    assert check(text).status("incident") == "weak"


def test_a_privacy_policy_binds_no_contractor() -> None:
    text = (
        "プライバシーポリシー\n株式会社Ｐ（以下「当社」といいます。）は、お客様の個人情報を、"
        "次の方針に基づき取り扱います。\n"
        "1. 当社は、個人情報の漏えい、滅失又はき損の防止その他の安全管理のために必要な措置を"
        "講じます。\n"
    )
    assert check(text).status("security") == "weak"


def test_an_officer_of_the_municipality_reporting_up_binds_no_contractor() -> None:
    """A rule for the municipality's own staff (職員は…所属長に報告 / 所属長は、前項の報告を
    受けたときは…措置を講ずる): 所属長 is a person, not an impersonal topic."""
    text = contract(
        "職員は、個人情報の漏えいの事故が発生したことを知ったときは、直ちに所属長に報告しなければ"
        "ならない。\n２ 所属長は、前項の報告を受けたときは、速やかに被害の拡大防止のための措置を"
        "講ずるとともに、市長に報告しなければならない。"
    )
    assert check(text).status("incident") != "satisfied"


def test_a_proposal_promises_without_imposing() -> None:
    """ご提案書 兼 御見積書: 「再委託は行いません」 is a promise before any contract: weak."""
    body = "本業務の再委託は行いません。\n"
    proposal = "アンケート入力業務\nご提案書　兼　御見積書\n" + body
    result = check(proposal)
    assert result.status("subcontracting") == "weak"
    sub = next(c for c in result.clauses if c.id == "subcontracting")
    assert any("提案書" in n for n in sub.notes)
    # The same words in a contract impose the ban.
    assert check(contract("乙は、本業務の再委託は行いません。")).status("subcontracting") == (
        "satisfied"
    )
