"""The version comparison shows what changed: the evidence of both versions side by side,
the changed characters marked (unit tests of ``portal.reviews.diff`` and the page)."""

from __future__ import annotations

from chain_helpers import make_node

from portal.permissions import Role
from portal.reviews.diff import Segment, evidence_changes, evidence_text, mark
from portal.reviews.models import ContractDocument, DocumentStatus

BEFORE = "乙は、あらかじめ甲の書面による承諾を得て、業務を再委託することができる。"
AFTER = "乙は、あらかじめ甲に書面で通知して、業務を再委託することができる。"


def _evidence(text: str, article: str) -> dict:
    return {
        "article": article,
        "page": 1,
        "start": 0,
        "end": len(text),
        "text": text,
        "role": "duty",
    }


def _report(subcontract: str, status: str = "satisfied") -> dict:
    return {
        "clauses": [
            {
                "id": "confidentiality",
                "status": "satisfied",
                "evidence": [
                    _evidence("乙は、業務上知り得た個人情報を他に漏らしてはならない。", "第5条")
                ],
            },
            {
                "id": "subcontracting",
                "status": status,
                "evidence": [_evidence(subcontract, "第8条")],
            },
            {"id": "incident_report", "status": "missing", "evidence": []},
        ]
    }


def _statuses(report: dict) -> dict[str, str]:
    return {c["id"]: c["status"] for c in report["clauses"]}


def test_mark_finds_the_changed_characters():
    old, new = mark(BEFORE, AFTER)
    assert "".join(s.text for s in old) == BEFORE and "".join(s.text for s in new) == AFTER
    removed = "".join(s.text for s in old if s.changed)
    added = "".join(s.text for s in new if s.changed)
    assert "承諾を得" in removed and "通知し" in added
    assert "再委託することができる" not in removed + added  # the unchanged part is not marked
    assert mark("同じ", "同じ") == ((Segment("同じ"),), (Segment("同じ"),))


def test_only_clauses_whose_status_or_evidence_changed():
    before, after = _report(BEFORE), _report(AFTER, "weak")
    changes = evidence_changes(before, after, _statuses(before), _statuses(after))
    assert [c.clause_id for c in changes] == ["subcontracting"]
    [change] = changes
    assert (change.before_status, change.after_status) == ("satisfied", "weak")
    # Same evidence, another status (an officer's override): still listed.
    overridden = {**_statuses(after), "incident_report": "weak"}
    ids = [c.clause_id for c in evidence_changes(after, after, _statuses(after), overridden)]
    assert ids == ["incident_report"]
    assert evidence_text(None, "x") == "" and evidence_changes(None, None, None, None) == []


def test_the_review_page_shows_both_versions_marked(client, login, factory):
    officer = login(Role.STAFF)
    node = make_node(factory, department_id=officer.department_id, vendor=factory.vendor())
    documents = []
    for version, report in ((1, _report(BEFORE)), (2, _report(AFTER, "weak"))):
        document = ContractDocument(
            outsourcing_id=node.id,
            version=version,
            kind="original" if version == 1 else "amendment",
            filename=f"契約書{version}.pdf",
            storage_key=f"documents/diff{node.id}-{version}.pdf",
            sha256=f"{node.id * 10 + version:064x}",
            size=1,
            status=DocumentStatus.DONE,
            report=report,
            statuses=_statuses(report),
        )
        factory.session.add(document)
        documents.append(document)
    factory.session.commit()
    page = client.get(f"/documents/{documents[1].id}").get_data(as_text=True)
    assert "根拠の文の変更" in page
    row = page[page.index('data-diff-clause="subcontracting"') :]
    row = row[: row.index("</tr>")]
    assert "<del>" in row and "<ins>" in row
    deleted = "".join(part.split("</del>")[0] for part in row.split("<del>")[1:])
    inserted = "".join(part.split("</ins>")[0] for part in row.split("<ins>")[1:])
    assert "承諾を得" in deleted and "通知し" in inserted
    assert 'data-diff-clause="confidentiality"' not in page  # unchanged: not repeated
    first = client.get(f"/documents/{documents[0].id}").get_data(as_text=True)
    assert "根拠の文の変更" not in first  # version 1 has nothing before it
