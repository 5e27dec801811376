"""``--executor`` and the Ray flags, shared by ``briefs brief`` and ``briefs translate``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import typer

if TYPE_CHECKING:
    from service.jobs.executors import Executor
    from service.jobs.ray_executor import Recipe

ExecutorChoice = Literal["local", "ray"]

EXECUTOR = typer.Option(
    "local",
    "--executor",
    help="Where the work runs: local (threads, see --jobs) or ray (Ray actors that build "
    "the engines once; outputs and resume exactly as local).",
)
RAY_ADDRESS = typer.Option(
    None,
    "--ray-address",
    help="Ray cluster to join (e.g. ray://head:10001 or auto); unset: start a local Ray.",
)
RAY_ACTORS = typer.Option(
    None, "--ray-actors", min=1, help="Ray actors (default: one per CPU, or per GPU)."
)
RAY_GPUS = typer.Option(
    0.0, "--ray-gpus-per-actor", min=0.0, help="GPUs each Ray actor reserves (e.g. 1)."
)


def make_executor(
    name: ExecutorChoice,
    recipe: Recipe,
    address: str | None,
    actors: int | None,
    gpus_per_actor: float,
) -> Executor | None:
    """The chosen executor; None means the runner's local threads."""
    if name == "local":
        if address is not None or actors is not None or gpus_per_actor:
            from service.errors import InvalidInput

            raise InvalidInput("the --ray-* options need --executor ray")
        return None
    from service.jobs.ray_executor import RayExecutor, import_ray

    import_ray()  # a clear error before any engine is loaded
    return RayExecutor(recipe, address=address, actors=actors, gpus_per_actor=gpus_per_actor)
