"""The HTTP layer: routers, dependencies, error mapping and middleware."""

from service.api import jobs, system, trials

ROUTERS = (system.router, jobs.router, trials.router)

__all__ = ["ROUTERS"]
