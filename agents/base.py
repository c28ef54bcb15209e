"""The Agent protocol: where data lives, and nothing about file formats.

An agent enumerates the items of one target (in the main process) and opens
them as read-only binary streams (in a worker process, which builds its own
agent from the same :class:`~contract.targets.Target`). Agents for structured
sources (databases) yield column blocks themselves instead of a byte stream.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass
from typing import BinaryIO, Callable, Iterator

from contract.models import Block, Item
from contract.targets import Target


@dataclass(frozen=True)
class AgentOptions:
    """How an agent may behave: time limits, symlinks, sampling. Same for every agent.

    Include/exclude globs and the size limit are applied by the engine to the
    items an agent yields; an agent may also use ``exclude`` to prune folders early.
    """

    follow_symlinks: bool = False
    connect_timeout: float = 10.0   # TCP connect + banner + authentication, each
    op_timeout: float = 30.0        # one read / listing / query round trip
    sample_rows: int = 1000         # rows sampled per table
    statement_timeout: float = 30.0  # SQL: per statement, enforced by the server
    exclude: tuple[str, ...] = ()


class AgentError(Exception):
    """A failure of a whole target (unreachable host, refused credentials).

    ``transient`` tells whether retrying later could help (timeout, dropped
    connection) or not (wrong password, unknown host key). The message must
    never contain a secret or a scanned value.
    """

    def __init__(self, message: str, transient: bool = False):
        super().__init__(message)
        self.transient = transient


class EnumerationProblem:
    """An entry the agent saw but could not turn into a readable item.

    Yielded by :meth:`Agent.items` beside items so that the inventory gets a
    row (status skipped or error) for it: FIFOs, permission-denied folders,
    symlink loops, names that cannot be listed.
    """

    def __init__(self, uri: str, path: str, status: str, reason: str):
        self.uri, self.path, self.status, self.reason = uri, path, status, reason


class Agent(abc.ABC):
    """Access to one target. Subclasses implement enumeration and opening."""

    #: short name written to the inventory's ``agent`` column
    name: str = "agent"

    def __init__(self, target: Target, options: AgentOptions = AgentOptions()):
        self.target = target
        self.options = options

    @property
    def host(self) -> str:
        """The system the data lives on, for the data map."""
        return self.target.host or "localhost"

    @abc.abstractmethod
    def items(self) -> Iterator[Item | EnumerationProblem]:
        """Yield every item under the target, and a problem for what cannot be read."""

    def open(self, item: Item) -> BinaryIO:
        """Open a file item read-only as a binary stream."""
        raise NotImplementedError(f"{self.name} agent has no byte streams")

    def fd_path(self, stream: BinaryIO) -> str | None:
        """A path that names the opened stream itself (``/proc/self/fd/N``), when there is one:
        libraries that only take a path (SQLite, PDFium, calamine) read the file opened,
        never whatever the item's listed path leads to by then."""
        return None

    def blocks(self, item: Item, extract: Callable[..., Iterator[Block]]) -> Iterator[Block]:
        """Blocks of one item: files go through the shared extractors.

        Agents of structured sources override this to yield ColumnBlocks from
        their own sampling, so there is still one path for detection.
        """
        with self.open(item) as stream:
            yield from extract(stream, item, self.fd_path(stream))

    def facts(self) -> dict:
        """Facts about the host (hostname, OS) for the manifest."""
        return {}

    def close(self) -> None:
        """Release connections; safe to call twice."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
