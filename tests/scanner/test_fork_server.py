"""The fork server builds what workers share with the cyclic collector off, then hands every
worker a running collector and the build frozen out of its reach."""

import gc

from scanner.fork import CONTEXT, start_server


def _report_collector(conn) -> None:
    conn.send((gc.isenabled(), gc.get_freeze_count()))
    conn.close()


def test_a_worker_starts_with_the_collector_on_and_the_servers_build_frozen():
    start_server(ner=True)  # as the command line starts it (the session's server, if running)
    parent, child = CONTEXT.Pipe()
    process = CONTEXT.Process(target=_report_collector, args=(child,))
    process.start()
    child.close()
    enabled, frozen = parent.recv()
    process.join(10)
    assert enabled
    # the server's modules, patterns, word lists and pipeline: hundreds of thousands of objects
    assert frozen > 100_000
