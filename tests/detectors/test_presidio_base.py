"""The detectors load Presidio's base classes only; the rest of Presidio still loads on request."""

from __future__ import annotations

from tests.detectors.conftest import fresh_python


def test_the_pattern_stage_loads_without_spacy_or_presidios_predefined_recognisers():
    proc = fresh_python("""
        import sys
        from detectors.engine import shared_patterns
        assert shared_patterns().analyze("mail olaf.fixture@estate-test.example")
        loaded = sorted(m for m in sys.modules if m.split(".")[0] == "spacy"
                        or m.startswith(("presidio_analyzer.predefined", "presidio_analyzer.nlp_engine")))
        assert not loaded, loaded
        assert "AnalyzerEngine" not in vars(sys.modules["presidio_analyzer"])
    """)
    assert proc.returncode == 0, proc.stderr


def test_a_name_beyond_the_base_classes_completes_the_package_with_one_identity_per_class():
    proc = fresh_python("""
        import detectors.patterns
        from detectors.presidio_base import PatternRecognizer
        from presidio_analyzer import AnalyzerEngine, PatternRecognizer as Theirs
        from presidio_analyzer.predefined_recognizers import EmailRecognizer
        assert Theirs is PatternRecognizer and issubclass(EmailRecognizer, PatternRecognizer)
        results = EmailRecognizer().analyze("mail olaf.fixture@mail.example.org", ["EMAIL_ADDRESS"])
        assert [(r.entity_type, r.start) for r in results] == [("EMAIL_ADDRESS", 5)], results
    """)
    assert proc.returncode == 0, proc.stderr


def test_a_submodule_import_completes_the_package_first():
    # loading a spaCy pipeline imports presidio_analyzer.nlp_engine through an entry point
    proc = fresh_python("""
        import sys
        import detectors.patterns
        import presidio_analyzer.nlp_engine
        assert "AnalyzerEngine" in vars(sys.modules["presidio_analyzer"])
    """)
    assert proc.returncode == 0, proc.stderr


def test_a_missing_name_is_an_attribute_error_after_completing():
    proc = fresh_python("""
        import detectors.patterns
        try:
            from presidio_analyzer import NoSuchThing
        except ImportError:
            pass
        else:
            raise AssertionError("imported a name Presidio does not have")
        from presidio_analyzer import AnalyzerEngine
    """)
    assert proc.returncode == 0, proc.stderr


def test_loading_the_ner_pipeline_leaves_the_rest_of_presidio_unloaded():
    # spaCy imports every package's spaCy components on loading a pipeline; Presidio's would
    # load all of Presidio, which our pipeline does not use
    proc = fresh_python("""
        import sys
        from detectors.ner import NerStage
        stage = NerStage()
        assert stage.analyze_batch(["Yesterday Marguerite Okonkwo-Lindqvist signed the lease."])[0]
        assert "presidio_analyzer.nlp_engine" not in sys.modules
        assert "AnalyzerEngine" not in vars(sys.modules["presidio_analyzer"])
    """)
    assert proc.returncode == 0, proc.stderr
