"""The workloads a worker can run: the built-ins plus those installed as entry points.

A user package registers a workload in its ``pyproject.toml``::

    [project.entry-points."tunewise.workloads"]
    two-spirals = "my_package:TwoSpirals"

The entry point may name a ``Workload`` subclass, a function returning a ``Workload``, or a
``Workload`` instance; its name must equal the workload's ``spec.name``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from importlib.metadata import EntryPoint, entry_points
from types import MappingProxyType

from workers.errors import UnknownWorkloadError, WorkloadPluginError
from workers.workloads.base import Workload, WorkloadSpec
from workers.workloads.digits_cnn import DigitsCnn
from workers.workloads.recsys_embedding import RecsysEmbedding
from workers.workloads.sequence_lstm import SequenceLstm
from workers.workloads.tabular_mlp import TabularMlp
from workers.workloads.text_transformer import TextTransformer

ENTRY_POINT_GROUP = "tunewise.workloads"

BUILTIN_WORKLOADS: tuple[type[Workload], ...] = (
    DigitsCnn,
    TabularMlp,
    TextTransformer,
    RecsysEmbedding,
    SequenceLstm,
)


class WorkloadRegistry:
    """Workloads by name. Build one per process with :meth:`discover` and pass it along."""

    def __init__(self, workloads: Iterable[Workload], broken: Mapping[str, str] | None = None):
        by_name: dict[str, Workload] = {}
        for workload in workloads:
            name = workload.spec.name
            if name in by_name:
                raise WorkloadPluginError(f"two workloads are named {name!r}")
            by_name[name] = workload
        self._workloads = MappingProxyType(by_name)
        #: Entry points that could not be loaded, by name, with why.
        self.broken: Mapping[str, str] = MappingProxyType(dict(broken or {}))

    @classmethod
    def discover(cls) -> WorkloadRegistry:
        """The built-ins plus every loadable entry point of group ``tunewise.workloads``.

        A broken plug-in must not take the built-ins down with it: it is left out and named
        in :attr:`broken` with the reason."""
        workloads: list[Workload] = [w() for w in BUILTIN_WORKLOADS]
        taken = {w.spec.name for w in workloads}
        broken: dict[str, str] = {}
        for point in entry_points(group=ENTRY_POINT_GROUP):
            try:
                workload = load_entry_point(point)
            except WorkloadPluginError as exc:
                broken[point.name] = str(exc)
                continue
            if workload.spec.name in taken:
                broken[point.name] = f"a workload named {workload.spec.name!r} already exists"
                continue
            taken.add(workload.spec.name)
            workloads.append(workload)
        return cls(workloads, broken)

    def names(self) -> tuple[str, ...]:
        return tuple(self._workloads)

    def specs(self) -> tuple[WorkloadSpec, ...]:
        return tuple(w.spec for w in self._workloads.values())

    def get(self, name: str) -> Workload:
        try:
            return self._workloads[name]
        except KeyError:
            if name in self.broken:
                raise WorkloadPluginError(
                    f"workload {name!r} is installed but broken: {self.broken[name]}"
                ) from None
            raise UnknownWorkloadError(name, self.names()) from None

    def __contains__(self, name: object) -> bool:
        return name in self._workloads

    def __len__(self) -> int:
        return len(self._workloads)


def load_entry_point(point: EntryPoint) -> Workload:
    """Resolve an entry point to a workload instance, or say why it is not one."""
    where = f"entry point {point.name!r} ({point.value})"
    try:
        target = point.load()
    except Exception as exc:  # a plug-in can fail to import in any way
        raise WorkloadPluginError(f"{where} failed to load: {type(exc).__name__}: {exc}") from exc
    try:
        workload = target() if _is_factory(target) else target
    except Exception as exc:
        raise WorkloadPluginError(f"{where} failed to build: {type(exc).__name__}: {exc}") from exc
    if not isinstance(workload, Workload):
        raise WorkloadPluginError(
            f"{where} gives {type(workload).__name__}, not a workers.workloads.Workload"
        )
    if not isinstance(getattr(type(workload), "spec", None), WorkloadSpec):
        raise WorkloadPluginError(f"{where} has no WorkloadSpec in its class attribute 'spec'")
    if workload.spec.name != point.name:
        raise WorkloadPluginError(
            f"{where} gives a workload named {workload.spec.name!r}; "
            "the entry point's name must equal spec.name"
        )
    return workload


def _is_factory(target: object) -> bool:
    """A class or a function, as opposed to a ready instance."""
    return callable(target) and not isinstance(target, Workload)
