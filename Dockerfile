# syntax=docker/dockerfile:1
# Briefs in one image: the HTTP API by default, the `briefs` CLI as well.
#
#   docker build -t briefs .                                  CPU; models live in a volume
#   docker build --build-arg WITH_MODELS=1 -t briefs .        Opus-MT en<->es baked in (offline)
#   docker build --build-arg VARIANT=cuda -t briefs:cuda .    NVIDIA GPU (CUDA 12)
#   docker build --build-arg SLIM=1 -t briefs:slim .          no torch/transformers: CTranslate2
#                                                             models baked (WITH_MODELS=1) or mounted
#   podman build --format docker -t briefs .                  podman/buildah 4.x (keeps HEALTHCHECK)
#
# Python packages go in through scripts/image-install -> scripts/install-python: the same pip
# line and constraints.txt as CI. tests/test_dockerfile.py fails when this file installs any other way.

ARG PYTHON_IMAGE=python:3.11-slim-bookworm
# cpu or cuda. One set of stages for both: values chosen by ARGs, never a stage named from an
# ARG (buildah prunes such stages as unused, then tries to pull "variant-cpu" from a registry).
ARG VARIANT=cpu

FROM ${PYTHON_IMAGE} AS base
# NVIDIA's CUDA 12 images are Ubuntu, whose Python and Apertium packages differ from the
# Debian 12 ones CI tests (jammy has no apertium-eng-spa, noble no Python 3.11). So the CUDA
# variant keeps Debian 12 and takes CUDA 12's cuBLAS from NVIDIA's wheel on PyPI (the cuda
# extra); CTranslate2 opens libcublas.so.12 from there (LD_LIBRARY_PATH; the folders do not
# exist in the cpu variant, where the NVIDIA variables do nothing). PyPI's torch 2.13.0 is a
# CUDA 13 build, which CTranslate2 4.x cannot use, so the image never takes it.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH \
    NVIDIA_VISIBLE_DEVICES=all \
    NVIDIA_DRIVER_CAPABILITIES=compute,utility \
    LD_LIBRARY_PATH=/opt/venv/lib/python3.11/site-packages/nvidia/cublas/lib:/opt/venv/lib/python3.11/site-packages/nvidia/cuda_runtime/lib:/opt/venv/lib/python3.11/site-packages/nvidia/cudnn/lib

# ---- build: a virtual environment with the package, pinned by constraints.txt ----------------
FROM base AS build
# Where pip looks (see scripts/image-install): unset, PyPI plus PyTorch's index for the
# variant; set them for a mirror or an air-gapped build (an empty PIP_EXTRA_INDEX_URL drops
# PyTorch's index). A CA bundle for a TLS-intercepting proxy: --secret id=pip-ca,src=FILE.
ARG PIP_INDEX_URL
ARG PIP_EXTRA_INDEX_URL
ARG PIP_FIND_LINKS
ENV PIP_DISABLE_PIP_VERSION_CHECK=1
# binutils: scripts/strip-debug strips the debug information some wheels ship (here only).
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends binutils \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*
WORKDIR /src
COPY pyproject.toml constraints.txt README.md LICENSE ./
COPY scripts/install-python scripts/image-install scripts/strip-debug scripts/
COPY prompts/ prompts/
COPY service/ service/
# The core that every variant shares (the slim CPU install, no extras): no variant ARG is in
# scope yet, so the full, slim and CUDA builds reuse this one layer from the cache.
RUN --mount=type=cache,target=/root/.cache/pip \
    --mount=type=secret,id=pip-ca \
    python3.11 -m venv /opt/venv \
 && SLIM=1 VARIANT=cpu scripts/image-install /opt/venv/bin/python
ARG VARIANT
# Empty: torch's CPU build in both variants (VARIANT=cuda runs CTranslate2 on the GPU with
# CUDA 12's cuBLAS from PyPI). A label such as cu128: torch's CUDA 12 build from PyTorch's
# index, for the transformers engine on the GPU.
ARG TORCH_CUDA=
# 1: the runtime without torch and transformers (and without pip): CTranslate2 and Apertium.
ARG SLIM=0
# Then the variant's extras on top: torch and transformers, CUDA 12's cuBLAS (none when slim).
RUN --mount=type=cache,target=/root/.cache/pip \
    --mount=type=secret,id=pip-ca \
    scripts/image-install --extras-only /opt/venv/bin/python \
 && if [ "${SLIM}" = "1" ]; then /opt/venv/bin/python -m pip uninstall -q -y pip setuptools; fi

# ---- models: Opus-MT en-es and es-en, converted to CTranslate2 int8; only with WITH_MODELS=1 --
FROM build AS models
ARG WITH_MODELS=0
ARG SLIM=0
ENV BRIEFS_MODELS_DIR=/data/models \
    HF_HOME=/data/hf
# The store under /data/models is what the image needs; the hub client's cache is not. The
# slim runtime cannot convert, so this stage converts with a full venv of its own.
RUN --mount=type=cache,target=/root/.cache/pip \
    --mount=type=secret,id=pip-ca \
    mkdir -p /data/models /data/hf \
 && if [ "${WITH_MODELS}" = "1" ]; then \
      briefs=/opt/venv/bin/briefs; \
      if [ "${SLIM}" = "1" ]; then \
        python3.11 -m venv /opt/convert && SLIM=0 scripts/image-install /opt/convert/bin/python; \
        briefs=/opt/convert/bin/briefs; \
      fi; \
      "$briefs" models pull && rm -rf /data/hf/*; \
    fi

# ---- runtime: slim, non-root, Apertium as the offline engine ---------------------------------
FROM base AS runtime
# Debian 12's own Apertium packages, the same ones scripts/install takes; their versions are
# fixed by the base image's release, so pinning them here would only break on point releases.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends apertium apertium-eng-spa \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/* \
 && groupadd --system --gid 10001 briefs \
 && useradd --system --uid 10001 --gid briefs --create-home --home-dir /home/briefs \
        --shell /usr/sbin/nologin briefs
COPY --from=build /opt/venv /opt/venv
COPY --from=models --chown=briefs:briefs /data/ /data/
# After the venv, whose layer differs per variant: buildah 1.28 caches an ENV by its text, so
# in the base stage BRIEFS_DEVICE=${VARIANT} came out of the cache as "cpu" in a cuda build.
ARG VARIANT
ENV BRIEFS_DEVICE=${VARIANT} \
    BRIEFS_HOST=0.0.0.0 \
    BRIEFS_PORT=8000 \
    BRIEFS_MODELS_DIR=/data/models \
    BRIEFS_DATA_DIR=/data/briefs \
    HF_HOME=/data/hf
WORKDIR /home/briefs
USER 10001:10001
EXPOSE 8000
# Ready means the engines are loaded (/readyz answers 503 until then); the slim image has no
# curl, so Python asks.
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as r; r.urlopen('http://127.0.0.1:%s/readyz' % os.environ.get('BRIEFS_PORT', '8000'), timeout=4)"]
CMD ["briefs", "serve"]
