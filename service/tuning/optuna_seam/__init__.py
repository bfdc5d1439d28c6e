"""The one seam between tunewise and Optuna's (and optuna-dashboard's) internals.

Everything tunewise needs from Optuna beyond its public API is here, behind small typed
functions, each with a line saying why it is needed and what would replace it; the rest of the
code calls these. ``tests/service/tuning/test_optuna_seam.py`` fails when a private Optuna
name is used anywhere else. Read in Optuna 4.5.0 and 5.1.0, the bounds ``pyproject.toml``
allows, and tested at both (``make test-optuna-bounds``); the tests under
tests/service/tuning are what would notice a change.

What is here: the storage (Optuna's cached RDB storage, plus batch calls that write sampled
trials, read trials and finish them in one transaction each: service.tuning.one_write,
service.leases), study and trial internals (ids,
the storage a sampler reads through, the waiting-trial hand-out), a study view whose trial
list a sampler sees filtered (service.tuning.window), Optuna's RDB row models (the dashboard's
bulk reads) and optuna-dashboard's app files, re-rooted under a prefix.

The modules: rows (plain-SQL reads and writes of Optuna's trial rows), backend (TrialBackend),
cache (TrialStorage), studies (study and trial internals), tpe_batches (TPE modeling a batch
of asks once) and dashboard (optuna-dashboard's app); the names the rest of the code uses are
exported here.
"""

from __future__ import annotations

# Optuna's table models: the dashboard's bulk reads and the batch statements. Public
# replacement: none (SQLAlchemy reflection of the same tables, losing the mapped classes).
from optuna.storages._rdb import models as rdb_models

# The trial system attr where Optuna keeps constraint values (samplers and plots read it).
# Replacement: none; a constraints_func writes the same key.
from optuna.study._constrained_optimization import _CONSTRAINTS_KEY

# The study system attr where Study.set_metric_names keeps the names (the dashboard reads it
# in bulk). Replacement: Study.metric_names, one study at a time.
from optuna.study.study import _SYSTEM_ATTR_METRIC_NAMES

#: Trial system attr: one float per constraint, <= 0 when met ("constraints").
CONSTRAINTS_SYSTEM_ATTR: str = _CONSTRAINTS_KEY
#: Study system attr: the objectives' names ("study:metric_names").
METRIC_NAMES_SYSTEM_ATTR: str = _SYSTEM_ATTR_METRIC_NAMES

#: Optuna's row models, for the dashboard's bulk reads and bench's bulk fills.
StudyDirectionModel = rdb_models.StudyDirectionModel
StudySystemAttributeModel = rdb_models.StudySystemAttributeModel
StudyUserAttributeModel = rdb_models.StudyUserAttributeModel
TrialIntermediateValueModel = rdb_models.TrialIntermediateValueModel
TrialModel = rdb_models.TrialModel
TrialSystemAttributeModel = rdb_models.TrialSystemAttributeModel
TrialUserAttributeModel = rdb_models.TrialUserAttributeModel
TrialValueModel = rdb_models.TrialValueModel

from service.tuning.optuna_seam.backend import TrialBackend  # noqa: E402
from service.tuning.optuna_seam.cache import TrialStorage  # noqa: E402
from service.tuning.optuna_seam.dashboard import (  # noqa: E402
    DASHBOARD_BUNDLE,
    DASHBOARD_REQUIRES,
    Edit,
    OptunaBundleError,
    dashboard_asset,
    patched,
)
from service.tuning.optuna_seam.rows import Finish  # noqa: E402
from service.tuning.optuna_seam.studies import (  # noqa: E402
    StudyTrialsView,
    forget_cached_trials,
    pop_waiting_trial_id,
    seen_through,
    study_id_of,
    study_storage,
    trial_id_of,
    trial_of,
)
from service.tuning.optuna_seam.tpe_batches import (  # noqa: E402
    BatchedTPESampler,
    asking_together,
    recording_fits,
)

__all__ = [
    "CONSTRAINTS_SYSTEM_ATTR",
    "DASHBOARD_BUNDLE",
    "DASHBOARD_REQUIRES",
    "METRIC_NAMES_SYSTEM_ATTR",
    "BatchedTPESampler",
    "Edit",
    "Finish",
    "OptunaBundleError",
    "StudyDirectionModel",
    "StudySystemAttributeModel",
    "StudyTrialsView",
    "StudyUserAttributeModel",
    "TrialBackend",
    "TrialIntermediateValueModel",
    "TrialModel",
    "TrialStorage",
    "TrialSystemAttributeModel",
    "TrialUserAttributeModel",
    "TrialValueModel",
    "asking_together",
    "dashboard_asset",
    "forget_cached_trials",
    "patched",
    "pop_waiting_trial_id",
    "recording_fits",
    "seen_through",
    "study_id_of",
    "study_storage",
    "trial_id_of",
    "trial_of",
]
