"""The quality benchmark's scoring: matching by hash, alternates, set semantics, file level, negatives."""

from __future__ import annotations

import pytest

from bench.quality_metrics import Prediction, Score, file_scores, micro, negative_hits, span_errors, span_scores
from bench.quality_people import Label


def h(entity: str, value: str) -> str:
    """A stand-in for the keyed hash: normalises case and spaces the way the real one does for names."""
    return f"{entity}|{' '.join(value.split()).casefold()}"


LABELS = [
    Label("a.txt", "PERSON", "Jane Smith"),
    Label("a.txt", "PERSON", "Jane Smith"),  # planted twice in one file: one label
    Label("a.txt", "EMAIL_ADDRESS", "jane@example.com"),
    Label("a.txt", "STREET_ADDRESS", "12 High Street, Leeds LS1 4AB", ("12 High Street",)),
    Label("b.csv", "PERSON", "Omar Haddad"),
    Label("b.csv", "EMAIL_ADDRESS", "omar@example.org"),
    Label("c.eml", "SPECIAL_CATEGORY_HEALTH", "was diagnosed with type 2 diabetes"),
]


def test_perfect_predictions_score_one():
    preds = [Prediction(l.file, l.entity, h(l.entity, l.value)) for l in LABELS]
    scores = span_scores(LABELS, preds, h)
    assert set(scores) == {"PERSON", "EMAIL_ADDRESS", "STREET_ADDRESS"}  # passages are file level only
    for score in scores.values():
        assert (score.precision, score.recall, score.f1) == (1.0, 1.0, 1.0)
    assert scores["PERSON"].labels == 2


def test_hash_join_respects_file_and_entity():
    preds = [
        Prediction("a.txt", "PERSON", h("PERSON", "JANE  smith")),  # normalised equal: correct
        Prediction("b.csv", "PERSON", h("PERSON", "Jane Smith")),  # right value, wrong file: wrong
        Prediction("a.txt", "EMAIL_ADDRESS", h("PERSON", "Jane Smith")),  # wrong entity hash: wrong
    ]
    scores = span_scores(LABELS, preds, h)
    person = scores["PERSON"]
    assert (person.labels, person.found, person.predicted, person.correct) == (2, 1, 2, 1)
    assert person.precision == pytest.approx(0.5) and person.recall == pytest.approx(0.5)
    email = scores["EMAIL_ADDRESS"]
    assert (email.found, email.predicted, email.correct) == (0, 1, 0)
    assert email.precision == 0.0 and email.recall == 0.0 and email.f1 == 0.0


def test_alternate_value_counts_as_found_once():
    preds = [Prediction("a.txt", "STREET_ADDRESS", h("STREET_ADDRESS", "12 High Street")),
             Prediction("a.txt", "STREET_ADDRESS", h("STREET_ADDRESS", "12 High Street, Leeds LS1 4AB"))]
    score = span_scores(LABELS, preds, h)["STREET_ADDRESS"]
    assert (score.labels, score.found, score.predicted, score.correct) == (1, 1, 2, 2)
    assert score.precision == 1.0 and score.recall == 1.0


def test_duplicate_predictions_count_once_and_unscored_types_are_ignored():
    preds = [Prediction("a.txt", "EMAIL_ADDRESS", h("EMAIL_ADDRESS", "jane@example.com"))] * 3 + [
        Prediction("a.txt", "LOCATION", h("LOCATION", "Leeds")),
        Prediction("a.txt", "EMAIL_ADDRESS", None),  # a column finding: presence only
    ]
    scores = span_scores(LABELS, preds, h)
    assert "LOCATION" not in scores
    assert (scores["EMAIL_ADDRESS"].predicted, scores["EMAIL_ADDRESS"].correct) == (1, 1)
    assert scores["EMAIL_ADDRESS"].recall == pytest.approx(0.5)


def test_f1_and_micro_average():
    a, b = Score(labels=4, found=3, predicted=6, correct=3), Score(labels=6, found=1, predicted=2, correct=2)
    assert a.precision == pytest.approx(0.5) and a.recall == pytest.approx(0.75)
    assert a.f1 == pytest.approx(2 * 0.5 * 0.75 / 1.25)
    total = micro([a, b])
    assert (total.labels, total.found, total.predicted, total.correct) == (10, 4, 8, 5)
    assert total.precision == pytest.approx(5 / 8) and total.recall == pytest.approx(0.4)
    assert Score().f1 == 1.0  # no labels and no predictions: nothing to get wrong
    assert Score(labels=3).precision == 0.0 and Score(labels=3).f1 == 0.0


def test_file_level_presence():
    preds = [
        Prediction("a.txt", "PERSON", "x"),
        Prediction("a.txt", "PERSON", "y"),  # same (file, entity): one prediction
        Prediction("b.csv", "EMAIL_ADDRESS", None),
        Prediction("c.eml", "SPECIAL_CATEGORY_HEALTH", None),
        Prediction("c.eml", "PERSON", "z"),  # no PERSON label in c.eml
        Prediction("c.eml", "URL", "u"),  # unlabelled type: ignored
    ]
    scores = file_scores(LABELS, preds)
    assert (scores["PERSON"].labels, scores["PERSON"].found, scores["PERSON"].predicted,
            scores["PERSON"].correct) == (2, 1, 2, 1)
    assert scores["EMAIL_ADDRESS"].recall == pytest.approx(0.5) and scores["EMAIL_ADDRESS"].precision == 1.0
    assert scores["SPECIAL_CATEGORY_HEALTH"].f1 == 1.0
    assert scores["STREET_ADDRESS"].recall == 0.0
    assert "URL" not in scores


def test_span_errors_lists_misses_and_wrong_predictions():
    preds = [Prediction("a.txt", "PERSON", h("PERSON", "Jane Smith")),
             Prediction("a.txt", "PERSON", h("PERSON", "High Street"), "H*** S***")]
    missed, wrong = span_errors(LABELS, preds, h)
    assert {(m.file, m.entity, m.value) for m in missed} == {
        ("a.txt", "EMAIL_ADDRESS", "jane@example.com"), ("a.txt", "STREET_ADDRESS", "12 High Street, Leeds LS1 4AB"),
        ("b.csv", "PERSON", "Omar Haddad"), ("b.csv", "EMAIL_ADDRESS", "omar@example.org")}
    assert [(w.file, w.entity, w.detail) for w in wrong] == [("a.txt", "PERSON", "H*** S***")]


def test_negative_hits_counts_by_type_in_negative_files_only():
    preds = [Prediction("neg/notes.md", "IP_ADDRESS", "1"), Prediction("neg/notes.md", "IP_ADDRESS", "2"),
             Prediction("neg/notes.md", "PERSON", "3"), Prediction("a.txt", "IP_ADDRESS", "4")]
    hits = negative_hits(preds, ["neg/notes.md"], lambda e: e != "PERSON")
    assert hits == {"IP_ADDRESS": 2}
