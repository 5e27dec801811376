"""Run the work on a Ray cluster: actors build the engines once and work on what they are sent.

The driver (``briefs brief ... --executor ray``) plans, loads each input (articles are
small), sends it to the least busy actor and writes what comes back, so the run state and
the outputs are exactly those of the local executor. Actors are restarted when they die and
their calls retried (``max_restarts``/``max_task_retries``); an input whose call still fails
goes to ``failures.json`` like any other failure. ``ray`` is an optional extra:
``pip install 'briefs[ray]'``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from service.errors import BriefsError
from service.jobs.executors import Deliver, Outcome, Produced, attempt
from service.jobs.failures import Failure

# Builds the work function inside an actor, e.g. ``partial(brief_recipe, settings, ...)``;
# must be picklable (cloudpickle), since it travels to the cluster.
Recipe = Callable[[], Callable[[Any, Any], Produced]]

IN_FLIGHT_PER_ACTOR = 2  # one working, one queued: no actor waits on the driver


class RayUnavailable(BriefsError):
    code = "ray_unavailable"


@dataclass(frozen=True)
class RemoteTask:
    """What an actor needs of a task: its key and outputs (the input travels loaded)."""

    key: str
    digest: str
    outputs: tuple[str, ...]


class _Worker:
    """A Ray actor: builds the work function once, then works on one input per call."""

    def __init__(self, recipe: Recipe) -> None:
        self._work = recipe()

    def work(self, task: RemoteTask, value: Any) -> Outcome:
        return attempt(task.key, lambda: self._work(task, value))


class RayExecutor:
    """``actors`` Ray actors (default: one per CPU, or per GPU with ``gpus_per_actor``)."""

    def __init__(
        self,
        recipe: Recipe,
        *,
        address: str | None = None,
        actors: int | None = None,
        gpus_per_actor: float = 0.0,
        cpus_per_actor: float = 1.0,
        local_cpus: int | None = None,
    ) -> None:
        self.recipe = recipe
        self.address = address
        self.actors = actors
        self.gpus_per_actor = gpus_per_actor
        self.cpus_per_actor = cpus_per_actor
        self.local_cpus = local_cpus  # CPUs of a Ray started here (address unset)

    def run(self, tasks: Sequence[Any], work: Callable[..., Produced], deliver: Deliver) -> None:
        """Send every task to an actor; deliver each outcome as it arrives."""
        ray = import_ray()
        started_here = not ray.is_initialized()
        if started_here:
            ray.init(
                address=self.address,
                num_cpus=self.local_cpus if self.address is None else None,
                include_dashboard=False,
                log_to_driver=False,
                configure_logging=False,
            )
        try:
            self._run(ray, tasks, deliver)
        finally:
            if started_here:
                ray.shutdown()

    def _run(self, ray: Any, tasks: Sequence[Any], deliver: Deliver) -> None:
        if not tasks:
            return
        count = self.actors or self._default_actors(ray)
        actor_class = ray.remote(
            num_cpus=self.cpus_per_actor,
            num_gpus=self.gpus_per_actor,
            max_restarts=-1,  # a dead actor comes back (it rebuilds its engines) ...
            max_task_retries=3,  # ... and the calls it had are sent again
        )(_Worker)
        actors = [actor_class.remote(self.recipe) for _ in range(min(count, len(tasks)))]
        busy = dict.fromkeys(range(len(actors)), 0)
        pending: dict[Any, tuple[Any, int]] = {}  # object ref -> (task, actor number)

        def collect(wait_for: int) -> None:
            ready, _ = ray.wait(list(pending), num_returns=wait_for)
            for ref in ready:
                task, number = pending.pop(ref)
                busy[number] -= 1
                try:
                    outcome = ray.get(ref)
                except ray.exceptions.RayError as exc:  # retries exhausted: that input fails
                    outcome = Failure(task.key, "worker_lost", f"the Ray worker failed: {exc}")
                deliver(task, outcome)

        try:
            for task in tasks:
                while len(pending) >= len(actors) * IN_FLIGHT_PER_ACTOR:
                    collect(1)
                loaded = attempt(task.key, task.load)  # read here: the cluster may not see it
                if isinstance(loaded, Failure):
                    deliver(task, loaded)
                    continue
                number = min(busy, key=busy.__getitem__)
                remote = RemoteTask(task.key, task.digest, task.outputs)
                pending[actors[number].work.remote(remote, loaded)] = (task, number)
                busy[number] += 1
            while pending:
                collect(1)
        finally:
            for actor in actors:
                ray.kill(actor)

    def _default_actors(self, ray: Any) -> int:
        resources = ray.cluster_resources()
        if self.gpus_per_actor:
            return max(1, int(resources.get("GPU", 0) // self.gpus_per_actor))
        return max(1, int(resources.get("CPU", 1) // self.cpus_per_actor))


def import_ray() -> Any:
    """The ``ray`` module, or a clear error saying how to install it."""
    try:
        import ray
    except ImportError:
        raise RayUnavailable(
            "--executor ray needs Ray, which is not installed",
            hint="pip install 'briefs[ray]'",
        ) from None
    return ray
