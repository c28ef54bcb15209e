"""Imported last by the fork server, once :mod:`scanner.preload` (and :mod:`scanner.preload_ner`)
have built what workers share.

What was built is frozen, out of the cyclic collector's reach: a collection in a worker
would otherwise touch, and so copy, every shared page. Collection is then on again (the
build ran without it), in the server and in every worker forked from it.
"""

import gc

gc.freeze()
gc.enable()
