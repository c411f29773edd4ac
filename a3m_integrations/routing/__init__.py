"""Routers: the protocol and registry (base), the heuristic tier router, learned routers."""
