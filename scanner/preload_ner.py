"""Imported by the fork server after :mod:`scanner.preload` when workers will run NER.

spaCy and the default English pipeline, loaded once: every worker forked from
the server shares them instead of importing spaCy and loading the model itself
(a scan with another ``--spacy-model`` loads that one in each worker). ``--no-ner``
scans skip this module.
"""

from detectors import ner

try:
    ner.preload()
except Exception:  # no pipeline installed, say: each worker reports it when it starts
    pass
