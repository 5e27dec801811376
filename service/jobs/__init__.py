"""Folder jobs (`briefs brief`, `briefs translate` on folders): discovery, readers, safe output paths, atomic writes, manifest: discovery, readers, safe output paths, atomic writes, manifest.

``runner.run_tasks`` is the resumable, parallel loop that ``briefs brief`` and ``briefs
translate`` share; each command supplies its tasks and a work function.
"""
