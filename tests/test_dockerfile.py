"""The Dockerfile, compose files and .dockerignore, checked without a Docker engine.

The image installs Python packages only through ``scripts/install-python``, the pip line CI
runs through ``scripts/install``; these tests fail when the two drift apart, when the image
sets a variable that is not a setting, or when its health probe would not tell ready from not.
"""

from __future__ import annotations

import ctypes
import http.server
import json
import re
import shlex
import shutil
import subprocess
import sys
import threading
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from service.config import Settings, get_settings

REPO = Path(__file__).resolve().parent.parent
DOCKERFILE = REPO / "Dockerfile"
INSTALL_PYTHON = REPO / "scripts" / "install-python"
IMAGE_INSTALL = REPO / "scripts" / "image-install"


@dataclass
class Stage:
    """One ``FROM`` stage: its base, its name and its instructions in order."""

    base: str
    name: str
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def args(self, instruction: str) -> list[str]:
        """The arguments of every ``instruction`` in this stage."""
        return [rest for name, rest in self.instructions if name == instruction]

    def env(self) -> dict[str, str]:
        """The variables this stage's ``ENV`` lines set (``KEY=value`` form)."""
        values: dict[str, str] = {}
        for rest in self.args("ENV"):
            for pair in shlex.split(rest):
                key, _, value = pair.partition("=")
                values[key] = value
        return values


def parse_dockerfile(text: str) -> tuple[dict[str, str], list[Stage]]:
    """The global ``ARG`` defaults and the stages, continuation lines joined, comments dropped."""
    logical: list[str] = []
    pending = ""
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        logical.append(pending + stripped)
        pending = ""
    global_args: dict[str, str] = {}
    stages: list[Stage] = []
    for line in logical:
        instruction, _, rest = line.partition(" ")
        instruction = instruction.upper()
        if instruction == "FROM":
            words = rest.split()
            stages.append(Stage(base=words[0], name=words[2] if len(words) > 2 else ""))
        elif not stages and instruction == "ARG":
            key, _, value = rest.partition("=")
            global_args[key.strip()] = value.strip()
        else:
            stages[-1].instructions.append((instruction, rest.strip()))
    return global_args, stages


@pytest.fixture(scope="module")
def dockerfile() -> tuple[dict[str, str], dict[str, Stage]]:
    """The repository's Dockerfile, parsed: global args and stages by name."""
    global_args, stages = parse_dockerfile(DOCKERFILE.read_text(encoding="utf-8"))
    return global_args, {stage.name: stage for stage in stages}


def install_python(*args: str) -> subprocess.CompletedProcess[str]:
    """Run scripts/install-python (only with --dry-run or --print-constraints here)."""
    return subprocess.run(
        [str(INSTALL_PYTHON), *args], capture_output=True, text=True, timeout=30, check=False
    )


def install_python_args(command_text: str) -> list[str]:
    """The arguments after ``scripts/install-python`` in a shell command."""
    for part in command_text.split("&&"):
        words = shlex.split(part)
        for index, word in enumerate(words):
            if word.endswith("scripts/install-python"):
                return words[index + 1 :]
    raise AssertionError(f"no scripts/install-python call in: {command_text}")


def expand(text: str, variables: dict[str, str]) -> str:
    """``${NAME}`` and ``$NAME`` replaced by their values, as Docker does in RUN and ENV."""
    return re.sub(r"\$\{(\w+)\}|\$(\w+)", lambda m: variables[m.group(1) or m.group(2)], text)


def image_install(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run scripts/image-install --dry-run with only ``env`` set (as build args would be)."""
    return subprocess.run(
        [str(IMAGE_INSTALL), "--dry-run", *args],
        env={"PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


def test_image_installs_with_the_ci_pip_line(
    dockerfile: tuple[dict[str, str], dict[str, Stage]],
) -> None:
    _, stages = dockerfile
    runs = [run for stage in stages.values() for run in stage.args("RUN")]
    assert not [run for run in runs if re.search(r"\bpip3?\s+install\b", run)], (
        "the Dockerfile must install through scripts/image-install, not pip directly"
    )
    core, extras = [run for run in stages["build"].args("RUN") if "image-install" in run]
    # The build stage's venv (its core, then the variant's extras), and the models stage's
    # converter venv of a slim image.
    counts = [run.count("scripts/image-install") for run in runs if "image-install" in run]
    assert counts == [1, 1, 1]
    assert "scripts/install-python" not in " ".join(runs)
    python = shlex.split(core.split("scripts/image-install", 1)[1])[0]
    assert python == "/opt/venv/bin/python"
    assert "scripts/image-install --extras-only /opt/venv/bin/python" in extras
    script = IMAGE_INSTALL.read_text(encoding="utf-8")
    calls = re.findall(r"^\s*(exec )?scripts/install-python (.*)$", script, re.MULTILINE)
    assert calls == [  # --dry-run prints the very command the build runs
        ("exec ", '"${dry[@]}" "${extras_option[@]}" --torch "$label" "$1"'),
        ("", '"${extras_option[@]}" --torch "$label" "$1"'),
    ]

    ci_text = (REPO / "scripts" / "install").read_text(encoding="utf-8")
    ci_calls = [line for line in ci_text.splitlines() if "scripts/install-python" in line]
    ci_calls = [line for line in ci_calls if not line.lstrip().startswith("#")]
    assert len(ci_calls) == 1
    ci_args = install_python_args(ci_calls[0])
    assert not re.search(r"^[^#]*\bpip3?\s+install\b.*-c", ci_text, re.MULTILINE)

    image = image_install(python)
    ci = install_python("--dry-run", *ci_args)
    assert image.returncode == ci.returncode == 0, image.stderr + ci.stderr
    *settings, command = image.stdout.splitlines()
    assert settings == ["PIP_EXTRA_INDEX_URL=https://download.pytorch.org/whl/cpu"]
    image_words, ci_words = command.split()[1:], ci.stdout.split()[1:]
    # The same pip options and constraints file; only the target differs (runtime vs dev).
    assert image_words == ["-m", "pip", "install", "-q", "-c", "constraints.txt", ".[transformers]"]
    assert ci_words == [*image_words[:-1], "-e", ".[dev]"]
    slim = image_install(python, SLIM="1").stdout.splitlines()[-1].split()[1:]
    assert slim == [*image_words[:-1], "."]  # the slim image: no torch, no transformers


def test_build_args_say_where_pip_looks() -> None:
    mirror = image_install(
        "python", PIP_INDEX_URL="https://mirror.example/simple", PIP_EXTRA_INDEX_URL=""
    )
    assert mirror.returncode == 0, mirror.stderr
    assert mirror.stdout.splitlines()[:-1] == ["PIP_INDEX_URL=https://mirror.example/simple"]
    wheels = image_install("python", PIP_FIND_LINKS="/wheels", PIP_INDEX_URL="")
    assert wheels.stdout.splitlines()[:-1] == [
        "PIP_EXTRA_INDEX_URL=https://download.pytorch.org/whl/cpu",
        "PIP_FIND_LINKS=/wheels",
    ]
    # The CUDA variant: torch's CPU build and CUDA 12's cuBLAS for CTranslate2 (cuda extra).
    cuda = image_install("python", VARIANT="cuda")
    assert "PIP_EXTRA_INDEX_URL=https://download.pytorch.org/whl/cpu" in cuda.stdout
    assert cuda.stdout.split()[-1] == ".[transformers,cuda]"
    assert "-c constraints.txt" in cuda.stdout
    slim_cuda = image_install("python", VARIANT="cuda", SLIM="1")
    assert slim_cuda.stdout.split()[-1] == ".[cuda]"
    # TORCH_CUDA asks for torch's CUDA build from PyTorch's index (the transformers engine).
    torch_cuda = image_install("python", VARIANT="cuda", TORCH_CUDA="cu128")
    assert "PIP_EXTRA_INDEX_URL=https://download.pytorch.org/whl/cu128" in torch_cuda.stdout
    assert "-c constraints.txt" not in torch_cuda.stdout  # the cu128 copy of the constraints
    wrong = image_install("python", VARIANT="gpu")
    assert wrong.returncode == 2 and wrong.stdout == ""
    assert wrong.stderr.strip() == "image-install: VARIANT must be cpu or cuda, not gpu"


def test_every_variant_shares_the_core_layer(
    dockerfile: tuple[dict[str, str], dict[str, Stage]],
) -> None:
    """The slim CPU install comes first, before any variant ARG is in scope (ARGs in scope
    are part of a RUN's cache key, in BuildKit and buildah): the full, slim and CUDA builds
    reuse that layer, and the second step adds only the variant's extras."""
    _, stages = dockerfile
    assert not stages["base"].args("ARG"), "a stage FROM base inherits its ARGs"
    build = stages["build"].instructions
    core = next(i for i, (name, rest) in enumerate(build) if "scripts/image-install /" in rest)
    assert "SLIM=1 VARIANT=cpu scripts/image-install /opt/venv/bin/python" in build[core][1]
    variant_args = [
        i for i, (name, rest) in enumerate(build)
        if name == "ARG" and rest.split("=")[0] in ("VARIANT", "SLIM", "TORCH_CUDA")
    ]  # fmt: skip
    assert len(variant_args) == 3 and min(variant_args) > core
    for _, rest in build[:core]:
        assert not re.search(r"\$\{?(VARIANT|SLIM|TORCH_CUDA)\b", rest), rest

    def extras_step(**env: str) -> str:
        result = image_install("--extras-only", "python", **env)
        assert result.returncode == 0, result.stderr
        return result.stdout.splitlines()[-1]

    core_line = image_install("python", SLIM="1", VARIANT="cpu").stdout.splitlines()[-1]
    assert core_line.split()[-1] == "."
    assert extras_step(SLIM="1", VARIANT="cpu") == (
        "image-install: no extras for this variant: the core install is the whole venv"
    )
    assert extras_step().split()[-1] == ".[transformers]"
    assert extras_step(SLIM="1", VARIANT="cuda").split()[-1] == ".[cuda]"
    assert extras_step(VARIANT="cuda").split()[-1] == ".[transformers,cuda]"


def test_the_build_strips_debug_information_with_binutils_only_there(
    dockerfile: tuple[dict[str, str], dict[str, Stage]],
) -> None:
    _, stages = dockerfile
    build = stages["build"].instructions
    apt = next(i for i, (name, rest) in enumerate(build) if "apt-get install" in rest)
    core = next(i for i, (name, rest) in enumerate(build) if "scripts/image-install /" in rest)
    assert re.search(r"apt-get install -y --no-install-recommends binutils\b", build[apt][1])
    assert apt < core
    assert "binutils" not in " ".join(stages["runtime"].args("RUN"))
    assert "/opt/venv" in " ".join(stages["runtime"].args("COPY"))  # the venv, not the tools
    script = IMAGE_INSTALL.read_text(encoding="utf-8")
    install = script.index('\nscripts/install-python "${extras_option[@]}"')
    strip = re.search(r"^[^#\n]*scripts/strip-debug ", script, re.MULTILINE)
    assert strip is not None and install < strip.start(), "strip after every install"


def test_no_stage_is_named_from_an_arg(
    dockerfile: tuple[dict[str, str], dict[str, Stage]],
) -> None:
    # buildah prunes stages it thinks unused and pulls "variant-cpu" from a registry instead.
    global_args, stages = dockerfile
    for stage in stages.values():
        assert stage.base in stages or stage.base == "${PYTHON_IMAGE}", stage.base
        assert "$" not in stage.name
    assert global_args["VARIANT"] == "cpu"


def test_build_stage_copies_what_the_install_reads(
    dockerfile: tuple[dict[str, str], dict[str, Stage]],
) -> None:
    _, stages = dockerfile
    copied = {
        source.rstrip("/")
        for rest in stages["build"].args("COPY")
        for source in shlex.split(rest)[:-1]
    }
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    readme = re.search(r'^readme = "(.+)"', pyproject, re.MULTILINE)
    assert readme is not None
    wanted = {"pyproject.toml", "constraints.txt", "scripts/install-python", "service", "LICENSE"}
    wanted |= {"scripts/image-install", "scripts/strip-debug"}
    wanted |= {"prompts"}  # service/prompts links to prompts/
    assert wanted | {readme.group(1)} <= copied


def test_dockerignore_lets_in_exactly_what_the_dockerfile_copies(
    dockerfile: tuple[dict[str, str], dict[str, Stage]],
) -> None:
    _, stages = dockerfile
    patterns = [
        line.strip()
        for line in (REPO / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert patterns[0] == "*", "the context is an allow-list: everything else stays out"
    allowed = {pattern[1:].rstrip("/") for pattern in patterns if pattern.startswith("!")}
    copied = {
        source.rstrip("/")
        for stage in stages.values()
        for rest in stage.args("COPY")
        if not rest.startswith("--from")
        for source in shlex.split(rest)[:-1]
        if not source.startswith("--")
    }
    assert copied == allowed
    for source in copied:
        assert (REPO / source).exists(), f"COPY {source}: not in the repository"


def test_templates_come_inside_the_package(
    dockerfile: tuple[dict[str, str], dict[str, Stage]],
) -> None:
    _, stages = dockerfile
    assert "prompts/ prompts/" in stages["build"].args("COPY")  # what service/prompts links to
    assert (REPO / "service" / "prompts").resolve() == REPO / "prompts"
    for stage in stages.values():
        assert "BRIEFS_PROMPTS_DIR" not in stage.env()  # the installed package has them
        assert not [rest for rest in stage.args("COPY") if "/app/prompts" in rest]
    tracked = subprocess.run(
        ["git", "ls-files", "prompts", "service/prompts"],
        cwd=REPO, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert "service/prompts" in tracked.stdout.split(), "the link is committed"
    assert "prompts/brief.md.txt" in tracked.stdout.split()


def test_runtime_stage_is_slim_non_root_and_serves(
    dockerfile: tuple[dict[str, str], dict[str, Stage]],
) -> None:
    _, stages = dockerfile
    assert list(stages)[-1] == "runtime", "the default target is the runtime stage"
    runtime = stages["runtime"]
    assert runtime.base == "base" and stages["build"].base == "base"
    (user,) = runtime.args("USER")
    uid, _, gid = user.partition(":")
    assert int(uid) > 0 and int(gid) > 0
    assert runtime.args("EXPOSE") == ["8000"]
    assert json.loads(runtime.args("CMD")[-1]) == ["briefs", "serve"]
    env = runtime.env()
    assert env["BRIEFS_HOST"] == "0.0.0.0"
    assert env["BRIEFS_PORT"] == "8000"
    assert env["BRIEFS_MODELS_DIR"] == "/data/models"
    assert env["BRIEFS_DATA_DIR"] == "/data/briefs"  # suggestions and downloads: the volume
    assert env["HF_HOME"] == "/data/hf"
    assert "--from=build /opt/venv /opt/venv" in runtime.args("COPY")
    assert "--from=models --chown=briefs:briefs /data/ /data/" in runtime.args("COPY")
    apt = " ".join(runtime.args("RUN"))
    assert re.search(r"apt-get install .*\bapertium apertium-eng-spa\b", apt)
    assert re.search(r"useradd .*--uid " + uid + r"\b", apt)


def test_models_are_baked_only_when_asked(
    dockerfile: tuple[dict[str, str], dict[str, Stage]],
) -> None:
    _, stages = dockerfile
    models = stages["models"]
    assert models.args("ARG") == ["WITH_MODELS=0", "SLIM=0"]
    assert models.env()["BRIEFS_MODELS_DIR"] == "/data/models"
    (run,) = models.args("RUN")
    baked = re.search(r'if \[ "\$\{WITH_MODELS\}" = "1" \]; then (.*)fi$', run)
    assert baked is not None and '"$briefs" models pull' in baked.group(1)
    # A slim image converts in a venv of its own that has torch; the runtime gets only /data.
    assert "SLIM=0 scripts/image-install /opt/convert/bin/python" in baked.group(1)
    assert "/opt/convert" not in " ".join(stages["runtime"].args("COPY"))


def test_cuda_variant_takes_cuda12_cublas_and_the_gpu(
    dockerfile: tuple[dict[str, str], dict[str, Stage]],
) -> None:
    global_args, stages = dockerfile
    base = stages["base"].env()
    runtime = stages["runtime"]
    assert runtime.env()["BRIEFS_DEVICE"] == "${VARIANT}"  # cpu or cuda: the device names
    assert "VARIANT" in runtime.args("ARG") and "VARIANT" in stages["build"].args("ARG")
    # Set after the venv's COPY (a layer that differs per variant), never in a stage whose
    # parent layers are the same for both variants: buildah caches an ENV by its text.
    order = [name for name, _ in runtime.instructions]
    assert order.index("ENV") > order.index("COPY") and "BRIEFS_DEVICE" not in base
    pinned = re.search(
        r"^torch==[^+\s]+\+(\S+)$", (REPO / "constraints.txt").read_text(), re.MULTILINE
    )
    assert pinned is not None and pinned.group(1) == "cpu"
    # CTranslate2's wheel opens libcublas.so.12: the cuda extra brings CUDA 12's cuBLAS, and
    # torch stays the CPU build unless TORCH_CUDA names one.
    assert "TORCH_CUDA=" in stages["build"].args("ARG")
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    (cublas,) = project["optional-dependencies"]["cuda"]
    assert cublas.startswith("nvidia-cublas-cu12")
    assert re.search(r"^nvidia-cublas-cu12==12\.", (REPO / "constraints.txt").read_text(), re.M)
    python = re.search(r"python:(\d+\.\d+)", global_args["PYTHON_IMAGE"])
    assert python is not None
    site = f"/opt/venv/lib/python{python.group(1)}/site-packages"
    assert f"{site}/nvidia/cublas/lib" in base["LD_LIBRARY_PATH"].split(":")
    assert stages["base"].base == "${PYTHON_IMAGE}"


def test_torch_label_swaps_only_the_torch_pin() -> None:
    constraints = (REPO / "constraints.txt").read_text(encoding="utf-8").splitlines()
    swapped = install_python("--print-constraints", "--torch", "cu128", "python")
    assert swapped.returncode == 0, swapped.stderr
    changed = [
        (old, new)
        for old, new in zip(constraints, swapped.stdout.splitlines(), strict=True)
        if old != new
    ]
    assert len(changed) == 1
    old, new = changed[0]
    assert old.startswith("torch==") and new == old.split("+")[0] + "+cu128"

    same = install_python("--print-constraints", "--torch", "cpu", "python")
    assert same.stdout.splitlines() == constraints
    dry = install_python("--dry-run", "--torch", "cpu", "python")
    assert "-c constraints.txt" in dry.stdout


def test_install_python_rejects_bad_use_in_one_line() -> None:
    for args in (["--torch", "cu12/../x", "python"], ["--dry-run"], ["--bogus", "python"]):
        result = install_python(*args)
        assert result.returncode == 2
        assert result.stdout == ""
        assert len(result.stderr.strip().splitlines()) == 1


def briefs_variables(dockerfile: tuple[dict[str, str], dict[str, Stage]]) -> dict[str, str]:
    """Every BRIEFS_* value the image and compose set (build args at their defaults)."""
    global_args, stages = dockerfile
    found = {
        f"Dockerfile {stage.name} {key}": expand(value, global_args)
        for stage in stages.values()
        for key, value in stage.env().items()
        if key.startswith("BRIEFS_")
    }
    compose = yaml.safe_load((REPO / "compose.yaml").read_text(encoding="utf-8"))
    for key, value in compose["services"]["briefs"]["environment"].items():
        default = re.fullmatch(r"\$\{\w+:-(.*)\}", str(value))
        found[f"compose.yaml {key}"] = default.group(1) if default else str(value)
    return found


def test_every_variable_the_image_sets_is_a_valid_setting(
    dockerfile: tuple[dict[str, str], dict[str, Stage]], monkeypatch: pytest.MonkeyPatch
) -> None:
    variables = briefs_variables(dockerfile)
    assert len(variables) >= 6
    fields = {f"BRIEFS_{name.upper()}" for name in Settings.model_fields}
    for where, value in variables.items():
        key = where.split()[-1]
        assert key in fields, f"{where}: no such setting"
        monkeypatch.setenv(key, value)
        get_settings.cache_clear()
        get_settings()  # raises SettingsError naming the variable when the value is wrong


def test_compose_runs_the_image_with_its_volume_and_probe(
    dockerfile: tuple[dict[str, str], dict[str, Stage]],
) -> None:
    _, stages = dockerfile
    compose = yaml.safe_load((REPO / "compose.yaml").read_text(encoding="utf-8"))
    service = compose["services"]["briefs"]
    assert service["build"]["args"]["VARIANT"] == "cpu"
    assert "briefs-data:/data" in service["volumes"] and "briefs-data" in compose["volumes"]
    assert service["ports"] == ["8000:8000"]
    (healthcheck,) = stages["runtime"].args("HEALTHCHECK")
    probe = json.loads(healthcheck.split(" CMD ", 1)[1])
    assert service["healthcheck"]["test"] == ["CMD", *probe]

    gpu = yaml.safe_load((REPO / "compose.gpu.yaml").read_text(encoding="utf-8"))
    gpu_service = gpu["services"]["briefs"]
    assert gpu_service["build"]["args"]["VARIANT"] == "cuda"
    (device,) = gpu_service["deploy"]["resources"]["reservations"]["devices"]
    assert device["driver"] == "nvidia" and device["capabilities"] == ["gpu"]


class _Probe(http.server.BaseHTTPRequestHandler):
    status = 200

    def do_GET(self) -> None:
        self.send_response(self.status if self.path == "/readyz" else 404)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def probe_server() -> Iterator[tuple[int, type[_Probe]]]:
    """A local HTTP server whose /readyz answers ``handler.status``."""
    handler = type("Probe", (_Probe,), {})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], handler
    finally:
        server.shutdown()
        server.server_close()


def test_healthcheck_passes_when_ready_and_fails_otherwise(
    dockerfile: tuple[dict[str, str], dict[str, Stage]],
    probe_server: tuple[int, type[_Probe]],
) -> None:
    _, stages = dockerfile
    (healthcheck,) = stages["runtime"].args("HEALTHCHECK")
    assert "--start-period=" in healthcheck
    program, flag, code = json.loads(healthcheck.split(" CMD ", 1)[1])
    assert (program, flag) == ("python", "-c")
    port, handler = probe_server
    env = {"BRIEFS_PORT": str(port), "PATH": ""}

    def probe() -> int:
        run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True)
        return run.returncode

    assert probe() == 0
    handler.status = 503
    assert probe() != 0
    env["BRIEFS_PORT"] = str(port + 1 if port < 65535 else port - 1)  # nothing listens there
    handler.status = 200
    assert probe() != 0


def test_readme_states_what_the_image_sets(
    dockerfile: tuple[dict[str, str], dict[str, Stage]],
) -> None:
    global_args, stages = dockerfile
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Run with Docker", 1)[1]
    for stage in stages.values():
        for key, value in stage.env().items():
            if key.startswith(("BRIEFS_", "HF_")):
                shown = f"`{key}={expand(value, global_args)}`"
                assert shown in section, f"README: say that the image sets {key}"
    assert "scripts/check-image" in section


def test_commands_the_image_runs_exist(
    dockerfile: tuple[dict[str, str], dict[str, Stage]],
) -> None:
    from typer.testing import CliRunner

    from service.cli import app

    _, stages = dockerfile
    serve = json.loads(stages["runtime"].args("CMD")[-1])
    pull = re.search(r"\bbriefs\"? (models pull)\b", stages["models"].args("RUN")[0])
    assert pull is not None
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    cli = re.search(r"briefs briefs (brief /in --out /out)", readme)
    assert cli is not None
    for command in (serve[1:], pull.group(1).split(), cli.group(1).split()[:1]):
        result = CliRunner().invoke(app, [*command, "--help"])
        assert result.exit_code == 0, f"briefs {' '.join(command)}: {result.output}"
    assert "--out" in CliRunner().invoke(app, ["brief", "--help"]).output


STRIP_DEBUG = REPO / "scripts" / "strip-debug"
needs_toolchain = pytest.mark.skipif(
    not all(shutil.which(tool) for tool in ("gcc", "strip", "readelf")),
    reason="builds a library with gcc and strips it with binutils",
)


def _library(path: Path, *flags: str) -> Path:
    """A small shared library built with gcc ``flags`` (``-g``: with debug information)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    source = path.with_suffix(".c")
    source.write_text("int briefs_add(int x) { return x + 1; }\n", encoding="utf-8")
    subprocess.run(["gcc", "-shared", "-fPIC", *flags, "-o", path, source], check=True)
    source.unlink()
    return path


def _has_debug_info(path: Path) -> bool:
    sections = subprocess.run(
        ["readelf", "-S", "--wide", path], capture_output=True, text=True, check=True
    )
    return " .debug_info " in sections.stdout


@needs_toolchain
def test_strip_debug_strips_what_still_loads_and_leaves_auditwheel_libraries(
    tmp_path: Path,
) -> None:
    site = tmp_path / "site-packages"
    extension = _library(site / "pkg" / "_ext.cpython-311-x86_64-linux-gnu.so", "-g", "-O2")
    patched = _library(site / "pkg.libs" / "libdep-1a2b3c.so.1", "-g")  # auditwheel's copy
    plain = _library(site / "pkg" / "_plain.so", "-s")
    untouched = {path: path.read_bytes() for path in (patched, plain)}
    assert _has_debug_info(extension) and _has_debug_info(patched)
    size = extension.stat().st_size

    result = subprocess.run(
        [str(STRIP_DEBUG), str(site)], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("strip-debug: 1 libraries stripped, ")
    assert not _has_debug_info(extension) and extension.stat().st_size < size
    assert ctypes.CDLL(str(extension)).briefs_add(41) == 42
    assert extension.stat().st_mode & 0o111, "still executable"
    for path, content in untouched.items():
        assert path.read_bytes() == content, f"{path.name} was rewritten"
    assert not list(site.rglob("*.stripping"))


@needs_toolchain
def test_strip_debug_keeps_a_library_that_would_not_load_stripped(tmp_path: Path) -> None:
    extension = _library(tmp_path / "site" / "pkg" / "_ext.so", "-g")
    original = extension.read_bytes()
    # A strip whose output does not load (as auditwheel's patched libraries once stripped).
    tools = tmp_path / "bin"
    tools.mkdir()
    fake = tools / "strip"
    fake.write_text('#!/bin/sh\n# strip --strip-debug -o OUT IN\necho broken > "$3"\n')
    fake.chmod(0o755)
    env = {"PATH": f"{tools}:/usr/bin:/bin"}
    result = subprocess.run(
        [str(STRIP_DEBUG), str(tmp_path / "site")],
        env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert extension.read_bytes() == original
    assert f"kept {extension} as it was: it does not load stripped" in result.stderr
    assert "0 libraries stripped" in result.stdout and "1 kept" in result.stdout
    assert not list(tmp_path.rglob("*.stripping"))
