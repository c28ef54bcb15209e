"""What the client and every worker must agree on before a cluster scan, and what each has.

The same function runs in the client and, through ``Client.run``, in every worker:
versions (piisweep, presidio-analyzer, spaCy, the spaCy model and its version), a digest
of the detectors' source and configuration (a worker with other recognisers would find
other things under the same scan), the id of the estate key the worker holds itself (never
the key), which password variables it has (names only, never values), and whether each
local target is visible there (a shared mount). Reading these needs no import of spaCy or
Presidio: package metadata and files only, so the check costs milliseconds.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
from importlib.metadata import PackageNotFoundError, version

from contract.keys import KeyFileError, default_key_file, key_id, load_key
from detectors.config import DetectorConfig, resolve_model

# Facts that must be equal on the client and every worker, with the words a message uses.
MUST_MATCH = {"piisweep": "piisweep version", "presidio-analyzer": "presidio-analyzer version",
              "spacy": "spaCy version", "model": "spaCy model", "detectors": "detectors digest"}


def _version(name: str) -> str | None:
    try:
        return version(name)
    except PackageNotFoundError:
        return None


def _model(detector: DetectorConfig) -> str | None:
    """The spaCy model a worker would load, with its version from the model's meta.json."""
    if not detector.ner:
        return None
    try:
        name = resolve_model(detector.spacy_model)
    except RuntimeError:
        return "none installed"
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return f"{name} (not installed)"
    try:
        with open(os.path.join(list(spec.submodule_search_locations)[0], "meta.json"), encoding="utf-8") as fh:
            return f"{name} {json.load(fh).get('version')}"
    except (OSError, ValueError):
        return f"{name} {_version(name)}"


def detectors_digest(detector: DetectorConfig) -> str:
    """A digest of every source and configuration file of the detectors package and of the
    detection options: recognisers, patterns, context words and thresholds all live there."""
    spec = importlib.util.find_spec("detectors")
    root = list(spec.submodule_search_locations)[0] if spec and spec.submodule_search_locations else ""
    digest = hashlib.sha256(repr(detector).encode())
    for folder, dirs, files in sorted(os.walk(root)):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith((".py", ".yaml", ".yml", ".json", ".txt")):
                path = os.path.join(folder, name)
                digest.update(os.path.relpath(path, root).encode())
                with open(path, "rb") as fh:
                    digest.update(hashlib.sha256(fh.read()).digest())
    return digest.hexdigest()[:16]


def own_key(key_file: str | None) -> bytes | None:
    """The estate key this machine holds itself (PIISWEEP_KEY, the given key file, or the
    default key file), or None: never created here, a worker must not invent a key."""
    path = key_file or default_key_file()
    if not (os.environ.get("PIISWEEP_KEY") and not key_file) and not os.path.isfile(path):
        return None
    try:
        return load_key(key_file)
    except KeyFileError:
        return None


def local_facts(detector: DetectorConfig, key_file: str | None, env_names: list[str],
                paths: list[str]) -> dict:
    """This process's facts (see the module's docstring): run in the client and in each worker."""
    from scanner import __version__

    key = own_key(key_file)
    return {"piisweep": __version__, "presidio-analyzer": _version("presidio-analyzer"),
            "spacy": _version("spacy"), "model": _model(detector), "detectors": detectors_digest(detector),
            "key_id": key_id(key) if key else None,
            "env": {name: name in os.environ for name in env_names},
            "paths": {path: os.path.isdir(path) or os.path.isfile(path) for path in paths}}


def mismatches(client: dict, workers: dict[str, dict]) -> list[str]:
    """One line per worker and fact that differs from the client's."""
    lines = []
    for address, facts in sorted(workers.items()):
        for name, words in MUST_MATCH.items():
            if facts.get(name) != client.get(name):
                lines.append(f"worker {address}: {words} {facts.get(name)!r}, this client {client.get(name)!r}")
    return lines


def invisible_paths(workers: dict[str, dict]) -> list[str]:
    """One line per worker and local target it cannot see."""
    return [f"worker {address}: {path} does not exist there"
            for address, facts in sorted(workers.items()) for path, seen in facts["paths"].items() if not seen]
