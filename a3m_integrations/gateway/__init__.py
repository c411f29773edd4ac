"""The gateway: guard -> cache -> route -> reserve -> call -> settle -> learn -> record -> cache store."""

from a3m_integrations.gateway._gateway import A3MGateway

__all__ = ["A3MGateway"]
