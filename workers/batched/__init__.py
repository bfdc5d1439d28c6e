"""K trials of one workload trained together on one device, as one stacked model.

See ``workers.batched.optimizer`` for which trials share a batch and why, and
``workers.batched.runner`` for how each trial still reports, prunes and diverges alone.
"""
