"""The scan's own process never loads the detectors or the format handlers: its workers do."""

from __future__ import annotations

from tests.detectors.conftest import fresh_python


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
