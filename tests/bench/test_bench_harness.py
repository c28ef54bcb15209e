"""The benchmark's instruments: corpus labels are true, and recall joins inventory rows to them."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile

import pytest
import python_calamine

from bench.big_log import write_big_log
from bench.corpus import SHARES, generate, load_labels, load_or_generate
from bench.run import BENCH_KEY, _chunks, median_run, piisweep_found, recall_of

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    out = str(tmp_path_factory.mktemp("corpus"))
    return out, generate(out, mb=1.5, logs_mb=0.3, seed=3)


def test_every_category_is_written_near_its_byte_share(corpus):
    _, description = corpus
    written = description["mixed"]["bytes"]
    assert set(written) == set(SHARES)
    assert description["mixed"]["total_bytes"] >= 1.5e6
    assert written["logs"] >= 0.4 * 1.5e6
    assert description["logs_only"]["total_bytes"] >= 0.3e6


def test_labels_stay_outside_the_scanned_folders(corpus):
    out, _ = corpus
    assert sorted(os.listdir(out)) == ["corpus.json", "labels.jsonl", "logs-only", "mixed"]


def test_planted_values_are_in_their_files(corpus):
    out, _ = corpus
    labels = [lb for lb in load_labels(out) if lb["kind"] == "value" and not lb["member"]]
    checked = 0
    for label in labels:
        path = os.path.join(out, label["target"], label["file"])
        if path.endswith((".log", ".txt")):
            with open(path, encoding="utf-8") as fh:
                assert label["value"] in fh.read()
        elif path.endswith(".docx"):
            with zipfile.ZipFile(path) as z:
                assert label["value"].replace("'", "&apos;") in z.read("word/document.xml").decode() or \
                    label["value"] in z.read("word/document.xml").decode()
        else:
            continue
        checked += 1
    assert checked > 100


def test_column_labels_name_real_columns_of_real_workbooks(corpus):
    out, _ = corpus
    columns = [lb for lb in load_labels(out) if lb["kind"] == "column" and lb["file"].endswith(".xlsx")]
    assert columns
    for label in columns:
        book = python_calamine.CalamineWorkbook.from_path(os.path.join(out, "mixed", label["file"]))
        header = book.get_sheet_by_name(label["sheet"]).to_python(nrows=1)[0]
        assert label["column"] in header


def test_an_unchanged_corpus_is_reused(corpus):
    out, description = corpus
    assert load_or_generate(out, 1.5, 0.3, 3) == description


def test_chunks_cover_the_text_at_line_ends():
    text = "".join(f"line {i} with some words\n" for i in range(5000))
    pieces = list(_chunks(text, 1000))
    assert "".join(chunk for _, chunk in pieces) == text
    assert all(len(chunk) <= 1000 and chunk.endswith("\n") for _, chunk in pieces)
    assert [offset for offset, _ in pieces] == [sum(len(c) for _, c in pieces[:i]) for i in range(len(pieces))]


def test_recall_joins_a_real_scan_to_the_labels(corpus, tmp_path):
    out, _ = corpus
    env = {**os.environ, "PIISWEEP_KEY": BENCH_KEY}
    env.pop("PIISWEEP_KEY_FILE", None)
    subprocess.run([sys.executable, "-m", "piisweep.cli", "scan", os.path.join(out, "mixed", "logs"), "--out",
                    str(tmp_path), "--workers", "0", "--no-ner", "--quiet"], cwd=REPO, env=env, check=True)
    scan_dir = os.path.join(tmp_path, os.listdir(tmp_path)[0])
    labels = [{**lb, "file": lb["file"][len("logs/"):]} for lb in load_labels(out)
              if lb["file"].startswith("logs/") and lb["entity"] in ("IP_ADDRESS", "IBAN_CODE")]
    recall = recall_of(labels, piisweep_found(scan_dir), BENCH_KEY.encode())
    planted, found, share = recall.overall()
    assert planted == len(labels) > 20
    assert share > 0.5  # a broken join (paths, hashing, entity names) finds nothing
    wrong_key = recall_of(labels, piisweep_found(scan_dir), b"another-estate-key-0123456789")
    assert wrong_key.overall()[1] == 0


def test_a_short_run_is_repeated_and_its_median_run_kept(tmp_path):
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "note.txt").write_text("Nothing to see here.\n")
    env = {**os.environ, "PIISWEEP_KEY": BENCH_KEY}
    run = median_run("one tiny file", str(tree), str(tmp_path / "out"), ["--workers", "0", "--no-ner"], env)
    assert len(run.walls) == 3 and run.wall_seconds == sorted(run.walls)[1]
    assert run.exit_code == 0 and run.files == 1 and run.scan_dir.startswith(str(tmp_path / "out"))


def test_the_big_log_repeats_whole_source_logs_up_to_its_size(corpus, tmp_path):
    out, _ = corpus
    root = os.path.join(out, "logs-only")
    sources = sorted(os.path.join(d, f) for d, _, files in os.walk(root) for f in files)
    one_pass = b"".join(open(s, "rb").read() for s in sources)
    size = write_big_log(sources, str(tmp_path / "huge.log"), 2 * len(one_pass) + 1)
    data = (tmp_path / "huge.log").read_bytes()
    assert size == len(data) >= 2 * len(one_pass) + 1
    assert data.startswith(one_pass + one_pass)  # whole files, in order, again and again
    assert one_pass.endswith(b"\n") and data.endswith(b"\n")


def test_the_open_cost_bench_opens_every_file_both_ways():
    done = subprocess.run([sys.executable, "bench/open_cost.py", "--files", "300", "--rounds", "2"], cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "300 files" in done.stdout and "open + read + close" in done.stdout and "listing" in done.stdout
