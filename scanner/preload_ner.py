"""Imported by the fork server after :mod:`scanner.preload` when workers will run NER.

spaCy, and the rest of Presidio: loading a spaCy pipeline imports Presidio's
spaCy components through their entry points, which completes the package
(:mod:`detectors.presidio_base`). Imported here once, a second and a half that
no worker pays; ``--no-ner`` scans skip it.
"""

import presidio_analyzer.nlp_engine  # noqa: F401  (imports spaCy and completes Presidio)

import detectors.ner  # noqa: F401
