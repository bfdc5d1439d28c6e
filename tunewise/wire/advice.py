"""The advisor's models as they cross the wire: a task description in, advice and ready
configs out. Re-exported here so that a client (the SDK) needs the wire alone; the advisor
stays where the rules live."""

from advisor.advice import Advice, Pruner, Sampler
from advisor.config import TrainConfig
from advisor.families import OptimizerName
from advisor.task import Architecture, Domain, Regime, TaskDescription

__all__ = [
    "Advice",
    "Architecture",
    "Domain",
    "OptimizerName",
    "Pruner",
    "Regime",
    "Sampler",
    "TaskDescription",
    "TrainConfig",
]
