"""Assemble the generated part of the clause-check corpus from the variants in src/.

Run from the repository root: ``python tests/corpus/generate.py``. It rewrites
``docs/gen/*.txt`` and ``labels.csv`` (generated rows, the hand-written rows from
``src/hand_labels.csv`` and the PDF rows from ``pdf_cases.csv``). The output is
deterministic (fixed seed), so the committed files can be regenerated exactly.

Each document draws one status per clause, then one variant block of that status;
blocks carry "when" conditions so that no block adds a trace of a clause whose label
is missing, or completes a clause whose label is weak.
"""

from __future__ import annotations

import csv
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE / "src"
DOCS = HERE / "docs"

CLAUSES = (
    "confidentiality",
    "subcontracting",
    "copying",
    "security",
    "incident",
    "return_deletion",
    "breach_remedies",
    "reporting_audit",
)
N_GENERATED = 124
SEED = 20250401


# --------------------------------------------------------------------------- parsing
@dataclass
class Para:
    text: str
    items: list[str] = field(default_factory=list)


@dataclass
class Article:
    heading: str | None
    paras: list[Para] = field(default_factory=list)


@dataclass
class Block:
    kind: str  # clause id, or "general" / "pi" for fillers
    status: str  # "1", "w", "0" for clauses; the filler name for fillers
    form: str
    when: dict[str, str]
    articles: list[Article]
    item: str = ""

    def allowed(self, labels: dict[str, str]) -> bool:
        """Whether this block may appear in a document with these labels."""
        return all(labels[c] in ok for c, ok in self.when.items())


def parse_blocks(path: Path) -> list[Block]:
    """Parse a variant file (format described at the top of src/clauses.txt)."""
    blocks: list[Block] = []
    for chunk in re.split(r"^=== ", path.read_text(encoding="utf-8"), flags=re.M)[1:]:
        header, *lines = chunk.rstrip().split("\n")
        words = header.split()
        kind, status = words[0], words[1]
        opts = dict(w.split("=", 1) for w in words[2:])
        when = {}
        if "when" in opts:
            when = dict(cond.split(":") for cond in opts["when"].split(","))
        lines = [ln for ln in lines if ln.strip() and not ln.startswith("#")]
        block = Block(kind, status, opts.get("form", "article"), when, [])
        if block.form == "item":
            block.item = lines[0]
        else:
            for ln in lines:
                if ln.startswith("[") and ln.endswith("]"):
                    block.articles.append(Article(ln[1:-1]))
                    continue
                if not block.articles:
                    block.articles.append(Article(None))
                art = block.articles[-1]
                if ln.startswith("- "):
                    art.paras[-1].items.append(ln[2:])
                else:
                    art.paras.append(Para(ln))
        blocks.append(block)
    return blocks


def parse_works(path: Path) -> list[dict]:
    """Parse src/works.txt into dicts with name, dept, place, sector and spec sections."""
    works = []
    for chunk in re.split(r"^=== ", path.read_text(encoding="utf-8"), flags=re.M)[1:]:
        key, *lines = chunk.rstrip().split("\n")
        work: dict = {"key": key.strip(), "spec": []}
        in_spec = False
        for ln in lines:
            if in_spec:
                if ln.startswith("# "):
                    work["spec"].append((ln[2:], []))
                elif ln.strip():
                    work["spec"][-1][1].append(ln)
            elif ln.startswith("spec:"):
                in_spec = True
            elif ":" in ln:
                k, v = ln.split(":", 1)
                work[k.strip()] = v.strip()
        works.append(work)
    return works


# --------------------------------------------------------------------------- numbering
FULL = str.maketrans("0123456789", "０１２３４５６７８９")
KANJI = "〇一二三四五六七八九"


def kanji_number(n: int) -> str:
    """1..99 as kanji numerals (十二, 二十一)."""
    tens, ones = divmod(n, 10)
    s = ("" if tens == 0 else ("十" if tens == 1 else KANJI[tens] + "十")) + (
        KANJI[ones] if ones else ""
    )
    return s


def num(n: int, style: str) -> str:
    """Render an article/paragraph number in the given digit style."""
    if style == "full":
        return str(n).translate(FULL)
    if style == "kanji":
        return kanji_number(n)
    return str(n)


IROHA = "アイウエオカキクケコサシスセソ"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮"


def item_label(i: int, style: str) -> str:
    """Label of the i-th (1-based) item (号)."""
    if style == "paren_full":
        return "（" + num(i, "full") + "）"
    if style == "paren_half":
        return f"({i})"
    if style == "kanji":
        return kanji_number(i)
    if style == "iroha":
        return IROHA[i - 1]
    return CIRCLED[i - 1]


@dataclass
class Layout:
    art_digits: str  # half | full | kanji
    heading: str  # above | inline | inline_space
    para_digits: str  # half | full
    item_style: str
    sep: str  # between 第N条 and its text

    def article(self, n: int, art: Article) -> str:
        """Render one article."""
        label = f"第{num(n, self.art_digits)}条"
        lines: list[str] = []
        first = art.paras[0].text if art.paras else ""
        if art.heading and self.heading == "above":
            lines.append(f"（{art.heading}）")
            lines.append(f"{label}{self.sep}{first}")
        elif art.heading and self.heading == "inline":
            lines.append(f"{label}（{art.heading}）")
            lines.append(first)
        elif art.heading:
            lines.append(f"{label} {art.heading}")
            lines.append(first)
        else:
            lines.append(f"{label}{self.sep}{first}")
        for pi, para in enumerate(art.paras):
            if pi > 0:
                pno = num(pi + 1, "full" if self.para_digits == "full" else "half")
                gap = "　" if self.para_digits == "full" else " "
                lines.append(f"{pno}{gap}{para.text}")
            for ii, item in enumerate(para.items, 1):
                lines.append(f"{item_label(ii, self.item_style)}　{item}")
        return "\n".join(lines)


# --------------------------------------------------------------------------- pools
PUBLIC_PARTIES = [
    # (municipality term, contractor term, weight, municipality kind)
    ("甲", "乙", 38, "市"),
    ("発注者", "受注者", 18, "市"),
    ("委託者", "受託者", 10, "市"),
    ("市", "受託者", 10, "市"),
    ("本市", "受託者", 5, "市"),
    ("県", "受注者", 8, "県"),
    ("町", "受託者", 5, "町"),
    ("甲", "乙", 6, "named"),
]
PRIVATE_PARTIES = [("甲", "乙", 5), ("委託者", "受託者", 4), ("甲", "乙", 3)]
CITIES = {
    "市": [
        ("三木市", "兵庫県三木市上の丸町10番30号"),
        ("久喜市", "埼玉県久喜市下早見85番地3"),
        ("桜川市", "茨城県桜川市真壁町飯塚911番地"),
        ("南陽市", "山形県南陽市三間通436番地1"),
        ("西脇市", "兵庫県西脇市郷瀬町605番地"),
        ("蓮田市", "埼玉県蓮田市大字黒浜2799番地1"),
        ("小諸市", "長野県小諸市相生町三丁目3番3号"),
        ("八幡浜市", "愛媛県八幡浜市北浜一丁目1番1号"),
    ],
    "県": [
        ("兵庫県", "兵庫県神戸市中央区下山手通5丁目10番1号"),
        ("長野県", "長野県長野市大字南長野字幅下692番地2"),
        ("埼玉県", "埼玉県さいたま市浦和区高砂三丁目15番1号"),
    ],
    "町": [
        ("東浦町", "愛知県知多郡東浦町大字緒川字政所20番地"),
        ("稲美町", "兵庫県加古郡稲美町国岡一丁目1番地"),
        ("宮代町", "埼玉県南埼玉郡宮代町笠原一丁目4番1号"),
    ],
}
HEADS = {"市": "市長", "県": "知事", "町": "町長"}
PERSONS = [
    "山田　太郎",
    "北村　正志",
    "小林　恵子",
    "中川　浩二",
    "藤原　里美",
    "石井　健一",
    "松本　直樹",
    "岡田　由美子",
]
COMPANIES = [
    ("株式会社北斗システム開発", "東京都千代田区神田須田町二丁目8番地"),
    ("株式会社関西情報センター", "大阪府大阪市北区梅田三丁目4番5号"),
    ("東和印刷株式会社", "兵庫県加古川市平岡町新在家1丁目245番地"),
    ("株式会社さくらデータサービス", "埼玉県さいたま市大宮区桜木町一丁目7番5号"),
    ("有限会社みどりビジネスサポート", "長野県上田市中央二丁目12番3号"),
    ("株式会社アクトコミュニケーションズ", "東京都港区芝五丁目29番11号"),
    ("日本通信計算株式会社", "愛知県名古屋市中区栄三丁目15番33号"),
    ("株式会社ひかり情報処理", "茨城県水戸市南町三丁目4番10号"),
    ("一般財団法人地域福祉振興会", "兵庫県神戸市中央区雲井通五丁目3番1号"),
    ("株式会社テクノソリューションズ西日本", "福岡県福岡市博多区博多駅前二丁目1番1号"),
]
CLIENT_COMPANIES = [
    ("株式会社東都リテール", "東京都中央区日本橋二丁目3番4号"),
    ("丸星商事株式会社", "大阪府大阪市中央区本町一丁目5番6号"),
    ("株式会社みなと保険サービス", "神奈川県横浜市西区みなとみらい二丁目2番1号"),
    ("医療法人社団青葉会", "千葉県千葉市中央区新町1000番地"),
]
DATES = [
    "令和6年4月1日",
    "令和6年7月1日",
    "令和6年10月1日",
    "令和7年3月28日",
    "令和7年4月1日",
    "令和7年6月2日",
]
PERIODS = [
    "契約締結の日から令和8年3月31日",
    "令和7年4月1日から令和8年3月31日",
    "令和6年10月1日から令和7年3月31日",
    "契約締結の日から令和7年12月26日",
]


# --------------------------------------------------------------------------- documents
@dataclass
class Ctx:
    """Per-document wording choices substituted into the variant templates."""

    M: str
    K: str
    PI: str
    SP: str
    CT: str
    WORK: str
    extra: dict[str, str]

    def fill(self, text: str) -> str:
        """Substitute placeholders."""
        values = {
            "M": self.M,
            "K": self.K,
            "PI": self.PI,
            "SP": self.SP,
            "CT": self.CT,
            "WORK": self.WORK,
            **self.extra,
        }
        return re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], text)

    def article(self, art: Article) -> Article:
        """A copy of the article with placeholders filled."""
        return Article(
            self.fill(art.heading) if art.heading else None,
            [Para(self.fill(p.text), [self.fill(i) for i in p.items]) for p in art.paras],
        )


class Generator:
    """Draws labels and assembles one document at a time."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.clause_blocks = parse_blocks(SRC / "clauses.txt")
        self.fillers = {b.status: b for b in parse_blocks(SRC / "fillers.txt")}
        self.works = parse_works(SRC / "works.txt")
        self.long = False

    # ---- labels and blocks
    def draw_labels(self, index: int) -> dict[str, str]:
        """Per-clause statuses; every seventh document is fully compliant."""
        if index % 7 == 0:
            return dict.fromkeys(CLAUSES, "1")
        weights = {"1": 0.6, "w": 0.21, "0": 0.19}
        return {c: self.rng.choices(list(weights), list(weights.values()))[0] for c in CLAUSES}

    def pick(self, clause: str, status: str, form: str, labels: dict[str, str]) -> Block | None:
        """One variant block of this clause and status usable in the document."""
        cands = [
            b
            for b in self.clause_blocks
            if b.kind == clause and b.status == status and b.form == form and b.allowed(labels)
        ]
        return self.rng.choice(cands) if cands else None

    def filler(self, name: str, labels: dict[str, str]) -> Block | None:
        """A filler article if its conditions allow it in this document."""
        block = self.fillers[name]
        return block if block.allowed(labels) else None

    # ---- context
    def make_ctx(self, structure: str, private: bool) -> tuple[Ctx, dict]:
        """Party names, wording and the work for one document."""
        rng = self.rng
        works = [w for w in self.works if w["sector"] == ("private" if private else "public")]
        work = rng.choice(works)
        if private:
            m, k, _ = rng.choices(PRIVATE_PARTIES, [p[2] for p in PRIVATE_PARTIES])[0]
            client, client_addr = rng.choice(CLIENT_COMPANIES)
            kind = "named"
            city, city_addr = client, client_addr
            pi = rng.choice(["個人データ", "個人データ", "個人情報"])
        else:
            m, k, _, kind = rng.choices(PUBLIC_PARTIES, [p[2] for p in PUBLIC_PARTIES])[0]
            ckind = kind if kind in CITIES else "市"
            if m == "県":
                ckind = "県"
            if m == "町":
                ckind = "町"
            city, city_addr = rng.choice(CITIES[ckind])
            pi = rng.choice(["個人情報"] * 6 + ["本件個人情報"])
        company, company_addr = rng.choice(COMPANIES)
        if structure in ("tokki", "bekki"):
            sp = rng.choice(["この特記事項", "この特記事項", "本特記事項"])
            ct = rng.choice(["この契約", "契約", "本契約"])
            work_term = rng.choice(["この契約による業務", "この契約による業務", "本業務"])
        elif structure == "spec":
            sp, ct = "この仕様書", "契約"
            work_term = rng.choice(["本業務", "委託業務"])
        else:
            ct = rng.choice(["この契約", "本契約"])
            sp = ct
            work_term = rng.choice(["委託業務", "本業務"])
        amount = rng.randrange(800, 48000) * 1000
        extra = {
            "WORKNAME": work["name"],
            "PLACE": work["place"],
            "PERIOD": rng.choice(PERIODS),
            "AMOUNT": f"{amount:,}",
            "TAX": f"{amount // 11:,}",
            "CITY": city,
            "RULE": str(rng.choice([23, 24, 29, 30])),
            "RULENO": str(rng.choice([1, 2, 3])),
            "SECTOR": "private" if private else "public",
            "ADDRESSEE": f"{city}　御中" if private else f"{city}長　様",
        }
        ctx = Ctx(m, k, pi, sp, ct, work_term, extra)
        meta = {
            "work": work,
            "kind": kind,
            "city": city,
            "city_addr": city_addr,
            "company": company,
            "company_addr": company_addr,
            "private": private,
            "date": rng.choice(DATES),
            "head": city + ("知事" if city.endswith("県") else "長"),
        }
        return ctx, meta

    def layout(self, private: bool) -> Layout:
        """Numbering and heading style for one document."""
        rng = self.rng
        return Layout(
            art_digits=rng.choices(["half", "full", "kanji"], [5, 4, 2])[0],
            heading=rng.choices(
                ["above", "inline", "inline_space"], [3, 2, 1] if not private else [1, 3, 1]
            )[0],
            para_digits=rng.choice(["half", "full"]),
            item_style=rng.choice(["paren_full", "paren_half", "kanji", "iroha", "circled"]),
            sep=rng.choice(["　", " "]),
        )

    # ---- personal-information part
    def clause_articles(self, labels: dict[str, str], ctx: Ctx) -> dict[str, list[Article]]:
        """Article-form text for each clause (empty, or a stub, when missing)."""
        out: dict[str, list[Article]] = {}
        for clause in CLAUSES:
            status = labels[clause]
            if status == "0":
                stub = self.pick(clause, "0", "article", labels)
                use_stub = stub is not None and self.rng.random() < 0.25
                out[clause] = [ctx.article(a) for a in stub.articles] if use_stub else []
                continue
            block = self.pick(clause, status, "article", labels)
            assert block is not None, (clause, status, labels)
            out[clause] = [ctx.article(a) for a in block.articles]
        return out

    def pi_fillers(self, labels: dict[str, str], ctx: Ctx, names: list[str]) -> dict:
        """Optional neutral articles of a 特記事項, each kept with probability 1/2."""
        out = {}
        for name in names:
            block = self.filler(name, labels)
            if block is not None and (self.long or self.rng.random() < 0.5):
                out[name] = [ctx.article(a) for a in block.articles]
        return out

    def definition(self, ctx: Ctx, private: bool) -> list[Article]:
        """A definition article when the document uses a defined term."""
        if ctx.PI == "本件個人情報":
            text = (
                f"{ctx.SP}において「本件個人情報」とは、{ctx.WORK}に関して{ctx.M}から提供を受け、"
                f"又は{ctx.K}が収集し、若しくは作成した個人情報（個人情報の保護に関する法律"
                "（平成15年法律第57号）第2条第1項に規定する個人情報をいう。）をいう。"
            )
            return [Article("定義", [Para(text)])]
        if ctx.PI == "個人データ" and private:
            text = (
                f"{ctx.SP}において「個人データ」とは、個人情報の保護に関する法律第16条第3項に"
                f"規定する個人データであって、{ctx.WORK}の遂行のために{ctx.M}から預託され、"
                f"又は{ctx.K}が{ctx.WORK}の遂行に当たり取得したものをいう。"
            )
            return [Article("個人データの定義", [Para(text)])]
        return []

    def ordered_pi(self, labels: dict[str, str], ctx: Ctx, private: bool) -> list[Article]:
        """The personal-information articles in one of the usual drafting orders."""
        parts = self.clause_articles(labels, ctx)
        fill = self.pi_fillers(
            labels,
            ctx,
            [
                "基本的事項",
                "収集の制限",
                "従事者への周知",
                "作業場所",
                "管理責任者",
                "持出し",
                "運搬",
                "指示",
            ],
        )
        order = self.rng.choice(
            [
                # the classic municipal 特記事項 order
                [
                    "基本的事項",
                    "confidentiality",
                    "収集の制限",
                    "security",
                    "作業場所",
                    "持出し",
                    "運搬",
                    "subcontracting",
                    "copying",
                    "return_deletion",
                    "従事者への周知",
                    "管理責任者",
                    "reporting_audit",
                    "指示",
                    "incident",
                    "breach_remedies",
                ],
                # the order of the regulation
                [
                    "基本的事項",
                    "管理責任者",
                    "confidentiality",
                    "subcontracting",
                    "copying",
                    "security",
                    "作業場所",
                    "持出し",
                    "incident",
                    "return_deletion",
                    "breach_remedies",
                    "reporting_audit",
                    "指示",
                ],
                # a company-style order
                [
                    "confidentiality",
                    "収集の制限",
                    "security",
                    "管理責任者",
                    "作業場所",
                    "運搬",
                    "copying",
                    "subcontracting",
                    "reporting_audit",
                    "incident",
                    "return_deletion",
                    "breach_remedies",
                ],
            ]
        )
        arts = self.definition(ctx, private)
        for key in order:
            arts += parts.get(key, []) + fill.get(key, [])
        return arts

    def item_article(self, labels: dict[str, str], ctx: Ctx) -> Article:
        """All matters as items of one article with further paragraphs."""
        chapeau = self.rng.choice(
            [
                f"{ctx.K}は、{ctx.WORK}を処理するための{ctx.PI}の取扱いについては、"
                "次に掲げる事項を遵守しなければならない。",
                f"{ctx.K}は、{ctx.WORK}の実施に当たり{ctx.PI}を取り扱う場合には、"
                "次の各号に掲げる事項を守らなければならない。",
                f"{ctx.K}は、{ctx.PI}の保護に関し、次に掲げる事項を遵守するものとする。",
            ]
        )
        first = Para(chapeau)
        paras = [first]
        in_items = [
            "confidentiality",
            "subcontracting",
            "copying",
            "security",
            "incident",
            "return_deletion",
        ]
        for clause in CLAUSES:
            status = labels[clause]
            if status == "0":
                continue
            as_item = clause in in_items or self.rng.random() < 0.4
            block = self.pick(clause, status, "item", labels) if as_item else None
            if block is not None:
                first.items.append(ctx.fill(block.item))
                continue
            cands = [
                b
                for b in self.clause_blocks
                if b.kind == clause
                and b.status == status
                and b.form == "article"
                and b.allowed(labels)
                and not any(
                    "前" in p.text[:4] or "前条" in p.text for a in b.articles for p in a.paras
                )
            ]
            block = self.rng.choice(cands)
            for art in block.articles:
                for para in ctx.article(art).paras:
                    paras.append(para)
        return Article("個人情報の保護", paras)

    # ---- surrounding text
    def party_intro(self, ctx: Ctx, meta: dict, title: str) -> str:
        """The opening sentence naming the parties."""
        m, k = ctx.M, ctx.K
        city, company, work = meta["city"], meta["company"], meta["work"]["name"]
        if meta["private"] or meta["kind"] == "named":
            return (
                f"{city}（以下「{m}」という。）と{company}（以下「{k}」という。）とは、"
                f"{m}が{k}に委託する{work}（以下「{ctx.WORK}」という。）に関し、"
                "次のとおり業務委託契約を締結する。"
            )
        if m in ("市", "県", "町", "本市"):
            return (
                f"{city}（以下「{m}」という。）と{company}（以下「{k}」という。）とは、"
                f"{work}について、次の条項により委託契約を締結する。"
            )
        if m == "甲":
            return (
                f"委託者{city}（以下「甲」という。）と受託者{company}（以下「乙」という。）は、"
                f"{work}の委託について、次のとおり契約を締結する。"
            )
        return (
            f"{m}　{city}と{k}　{company}は、{work}について、"
            "次の条項により委託契約を締結し、信義に従って誠実にこれを履行するものとする。"
        )

    def signature(self, ctx: Ctx, meta: dict) -> str:
        """Closing formula, date and the parties' names and seals."""
        person = self.rng.choice(PERSONS)
        rep = self.rng.choice([p for p in PERSONS if p != person])
        head = f"代表取締役　{person}" if meta["private"] else f"{meta['head']}　{person}"
        both = f"{ctx.M}{ctx.K}" if ctx.M == "甲" else f"{ctx.M}及び{ctx.K}"
        return "\n".join(
            [
                f"この契約の締結を証するため、本書2通を作成し、{both}記名押印の上、"
                "各自1通を保有する。",
                "",
                meta["date"],
                "",
                f"{ctx.M}　住所　{meta['city_addr']}",
                f"　　　氏名　{meta['city']}",
                f"　　　　　　{head}　　印",
                "",
                f"{ctx.K}　住所　{meta['company_addr']}",
                f"　　　氏名　{meta['company']}",
                f"　　　　　　代表取締役　{rep}　　印",
            ]
        )

    def spec_text(self, meta: dict, ctx: Ctx, common: bool = False) -> str:
        """The neutral 仕様書 of the work (with the common conditions when asked)."""
        numbered = self.rng.choice(["full", "half"])
        lines = [f"{meta['work']['name']}仕様書", ""]
        sections = list(meta["work"]["spec"])
        if common:
            sections += next(w for w in self.works if w["key"] == "common")["spec"]
        for i, (title, body) in enumerate(sections, 1):
            lines.append(f"{num(i, numbered)}　{title}")
            for j, ln in enumerate(body, 1):
                if ln.startswith("- "):
                    lines.append(f"　{item_label(j, 'paren_full')}　{ln[2:]}")
                else:
                    lines.append(f"　{ln}")
            lines.append("")
        text = "\n".join(lines).rstrip() + "\n"
        for word in ("発注者", "委託者"):
            text = text.replace(word, ctx.M)
        for word in ("受託者", "受注者"):
            text = text.replace(word, ctx.K)
        return text

    def general_articles(
        self, labels: dict[str, str], ctx: Ctx, long: bool
    ) -> tuple[list[Article], list[Article]]:
        """General contract articles before and after the personal-information part."""
        rng = self.rng
        front_names = [
            "総則",
            "委託業務",
            "履行期間",
            "委託料",
            "契約保証金",
            "権利義務の譲渡等",
            "業務責任者",
            "法令遵守",
            "従事者",
            "身分証",
            "貸与品",
        ]
        back_names = [
            "完了報告",
            "検査",
            "支払",
            "遅延利息",
            "進捗報告",
            "著作権",
            "業務の中止",
            "変更",
            "契約不適合",
            "履行遅滞",
            "危険負担",
            "任意解除",
            "暴力団排除",
            "談合",
            "疑義",
            "管轄",
        ]
        keep = {"委託業務", "履行期間", "委託料", "完了報告", "検査", "支払", "疑義"}
        out: list[list[Article]] = []
        for names in (front_names, back_names):
            arts: list[Article] = []
            for name in names:
                block = self.filler(name, labels)
                if block is None or (name == "契約保証金" and ctx.extra["SECTOR"] == "private"):
                    continue
                if name not in keep and rng.random() > (1.0 if long else 0.55):
                    continue
                if name == "契約不適合" and rng.random() < 0.5:
                    block = self.filler("契約不適合（損害賠償）", labels) or block
                arts += [self.work_term(ctx.article(a), ctx) for a in block.articles]
            out.append(arts)
        if long:
            # a full 契約約款: its extra articles sit between the general ones
            extra = [b for b in self.fillers.values() if b.kind == "yakkan" and b.allowed(labels)]
            yak = [self.work_term(ctx.article(a), ctx) for b in extra for a in b.articles]
            out[0] = out[0][:3] + yak[:4] + out[0][3:]
            out[1] = out[1][:-2] + yak[4:] + out[1][-2:]
        return out[0], out[1]

    @staticmethod
    def work_term(art: Article, ctx: Ctx) -> Article:
        """Use the document's own term for the work in general articles."""
        if ctx.WORK == "委託業務":
            return art
        return Article(
            art.heading,
            [
                Para(
                    p.text.replace("委託業務", ctx.WORK),
                    [i.replace("委託業務", ctx.WORK) for i in p.items],
                )
                for p in art.paras
            ],
        )

    # ---- whole documents
    def render(self, layout: Layout, arts: list[Article], start: int = 1) -> str:
        """Number and render a run of articles."""
        return "\n\n".join(layout.article(start + i, a) for i, a in enumerate(arts))

    def doc_tokki(self, labels, ctx, meta, layout, long) -> str:
        """A stand-alone 個人情報取扱特記事項."""
        title = self.rng.choice(
            [
                "個人情報取扱特記事項",
                "個人情報の取扱いに関する特記事項",
                "個人情報保護に関する特記事項",
            ]
        )
        arts = self.ordered_pi(labels, ctx, meta["private"])
        other = Article(
            "その他",
            [Para(f"{ctx.SP}に定めのない事項については、{ctx.M}{ctx.K}協議の上定めるものとする。")],
        )
        if self.rng.random() < 0.5:
            arts.append(other)
        head = [title, ""]
        if self.rng.random() < 0.5:
            head += [
                f"{meta['work']['name']}の委託契約（以下「本契約」という。）に係る"
                f"{ctx.PI}の取扱いについては、本契約の条項のほか、この特記事項の定めるところによる。",
                "",
            ]
        text = "\n".join(head) + "\n" + self.render(layout, arts) + "\n"
        if long or self.rng.random() < 0.75:
            text += "\n\n別紙\n\n" + self.spec_text(
                meta, ctx, common=long or self.rng.random() < 0.15
            )
        return text

    def doc_embedded(self, labels, ctx, meta, layout, long) -> str:
        """A general 業務委託契約書 with the personal-information articles inside it."""
        front, back = self.general_articles(labels, ctx, long)
        pi = self.ordered_pi(labels, ctx, meta["private"])
        breach = [
            a
            for a in pi
            if a.heading
            and (
                "解除" in a.heading
                or "損害" in a.heading
                or "違約" in a.heading
                or "違反" in a.heading
            )
        ]
        pi = [a for a in pi if a not in breach]
        # breach clauses usually sit among the general articles near the end
        back = back[:-2] + breach + back[-2:] if len(back) >= 2 else back + breach
        title = self.rng.choice(
            ["業務委託契約書", "委託契約書", f"{meta['work']['name']}委託契約書"]
        )
        lines = [title, "", self.party_intro(ctx, meta, title), "", ""]
        body = self.render(layout, front + pi + back)
        text = "\n".join(lines) + body + "\n\n" + self.signature(ctx, meta) + "\n"
        if long or self.rng.random() < 0.3:
            text += "\n\n別紙\n\n" + self.spec_text(
                meta, ctx, common=long or self.rng.random() < 0.15
            )
        return text

    def doc_bekki(self, labels, ctx, meta, layout, long) -> str:
        """A main contract that refers to an attached 別記 個人情報取扱特記事項."""
        main_ctx = Ctx(ctx.M, ctx.K, ctx.PI, ctx.CT, ctx.CT, ctx.WORK, ctx.extra)
        front, back = self.general_articles(labels, main_ctx, long)
        ref_name = self.rng.choice(
            [
                "別記「個人情報取扱特記事項」",
                "別記個人情報取扱特記事項",
                "別紙「個人情報の取扱いに関する特記事項」",
            ]
        )
        ref = Article(
            "個人情報の保護",
            [
                Para(
                    f"{ctx.K}は、この契約による業務を処理するため個人情報を取り扱う場合は、{ref_name}を遵守しなければならない。"
                )
            ],
        )
        pi = self.ordered_pi(labels, ctx, meta["private"])
        title = self.rng.choice(["業務委託契約書", "委託契約書"])
        lines = [title, "", self.party_intro(ctx, meta, title), "", ""]
        body = self.render(layout, [*front, ref, *back])
        label = "別紙" if "別紙" in ref_name else "別記"
        tokki_title = ref_name.split("「")[-1].rstrip("」").replace(label, "")
        text = "\n".join(lines) + body + "\n\n" + self.signature(ctx, meta) + "\n"
        text += f"\n\n{label}\n\n{tokki_title}\n\n" + self.render(layout, pi) + "\n"
        if long:
            text += "\n\n別紙\n\n" + self.spec_text(
                meta, ctx, common=long or self.rng.random() < 0.15
            )
        return text

    def doc_items(self, labels, ctx, meta, layout, long) -> str:
        """A contract whose personal-information duties are one article of items."""
        front, back = self.general_articles(labels, ctx, long)
        art = self.item_article(labels, ctx)
        title = self.rng.choice(["業務委託契約書", "委託契約書"])
        lines = [title, "", self.party_intro(ctx, meta, title), "", ""]
        body = self.render(layout, [*front, art, *back])
        text = "\n".join(lines) + body + "\n\n" + self.signature(ctx, meta) + "\n"
        if long or self.rng.random() < 0.5:
            text += "\n\n別紙\n\n" + self.spec_text(
                meta, ctx, common=long or self.rng.random() < 0.15
            )
        return text

    def doc_spec(self, labels, ctx, meta, layout, long) -> str:
        """A 仕様書 whose last chapter sets out the personal-information duties."""
        spec = (
            self.spec_text(meta, ctx, common=long or self.rng.random() < 0.3).rstrip().split("\n")
        )
        n_sections = sum(1 for ln in spec if re.match(r"^[0-9０-９]+　", ln))
        pi = self.ordered_pi(labels, ctx, meta["private"])
        out = [*spec, "", f"{num(n_sections + 1, 'full')}　個人情報の取扱い"]
        for i, art in enumerate(pi, 1):
            label = item_label(i, "paren_full")
            out.append(f"　{label}　{art.heading or ''}".rstrip())
            for j, para in enumerate(art.paras, 1):
                prefix = "　　" if len(art.paras) == 1 else f"　　{IROHA[j - 1]}　"
                out.append(prefix + para.text)
                for k, item in enumerate(para.items, 1):
                    out.append(f"　　　({k})　{item}")
        out += [
            "",
            f"{num(n_sections + 2, 'full')}　その他",
            f"　この仕様書に定めのない事項については、{ctx.M}と{ctx.K}とが協議して定める。",
        ]
        return "\n".join(out) + "\n"


ANNEXES = {
    chunk.split("\n", 1)[0].strip(): chunk.split("\n", 1)[1].strip() + "\n"
    for chunk in re.split(r"^=== ", (SRC / "annexes.txt").read_text(encoding="utf-8"), flags=re.M)[
        1:
    ]
}
STRUCTURES = [("tokki", 30), ("embedded", 26), ("bekki", 20), ("items", 14), ("spec", 10)]


def generate() -> list[tuple[str, dict[str, str]]]:
    """Write docs/gen/*.txt and return (file, labels) rows."""
    gen = Generator(SEED)
    out_dir = DOCS / "gen"
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("*.txt"):
        old.unlink()
    rows = []
    for i in range(N_GENERATED):
        labels = gen.draw_labels(i)
        structure = gen.rng.choices([s for s, _ in STRUCTURES], [w for _, w in STRUCTURES])[0]
        private = structure != "spec" and gen.rng.random() < 0.15
        long = i % 17 == 5
        if long:
            # the long documents carry the detailed security annex, so security is satisfied
            structure = gen.rng.choice(["embedded", "bekki"])
            labels["security"] = "1"
        gen.long = long
        ctx, meta = gen.make_ctx(structure, private)
        layout = gen.layout(private)
        text = getattr(gen, f"doc_{structure}")(labels, ctx, meta, layout, long)
        if long and labels["security"] == "1":
            text += "\n\n" + ctx.fill(ANNEXES["security"])
        if long:
            text += "\n\n" + ctx.fill(ANNEXES["manual"])
            text += "\n\n" + ctx.fill(ANNEXES["forms"])
            text += "\n\n" + ctx.fill(ANNEXES["breakdown"])
        if long or (structure in ("embedded", "bekki") and gen.rng.random() < 0.12):
            text += "\n\n" + ctx.fill(ANNEXES["form"])
        name = f"gen/g{i + 1:03d}_{structure}.txt"
        (DOCS / name).write_text(text, encoding="utf-8")
        rows.append((name, labels))
    return rows


def write_labels(rows: list[tuple[str, dict[str, str]]]) -> None:
    """labels.csv: generated rows, hand-written rows, then the PDF cases."""
    by_file = {name: labels for name, labels in rows}
    with (SRC / "hand_labels.csv").open(encoding="utf-8") as f:
        for rec in csv.DictReader(f):
            by_file[rec["file"]] = {c: rec[f"c{i}"] for i, c in enumerate(CLAUSES, 1)}
    all_rows = list(by_file.items())
    cases = HERE / "pdf_cases.csv"
    if cases.exists():
        with cases.open(encoding="utf-8") as f:
            for rec in csv.DictReader(f):
                all_rows.append((rec["file"], by_file[rec["source"]]))
    with (HERE / "labels.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["file"] + [f"c{i}" for i in range(1, 9)])
        for name, labels in all_rows:
            writer.writerow([name] + [labels[c] for c in CLAUSES])


if __name__ == "__main__":
    write_labels(generate())
