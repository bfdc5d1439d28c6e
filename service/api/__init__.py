"""The HTTP layer: routers, dependencies, error mapping and middleware."""

from service.api import jobs, system, trials

#: Matched in this order, a route at a time: the calls workers make all the time come first.
ROUTERS = (trials.router, jobs.router, system.router)

__all__ = ["ROUTERS"]
