"""Who the parties are: the municipality (principal), the contractor, both, or staff.

Roles come from the catalog's words and, above all, from the document itself: the aliases
its preamble defines (以下「甲」という), the direction of the entrustment (甲は乙に委託し),
and, for a provider's own terms of service, who is the customer (お客様).
"""

from __future__ import annotations

import re
import unicodedata

from clauses.catalog import Catalog
from contracts.document import Document

CONTRACTOR = "contractor"
PRINCIPAL = "principal"
BOTH = "both"
STAFF = "staff"
OTHER = "other"
UNKNOWN = "unknown"
CONTRACTOR_SIDE = (CONTRACTOR, BOTH, STAFF)
IMPERSONAL = "impersonal"


def _normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace("\n", "")


class PartyResolver:
    """Maps a noun phrase (甲, 受託者, 甲及び乙 …) to the party it denotes."""

    def __init__(self, roles: dict[str, str]) -> None:
        self.roles = dict(roles)
        terms = sorted(self.roles, key=len, reverse=True)
        # A one-character name (市, 区, 町) is a party only as a word of its own: not in 市場,
        # 区分 or 町内, where a kanji follows (甲 and 乙 are letters: 乙及び丙).
        self.pattern = (
            re.compile(
                "|".join(
                    re.escape(t)
                    + ("(?![\u4e00-\u9fff])" if len(t) == 1 and t not in "甲乙丙丁" else "")
                    for t in terms
                )
            )
            if terms
            else None
        )

    def resolve(self, phrase: str) -> str:
        """The party of ``phrase``: contractor, principal, both, staff, other or unknown."""
        phrase = _normalize(phrase)
        if not phrase or self.pattern is None:
            return UNKNOWN
        if phrase in self.roles:
            return self.roles[phrase]
        found = [self.roles[m.group(0)] for m in self.pattern.finditer(phrase)]
        if not found:
            return OTHER if len(phrase) <= 20 else UNKNOWN
        kinds = set(found)
        if BOTH in kinds or (PRINCIPAL in kinds and CONTRACTOR in kinds):
            # 甲及び乙 / 甲又は乙 bind both; "乙の従事者" binds the contractor side.
            return (
                BOTH
                if re.search(r"及び|又は|並びに|若しくは|と|、|・|乙ともに|双方", phrase)
                else found[-1]
            )
        # The head noun of a Japanese phrase comes last: 乙の従事者 → staff, 甲の職員 → principal.
        return found[-1]


_ALIAS = re.compile(
    r"[（(]以下[、,]?\s*[「『](?P<term>[^」』]{1,20})[」』]"
    r"(?:(?:又は|若しくは|或いは|あるいは|、)[「『](?P<term2>[^」』]{1,20})[」』])?と(?:いう|いい|称)"
)


# The writer entrusts someone it names in the same breath (当社が…を委託する事業者（以下
# 「委託先」という。）): a company's own terms for its contractors.
_ENTRUSTS = re.compile(
    r"(?P<self>当社|弊社)(?:[」』]という。?\))?(?:は|が)、?(?:[^。()]|\([^()]*\)){0,120}?"
    r"を委託する[^。()]{0,10}\(以下[、]?[「『](?P<term>[^」』]{1,12})[」』]と(?:いう|いい)"
)
_SUBCONTRACTOR_TERM = re.compile(r"サブプロセッサ|再委託先|再受託者|サブ処理者|再処理者|協力会社")
_PARTY_NAME = re.compile(r"者$|社$|側$|市$|町$|村$|県$")
_TERMS_OF_SERVICE = re.compile(r"利用規約|本規約|約款|本サービス|サービス仕様")
# The writer of terms of service named in their first sentence (X（以下「X」といいます。）は、
# この利用規約（…）を定め).
_WRITER_OF_TERMS = re.compile(
    r"[（(]以下[、]?[「『](?P<term>[^」』]{1,12})[」』]と(?:いい|いう)(?:ます)?。?[)）]は、"
    r"(?:[^。()]|\([^()]*\)){0,80}?(?:規約|約款)(?:[^。()]|\([^()]*\)){0,40}?定め"
)


def _self_and_customer(norm: list[str], catalog: Catalog) -> dict[str, str]:
    """Roles of 当社/弊社 and お客様, which depend on who wrote the document.

    In a provider's terms of service (or any text that addresses a customer, お客様) the
    writer, 当社, is the contractor and the customer is the municipality; in a company's own
    outsourcing contract or rule, 当社 is the one that entrusts (the principal), and so it is
    in its privacy policy, which describes its own handling and binds no contractor."""
    head = "".join(norm[:200])
    present = [t for t in catalog.self_terms if t in head]
    if not present and _TERMS_OF_SERVICE.search(head):
        # コネクトスキャン株式会社（以下「コネクトスキャン」といいます。）は、この利用規約を
        # 定め…: a provider that calls itself by its name writes as 当社 does.
        writer = next((m for t in norm[:10] if (m := _WRITER_OF_TERMS.search(t))), None)
        present = [writer.group("term")] if writer else []
    if not present:
        return {}
    for text in norm[:40]:
        m = _ENTRUSTS.search(text)
        if m and m.group("self") in present and not _SUBCONTRACTOR_TERM.search(m.group("term")):
            # (a provider naming who it entrusts part of its service to — サブプロセッサ,
            # 再委託先 — is a contractor that subcontracts: see below)
            # 当社が、…業務を委託する事業者（以下「委託先」という。）: the writer entrusts,
            # even in a 約款 (the company's own standard terms for its contractors).
            return {**dict.fromkeys(present, PRINCIPAL), m.group("term"): CONTRACTOR}
    policy = catalog.patterns.get("own_policy")
    titles = [t for t in norm[:3] if "。" not in t and len(t) <= 40]
    if policy is not None and any(policy.search(t) for t in titles):
        # the policy's title, not a sentence (…個人情報の取扱いについて、次の事項を遵守する
        # ことを誓約します is a contractor's pledge)
        return dict.fromkeys(present, PRINCIPAL)
    customers = [t for t in catalog.customer_terms if t in head]
    if _TERMS_OF_SERVICE.search(head):
        customers += [t for t in catalog.service_user_terms if t in head]
    if customers or _TERMS_OF_SERVICE.search(head):
        return {**dict.fromkeys(present, CONTRACTOR), **dict.fromkeys(customers, PRINCIPAL)}
    return dict.fromkeys(present, PRINCIPAL)


def _share_roles(roles: dict[str, str], pairs: list[tuple[str, str]]) -> None:
    """Give both names of a party (「B社」又は「処理者」) the role one of them has."""
    for a, b in pairs:
        role = next((roles[t] for t in (a, b) if roles.get(t) in (PRINCIPAL, CONTRACTOR)), None)
        if role is not None:
            roles[a] = roles[b] = role


# 「当社」とは甲を、「取引先」とは乙をいう: a rule's own names mapped onto the parties.
_NAME_FOR = re.compile(
    r"[「『](?P<term>[^」』]{1,12})[」』]とは、?(?P<party>[^、。「」『』]{1,12}?)を(?:、|いい|いう)"
)
# Who a name stands for when two aliases are paired by order (A社（以下「委託者」）とB社…): an
# organisation or a party's word, not a thing the preamble defines (本件業務, 個別契約).
# A short name a party gives itself (本学, 本機構, 当法人, 病院): not a thing or a document.
_PARTY_TERM = re.compile(r"^(?:本|当)[^\s、。]{1,4}$|(?:大学|学園|機構|法人|病院|センター|会|社)$")
_ORGANISATION = re.compile(
    r"^(?:株式会社|有限会社|合同会社|合資会社|合名会社|一般社団法人|一般財団法人|公益社団法人|"
    r"公益財団法人|社会福祉法人|特定非営利活動法人|医療法人|学校法人|国立大学法人|公立大学法人|"
    r"独立行政法人|地方独立行政法人|国立研究開発法人)|"
    r"(?:会社|法人|組合|協会|機構|センター|事務所|委員会|役所|庁|局|公社|連合|大学|学園|病院|"
    r"研究所|[市町村県区都府])$"
)


def _mapped_names(norm: list[str], roles: dict[str, str]) -> dict[str, str]:
    """Names that a sentence equates with a party (本規程において「当社」とは甲を…いう)."""
    mapped: dict[str, str] = {}
    for text in norm:
        if "とは" not in text:
            continue
        for m in _NAME_FOR.finditer(text):
            role = roles.get(m.group("party"))
            if role in (PRINCIPAL, CONTRACTOR):
                mapped[m.group("term")] = role
    return mapped


def learn_parties(doc: Document, norm: list[str], catalog: Catalog) -> dict[str, str]:
    """Party roles: built-in terms, then aliases the preamble defines (以下「甲」という)."""
    roles: dict[str, str] = {}
    for t in catalog.principal_terms:
        roles[t] = PRINCIPAL
    for t in catalog.contractor_terms:
        roles[t] = CONTRACTOR
    for t in catalog.mutual_terms:
        roles[t] = BOTH
    for t in catalog.staff_terms:
        roles[t] = STAFF
    for t in catalog.third_party_terms:
        roles[t] = OTHER
    roles.update(_self_and_customer(norm, catalog))
    municipal = re.compile(
        r"(?:市|町|村|県|都|府|区)(?:長)?$|(?:市|町|村|県)(?:長|役所|教育委員会)|委員会$|広域連合|一部事務組合"
    )
    for i, text in enumerate(norm[:400]):
        aliases = list(_ALIAS.finditer(text))
        if len(aliases) < 2 and not (aliases and i < 40):
            continue
        found: list[tuple[str, str]] = []  # (alias, entity)
        # 「B社」又は「処理者」: two names of one party, which share its role.
        pairs = [(m.group("term"), m.group("term2")) for m in aliases if m.group("term2")]
        for m in aliases:
            pre = text[: m.start()]
            entity = re.split(r"[、。と]|及び|並びに|は|が", pre)[-1]
            found.append((m.group("term"), entity))
        _share_roles(roles, pairs)
        for term, entity in found:
            # 甲, 発注者, 本市 … or a body's own short name (教育委員会, 組合, 広域連合).
            party_like = (
                term in ("甲", "乙", "丙") or _PARTY_NAME.search(term) or _ORGANISATION.search(term)
            )
            if party_like and municipal.search(entity):
                roles[term] = PRINCIPAL
        # Direction of the entrustment: 甲は乙に…委託 / 甲が乙に委託する / 乙は甲から受託.
        terms = [t for t, _ in found]
        for a in terms:
            for b in terms:
                if a == b:
                    continue
                if re.search(
                    rf"{re.escape(a)}(?:は|が)、?{re.escape(b)}(?:に|へ)(?:対し(?:て)?)?、?[^。]{{0,40}}?委託",
                    text,
                ) or re.search(
                    rf"{re.escape(b)}(?:は|が)、?{re.escape(a)}(?:から|より)[^。]{{0,40}}?(?:受託|請け負)",
                    text,
                ):
                    roles[a], roles[b] = PRINCIPAL, CONTRACTOR
        # The two parties are the first two aliases that name a party or an organisation:
        # 本補遺（以下「本補遺」という。）は、X（以下「管理者」という。）と…: the document's
        # own name defined first is no party.
        named_aliases = [
            (term, entity)
            for term, entity in found
            if _PARTY_NAME.search(term) or _ORGANISATION.search(entity) or term in ("甲", "乙")
        ]
        if len(named_aliases) >= 2 and len(found) > 2:
            found = named_aliases
        if len(found) >= 2 and not any(roles.get(t) == PRINCIPAL for t in terms):
            (first, first_entity), (second, second_entity) = found[0], found[1]
            named = all(
                _ORGANISATION.search(entity) or _PARTY_NAME.search(term)
                for term, entity in ((first, first_entity), (second, second_entity))
            )
            if named and first not in ("甲", "乙") and second not in ("甲", "乙"):
                if roles.get(first) == CONTRACTOR and second not in roles:
                    roles[second] = PRINCIPAL
                roles.setdefault(first, PRINCIPAL)
                roles.setdefault(second, CONTRACTOR)
            elif second == "乙" and first != "甲" and roles.get(first) is None:
                # 「組合」と「乙」とは: the party named before the contractor entrusts.
                roles[first] = PRINCIPAL
            elif (
                len(found) == 2
                and {roles.get(first), roles.get(second)} == {CONTRACTOR, None}
                and bool(
                    (roles.get(first) is None and _PARTY_TERM.search(first))
                    or (roles.get(second) is None and _PARTY_TERM.search(second))
                )
            ):
                # 「本学」と「受託者」: the other party of a known contractor entrusts.
                unknown = first if roles.get(first) is None else second
                roles[unknown] = PRINCIPAL
        _share_roles(roles, pairs)
    roles.update(_mapped_names(norm, roles))
    # 開示者 entrusts (the principal), 受領者 handles (the contractor): see the catalog.
    return roles
