"""tunewise's HTTP service: jobs, Optuna studies, leased trials and their verdicts.

Kept free of imports so that ``import tunewise.wire.models`` (the wire models workers use) stays
light; the app factory is ``service.app.create_app``.
"""
