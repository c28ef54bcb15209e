"""Detection never goes online, and the scan's own process never loads the detectors ."""

from __future__ import annotations

from tests.detectors.conftest import fresh_python


def test_tldextract_is_offline_before_presidios_full_package_loads():
    proc = fresh_python("""
        import sys
        import detectors.patterns
        assert "presidio_analyzer" in sys.modules and "tldextract" not in sys.modules
        import presidio_analyzer.predefined_recognizers.generic.email_recognizer as presidio_email
        import tldextract.tldextract as impl
        assert presidio_email.tldextract.extract is impl.TLD_EXTRACTOR
        assert impl.TLD_EXTRACTOR.suffix_list_urls == ()
    """)
    assert proc.returncode == 0, proc.stderr


def test_our_detectors_do_not_import_tldextract():
    proc = fresh_python("""
        import sys
        import scanner.preload
        assert "tldextract" not in sys.modules and "requests" not in sys.modules
    """)
    assert proc.returncode == 0, proc.stderr


def test_the_scans_own_process_imports_neither_detectors_nor_extractors(tmp_path):
    (tmp_path / "tree").mkdir()
    (tmp_path / "tree" / "note.txt").write_text("Contact: olaf.fixture@estate-test.example\\n")
    proc = fresh_python(f"""
        import sys
        from scanner.engine import ScanOptions, run_scan
        from contract.targets import parse_target
        result = run_scan([parse_target({str(tmp_path / 'tree')!r})],
                          ScanOptions(out={str(tmp_path / 'out')!r}, workers=1, ner=True))
        assert result.manifest["counts"]["findings"] == 1, result.manifest["counts"]
        loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("presidio_analyzer", "spacy", "tldextract",
                                                                       "charset_normalizer", "pypdfium2", "lxml")
                        or m.startswith("scanner.extract"))
        assert not loaded, loaded
    """)
    assert proc.returncode == 0, proc.stderr
