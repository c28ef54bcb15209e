"""Shared by the detector tests: one detector (no NER) for the whole session (building it compiles
every anchor), what it finds in a text, and a fresh interpreter for what a process imports."""

import subprocess
import sys
import textwrap

import pytest

from detectors.engine import Detector, DetectorConfig


@pytest.fixture(scope="session")
def detector():
    return Detector(DetectorConfig(ner=False))


def found(detector, text, entities=None):
    """(entity, matched text) pairs the full path reports, optionally only for some entity types."""
    spans = detector.analyze_text(text, hint="lines")
    return [(s.entity_type, s.value) for s in spans if entities is None or s.entity_type in entities]


REPO_ROOT = __file__.rsplit("/tests/", 1)[0]


def fresh_python(code: str) -> subprocess.CompletedProcess:
    """Run ``code`` in a new interpreter at the repository root: for what a process imports."""
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=REPO_ROOT, capture_output=True,
                          text=True, timeout=120)
