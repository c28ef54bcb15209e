"""Agents: one module per kind of place data lives. See :mod:`agents.base`."""

from __future__ import annotations

import importlib

from agents.base import Agent, AgentError, AgentOptions
from contract.targets import LOCAL, SMB, SQL, SSH, Target

# kind -> (module, class, pip extra that provides its dependencies)
_AGENTS = {
    LOCAL: ("agents.local", "LocalAgent", None),
    SSH: ("agents.ssh", "SshAgent", "ssh"),
    SMB: ("agents.smb", "SmbAgent", "smb"),
    SQL: ("agents.sql", "SqlAgent", "sql"),
}


class MissingExtra(AgentError):
    """A connector's optional dependencies are not installed."""


def make_agent(target: Target, options: AgentOptions = AgentOptions()) -> Agent:
    """Build the agent for a target, naming the pip extra to install when one is missing."""
    module_name, class_name, extra = _AGENTS[target.kind]
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        if extra is None:
            raise
        raise MissingExtra(
            f"{target.scheme} targets need extra packages ({exc.name} is missing): "
            f"pip install 'piisweep[{extra}]'"
        ) from None
    return getattr(module, class_name)(target, options)
