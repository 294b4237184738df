"""The dispatch contract rules, without Flask or a database."""

from __future__ import annotations

from datetime import date

from portal.dispatch.rules import DispatchFacts, normalise_number, problems, training_due

SOUND = DispatchFacts(
    contract_number="派-1",
    work="窓口",
    period_start=date(2026, 4, 1),
    period_end=date(2027, 3, 31),
    workers=2,
)


def test_sound_facts_have_no_problem():
    assert problems(SOUND) == []
    same_day = DispatchFacts("派-1", "窓口", date(2026, 4, 1), date(2026, 4, 1), 1)
    assert problems(same_day) == []


def test_every_problem_is_named_with_its_field():
    empty = DispatchFacts(" ", "", None, None, None)
    assert problems(empty) == [
        ("contract_number", "number_missing"),
        ("work", "work_missing"),
        ("period_start", "start_missing"),
        ("period_end", "end_missing"),
        ("workers", "workers_missing"),
    ]
    backwards = DispatchFacts("派-1", "窓口", date(2026, 4, 2), date(2026, 4, 1), 0)
    assert problems(backwards) == [
        ("period_end", "end_before_start"),
        ("workers", "workers_range"),
    ]


def test_contract_numbers_are_compared_as_written_by_hand():
    assert normalise_number(" 派－２０２６－００１ ") == "派-2026-001"


def test_training_is_due_once_the_dispatch_has_begun_without_a_date():
    start = date(2026, 4, 1)
    assert not training_due(None, start, date(2026, 3, 31))
    assert training_due(None, start, date(2026, 4, 1))
    assert not training_due(date(2026, 3, 20), start, date(2026, 5, 1))
