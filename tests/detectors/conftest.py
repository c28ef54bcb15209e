"""One detector (no NER) for the whole detectors test session: building it compiles every anchor."""

import pytest

from detectors.engine import Detector, DetectorConfig


@pytest.fixture(scope="session")
def detector():
    return Detector(DetectorConfig(ner=False))


def found(detector, text, entities=None):
    """(entity, matched text) pairs the full path reports, optionally only for some entity types."""
    spans = detector.analyze_text(text, hint="lines")
    return [(s.entity_type, s.value) for s in spans if entities is None or s.entity_type in entities]
