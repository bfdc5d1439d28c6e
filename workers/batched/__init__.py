"""K trials of one workload trained together on one device, as one stacked model.

See ``workers.batched.optimizer`` for which trials share a batch and why,
``workers.batched.runner`` for how each trial still reports, prunes and diverges alone, and
``workers.batched.leases`` for leased trials grouped into batches.
"""

from workers.batched.errors import BatchingError
from workers.batched.models import STACKED_FORWARDS
from workers.batched.optimizer import RULE_OF, BatchedOptimizer, UpdateRule
from workers.batched.runner import BatchedTrial, batch_key, run_batched

__all__ = [
    "RULE_OF",
    "STACKED_FORWARDS",
    "BatchedOptimizer",
    "BatchedTrial",
    "BatchingError",
    "UpdateRule",
    "batch_key",
    "run_batched",
]
