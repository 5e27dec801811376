"""Folder jobs (`briefs brief`, `briefs translate` on a folder): discovery, readers, safe
output paths, atomic writes and the run state.

``runner.run_tasks`` is the resumable, parallel loop that ``briefs brief`` and ``briefs
translate`` share; each command supplies its tasks and a work function.
"""
