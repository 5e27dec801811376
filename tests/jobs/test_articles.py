from __future__ import annotations

import json
from pathlib import Path

from service.jobs.articles import article_tasks, output_base
from service.jobs.discover import discover
from service.jobs.readers import ARTICLE_SUFFIXES


def test_output_names() -> None:
    assert output_base("world/rain.en.txt") == "world/rain.en"
    assert output_base("README") == "README"


def test_tasks_per_file_and_per_list_item(tmp_path: Path) -> None:
    (tmp_path / "world").mkdir()
    (tmp_path / "world" / "rain.en.txt").write_text("Rain\nIt rained.")
    (tmp_path / "one.json").write_text(json.dumps({"title": "T", "text": "Body."}))
    items = [{"text": f"Item {n}."} for n in range(1, 12)]
    (tmp_path / "many.json").write_text(json.dumps(items))
    (tmp_path / "big.txt").write_text("Big\n" + "x" * 5000)
    (tmp_path / "broken.json").write_text("[{")
    found = discover(tmp_path, ARTICLE_SUFFIXES)
    tasks, failures = article_tasks(found.files, ("json", "md"), max_file_bytes=4000)

    by_key = {task.key: task for task in tasks}
    assert by_key["world/rain.en.txt"].outputs == ("world/rain.en.json", "world/rain.en.md")
    assert by_key["one.json"].outputs == ("one.json", "one.md")
    assert by_key["many.json#11"].outputs == ("many-11.json", "many-11.md")
    assert by_key["many.json#2"].load().text == "Item 2."
    assert by_key["world/rain.en.txt"].load().title == "Rain"
    # A list item's hash covers only that item: editing one item redoes only it.
    assert len({by_key[f"many.json#{n}"].digest for n in range(1, 12)}) == 11
    assert {f.input: f.code for f in failures} == {
        "big.txt": "input_too_large",
        "broken.json": "invalid_input",
    }
