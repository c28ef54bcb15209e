"""piisweep: agentless personal-data discovery."""

__version__ = "0.1.0"
