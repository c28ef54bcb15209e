"""Precision, recall and F1 of predictions against corpus labels, at span and file level.

Both tools are scored the same way, by keyed hashes of normalised values:

* span level — a label (file, entity, value) is *found* when a prediction in
  the same file with the same entity type has the hash of its value or of one
  of its accepted alternates; a prediction is *correct* when its hash is one of
  a label's hashes for that (file, entity). Precision = correct / predicted,
  recall = found / labels. Values are compared as sets per file: a value
  planted or reported twice in one file counts once. Entity types whose labels
  are passages (special categories, criminal offences) are scored at file
  level only.
* file level — per (file, entity type) presence.

Only entity types that occur in the labels are scored; predictions of other
types (Presidio's LOCATION, DATE_TIME, NRP, URL, …) are ignored, never counted
as errors — the corpus has no ground truth for them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable, Iterable

from bench.quality_people import Label

FILE_ONLY = frozenset({"SPECIAL_CATEGORY_HEALTH", "SPECIAL_CATEGORY_RELIGION", "SPECIAL_CATEGORY_TRADE_UNION",
                       "SPECIAL_CATEGORY_SEXUAL_ORIENTATION", "SPECIAL_CATEGORY_ETHNICITY",
                       "SPECIAL_CATEGORY_POLITICAL", "SPECIAL_CATEGORY_BIOMETRIC", "SPECIAL_CATEGORY_GENETIC",
                       "CRIMINAL_OFFENCE"})

Hasher = Callable[[str, str], str]  # (entity type, raw value) -> value hash


@dataclass(frozen=True)
class Prediction:
    """One reported entity in one file; ``value_hash`` is None when only presence is known."""

    file: str
    entity: str
    value_hash: str | None
    detail: str = field(default="", compare=False)  # masked preview / location, for error listings


@dataclass
class Score:
    """Counts behind precision and recall (kept apart because alternates make them differ)."""

    labels: int = 0
    found: int = 0
    predicted: int = 0
    correct: int = 0

    @property
    def precision(self) -> float:
        """Correct / predicted; 0 when a labelled type got no prediction, 1 when there was nothing to find."""
        return self.correct / self.predicted if self.predicted else (1.0 if not self.labels else 0.0)

    @property
    def recall(self) -> float:
        """Found / labels."""
        return self.found / self.labels if self.labels else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: "Score") -> "Score":
        return Score(self.labels + other.labels, self.found + other.found,
                     self.predicted + other.predicted, self.correct + other.correct)

    def as_dict(self) -> dict:
        """Counts and rates, for the JSON summary."""
        return {"labels": self.labels, "found": self.found, "predicted": self.predicted, "correct": self.correct,
                "precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


def micro(scores: Iterable[Score]) -> Score:
    """The sum of per-entity counts: micro-averaged precision, recall and F1."""
    total = Score()
    for score in scores:
        total = total + score
    return total


def _gold(labels: list[Label], hasher: Hasher) -> dict[tuple[str, str], dict[str, set[str]]]:
    """(file, entity) -> {hash of the label's value: hashes it accepts}, one entry per distinct label."""
    gold: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(dict)
    for label in labels:
        if label.entity in FILE_ONLY:
            continue
        primary = hasher(label.entity, label.value)
        accepted = gold[(label.file, label.entity)].setdefault(primary, {primary})
        accepted.update(hasher(label.entity, alt) for alt in label.alternates)
    return gold


def span_scores(labels: list[Label], predictions: Iterable[Prediction], hasher: Hasher) -> dict[str, Score]:
    """Per entity type, span-level scores (types in :data:`FILE_ONLY` are left out)."""
    gold = _gold(labels, hasher)
    entities = {entity for _, entity in gold}
    predicted: dict[tuple[str, str], set[str]] = defaultdict(set)
    for pred in predictions:
        if pred.entity in entities and pred.value_hash is not None:
            predicted[(pred.file, pred.entity)].add(pred.value_hash)
    scores = {entity: Score() for entity in entities}
    for key in set(gold) | set(predicted):
        score = scores[key[1]]
        hashes = predicted.get(key, set())
        labelled = gold.get(key, {})
        accepted_any = set().union(*labelled.values()) if labelled else set()
        score.labels += len(labelled)
        score.found += sum(1 for accepted in labelled.values() if accepted & hashes)
        score.predicted += len(hashes)
        score.correct += len(hashes & accepted_any)
    return scores


def span_errors(labels: list[Label], predictions: list[Prediction],
                hasher: Hasher) -> tuple[list[Label], list[Prediction]]:
    """The labels not found and the predictions not matching any label, for error analysis."""
    gold = _gold(labels, hasher)
    entities = {entity for _, entity in gold}
    predicted: dict[tuple[str, str], set[str]] = defaultdict(set)
    for pred in predictions:
        if pred.entity in entities and pred.value_hash is not None:
            predicted[(pred.file, pred.entity)].add(pred.value_hash)
    missed, seen = [], set()
    for label in labels:
        key = (label.file, label.entity)
        primary = hasher(label.entity, label.value) if label.entity not in FILE_ONLY else None
        if primary is None or (key, primary) in seen:
            continue
        seen.add((key, primary))
        if not gold[key][primary] & predicted.get(key, set()):
            missed.append(label)
    wrong, reported = [], set()
    for pred in predictions:
        key = (pred.file, pred.entity)
        if pred.entity not in entities or pred.value_hash is None or (key, pred.value_hash) in reported:
            continue
        reported.add((key, pred.value_hash))
        if not any(pred.value_hash in accepted for accepted in gold.get(key, {}).values()):
            wrong.append(pred)
    return missed, wrong


def file_scores(labels: list[Label], predictions: Iterable[Prediction]) -> dict[str, Score]:
    """Per entity type, file-level scores: is the type present in the file or not."""
    gold = {(label.file, label.entity) for label in labels}
    entities = {entity for _, entity in gold}
    predicted = {(p.file, p.entity) for p in predictions if p.entity in entities}
    scores = {entity: Score() for entity in entities}
    for key in gold:
        scores[key[1]].labels += 1
        scores[key[1]].found += key in predicted
    for key in predicted:
        scores[key[1]].predicted += 1
        scores[key[1]].correct += key in gold
    return scores


def negative_hits(predictions: Iterable[Prediction], negatives: Iterable[str],
                  counted: Callable[[str], bool]) -> dict[str, int]:
    """Per entity type, predictions in hard-negative files whose type ``counted`` accepts."""
    files = set(negatives)
    hits: dict[str, int] = defaultdict(int)
    for pred in predictions:
        if pred.file in files and counted(pred.entity):
            hits[pred.entity] += 1
    return dict(hits)
