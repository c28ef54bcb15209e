"""The Dask executor on a real cluster (loopback only): the same inventory as a local scan,
a worker killed mid-scan, an unreachable scheduler, TLS, and the refusals at start.

One LocalCluster of two worker processes serves the module (starting one costs seconds);
its workers hold the estate key themselves (PIISWEEP_KEY in their environment). The TLS
cluster's workers hold no key: the scan has to ship it over TLS.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed")

from contract.keys import key_id  # noqa: E402
from contract.targets import parse_target  # noqa: E402
from detectors.config import DetectorConfig  # noqa: E402
from scanner.cluster.connect import check_secrets_safe, connect, prepare, secrets_to_ship  # noqa: E402
from scanner.cluster.facts import local_facts  # noqa: E402
from scanner.cluster.options import ClusterError, ClusterOptions  # noqa: E402
from scanner.engine import ScanOptions, run_scan  # noqa: E402
from scanner.units import WorkerConfig  # noqa: E402
from tests.cli import run_cli  # noqa: E402
from tests.scanner.conftest import TEST_KEY, write_tree  # noqa: E402
from tests.scanner.helpers import assert_same_inventory, top_rows, zip_of  # noqa: E402
from tests.servers import free_port  # noqa: E402

ROOT = Path(__file__).parent.parent.parent


def _letter(n: int) -> str:
    return (f"Dear Ms Harriet Fixture{n},\nyour account was updated. Contact olaf.fixture{n}@estate-test.example "
            f"or call 020 7946 0{100 + n % 800:03d}. NI number QQ 12 34 56 C was on file.\n")


@pytest.fixture(scope="module")
def cluster():
    """Two worker processes of one thread each, on loopback (the scheduler's HTTP routes too,
    on a free port: there is no dashboard without bokeh); the workers start with the tests'
    estate key in their environment."""
    saved = {name: os.environ.get(name) for name in ("PIISWEEP_KEY", "PIISWEEP_KEY_FILE")}
    os.environ["PIISWEEP_KEY"] = TEST_KEY
    os.environ.pop("PIISWEEP_KEY_FILE", None)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address="127.0.0.1:0") as local:
        yield local
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture
def estate(tmp_path, estate_key) -> Path:
    """A multi-format tree: letters, a CSV, JSON, a zip, a file too large to share a batch,
    and a SQLite database whose table is an item of its own."""
    root = tmp_path / "estate"
    files = {f"letters/l{n}.txt": _letter(n) for n in range(40)}
    files["people.csv"] = "name,email,phone\n" + "".join(
        f"Person {n},p{n}@estate-test.example,020 7946 0{n:03d}\n" for n in range(50))
    files["record.json"] = '{"owner": {"email": "json.fixture@estate-test.example"}}'
    files["large.log"] = "".join(f"login from 10.0.{n % 250}.{n % 200} by u{n}@estate-test.example\n"
                                 for n in range(6000))
    write_tree(root, files)
    (root / "bundle.zip").write_bytes(zip_of({"a.txt": _letter(900), "b.txt": _letter(901)}))
    with sqlite3.connect(root / "crm.db") as db:
        db.execute("CREATE TABLE customers (name TEXT, email TEXT, phone TEXT)")
        db.executemany("INSERT INTO customers VALUES (?, ?, ?)",
                       [(f"Customer {n}", f"c{n}@estate-test.example", f"020 7946 0{n:03d}") for n in range(60)])
    return root


def _scan(targets, out, **options):
    return run_scan(targets, ScanOptions(out=str(out), **{"ner": True, **options}))


def test_a_cluster_scan_writes_the_inventory_a_local_scan_writes(cluster, estate, tmp_path, sshd_server, remote_tree):
    targets = [parse_target(str(estate)), parse_target(f"sqlite:///{estate / 'crm.db'}"),
               sshd_server.target(remote_tree)]
    local = _scan(targets, tmp_path / "local", workers=1)
    remote = _scan(targets, tmp_path / "dask", cluster=ClusterOptions(cluster.scheduler_address))
    assert remote.exit_code == local.exit_code
    assert [t["status"] for t in remote.manifest["targets"]] == ["complete"] * 3
    assert remote.manifest["counts"]["items"] > 50 and remote.manifest["counts"]["findings"] > 100
    assert_same_inventory(remote.scan_dir, local.scan_dir)


class _KillAWorker:
    """Progress that SIGKILLs one Dask worker process once the first items are written: the
    other worker, and the one its nanny starts again, hold the rest of the scan."""

    def __init__(self, client):
        self.pids = client.run(os.getpid)
        self.killed = None
        self.done = 0

    def discovered(self, item):
        pass

    def message(self, text):
        pass

    def finished(self, records, findings, text_bytes):
        self.done += 1
        if self.done == 3 and self.killed is None:
            self.killed = sorted(self.pids.values())[0]
            os.kill(self.killed, signal.SIGKILL)


def test_a_worker_killed_mid_scan_costs_no_row_and_duplicates_none(cluster, tmp_path, estate_key):
    root = tmp_path / "tree"
    write_tree(root, {f"d{n % 7}/n{n}.txt": _letter(n) * 20 for n in range(360)})
    local = _scan([parse_target(str(root))], tmp_path / "local", workers=1)
    with distributed.Client(cluster.scheduler_address, set_as_default=False) as client:
        killer = _KillAWorker(client)
    result = run_scan([parse_target(str(root))], ScanOptions(out=str(tmp_path / "dask"), ner=True,
                                                             cluster=ClusterOptions(cluster.scheduler_address)),
                      progress=killer)
    assert killer.killed is not None and killer.done == 360
    with distributed.Client(cluster.scheduler_address, set_as_default=False) as client:
        assert killer.killed not in client.run(os.getpid).values()  # it died; its nanny started another
    assert result.exit_code == 0, result.manifest["counts"]
    from tests.cli import Scan

    assert len(top_rows(Scan(Path(result.scan_dir)).items)) == 360  # one row each, none twice
    assert_same_inventory(result.scan_dir, local.scan_dir)


def test_an_unreachable_scheduler_is_exit_2_naming_it_before_any_work(tmp_path):
    (tmp_path / "tree").mkdir()
    address = f"tcp://127.0.0.1:{free_port()}"
    proc = run_cli(["scan", str(tmp_path / "tree"), "--out", str(tmp_path / "out"), "-q", "--executor", address],
                   tmp_path, timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert f"cannot reach the Dask scheduler at {address}" in proc.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_the_command_line_scans_on_the_cluster_without_any_outbound_connection(cluster, tmp_path, estate):
    """``piisweep scan --executor`` under the network guard: distributed, imported by the
    scan's process, connects to the loopback scheduler and workers only (no telemetry)."""
    proc = run_cli(["scan", str(estate / "letters"), "--out", str(tmp_path / "out"), "-q",
                    "--executor", cluster.scheduler_address], tmp_path, timeout=300, PIISWEEP_KEY=TEST_KEY)
    assert proc.returncode == 0, proc.stderr
    log = tmp_path / "netguard.log"
    assert not log.exists() or log.read_text() == ""


@pytest.fixture(scope="module")
def tls_cluster(tmp_path_factory):
    """A TLS cluster (certificates made for the test) whose one worker holds no estate key:
    started with neither PIISWEEP_KEY nor a key file it could find."""
    from distributed.security import Security

    folder = tmp_path_factory.mktemp("tls")
    temporary = Security.temporary()
    files = {}
    for name, pem in (("ca", temporary.tls_ca_file), ("cert", temporary.tls_client_cert),
                      ("key", temporary.tls_client_key)):
        files[name] = str(folder / f"{name}.pem")
        Path(files[name]).write_text(pem)
    security = Security(tls_ca_file=files["ca"], tls_client_cert=files["cert"], tls_client_key=files["key"],
                        tls_scheduler_cert=files["cert"], tls_scheduler_key=files["key"],
                        tls_worker_cert=files["cert"], tls_worker_key=files["key"], require_encryption=True)
    saved = {name: os.environ.get(name) for name in ("PIISWEEP_KEY", "PIISWEEP_KEY_FILE", "XDG_CONFIG_HOME")}
    os.environ.pop("PIISWEEP_KEY", None)
    os.environ["PIISWEEP_KEY_FILE"] = str(folder / "no-such.key")
    try:
        local = distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
                                         protocol="tls", security=security, dashboard_address="127.0.0.1:0")
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    with local:
        yield local, files


def test_a_tls_cluster_gets_the_key_it_lacks_over_tls_and_hashes_as_locally(tls_cluster, estate, tmp_path):
    local_cluster, files = tls_cluster
    address = local_cluster.scheduler_address
    assert address.startswith("tls://")
    target = [parse_target(str(estate / "letters"))]
    local = _scan(target, tmp_path / "local", workers=1)
    remote = _scan(target, tmp_path / "tls", cluster=ClusterOptions(address, files["ca"], files["cert"], files["key"]))
    assert remote.exit_code == 0
    assert_same_inventory(remote.scan_dir, local.scan_dir)


def test_secrets_the_workers_lack_are_refused_over_tcp_to_another_host(tls_cluster, estate_key, monkeypatch):
    """The workers' facts are real (the TLS cluster's worker holds no key, nor the password
    variable); the address only says where they would be: tcp:// off this machine."""
    local_cluster, files = tls_cluster
    monkeypatch.setenv("PIISWEEP_TEST_DASK_PASSWORD", "never-shipped-in-clear")
    names = ["PIISWEEP_TEST_DASK_PASSWORD"]
    mine = local_facts(DetectorConfig(), None, names, [])
    mine["key_id"] = key_id(estate_key)
    client = connect(ClusterOptions(local_cluster.scheduler_address, files["ca"], files["cert"], files["key"]))
    try:
        theirs = client.run(local_facts, DetectorConfig(), None, names, [])
    finally:
        client.close()
    need_key, missing = secrets_to_ship(mine, theirs)
    assert need_key and missing == names
    with pytest.raises(ClusterError) as refused:
        check_secrets_safe(ClusterOptions("tcp://192.0.2.10:8786"), need_key, missing, mine["key_id"])
    message = str(refused.value)
    assert "in clear" in message and "tls://" in message and "PIISWEEP_TEST_DASK_PASSWORD" in message
    assert "never-shipped" not in message
    check_secrets_safe(ClusterOptions("tcp://127.0.0.1:8786"), need_key, missing, mine["key_id"])  # loopback: fine


def test_a_worker_with_other_recognisers_is_refused_by_name(tmp_path, estate_key):
    """A real ``dask worker`` whose detectors package differs by one line (a copy earlier on
    its PYTHONPATH) joins a scheduler; the scan refuses to start and names that worker."""
    import shutil

    shadow = tmp_path / "shadow"
    shutil.copytree(ROOT / "detectors", shadow / "detectors", ignore=shutil.ignore_patterns("__pycache__"))
    with open(shadow / "detectors" / "config.py", "a") as fh:
        fh.write("\n# a recogniser tuned on this host only\n")
    with distributed.LocalCluster(n_workers=0, host="127.0.0.1", dashboard_address="127.0.0.1:0") as local:
        env = dict(os.environ, PYTHONPATH=str(shadow))
        worker = subprocess.Popen([sys.executable, "-m", "dask", "worker", local.scheduler_address,
                                   "--nthreads", "1", "--no-dashboard", "--host", "127.0.0.1"],
                                  env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            options = ClusterOptions(local.scheduler_address, connect_timeout=30)
            client = connect(options)
            try:
                config = WorkerConfig(DetectorConfig(), estate_key, ScanOptions(out="x").limits,
                                      ScanOptions(out="x").agent)
                with pytest.raises(ClusterError) as refused:
                    prepare(client, options, config, None, [parse_target(str(tmp_path))])
            finally:
                client.close()
        finally:
            worker.terminate()
            worker.wait(30)
    message = str(refused.value)
    assert "detectors digest" in message and "127.0.0.1:" in message


def _dask_worker(address: str, cwd, **env) -> subprocess.Popen:
    """A real ``dask worker`` process without a nanny (nothing starts it again once killed)."""
    return subprocess.Popen([sys.executable, "-m", "dask", "worker", address, "--nthreads", "1", "--no-nanny",
                             "--no-dashboard", "--host", "127.0.0.1"], env=dict(os.environ, **env), cwd=cwd,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


class _KillProcess(_KillAWorker):
    """Progress that SIGKILLs a given process once the first items are written."""

    def __init__(self, process: subprocess.Popen):
        self.pids, self.killed, self.done = {"worker": process.pid}, None, 0


def test_a_cluster_left_without_workers_stops_the_scan_resumably(tmp_path, estate_key, monkeypatch):
    from scanner.cluster import executor
    from scanner.resume import pending_scans

    monkeypatch.setattr(executor, "WORKERS_GONE_SECONDS", 3.0)  # the wait before giving up, shortened
    root = tmp_path / "tree"
    write_tree(root, {f"n{n}.txt": _letter(n) * 20 for n in range(200)})
    local = _scan([parse_target(str(root))], tmp_path / "local", workers=1)
    with distributed.LocalCluster(n_workers=0, host="127.0.0.1", dashboard_address="127.0.0.1:0") as local_cluster:
        address = local_cluster.scheduler_address
        only = _dask_worker(address, tmp_path)
        try:
            killer = _KillProcess(only)
            result = run_scan([parse_target(str(root))], ScanOptions(out=str(tmp_path / "dask"), ner=True,
                                                                     cluster=ClusterOptions(address, connect_timeout=30)),
                              progress=killer)
        finally:
            only.kill()
            only.wait(30)
        assert killer.killed == only.pid
        assert result.exit_code == executor.EXIT_CLUSTER_LOST and "no Dask worker left" in result.interrupted
        assert not result.manifest["complete"] and result.manifest["counts"]["items"] < 200
        again = _dask_worker(address, tmp_path)
        try:
            (pending,) = pending_scans(result.scan_dir)
            resumed = pending.run()
        finally:
            again.kill()
            again.wait(30)
    assert resumed.exit_code == 0 and resumed.manifest["complete"]
    assert_same_inventory(resumed.scan_dir, local.scan_dir)


def test_an_item_over_its_time_limit_gets_the_timeout_row_a_local_scan_gives(cluster, tmp_path, estate_key):
    """A long document (minutes of NER) with a 2-second limit: its worker is restarted, its row
    says timeout as a local scan's does, and the small letters beside it are all read."""
    from tests.cli import Scan

    root = tmp_path / "tree"
    write_tree(root, {**{f"l{n}.txt": _letter(n) for n in range(10)},
                      "huge.txt": "".join(_letter(n) * 3 for n in range(12000))})
    local = _scan([parse_target(str(root))], tmp_path / "local", workers=1, item_timeout=2.0)
    remote = _scan([parse_target(str(root))], tmp_path / "dask", item_timeout=2.0,
                   cluster=ClusterOptions(cluster.scheduler_address))

    def rows(result):
        return {r["path"]: (r["status"], r["reason"]) for r in Scan(Path(result.scan_dir)).items}

    assert rows(remote)["huge.txt"] == ("error", "timeout after 2 s")
    assert rows(remote) == rows(local)
    assert sum(status == "scanned" for status, _ in rows(remote).values()) == 10


@pytest.mark.parametrize("limit", [1, 4])
def test_max_connections_per_host_bounds_the_tasks_reading_one_host(cluster, sshd_server, served_parent, limit,
                                                                    estate_key):
    """Four SSH targets on one server (so at least four tasks for one host): while their
    results stream back, no more than ``limit`` tasks for that host are ever in flight, and
    with a limit above one, more than one is (else this test could not fail)."""
    from agents import make_agent
    from agents.base import AgentOptions
    from scanner.cluster.executor import DaskExecutor, remote_host
    from scanner.units import WorkUnit
    from tests.servers.tree import make_fixture_tree

    targets = [sshd_server.target(make_fixture_tree(served_parent, f"limit-{limit}-{n}")) for n in range(4)]
    units = []
    for target in targets:
        with make_agent(target, AgentOptions()) as agent:
            units += [WorkUnit(target, item, agent.name, agent.host) for item in agent.items()
                      if hasattr(item, "kind")]
    host = remote_host(targets[0])
    config = WorkerConfig(DetectorConfig(), estate_key, ScanOptions(out="x").limits, AgentOptions())
    options = ClusterOptions(cluster.scheduler_address, max_connections_per_host=limit)
    seen, results = [], 0
    with DaskExecutor(config, 60.0, options, targets) as executor:
        for unit, outcome, final in executor.map_unordered(units):
            results += final
            seen.append(sum(task.host == host for task in executor.tasks.values()))
    assert results == len(units)
    assert max(seen) <= limit
    if limit > 1:
        assert max(seen) > 1


def test_a_scheduler_lost_mid_scan_stops_the_scan_as_interrupted_not_a_hang(tmp_path, estate_key):
    from scanner.cluster import executor

    root = tmp_path / "tree"
    write_tree(root, {f"n{n}.txt": _letter(n) * 20 for n in range(200)})
    local_cluster = distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
                                             dashboard_address="127.0.0.1:0")

    class CloseTheCluster(_KillAWorker):
        def __init__(self):
            self.killed, self.done = None, 0

        def finished(self, records, findings, text_bytes):
            self.done += 1
            if self.done == 3:
                self.killed = True
                local_cluster.close()  # scheduler and worker gone at once

    try:
        result = run_scan([parse_target(str(root))], ScanOptions(
            out=str(tmp_path / "dask"), ner=True, cluster=ClusterOptions(local_cluster.scheduler_address)),
            progress=CloseTheCluster())
    finally:
        local_cluster.close()
    assert result.exit_code == executor.EXIT_CLUSTER_LOST and "was lost" in result.interrupted
    assert not result.manifest["complete"] and result.manifest["counts"]["items"] < 200
