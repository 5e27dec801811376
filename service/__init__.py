"""Briefs: parallel English/Spanish news briefs."""

from importlib.metadata import PackageNotFoundError, version

try:
    # The one place the version lives is pyproject.toml; installed metadata carries it here.
    __version__ = version("briefs")
except PackageNotFoundError:  # the package imported from a checkout that was never installed
    __version__ = "0+unknown"
