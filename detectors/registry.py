"""Which recognisers run: the one list to edit when adding one.

Our own recognisers live one per file in :mod:`detectors.recognizers` (or as a
YAML entry in ``detectors/conf``); Presidio's predefined ones are reused where
they are good (checksums, sensible context). Adding a recogniser = its file +
its test table + one line here.
"""

from __future__ import annotations

import importlib
import os

import yaml
from presidio_analyzer import EntityRecognizer, Pattern
from presidio_analyzer.predefined_recognizers import (
    CreditCardRecognizer,
    EmailRecognizer,
    IbanRecognizer,
    IpRecognizer,
    NhsRecognizer,
    UsSsnRecognizer,
)

from detectors.recognizers.base import PiiRecognizer

# module:Class of our recognisers
OURS = [
    "detectors.recognizers.uk_nino:UkNinoRecognizer",
]

# Presidio's own, kept where they are precise enough (checksums or strict shapes).
PRESIDIO = [EmailRecognizer, CreditCardRecognizer, IbanRecognizer, IpRecognizer, UsSsnRecognizer, NhsRecognizer]

# Anchors for Presidio recognisers whose patterns Hyperscan cannot compile whole.
# An IPv6 address either has all eight groups or a "::"; both are rare in prose and logs.
ANCHOR_OVERRIDES = {
    "IpRecognizer": [
        r"\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}",
        r"(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}",
        r"[0-9a-f]{0,4}::",
    ],
}

CONF_DIR = os.path.join(os.path.dirname(__file__), "conf")


def _yaml_recognizers() -> list[EntityRecognizer]:
    """Pattern recognisers declared in detectors/conf/*.yaml (one entry each)."""
    found = []
    for name in sorted(os.listdir(CONF_DIR)) if os.path.isdir(CONF_DIR) else []:
        if not name.endswith((".yaml", ".yml")):
            continue
        with open(os.path.join(CONF_DIR, name), encoding="utf-8") as fh:
            doc = yaml.safe_load(fh) or {}
        for entry in doc.get("recognizers", []):
            attrs = {
                "ENTITY": entry["entity"],
                "PATTERNS": [Pattern(p["name"], p["regex"], float(p["score"])) for p in entry["patterns"]],
                "CONTEXT": entry.get("context", []),
                "NEEDS_CONTEXT": bool(entry.get("needs_context", False)),
                "MAX_MATCH": int(entry.get("max_match", 100)),
                "__doc__": entry.get("description", ""),
            }
            cls = type(entry["name"], (PiiRecognizer,), attrs)
            found.append(cls())
    return found


def load_recognizers() -> list[EntityRecognizer]:
    """Instantiate every recogniser the engine runs, ours first."""
    recognizers: list[EntityRecognizer] = []
    for spec in OURS:
        module_name, class_name = spec.split(":")
        recognizers.append(getattr(importlib.import_module(module_name), class_name)())
    recognizers.extend(_yaml_recognizers())
    for cls in PRESIDIO:
        recognizer = cls()
        if cls.__name__ in ANCHOR_OVERRIDES:
            recognizer.ANCHORS = ANCHOR_OVERRIDES[cls.__name__]
        recognizers.append(recognizer)
    return recognizers
