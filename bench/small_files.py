"""Throughput on a tree of many small office-like files, against vanilla Presidio in the same run.

``python bench/small_files.py [--out bench/corpus/small] [--files 20000] [--seed 7] [--repeats 1]
[--presidio-files 150] [--json FILE]``

An MSP's file shares are mostly small documents: support tickets, letters, CSV exports,
saved e-mails. There the cost is per file (listing, opening, sniffing, extracting, a
worker round trip) more than per byte. The tree (generated once, then reused) holds

- ``Support/tickets/<year>/<month>/ticket-N.txt`` (40%): a few sentences with names, e-mails, phones;
- ``HR/letters/<dept>/letter-N.docx`` (20%): a short letter with NI number, IBAN, e-mail, phone;
- ``Sales/exports/<region>/customers-N.csv`` (20%): 5-30 CRM rows;
- ``Mail/<person>/msg-N.eml`` (15%): a plain-text e-mail;
- ``Notes/note-N.md`` (5%): meeting notes.

It then times ``piisweep scan`` (2 workers, NER on, and ``--no-ner``) and vanilla Presidio
(``AnalyzerEngine`` with the same spaCy model, one process) on the extracted text of a sample
of the files, and prints files/s and MB/s of each and their ratio.
"""

from __future__ import annotations

import argparse
import email.message
import email.policy
import io
import json
import os
import random
import sys
import tempfile
import time
import zipfile
from xml.sax.saxutils import escape

if __package__ in (None, ""):  # run as a script: import from the repository root, not from bench/
    sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

from bench import corpus  # noqa: E402
from bench.compiled import byte_compile  # noqa: E402
from bench.run import extract_subset, run_cli, run_presidio  # noqa: E402

VERSION = 1
SHARES = (("ticket", 0.40), ("letter", 0.20), ("csv", 0.20), ("eml", 0.15), ("note", 0.05))

_DOCX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        '</Types>'),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="word/document.xml"/></Relationships>'),
}


def docx_bytes(paragraphs: list[str]) -> bytes:
    """A minimal Word document: the three parts Word and every reader need (python-docx would
    take ten times as long per file, and a tree has thousands)."""
    body = "".join(f"<w:p><w:r><w:t xml:space=\"preserve\">{escape(p)}</w:t></w:r></w:p>" for p in paragraphs)
    document = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                f"<w:body>{body}</w:body></w:document>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in _DOCX_PARTS.items():
            zf.writestr(name, data)
        zf.writestr("word/document.xml", document)
    return buf.getvalue()


def ticket_text(planter: corpus.Planter, number: int) -> str:
    rng = planter.rng
    return (f"Ticket #{number}\nReported by: {planter.plant('PERSON')} <{planter.plant('EMAIL_ADDRESS')}>\n"
            f"Callback: {planter.plant('PHONE_NUMBER')}\n\n{planter.prose(rng.randint(2, 8), density=0.3)}")


def csv_text(planter: corpus.Planter) -> str:
    rows = [corpus._crm_row(planter, i) for i in range(planter.rng.randint(5, 30))]
    header = "customer_id,name,email,phone,address,company,since,notes\n"
    return header + "".join(",".join(corpus._csv_cell(c.replace('"', "'")) for c in row) + "\n" for row in rows)


def eml_bytes(planter: corpus.Planter) -> bytes:
    rng = planter.rng
    msg = email.message.EmailMessage(policy=email.policy.SMTP)
    sender = planter.plant("PERSON")
    msg["From"] = f"{sender} <{planter.plant('EMAIL_ADDRESS')}>"
    msg["To"] = "support@example.com"
    msg["Subject"] = rng.choice(("Invoice query", "Address change", "Password reset", "Meeting"))
    msg["Date"] = "Mon, 04 Mar 2024 10:15:00 +0000"
    msg.set_content(planter.prose(rng.randint(2, 10), density=0.3) + f"\nRegards,\n{sender}\n")
    return msg.as_bytes()


def generate(root: str, files: int, seed: int) -> dict:
    """Write the tree under ``root``; return what was written."""
    rng = random.Random(seed)
    planter = corpus.Planter(rng, corpus.make_pools(seed), corpus.Labels())
    written = {kind: 0 for kind, _ in SHARES}
    total_bytes = 0
    for n in range(files):
        kind = rng.choices([k for k, _ in SHARES], [w for _, w in SHARES])[0]
        if kind == "ticket":
            rel = f"Support/tickets/{2021 + n % 4}/{1 + n % 12:02d}/ticket-{n}.txt"
            data = ticket_text(planter, n).encode()
        elif kind == "letter":
            rel = f"HR/letters/{rng.choice(('finance', 'sales', 'it', 'legal'))}/letter-{n}.docx"
            data = docx_bytes(corpus.letter_paragraphs(planter, rng.randint(3, 10)))
        elif kind == "csv":
            rel = f"Sales/exports/{rng.choice(('north', 'south', 'east', 'west'))}/customers-{n}.csv"
            data = csv_text(planter).encode()
        elif kind == "eml":
            rel = f"Mail/{rng.choice(planter.pools.last).lower().replace(' ', '-')}/msg-{n}.eml"
            data = eml_bytes(planter)
        else:
            rel = f"Notes/note-{n}.md"
            data = ("# Meeting notes\n\n" + planter.prose(rng.randint(4, 12), density=0.2)).encode()
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as fh:
            fh.write(data)
        written[kind] += 1
        total_bytes += len(data)
    return {"version": VERSION, "files": files, "seed": seed, "bytes": total_bytes, "by_kind": written}


def load_or_generate(out: str, files: int, seed: int) -> dict:
    """The tree's description, generating the tree unless one with these parameters is there."""
    info_path = os.path.join(out, "small-files.json")
    try:
        with open(info_path, encoding="utf-8") as fh:
            info = json.load(fh)
        if (info["version"], info["files"], info["seed"]) == (VERSION, files, seed):
            return info
    except (OSError, ValueError, KeyError):
        pass
    tree = os.path.join(out, "tree")
    if os.path.exists(tree):
        import shutil

        shutil.rmtree(tree)
    started = time.perf_counter()
    info = generate(tree, files, seed)
    info["generated_seconds"] = round(time.perf_counter() - started, 1)
    with open(info_path, "w", encoding="utf-8") as fh:
        json.dump(info, fh, indent=2)
    return info


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "small"))
    parser.add_argument("--files", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeats", type=int, default=1, help="runs of each scan; the median is reported")
    parser.add_argument("--presidio-files", type=int, default=150, help="files vanilla Presidio analyses")
    parser.add_argument("--json", help="also write the figures here")
    args = parser.parse_args()

    info = load_or_generate(args.out, args.files, args.seed)
    tree = os.path.join(args.out, "tree")
    byte_compile()
    env = dict(os.environ, PIISWEEP_KEY="bench-small-files-key-0123456789")
    results = {}
    with tempfile.TemporaryDirectory(prefix="piisweep-small-") as tmp:
        for name, extra in (("ner", ["--workers", "2"]), ("no_ner", ["--workers", "2", "--no-ner"])):
            runs = [run_cli(name, tree, os.path.join(tmp, f"{name}-{i}"), extra, env) for i in range(args.repeats)]
            run = sorted(runs, key=lambda r: r.wall_seconds)[len(runs) // 2]
            results[name] = {"seconds": round(run.wall_seconds, 2), "walls": [round(r.wall_seconds, 2) for r in runs],
                             "files_s": round(run.files_s, 1), "mb_s": round(run.mb_s, 2),
                             "items_scanned": run.items_scanned, "items_error": run.items_error,
                             "findings_rows": run.findings, "peak_tree_rss_mb": round(run.peak_tree_rss_mb)}
    rng = random.Random(args.seed)
    every = sorted(os.path.relpath(os.path.join(d, f), tree) for d, _, fs in os.walk(tree) for f in fs)
    sample = rng.sample(every, min(args.presidio_files, len(every)))
    texts, _ = extract_subset(tree, sample)
    presidio = run_presidio(texts, b"bench-small-files-key-0123456789")
    sample_bytes = sum(t.disk_bytes for t in texts)
    results["presidio"] = {"files": len(texts), "seconds": round(presidio["analyze_seconds"], 2),
                           "files_s": round(len(texts) / presidio["analyze_seconds"], 2),
                           "mb_s": round(sample_bytes / 1e6 / presidio["analyze_seconds"], 4)}
    ratio = results["ner"]["files_s"] / results["presidio"]["files_s"]
    results["ratio_files_s_ner_vs_presidio"] = round(ratio, 1)
    print(f"small-files tree: {info['files']} files, {info['bytes'] / 1e6:.1f} MB ({info['by_kind']})")
    for name in ("ner", "no_ner"):
        r = results[name]
        print(f"piisweep {name:7s} 2 workers: {r['seconds']:7.2f} s  {r['files_s']:8.1f} files/s  "
              f"{r['mb_s']:6.2f} MB/s  findings rows {r['findings_rows']}  errors {r['items_error']}  "
              f"peak RSS {r['peak_tree_rss_mb']} MB  (runs: {r['walls']})")
    p = results["presidio"]
    print(f"vanilla Presidio, 1 process, {p['files']} files: {p['files_s']:.2f} files/s  {p['mb_s']:.4f} MB/s")
    print(f"ratio (files/s, piisweep NER 2 workers / vanilla Presidio): {ratio:.0f}x")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump({"tree": info, **results}, fh, indent=2)


if __name__ == "__main__":
    main()
