"""Presidio's recogniser base classes, without the rest of Presidio at import time.

``import presidio_analyzer`` runs the package's ``__init__``, which imports spaCy,
the NLP engines and every predefined recogniser (compiling their regexes with the
pure-Python ``regex`` parser): about 1.4 s in every scan's fork server, for
classes the scanner never uses. Our recognisers need only the base classes and
``RecognizerResult``, which live in small modules of their own.

:func:`load` registers the package module without running its ``__init__`` and
imports just those modules. Nothing is lost: the first request for any other name
(``from presidio_analyzer import AnalyzerEngine``, as the benchmark's vanilla
Presidio does) runs the package's ``__init__`` in that same module, so every
class keeps one identity. Where Presidio is already imported, it is used as is.
Either way tldextract is made offline first (:mod:`detectors.offline`).

Our modules import the base classes from here, so the package is always
registered this way before anything else asks for it.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys
import types

from detectors import offline

PACKAGE = "presidio_analyzer"
# in dependency order: each module imports the names before it from the package
_BASE_MODULES = (("analysis_explanation", "AnalysisExplanation"), ("recognizer_result", "RecognizerResult"),
                 ("entity_recognizer", "EntityRecognizer"), ("local_recognizer", "LocalRecognizer"),
                 ("pattern", "Pattern"), ("pattern_recognizer", "PatternRecognizer"))


def load() -> types.ModuleType:
    """The ``presidio_analyzer`` module with at least its base classes loaded."""
    module = sys.modules.get(PACKAGE)
    if module is not None:
        offline.install()
        return module
    spec = importlib.util.find_spec(PACKAGE)  # locates the package; executes nothing
    module = importlib.util.module_from_spec(spec)
    sys.modules[PACKAGE] = module
    try:
        for submodule, name in _BASE_MODULES:
            setattr(module, name, getattr(importlib.import_module(f"{PACKAGE}.{submodule}"), name))
    except BaseException:
        sys.modules.pop(PACKAGE, None)
        raise
    completion = _Completion(module, spec)
    module.__getattr__ = completion.attribute
    sys.meta_path.insert(0, completion)
    return module


class _Completion(importlib.abc.MetaPathFinder):
    """Runs the package's own ``__init__`` when more than the base classes is asked for: a name
    the base modules do not provide, or any other submodule (spaCy imports one through its
    entry points), so that those see the package as a normal import would have left it."""

    def __init__(self, module: types.ModuleType, spec):
        self.module, self.spec = module, spec

    def complete(self) -> None:
        """Execute the package's ``__init__`` in the registered module, once."""
        if self not in sys.meta_path:  # done, or under way (its imports come back here)
            return
        sys.meta_path.remove(self)
        del self.module.__getattr__
        offline.install()  # before the package imports its e-mail recogniser, which would fetch
        self.spec.loader.exec_module(self.module)

    def attribute(self, name: str):
        """The module's ``__getattr__``: a name the base modules lack."""
        if name.startswith("__"):  # import machinery probing (__path__, __all__...): not a request
            raise AttributeError(name)
        self.complete()
        try:
            return self.module.__dict__[name]
        except KeyError:
            raise AttributeError(f"module {PACKAGE!r} has no attribute {name!r}") from None

    def find_spec(self, fullname, path, target=None):
        """Complete the package before another of its modules loads; the usual finders load it."""
        if fullname.startswith(PACKAGE + "."):
            self.complete()
        return None


_package = load()
EntityRecognizer = _package.EntityRecognizer
Pattern = _package.Pattern
PatternRecognizer = _package.PatternRecognizer
RecognizerResult = _package.RecognizerResult
