"""Text templates from ``prompts/``, loaded by name and filled with ``string.Template``.

A template names its variables (``$text``, ``$max_words``); filling it without one of them
is an error that names the template and the variable, never a prompt with a hole in it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from string import Template

from service.errors import BriefsError

SUFFIX = ".txt"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


class TemplateError(BriefsError):
    """A template that is missing, unreadable, malformed or filled without a variable."""

    code = "template_error"


@dataclass(frozen=True)
class PromptTemplate:
    """One template: its name, where it was read from, and the variables it needs."""

    name: str
    path: Path
    template: Template

    @property
    def variables(self) -> frozenset[str]:
        """The ``$names`` the template uses."""
        return frozenset(self.template.get_identifiers())

    def render(self, **values: object) -> str:
        """The template filled with ``values``; raises TemplateError naming a missing one."""
        try:
            return self.template.substitute(values)
        except KeyError as exc:
            raise TemplateError(
                f"template {self.name} ({self.path}) needs the variable ${exc.args[0]}, "
                "which was not given"
            ) from None
        except ValueError as exc:
            raise TemplateError(f"template {self.name} ({self.path}) is malformed: {exc}") from None


def load_prompt(name: str, prompts_dir: Path | None = None) -> PromptTemplate:
    """Read ``<prompts_dir>/<name>.txt`` (default folder: ``BRIEFS_PROMPTS_DIR``)."""
    if prompts_dir is None:
        from service.config import get_settings

        prompts_dir = get_settings().prompts_dir
    if not _NAME.match(name):
        raise TemplateError(f"bad template name {name!r}: use letters, digits, '.', '_', '-'")
    path = prompts_dir / f"{name}{SUFFIX}"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise TemplateError(
            f"cannot read the template {name} at {path}: {exc.strerror or exc}",
            hint="set BRIEFS_PROMPTS_DIR to the folder holding the templates",
        ) from None
    template = Template(text)
    if not template.is_valid():
        raise TemplateError(f"template {name} ({path}) has a malformed $placeholder")
    return PromptTemplate(name=name, path=path, template=template)
