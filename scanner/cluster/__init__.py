"""Scale-out on Dask distributed: the same scan, its items read by a cluster's workers.

:mod:`scanner.cluster.options` (what the user chose, light), :mod:`scanner.cluster.facts`
(what the client and every worker must agree on), :mod:`scanner.cluster.connect` (reaching
the scheduler and the checks made before any work), :mod:`scanner.cluster.tasks` (what
runs on the workers) and :mod:`scanner.cluster.executor` (the executor the engine uses).
The client stays the only inventory writer; see docs/dask.md.
"""
