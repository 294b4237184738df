"""Modality and exceptions: whether a predicate imposes, grants or only describes.

The modality of a predicate is read from its inflection and auxiliaries (the words the GiNZA
parse attaches to it); an exception (…を除き / ただし…この限りでない) keeps a restriction
when it depends on the municipality's approval and cancels it at the contractor's discretion.
"""

from __future__ import annotations

import re

# Modalities
PROHIBITION = "prohibition"
OBLIGATION = "obligation"
EFFORT = "effort"
PERMISSION = "permission"
DECLARATIVE = "declarative"
NONE = "none"
IMPOSING = (PROHIBITION, OBLIGATION, DECLARATIVE)

_PROHIBITION = re.compile(
    r"てはならな|てはならず|ではならな|ではならず|てはいけな|てはな(?:りません|らぬ)|"
    r"ないものとす|ないものとし|ないこと|ないようにしなければ|"
    r"ことができな|ことはできな|ことができず|ことはできず|ことができません|"
    r"禁止|禁ず|禁じ|認めな|認められな|許さな|許されな|行わな(?:いものと|いこと)"
)
_EFFORT = re.compile(r"努め|努力")
_DENIAL = re.compile(r"(?:義務|責任|責め)を負わな|(?:義務|必要)は(?:な|負わな)|を要しな|を要せず")
_PERMISSION = re.compile(
    r"ことができ(?!な|ず|ませ)|こともでき|ことを妨げ|妨げな|妨げられな|差し支えな|得るものと|"
    # …を監査する権利を有する / 解除する権限を有する: a right held
    r"(?:権利|権限)を有(?!しな)|"
    # …を請求できるものとする / 解除できる: the potential form without こと is a right too
    r"^(?:[^、。]{0,2})?でき(?:る|ます)(?:ものと|。|$)"
)
_OBLIGATION = re.compile(
    r"なければならな|なければならず|なければなりません|ねばならな|ものとす|ものとし|ものと定め|"
    r"こととす|こととし|義務を負|責任を負|べき|しなければ|ることとなる|こと$|"
    # …ことを要する / 甲の承諾を要する: a requirement (要しない is none)
    r"を要す|を要し(?!な)|"
    # …措置を講じる必要がある (the register of specifications); 必要があるときは is a condition
    r"必要があ(?:る|ります)$"
)
# Inflections that carry the predicate on to the next one (…し、又は…しなければならない).
_CONDITION = re.compile(
    r"場合|とき|時は|時には|際|ば$|たら|ならば|なら$|限り|ても|には$|に当た|に際し|上は|ので|ため$|"
    r"後に|後は|前に|まで"
)
_EXCEPTION = re.compile(r"を除[きいく]|を除いて|以外は|を除外")
_NEGATION = re.compile(r"(?:な[いくかけ](?!ればなら|ればな)|ず(?!に)|ぬ|ません)")
_FIXED_MODALS = re.compile(
    r"なければならな[いく]?|なければならず|てはならな[いく]?|てはならず|ではならな[いく]?|"
    r"ことができな[いく]?|ことはできな[いく]?|ことができず|ねばならな[いく]?"
)
_COND_NOUNS = {"場合", "とき", "時", "際", "限り", "後", "前", "上", "うち", "間", "まで"}
_MODAL_NOUNS = {"もの", "こと"}
_PURPOSE_NOUNS = {"よう", "ため", "旨"}


def classify_tail(tail: str) -> str | None:
    """The modality a predicate's inflection expresses, or None if it only continues."""
    if _DENIAL.search(tail):
        return NONE  # …に従う義務を負わない / 消去することを要しない: no duty at all
    if _PROHIBITION.search(tail):
        return PROHIBITION
    if _EFFORT.search(tail):
        return EFFORT
    if _PERMISSION.search(tail):
        return PERMISSION
    if _OBLIGATION.search(tail):
        return OBLIGATION
    return None


def is_negated(tail: str) -> bool:
    """Whether the predicate itself is negated (しない場合, 負わない), modals aside."""
    return bool(_NEGATION.search(_FIXED_MODALS.sub("", tail)))


# Whole-sentence cues used to bound what a sentence could reach before it is parsed.
IMPOSE = re.compile(
    r"てはならな|てはならず|ではならな|なければならな|なければならず|なければなりません|ものとす|"
    r"ものとし|禁止|禁ず|禁じ|ことができな|ことはできな|ことができず|ないこと|こと。?$|義務を負|"
    r"責任を負|認めな|認められな|べき|を要す|[るうすいつくぐぬむぶ]。$|ない。$|"
    # the registers of terms of service and of polite letters (…してはなりません, …いたします)
    r"なりません|ません。?$|ます。?$|ものとします|ください|必要があ(?:る|ります)。?$"
)
PERMIT = re.compile(r"ことができ|こともでき|妨げな|妨げられな|差し支えな|(?:権利|権限)を有(?!しな)")

# Kinds of exception
APPROVAL, LEGAL, DISCRETION = "approval", "legal", "discretion"
_LEGAL = re.compile(
    r"法令|法律|条例|裁判所|令状|捜査|官公署|行政機関|人の生命|身体又は財産|本人の同意|"
    # Objective carve-outs of what counts as a secret (公知の情報, 既に保有していた情報,
    # ただし、次の各号のいずれかに該当する情報は、この限りでない): they narrow the
    # information, they leave nothing to the contractor's judgement.
    r"公知|公然と知られ|既に(?:自己が|自ら)?(?:保有|所有|知)|正当な権限を有する第三者|"
    r"独自に開発|(?:次の各号|以下)の(?:いずれか|各号)に該当する(?:情報|もの)|"
    # 本契約に定める場合を除き / 本DPAに従う場合を除き: what the contract itself allows
    r"(?:本|この)(?:契約|DPA|覚書|約款|特記事項|規約|協定)(?:書)?(?:に(?:定め|基づ|従|規定|おいて認め)|の定め)"
)

_EXCEPTION_MARK = re.compile(r"を除[きいく]|を除いて|以外は")
_PROVISO_LIFTS = re.compile(
    r"限りでない|限りではない|限りでは?ありません|できる|できます|差し支えない|妨げない|"
    # ただし、…場合を除きます: an exception written as a proviso
    r"を除[きく]"
)
_APPROVAL_WORDS = r"(?:承諾|承認|許可|許諾|同意|認め|指示|指定|設定|求め|請求|了承)"
_WITHOUT_APPROVAL = re.compile(
    r"[^、。]{0,20}?(?:承諾|承認|許可|許諾|同意)(?:"
    r"(?:を(?:得る|要する)(?:こと)?なく|を得ずに|を得ないで|なしに|なく)"
    # (the permission later in the sentence, past any parenthetical's own 。)
    r"(?=(?:[^。]|。(?=[)）]))*(?:ことができ|できます))"
    r"|を要しない|を要せず|は不要)"
)


def dispenses_approval(text: str) -> bool:
    """Whether ``text`` dispenses with an approval (承諾を要しない / 承諾を得ることなく…できる)."""
    return bool(_WITHOUT_APPROVAL.search(text))


def approved_by_principal(
    text: str, principal_rx: re.Pattern[str], contractor_rx: re.Pattern[str]
) -> bool:
    """Whether ``text`` makes something depend on the municipality's approval/instruction."""
    # …の承諾を得ることなく…できる / 承諾を要しない: an approval dispensed with.
    text = _WITHOUT_APPROVAL.sub("", text)
    if re.search(rf"(?:{principal_rx.pattern})[^、。]{{0,20}}?{_APPROVAL_WORDS}", text):
        return True
    # "書面による事前の承諾を得た場合" without naming anyone: the other party's approval.
    m = re.search(
        r"(?:承諾|承認|許可|許諾|同意)を(?:得|受け)|(?:の|^|、)(?:指示|承諾|承認)(?:に(?:よる|基づ|従)|がある)",
        text,
    )
    if m:
        before = text[max(0, m.start() - 12) : m.start()]
        return not contractor_rx.search(before) and not _INTERNAL_APPROVER.search(before)
    return False


# An officer within the contractor who approves (作業責任者の許可, 所属長の承認): no approval of
# the municipality, which would have been named by the pattern before.
_INTERNAL_APPROVER = re.compile(r"責任者|管理者|上司|上長|所属長|部門長|社内|自社")


def classify_exception(
    text: str, principal_rx: re.Pattern[str], contractor_rx: re.Pattern[str]
) -> str:
    """approval (keeps the restriction), legal (keeps it) or discretion (cancels it)."""
    if approved_by_principal(text, principal_rx, contractor_rx):
        return APPROVAL
    # 法令に基づく場合その他当社が必要と判断した場合: a legal ground joined to the contractor's
    # own judgement leaves it to the contractor.
    if re.search(rf"(?:{contractor_rx.pattern})(?:が|の)[^、。]{{0,12}}?(?:判断|認め|裁量)", text):
        return DISCRETION
    if _LEGAL.search(text):
        return LEGAL
    return DISCRETION


def weakest_exception(
    text: str,
    provisos: list[str],
    principal_rx: re.Pattern[str],
    contractor_rx: re.Pattern[str],
) -> str | None:
    """The weakest exception qualifying a sentence: its own (…を除き) and its provisos."""
    texts = []
    for m in _EXCEPTION_MARK.finditer(text):
        pre = re.split(r"(?:は|が)、", text[: m.start()])[-1]
        texts.append(pre[-60:])
    texts.extend(p for p in provisos if _PROVISO_LIFTS.search(p))
    kinds = [classify_exception(t, principal_rx, contractor_rx) for t in texts]
    if DISCRETION in kinds:
        return DISCRETION
    return kinds[0] if kinds else None
