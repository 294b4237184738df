# ruff: noqa: E501  (contract wordings read best one sentence a line)
"""Write the labelled dispatch-contract and provision-agreement samples (``python build.py``).

Each sample is a small contract assembled from one wording per matter: the full wording
(satisfied, label 1), a weakened one (w) or none at all (0). The label of each matter is the
wording chosen, decided by the writer from README.md's definitions, never by the engine.
"""

from __future__ import annotations

import csv
from pathlib import Path

HERE = Path(__file__).parent

DISPATCH_PREAMBLE = (
    "労働者派遣契約書\n"
    "{muni}（以下「甲」という。）と株式会社{vendor}（以下「乙」という。）とは、"
    "乙が甲に労働者を派遣することについて、次のとおり労働者派遣契約を締結する。\n"
)
DISPATCH_NOISE = [
    "（派遣期間）\n派遣期間は、令和7年4月1日から令和8年3月31日までとする。",
    "（派遣料金）\n甲は、乙に対し、別表に定める派遣料金を毎月末日までに支払うものとする。",
]
QUOTED = (
    "（関係規程）\n甲の規程は、派遣労働者に個人情報を取り扱わせるときは労働者派遣契約書に"
    "秘密保持義務等個人情報の取扱いに関する事項を明記することを定めている。"
)
# matter id → {label: wording}; "0" means the matter is left out.
DISPATCH = {
    "confidentiality": {
        "1": "（秘密保持）\n乙及び派遣労働者は、派遣就業に関して知り得た個人情報を他に漏らしてはならない。"
        "派遣就業の終了後も同様とする。\n"
        "２ 乙及び派遣労働者は、派遣就業に関して知り得た個人情報を派遣業務の目的以外の目的に利用してはならない。",
        "w": "（秘密保持）\n派遣労働者は、業務上知り得た秘密を他に漏らしてはならない。",
        "w2": "（秘密保持）\n乙及び派遣労働者は、派遣就業に関して知り得た個人情報を他に漏らしてはならない。",
    },
    "worker_pledge": {
        "1": "（誓約書）\n乙は、派遣労働者から、個人情報の秘密保持に関する誓約書を徴し、"
        "その写しを甲に提出しなければならない。",
        "w": "（誓約書）\n乙は、派遣労働者から、個人情報の秘密保持に関する誓約書を徴するよう努めるものとする。",
    },
    "training": {
        "1": "（教育）\n乙は、派遣労働者に対し、派遣就業の開始前に、個人情報の保護に関する教育を実施しなければならない。",
        "w": "（教育）\n乙は、派遣労働者に対し、個人情報の保護に関する研修を行うよう努めるものとする。",
        # A duty on the municipality (甲), not on the 派遣元: weak.
        "wp": "（教育）\n甲は、派遣労働者に対し、個人情報の保護に関する教育を実施しなければならない。",
    },
    "no_removal": {
        "1": "（持出しの禁止）\n派遣労働者は、甲の承諾を得た場合を除き、個人情報が記録された資料等を"
        "派遣就業の場所から持ち出してはならない。",
        "w": "（持出しの禁止）\n派遣労働者は、甲が貸与した資料を派遣就業の場所から持ち出してはならない。",
    },
    "return_deletion": {
        "1": "（資料の返還等）\n乙は、労働者派遣の終了時に、派遣労働者が保有する個人情報が記録された資料等を"
        "甲に返還し、又は消去しなければならない。",
        "w": "（資料の返還）\n乙は、労働者派遣の終了時に、派遣労働者が保有する個人情報が記録された資料等を"
        "甲に返還しなければならない。",
    },
    "incident": {
        "1": "（事故の報告）\n乙は、派遣労働者による個人情報の漏えい等の事故が発生し、又は発生したおそれがあるときは、"
        "直ちに甲に報告し、甲の指示に従わなければならない。",
        "w": "（事故の報告）\n派遣労働者による個人情報の漏えい等の事故が発生したときの報告については、甲乙協議して定める。",
    },
    "dispatcher_liability": {
        "1": "（損害賠償）\n乙は、派遣労働者がこの契約に定める個人情報の取扱いに関する義務に違反したことにより"
        "甲に損害を与えたときは、その損害を賠償しなければならない。",
        "w": "（損害賠償）\n派遣労働者がこの契約に違反したことにより甲に生じた損害の賠償については、甲乙協議して定める。",
    },
}
# file → label (or wording key) per matter, in catalog order.
DISPATCH_SAMPLES = {
    "dispatch_full_a.txt": ["1", "1", "1", "1", "1", "1", "1"],
    "dispatch_full_b.txt": ["1", "1", "1", "1", "1", "1", "1"],
    "dispatch_no_pledge.txt": ["1", "0", "1", "1", "1", "1", "1"],
    "dispatch_no_removal_rule.txt": ["1", "1", "1", "0", "1", "1", "1"],
    "dispatch_secrecy_only.txt": ["w2", "0", "0", "0", "0", "0", "0"],
    "dispatch_generic_secret.txt": ["w", "1", "1", "1", "0", "1", "0"],
    "dispatch_effort_duties.txt": ["1", "w", "w", "1", "1", "1", "1"],
    "dispatch_return_only.txt": ["1", "1", "1", "1", "w", "1", "1"],
    "dispatch_deferred.txt": ["1", "1", "1", "1", "1", "w", "w"],
    "dispatch_weak_removal.txt": ["1", "1", "0", "w", "1", "1", "1"],
    "dispatch_none.txt": ["0", "0", "0", "0", "0", "0", "0"],
    "dispatch_mixed.txt": ["w2", "1", "w", "0", "w", "0", "1"],
    "dispatch_principal_training.txt": ["1", "1", "wp", "1", "1", "1", "1"],
    # Quoting the regulation's requirement imposes nothing (see DISPATCH_NOISE's last entry).
    "dispatch_quoted_only.txt": ["0", "0", "0", "0", "0", "0", "0"],
}

PROVISION_PREAMBLE = (
    "保有個人情報の提供に関する覚書\n"
    "{muni}（以下「甲」という。）と{vendor}（以下「乙」という。）とは、"
    "甲が乙に保有個人情報を提供することについて、次のとおり覚書を締結する。\n"
)
PROVISION = {
    "purpose": {
        "1": "（利用目的）\n乙の利用目的は、介護保険の要介護認定に係る調査事務とする。",
        "w": "（利用目的）\n乙の利用目的は、甲乙協議して定める。",
    },
    "legal_basis": {
        "1": "（根拠法令）\n乙が提供を受けた個人情報を利用する業務の根拠法令は、介護保険法第27条とする。",
        "w": "（根拠法令）\n乙が提供を受けた個人情報を利用する業務の根拠は、関係する規定とする。",
    },
    "record_scope": {
        "1": "（提供する記録）\n提供する記録の範囲は、要介護認定の申請者に係る記録とし、記録項目は、"
        "氏名、住所、生年月日及び被保険者番号とする。",
        "w": "（提供する記録）\n提供する記録の範囲は、必要なものとする。",
    },
    "use_form": {
        "1": "（利用形態）\n利用形態は、暗号化した電子媒体による提供とし、乙の事務所内の端末でのみ閲覧するものとする。",
        "w": "（利用形態）\n利用形態は、適切なものとする。",
    },
    "security": {
        "1": "（安全確保の措置）\n乙は、提供を受けた個人情報の漏えい、滅失又は毀損の防止その他の適切な管理のために"
        "必要な措置を講じなければならない。",
        "w": "（安全確保の措置）\n乙は、提供を受けた個人情報の漏えい、滅失又は毀損の防止その他の適切な管理のために"
        "必要な措置を講ずるよう努めるものとする。",
    },
    "purpose_limit": {
        "1": "（目的外利用等の禁止）\n乙は、提供を受けた個人情報を利用目的以外の目的に利用し、"
        "又は第三者に提供してはならない。",
        "w": "（目的外利用等の禁止）\n乙は、提供を受けた個人情報を第三者に提供してはならない。",
    },
    "incident": {
        "1": "（事故の報告）\n乙は、提供を受けた個人情報の漏えい等の事故が発生し、又は発生したおそれがあるときは、"
        "直ちに甲に報告し、甲の指示に従わなければならない。",
        "w": "（事故の報告）\n個人情報の漏えい等の事故が発生したときの報告については、甲乙協議して定める。",
    },
    "onsite_check": {
        "1": "（実地の調査）\n甲は、必要があると認めるときは、乙の事務所において、提供した個人情報の管理の状況について"
        "実地に調査することができる。",
        "w": "（実地の調査）\n乙は、甲が提供した個人情報の管理の状況について実地に調査を受けるよう努めるものとする。",
    },
    "return_deletion": {
        "1": "（返還等）\n乙は、利用を終えたときは、提供を受けた個人情報が記録された媒体を甲に返還し、"
        "又はその個人情報を消去しなければならない。",
        "w": "（返還）\n乙は、利用を終えたときは、提供を受けた個人情報が記録された媒体を甲に返還しなければならない。",
    },
}
PROVISION_SAMPLES = {
    "provision_full.txt": ["1"] * 9,
    "provision_items_only.txt": ["1", "1", "1", "1", "0", "0", "0", "0", "0"],
    "provision_vague_items.txt": ["w", "w", "w", "w", "1", "1", "1", "1", "1"],
    "provision_weak_measures.txt": ["1", "1", "1", "1", "w", "w", "w", "w", "w"],
    "provision_none.txt": ["0"] * 9,
}


def _label(key: str) -> str:
    return {"1": "1", "0": "0"}.get(key, "w")


def _write(
    samples: dict[str, list[str]],
    matters: dict[str, dict[str, str]],
    preamble: str,
    noise: list[str],
    labels_name: str,
) -> None:
    ids = list(matters)
    out = HERE / labels_name
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["file", *(f"c{n}" for n in range(1, len(ids) + 1))])
        for k, (name, keys) in enumerate(samples.items()):
            muni, vendor = ("三木市", "ミキ人材") if k % 2 == 0 else ("久喜市", "クキ情報")
            articles = [*noise[: 1 + k % 2]]
            if name.endswith("quoted_only.txt"):
                articles.append(QUOTED)
            articles += [
                matters[cid][key] for cid, key in zip(ids, keys, strict=True) if key != "0"
            ]
            body = []
            for n, article in enumerate(articles, 1):
                heading, _, text = article.partition("\n")
                body.append(f"{heading}\n第{n}条 {text}")
            text = preamble.format(muni=muni, vendor=vendor) + "\n".join(body) + "\n"
            (HERE / name).write_text(text, encoding="utf-8")
            writer.writerow([name, *(_label(key) for key in keys)])


if __name__ == "__main__":
    _write(DISPATCH_SAMPLES, DISPATCH, DISPATCH_PREAMBLE, DISPATCH_NOISE, "dispatch_labels.csv")
    _write(PROVISION_SAMPLES, PROVISION, PROVISION_PREAMBLE, [], "provision_labels.csv")
