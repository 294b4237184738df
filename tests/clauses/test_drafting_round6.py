"""Drafting mechanisms of the sixth round (issue #12): the register of a pledge (誓約書) and
what a sentence leaves unsaid because the one before it said it."""

from __future__ import annotations

import pytest
from clause_samples import contract, status

PLEDGE = (
    "誓約書\n"
    "株式会社みなと商事　御中\n"
    "当社は、貴社から委託を受けた顧客管理業務（以下「本業務」という。）に関し、"
    "次の事項を遵守することを誓約いたします。\n"
    "{items}\n"
    "令和8年4月1日\n株式会社データサポート\n代表取締役　山田太郎\n"
)


def pledge(*items: str) -> str:
    return PLEDGE.format(items="\n".join(f"{k}. {t}" for k, t in enumerate(items, 1)))


def test_a_humble_suru_is_the_verb_of_its_noun() -> None:
    text = pledge("貴社の指示又は承諾がある場合を除き、個人情報を複写し、又は複製いたしません。")
    assert status(text, "copying") == "satisfied"


def test_a_humble_suru_without_a_ban_is_no_ban() -> None:
    text = pledge("個人情報の複製は、貴社の承諾を得て、必要な部数に限り実施いたします。")
    assert status(text, "copying") != "satisfied"


def test_a_sentence_going_on_from_the_one_before_keeps_its_object() -> None:
    text = pledge(
        "本業務に関して知り得た個人情報を第三者に漏らしません。"
        "また、本業務の目的以外に利用いたしません。"
    )
    assert status(text, "confidentiality") == "satisfied"


def test_a_new_sentence_about_something_else_does_not_borrow_personal_information() -> None:
    text = pledge(
        "本業務に関して知り得た個人情報を第三者に漏らしません。",
        "貴社から貸与された機器は、本業務の目的以外に利用いたしません。",
    )
    assert status(text, "confidentiality") == "weak"


def test_who_judges_the_need_is_not_who_accepts_the_inspection() -> None:
    text = pledge(
        "毎月、個人情報の管理状況を貴社に書面で報告し、"
        "貴社が必要と認めるときは実地の調査を受け入れます。"
    )
    assert status(text, "reporting_audit") == "satisfied"


def test_a_termination_accepted_in_advance_is_granted() -> None:
    text = pledge(
        "本誓約に違反したときは、貴社が契約を解除しても異議を申し立てず、"
        "貴社に生じた損害を賠償いたします。"
    )
    assert status(text, "breach_remedies") == "satisfied"


def test_a_termination_merely_conceded_without_breach_is_no_remedy() -> None:
    text = pledge(
        "貴社の都合により契約を解除されても異議を申し立てません。",
        "本誓約に違反したときは、貴社に生じた損害を賠償いたします。",
    )
    assert status(text, "breach_remedies") == "weak"


def test_a_need_stated_after_a_verb_is_a_duty() -> None:
    text = contract(
        "乙は、個人情報の漏えい、滅失及びき損の防止のため、必要な措置を講じる必要がある。"
    )
    assert status(text, "security") == "satisfied"


def test_a_need_as_a_condition_is_still_a_condition() -> None:
    text = contract("乙は、個人情報を複製する必要があるときは、その旨を甲に通知する。")
    assert status(text, "copying") != "satisfied"


def test_not_allowed_written_as_a_noun_is_a_ban() -> None:
    text = contract(
        "本業務の再委託は不可とする。ただし、事前に甲の書面による承認を得た場合はこの限りでない。",
        "個人情報の複写及び複製は不可とする。",
    )
    assert status(text, "subcontracting") == "satisfied"
    assert status(text, "copying") == "satisfied"


def test_not_allowed_at_the_contractors_judgement_is_weak() -> None:
    text = contract("本業務の再委託は不可とする。ただし、乙が必要と認める場合はこの限りでない。")
    assert status(text, "subcontracting") == "weak"


def test_managing_so_that_no_leak_happens_is_the_measure() -> None:
    text = contract(
        "乙は、甲から預託を受けた個人情報を、漏えい、滅失又はき損することのないよう、"
        "安全に管理しなければならない。"
    )
    assert status(text, "security") == "satisfied"


def test_measures_applied_are_measures_taken() -> None:
    text = contract(
        "乙は、個人情報を取り扱う場所、方法等について、"
        "漏えい等の防止のための十分なセキュリティ対策を施すものとする。"
    )
    assert status(text, "security") == "satisfied"


def test_handling_with_care_alone_stays_weak() -> None:
    text = contract("乙は、個人情報を善良な管理者の注意をもって取り扱わなければならない。")
    assert status(text, "security") == "weak"


def test_an_addressed_act_in_the_continuative_is_no_relative_clause() -> None:
    text = contract(
        "乙は、個人データ侵害を認識した場合、不当な遅滞なく甲に通知し、甲の指示に従い、"
        "侵害の影響を軽減するために必要な措置を講じる。"
    )
    assert status(text, "incident") == "satisfied"


def test_an_audit_accepted_with_no_object_named_in_a_personal_data_contract() -> None:
    text = contract(
        "乙は、個人情報の取扱状況について、四半期ごとに甲に書面で報告する。",
        "乙は、甲又は甲が委任した監査人による検査を含む監査を受け入れ、これに協力する。",
    )
    assert status(text, "reporting_audit") == "satisfied"


def test_an_audit_of_the_accounts_is_no_audit_of_the_handling() -> None:
    text = contract(
        "乙は、個人情報の取扱状況について、四半期ごとに甲に書面で報告する。",
        "乙は、甲による会計監査を受け入れる。",
    )
    assert status(text, "reporting_audit") == "weak"


def test_what_a_contract_is_to_lay_down_imposes_nothing() -> None:
    text = "会議録\n委員長 委託契約には、再委託の制限及び複製の制限を定める必要がある。\n"
    assert status(text, "subcontracting") == "missing"


def test_a_weak_finding_always_says_what_it_lacks() -> None:
    from clauses import check

    text = contract(
        "乙は、個人情報の取扱状況について、四半期ごとに甲に書面で報告する。",
        "乙は、甲による会計監査を受け入れる。",
    )
    result = next(c for c in check(text).clauses if c.id == "reporting_audit")
    assert result.status == "weak"
    assert any("「監査・検査」に触れる定めはありますが" in n for n in result.notes)


def test_a_negative_continuative_before_a_plain_duty_is_a_ban() -> None:
    text = contract(
        "両当事者は、本契約に関して知り得た個人情報を第三者に開示せず、"
        "本契約の目的の範囲内でのみ利用する。"
    )
    assert status(text, "confidentiality") == "satisfied"


def test_the_other_party_of_a_mutual_clause_holds_the_remedies() -> None:
    text = contract(
        "乙は、個人情報を第三者に漏らしてはならない。",
        "当事者の一方が本契約に違反したときは、相手方は本契約を解除することができる。\n"
        "2 当事者の一方は、本契約に違反して相手方に損害を与えたときは、"
        "その損害を賠償しなければならない。",
    )
    assert status(text, "breach_remedies") == "satisfied"


def test_a_subprocessor_made_to_process_needs_approval() -> None:
    text = contract(
        "乙は、甲の事前の個別かつ書面による承認を得ることなく、"
        "サブプロセッサに個人データの処理を行わせてはならない。"
    )
    assert status(text, "subcontracting") == "satisfied"


def test_an_exception_for_what_the_contract_itself_allows_keeps_the_ban() -> None:
    text = contract(
        "乙は、本契約に従う場合を除き、個人情報を第三者に開示し、又は漏えいしてはならない。",
        "乙は、個人情報を本契約の目的以外に利用してはならない。",
    )
    assert status(text, "confidentiality") == "satisfied"


def test_an_instruction_named_without_its_giver_is_the_principals() -> None:
    text = contract("乙は、指示による場合を除き、個人データを複製し、又は複写してはならない。")
    assert status(text, "copying") == "satisfied"


def test_a_coordinated_subject_split_by_the_parser_binds_both() -> None:
    text = (
        "株式会社北星（以下「ユーザ」という。）と株式会社アーク（以下「ベンダ」という。）は、"
        "ユーザがベンダに委託する業務に関し、次のとおり契約を締結する。\n"
        "第1条 ベンダは、個人情報を第三者に漏えいしてはならない。\n"
        "第2条 ユーザ又はベンダは、相手方が本契約に違反したときは、本契約を解除することができる。\n"
        "第3条 ユーザ及びベンダは、本契約の履行に関し、相手方の責めに帰すべき事由により損害を"
        "被った場合、相手方に対して、当該損害の賠償を請求することができる。\n"
    )
    assert status(text, "breach_remedies") == "satisfied"


def test_items_of_a_pledge_after_its_announcing_sentence_and_the_mark_ki() -> None:
    text = (
        "誓約書\n株式会社みなと商事　御中\n"
        "当社は、貴社から委託を受けた業務に関し、次の事項を遵守することを誓約します。\n"
        "記\n"
        "１．個人情報の本業務以外の目的への利用の禁止\n"
        "２．当社は、個人情報を第三者に開示し、又は漏えいいたしません。\n"
        "３．貴社の事前の書面による承諾のない本業務の再委託の禁止"
        "（本業務の一部を第三者に行わせる場合を含みます。）\n"
    )
    assert status(text, "confidentiality") == "satisfied"
    assert status(text, "subcontracting") == "satisfied"


def test_copying_allowed_only_in_named_cases_is_restricted() -> None:
    text = contract(
        "本件個人情報の複写又は複製は、甲の指示がある場合又は甲の書面による承認を得た場合に"
        "限るものとする。"
    )
    assert status(text, "copying") == "satisfied"


def test_an_inspection_accepted_as_a_noun_item() -> None:
    text = contract(
        "乙は、本件個人情報の取扱いに関し、次の各号を遵守する。\n"
        "（1）四半期ごとの、本件個人情報の取扱状況の甲への書面による報告\n"
        "（2）甲又は甲が指定する者が本件個人情報の取扱状況を確認するために行う"
        "乙の事業所への立入検査の受入れ"
    )
    assert status(text, "reporting_audit") == "satisfied"


def test_a_monthly_report_whose_contents_list_the_handling() -> None:
    text = contract(
        "乙は、個人情報を第三者に漏らしてはならない。",
        "乙は、毎月、次に掲げる事項を記載した月次業務報告書を甲に提出しなければならない。\n"
        "(1) 運行日数及び運行便数\n(2) 個人情報の管理状況",
        "甲は、必要があると認めるときは、乙の事業所に立ち入り、個人情報の管理状況を"
        "検査することができる。",
    )
    assert status(text, "reporting_audit") == "satisfied"


def test_a_monthly_work_report_alone_reports_no_compliance() -> None:
    text = contract(
        "乙は、個人情報を第三者に漏らしてはならない。",
        "乙は、毎月、次に掲げる事項を記載した月次業務報告書を甲に提出しなければならない。\n"
        "(1) 運行日数及び運行便数\n(2) 車両の点検結果",
        "甲は、必要があると認めるときは、乙の事業所に立ち入り、個人情報の管理状況を"
        "検査することができる。",
    )
    assert status(text, "reporting_audit") == "weak"


LETTER = (
    "個人情報の取扱いに関する誓約書の提出について（依頼）\n"
    "下記により誓約書の提出をお願いいたします。\n"
    "様式第１号\n個人情報の取扱いに関する誓約書\n"
    "当社は、貴財団から委託を受けた業務に関し、次の事項を遵守することを誓約します。\n"
    "１　個人情報の漏えい、滅失及びき損の防止その他の安全管理のために必要な措置を講じます。\n"
)


def test_a_letter_asking_for_a_pledge_imposes_nothing() -> None:
    assert status(LETTER, "security") == "missing"


def test_a_cover_letter_sent_with_a_contract_leaves_the_contract() -> None:
    text = (
        "業務委託契約の締結について（通知）\n"
        "個人情報取扱特記事項\n"
        "第1条 乙は、個人情報の漏えい、滅失及びき損の防止その他の安全管理のために"
        "必要な措置を講じなければならない。\n"
    )
    assert status(text, "security") == "satisfied"


def test_minutes_impose_nothing_and_a_planned_ban_is_described() -> None:
    text = (
        "令和7年度第2回個人情報保護審議会会議録\n"
        "事務局 市の書面による承諾がない限り、再委託は禁止とする考えです。\n"
    )
    assert status(text, "subcontracting") == "missing"
    assert status(contract("再委託は禁止とする考えです。"), "subcontracting") != "satisfied"


def test_remedies_of_a_guard_contract_with_no_personal_information_are_weak() -> None:
    text = contract(
        "乙は、甲の建物の警備業務を行う。",
        "乙は、業務上知り得た秘密を他に漏らしてはならない。",
        "甲は、乙がこの契約に違反したときは、この契約を解除することができる。",
        "乙は、この契約に違反して甲に損害を与えたときは、その損害を賠償しなければならない。",
    )
    assert status(text, "breach_remedies") == "weak"


def test_approval_needed_except_for_the_contractors_group_is_weak() -> None:
    text = contract(
        "乙は、業務の一部を第三者に委託しようとするときは、あらかじめ甲の書面による承認を"
        "得なければならない。ただし、乙の親会社、子会社その他の関係会社に委託する場合は、"
        "この限りでない。"
    )
    assert status(text, "subcontracting") == "weak"


def test_approval_dispensed_with_for_part_of_the_work_is_weak() -> None:
    text = contract(
        "乙は、業務の全部又は一部を再委託するときは、あらかじめ甲の書面による承諾を得なければ"
        "ならない。",
        "乙は、データ入力の業務を乙の子会社に再委託することがある。この場合、甲の承諾を"
        "要しないものとする。",
    )
    assert status(text, "subcontracting") == "weak"


@pytest.mark.parametrize(
    "definition",
    [
        "甲が乙に提供する住民の個人を特定できる情報",
        "甲から委託を受けて乙が取り扱う被保険者の情報",
        "甲の病院の患者の診療に関する情報",
    ],
)
def test_a_term_defined_as_information_about_persons_carries_it(definition: str) -> None:
    text = contract(
        f"この契約において「対象情報」とは、{definition}をいう。",
        "乙は、対象情報を第三者に漏らしてはならず、本業務の目的以外に利用してはならない。",
    )
    assert status(text, "confidentiality") == "satisfied"


def test_statistics_about_persons_are_no_personal_information() -> None:
    text = contract(
        "この契約において「対象情報」とは、施設の利用者の利用状況に関する統計情報をいう。",
        "乙は、対象情報を第三者に漏らしてはならず、本業務の目的以外に利用してはならない。",
    )
    assert status(text, "confidentiality") == "weak"


def test_a_right_granted_besides_another_is_granted_too() -> None:
    text = contract(
        "乙は、個人情報を第三者に漏らしてはならない。",
        "乙がこの特記事項に違反したときは、甲は、催告なしに契約の全部又は一部を解除できるほか、"
        "これにより生じた損害の賠償を乙に請求できる。",
    )
    assert status(text, "breach_remedies") == "satisfied"


def test_an_act_defined_in_parentheses_before_its_verb() -> None:
    text = contract(
        "乙は、個人情報の複製等（複写、複製、転記、撮影その他これらに類する行為をいう。）を"
        "甲の承諾なく行ってはならない。"
    )
    assert status(text, "copying") == "satisfied"


def test_termination_for_a_leak_the_contractor_is_to_blame_for() -> None:
    text = contract(
        "乙は、個人情報を第三者に漏らしてはならない。",
        "甲は、乙の責めに帰すべき事由により個人情報の漏えい等が生じたときは、"
        "この契約を解除することができる。",
        "乙は、この契約の規定に違反したことにより甲に損害を与えたときは、"
        "その損害を賠償しなければならない。",
    )
    assert status(text, "breach_remedies") == "satisfied"


def test_damages_for_a_leak_only_stay_weak() -> None:
    text = contract(
        "乙は、個人情報を第三者に漏らしてはならない。",
        "乙の故意又は過失により個人情報の漏えい等の事故が発生し甲に損害が生じたときは、"
        "乙はその損害を賠償する。",
        "甲は、乙がこの契約に違反したときは、契約を解除することができる。",
    )
    assert status(text, "breach_remedies") == "weak"


def test_a_definition_item_set_off_by_a_space_whatever_its_ending() -> None:
    text = contract(
        "本契約において、次の各号に掲げる用語の意義は、当該各号に定めるところによる。\n"
        "(1) 本システム　甲の施設に導入された電子カルテシステム\n"
        "(2) 患者情報　本システムに記録された患者の氏名、生年月日その他の患者に関する情報"
        "であって、個人情報に該当するもの",
        "乙は、患者情報を第三者に漏らしてはならず、保守業務以外の目的に利用してはならない。",
    )
    assert status(text, "confidentiality") == "satisfied"


def test_a_provider_naming_its_subprocessors_stays_the_contractor() -> None:
    text = (
        "「ツナグ」サービス利用規約\n"
        "第1条 本規約は、株式会社ツナグ（以下「当社」といいます。）が提供する本サービスの"
        "利用条件を定めるものです。\n"
        "第2条 本規約において「利用者データ」とは、契約者が本サービスに登録する従業員の氏名、"
        "住所その他の個人情報を含むデータをいいます。\n"
        "第3条 当社は、利用者データを第三者に開示し、又は漏えいしません。\n"
        "第4条 当社は、本サービスの提供のために利用者データの取扱いを委託する第三者"
        "（以下「サブプロセッサ」といいます。）を当社ウェブサイトに掲載します。\n"
    )
    result = next(c for c in __import__("clauses").check(text).clauses if c.id == "confidentiality")
    assert "委託者の義務としてのみ" not in " ".join(result.notes)


def test_a_legal_ground_joined_to_the_contractors_judgement_is_discretion() -> None:
    text = contract(
        "乙は、個人情報を第三者に開示しない。ただし、法令に基づく場合その他乙が必要と判断した"
        "場合は、この限りでない。",
        "乙は、個人情報を本業務の目的以外に利用しない。",
    )
    assert status(text, "confidentiality") == "weak"


def test_a_commentary_quoting_model_clauses_imposes_nothing() -> None:
    text = (
        "ソフトウェア開発委託モデル契約　逐条解説（抄）\n"
        "【条項例】\n（再委託）\n"
        "第○条　ベンダは、本件業務の全部又は一部を第三者に委託しようとするときは、"
        "あらかじめユーザの書面による承諾を得なければならない。\n"
    )
    assert status(text, "subcontracting") == "missing"


def test_a_contract_that_says_it_holds_no_personal_information() -> None:
    text = (
        "株式会社アーク（以下「開示者」という。）と株式会社ブリッジ（以下「受領者」という。）は、"
        "次のとおり契約を締結する。\n"
        "第1条 本契約において「秘密情報」とは、ソースコードその他の技術上の情報をいう。\n"
        "2 開示者は、本契約に基づき、個人情報を含む情報を開示しないものとする。\n"
        "第2条 受領者は、秘密情報を第三者に開示してはならない。\n"
        "第3条 開示者は、受領者が本契約に違反したときは、本契約を解除することができる。\n"
        "第4条 受領者は、本契約に違反して開示者に損害を与えたときは、その損害を賠償しなければ"
        "ならない。\n"
    )
    assert status(text, "breach_remedies") == "weak"
    assert status(text, "confidentiality") == "weak"


def test_secrets_said_to_include_personal_information_carry_it() -> None:
    text = contract(
        "本契約において「秘密情報」とは、甲が乙に開示した一切の情報をいう。秘密情報には、"
        "甲が開示する個人情報（氏名、住所その他の個人情報をいう。以下同じ。）が含まれるもの"
        "とする。",
        "乙は、甲の承諾を得ないで、秘密情報を複製してはならない。",
    )
    assert status(text, "copying") == "satisfied"


def test_a_party_is_no_term_that_holds_personal_information() -> None:
    text = (
        "株式会社北星（以下「ユーザ」という。）と株式会社アーク（以下「ベンダ」という。）は、"
        "次のとおり契約を締結する。\n"
        "第1条 ユーザ及びベンダは、相手方から開示を受けた技術上の情報を第三者に開示してはならず、"
        "本契約の目的以外に使用してはならない。\n"
        "第2条 ユーザは、個人情報を含む資料等をベンダに提供する場合には、その旨を明示する。\n"
    )
    assert status(text, "confidentiality") == "weak"


def test_a_security_whitepaper_imposes_nothing() -> None:
    text = (
        "クラウド型勤怠管理サービス\nセキュリティホワイトペーパー\n株式会社クロノス\n"
        "本サービスのお客様データには、個人情報が含まれます。\n"
        "個人情報の漏えい等のインシデントが発生した場合、当社は、お客様に速やかに通知し、"
        "必要な措置を講じます。\n"
    )
    assert status(text, "incident") != "satisfied"


def test_either_party_named_in_a_coordination_holds_the_right() -> None:
    text = (
        "株式会社エー（以下「データ提供者」という。）と株式会社ビー（以下「データ受領者」"
        "という。）は、次のとおり契約を締結する。\n"
        "第1条 データ受領者は、提供データに含まれる個人情報を第三者に漏えいしてはならない。\n"
        "第2条 データ提供者又はデータ受領者は、相手方が本契約に違反したときは、"
        "何らの催告を要せず、直ちに本契約を解除することができる。\n"
        "第3条 データ受領者は、本契約に違反してデータ提供者に損害を与えたときは、"
        "その損害を賠償しなければならない。\n"
    )
    assert status(text, "breach_remedies") == "satisfied"


def test_the_implementing_body_is_the_principal() -> None:
    text = (
        "個人情報取扱特記事項\n"
        "第１　受託者は、実施機関の指示又は承諾があるときを除き、保有個人情報を委託業務の"
        "目的以外の目的に利用してはならない。\n"
        "第２　受託者は、保有個人情報を他に漏らしてはならない。\n"
    )
    assert status(text, "confidentiality") == "satisfied"


@pytest.mark.parametrize(
    "what",
    [
        "個人情報が記載された課税資料その他の帳票",
        "書面により開示された秘密情報（個人情報を含む。）",
    ],
)
def test_copying_of_forms_or_papers_only_is_weak(what: str) -> None:
    text = contract(f"乙は、甲の承諾があるときを除き、{what}を複写してはならない。")
    assert status(text, "copying") == "weak"


def test_forms_reproduced_may_be_records_of_any_kind() -> None:
    text = contract(
        "乙は、次に掲げる事項を遵守しなければならない。\n"
        "（1）甲の指示又は承諾があるときを除き、個人情報が記載された帳票等を複写し、又は複製"
        "しないこと。"
    )
    assert status(text, "copying") == "satisfied"


IPA_STYLE = contract(
    "乙は、本件業務遂行に際して甲から取扱いを委託された個人データ及び甲乙間で個人データと同等の"
    "安全管理措置を講じることについて個別契約で合意した個人情報（以下あわせて「個人情報」という。）"
    "を第三者に漏洩してはならない。\n"
    "２　乙は、個人情報の管理に必要な措置を講ずるものとする。\n"
    "３　乙は、個人情報について、本契約の目的の範囲内でのみ使用し、本契約の目的の範囲を超える"
    "複製、改変が必要なときは、事前に甲から書面による承諾を受けるものとする。"
)


def test_a_clause_before_a_condition_with_its_own_subject_is_a_duty() -> None:
    assert status(IPA_STYLE, "confidentiality") == "satisfied"


def test_approval_only_for_copying_beyond_the_purpose_is_weak() -> None:
    assert status(IPA_STYLE, "copying") == "weak"


def test_measures_the_management_needs_are_the_measures() -> None:
    assert status(IPA_STYLE, "security") == "satisfied"


def test_measures_named_in_a_definition_impose_nothing() -> None:
    text = contract(
        "乙は、甲乙間で安全管理措置を講じることについて合意した個人情報（以下「対象情報」という。）"
        "を第三者に漏洩してはならない。"
    )
    assert status(text, "security") != "satisfied"


def test_model_clauses_framed_as_examples_impose_nothing() -> None:
    text = (
        "第5章　個人情報を含むデータを提供する場合の条項\n"
        "5.1　本章では、契約書に置くことが考えられる条項を解説とともに示す。\n"
        "【条項例1】\n"
        "第○条　乙は、甲の事前の書面による承諾を得ることなく、本件業務を第三者に再委託して"
        "はならない。\n"
    )
    assert status(text, "subcontracting") == "missing"


def test_a_definition_lead_that_gives_the_meaning_of_terms() -> None:
    text = contract(
        "本規約において使用する用語の意味は、次の各号のとおりとします。\n"
        "(1) 入力データ　利用者が入力するデータをいい、利用者の顧客の氏名、電話番号その他の"
        "個人情報を含む場合があります。",
        "乙は、利用者の事前の書面による承諾を得た場合を除き、入力データを複製しないものとします。",
    )
    assert status(text, "copying") == "satisfied"


def test_what_personal_information_is_written_in_holds_it() -> None:
    text = contract(
        "この約款において「預かり文書」とは、甲が乙に保管を委託する書類をいう。\n"
        "2 この約款において「個人情報」とは、預かり文書に記載された情報であって、個人情報の"
        "保護に関する法律に規定する個人情報に該当するものをいう。",
        "乙は、甲の指示がある場合を除き、預かり文書を複写し、撮影し、又は電子化いたしません。",
    )
    assert status(text, "copying") == "satisfied"


def test_a_survey_form_is_no_inspection() -> None:
    text = contract(
        "乙は、認定調査票その他の個人情報を電子化する業務を行う。",
        "乙は、毎月、個人情報の管理状況を甲に報告すること。",
    )
    assert status(text, "reporting_audit") == "weak"


def test_a_right_held_is_a_right_granted() -> None:
    text = contract(
        "受託者は、四半期に一度、個人情報の取扱状況を甲に報告する。",
        "甲は、合理的な事前通知の上、乙の施設において個人情報の取扱状況を監査する権利を有する。",
    )
    assert status(text, "reporting_audit") == "satisfied"


def test_a_claim_made_with_a_stranded_suru_after_a_comma() -> None:
    text = contract(
        "乙は、個人情報を他に漏らしてはならない。",
        "甲は、乙がこの契約に違反した場合には、契約を解除し、及び損害賠償の請求をすることが"
        "できる。",
    )
    assert status(text, "breach_remedies") == "satisfied"


def test_acting_against_the_provisions_is_a_breach() -> None:
    text = contract(
        "乙は、個人情報を他に漏らしてはならない。",
        "甲は、乙が本特記事項の内容に反していると認めたときは、契約の解除及び損害賠償の請求を"
        "することができる。",
    )
    assert status(text, "breach_remedies") == "satisfied"


def test_a_breach_of_a_personal_information_contract_is_an_incident() -> None:
    text = (
        "個人情報取扱特記事項\n"
        "第1条 乙は、この特記事項に違反する事態が生じ、又は生ずるおそれがあることを知ったときは、"
        "直ちに甲に報告し、甲の指示に従うものとする。\n"
        "第2条 乙は、個人情報を他に漏らしてはならない。\n"
    )
    assert status(text, "incident") == "satisfied"


def test_a_breach_of_a_contract_without_personal_information_is_no_incident() -> None:
    text = (
        "業務委託契約書\n"
        "第1条 乙は、この契約に違反する事態が生じたときは、直ちに甲に報告し、甲の指示に従うもの"
        "とする。\n"
        "第2条 乙は、業務上知り得た秘密を他に漏らしてはならない。\n"
    )
    assert status(text, "incident") != "satisfied"
