"""Reaching the Dask scheduler, and the checks made on every worker before any work.

An unreachable scheduler, a worker with other versions or recognisers, a local target a
worker cannot see, and secrets that would cross the network in clear are all refused here,
each with a message that names the worker and says what to do: a cluster scan that would
produce a different inventory than a local one must not start.
"""

from __future__ import annotations

import os
import secrets

from contract.keys import key_id
from contract.targets import LOCAL, SQL, Target
from scanner.cluster.facts import invisible_paths, local_facts, mismatches
from scanner.cluster.options import ClusterError, ClusterOptions, is_loopback
from scanner.units import WorkerConfig

SECRETS_PLUGIN = "piisweep-secrets-"  # + a random suffix: one plugin per scan


def connect(cluster: ClusterOptions):
    """A ``distributed.Client`` of the scheduler; ClusterError, naming the address and the
    error, when it cannot be reached within the connect timeout."""
    try:
        from distributed import Client
    except ImportError as exc:
        raise ClusterError("a Dask executor needs: pip install 'piisweep[dask]'") from exc
    try:
        return Client(cluster.address, security=cluster.security(), timeout=cluster.connect_timeout,
                      set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise ClusterError(f"cannot reach the Dask scheduler at {cluster.address}: "
                           f"{type(exc).__name__}: {exc}") from None


def local_paths(targets: list[Target]) -> list[str]:
    """The paths a worker must see itself: local folders and SQLite files."""
    return sorted({t.path for t in targets if t.kind == LOCAL or (t.kind == SQL and t.scheme == "sqlite")})


def password_names(targets: list[Target]) -> list[str]:
    """The environment variables the targets take passwords from."""
    return sorted({t.creds.password_env for t in targets if t.creds.password_env})


def secrets_to_ship(client: dict, workers: dict[str, dict]) -> tuple[bool, list[str]]:
    """Whether some worker lacks the estate key (or holds another), and which password
    variables some worker lacks (and this client has)."""
    need_key = any(facts["key_id"] != client["key_id"] for facts in workers.values())
    names = sorted({name for facts in workers.values() for name, present in facts["env"].items()
                    if not present and client["env"].get(name)})
    return need_key, names


def check_secrets_safe(cluster: ClusterOptions, need_key: bool, names: list[str], wanted_key_id: str) -> None:
    """Refuse to ship secrets in clear to another host: tcp:// is fine on loopback only."""
    if not (need_key or names) or cluster.tls or is_loopback(cluster.address):
        return
    lacking = (["the estate key (id " + wanted_key_id + ")"] if need_key else []) + \
              [f"the password variable {name}" for name in names]
    raise ClusterError(
        f"the workers of {cluster.address} lack {', '.join(lacking)}, and sending them over tcp:// to another "
        f"host would put them on the network in clear. Either give every worker its own copy (the same "
        f"PIISWEEP_KEY_FILE / key file and password variables in the worker's environment, see docs/dask.md), "
        f"or run the cluster with TLS: --executor tls://HOST:PORT with --tls-ca-file, --tls-cert and --tls-key")


def prepare(client, cluster: ClusterOptions, config: WorkerConfig, key_file: str | None,
            targets: list[Target], ship: bool = True) -> str:
    """Check every worker against this client and (``ship``) send the secrets they lack when
    that is safe; returns the name of the secrets plugin registered (to unregister at the
    end), or "". The plugin's name is the scan's own: scans sharing workers do not undo
    each other's."""
    from scanner.cluster.tasks import SecretsPlugin

    try:
        client.wait_for_workers(1, timeout=cluster.connect_timeout)
    except TimeoutError:
        raise ClusterError(f"the Dask scheduler at {cluster.address} has no workers: start some with "
                           f"dask worker {cluster.address} (docs/dask.md)") from None
    names, paths = password_names(targets), local_paths(targets)
    mine = local_facts(config.detector, key_file, names, paths)
    mine["key_id"] = key_id(config.key)  # the key the scan hashes with, wherever it came from
    theirs = client.run(local_facts, config.detector, key_file, names, paths)
    different = mismatches(mine, theirs)
    if different:
        raise ClusterError("the Dask workers do not run the same detection as this client, so their findings "
                           "would differ from a local scan's; install the same versions on every worker:\n  "
                           + "\n  ".join(different))
    unseen = invisible_paths(theirs)
    if unseen:
        raise ClusterError("a local target must be visible on every Dask worker (a shared mount at the same "
                           "path):\n  " + "\n  ".join(unseen))
    need_key, missing = secrets_to_ship(mine, theirs)
    check_secrets_safe(cluster, need_key, missing, mine["key_id"])
    if not (need_key or missing) or not ship:
        return ""
    name = SECRETS_PLUGIN + secrets.token_hex(6)
    client.register_plugin(SecretsPlugin(name, mine["key_id"], config.key if need_key else None,
                                         {n: os.environ[n] for n in missing}), name=name)
    return name


def preflight(cluster: ClusterOptions, config: WorkerConfig, key_file: str | None, targets: list[Target]) -> None:
    """Every check of a cluster scan, before any work (the command line's exit 2 on failure)."""
    client = connect(cluster)
    try:
        prepare(client, cluster, config, key_file, targets, ship=False)
    finally:
        client.close()
