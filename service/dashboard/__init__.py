"""The web dashboard: server-rendered pages under ``/ui`` (jobs, a job with its advice and
plots, the advise form, recommendations) and optuna-dashboard under ``/optuna``."""

from service.dashboard.app import create_dashboard, install_dashboard
from service.dashboard.options import DashboardOptions

__all__ = ["DashboardOptions", "create_dashboard", "install_dashboard"]
