"""A page built before its request (Voila's preheated kernel) is shown only when it is the page asked for.

The notebook prepares the launch's page, waits for the request, then keeps the page only when the request asks for
the same selection, member and language and no file of the selection changed since: otherwise it builds again.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from testdata import copy_example

from crmselect.errors import InputError
from crmselect.widgets.launch import prepare_dashboard


@pytest.fixture()
def selection(tmp_path: Path) -> Path:
    return copy_example(tmp_path / "example")


def environ(folder: Path, query: str = "") -> dict[str, str]:
    out = {"CRMSELECT_SELECTION": str(folder), "CRMSELECT_MEMBER": "zhao_lei"}
    if query:
        out["QUERY_STRING"] = query
    return out


def header(dashboard: object) -> str:
    return str(dashboard.widget.children[0].value)  # type: ignore[attr-defined]


def test_the_prepared_page_is_kept_for_the_request_it_was_built_for(selection: Path) -> None:
    prepared = prepare_dashboard(environ(selection))
    assert prepared.dashboard is not None
    assert prepared.for_request(environ(selection)) is prepared.dashboard


def test_a_request_for_another_language_gets_a_page_in_that_language(selection: Path) -> None:
    prepared = prepare_dashboard(environ(selection))
    asked = prepared.for_request(environ(selection, "lang=zh-CN"))
    assert asked is not prepared.dashboard
    assert "简体中文" in header(asked) and "简体中文" not in header(prepared.dashboard)


def test_a_file_changed_after_preparing_gives_a_new_page_showing_the_change(selection: Path) -> None:
    prepared = prepare_dashboard(environ(selection))
    settings = selection / "selection.yaml"
    text = settings.read_text(encoding="utf-8")
    name_line = next(line for line in text.splitlines() if line.startswith("name:"))
    settings.write_text(text.replace(name_line, "name: Renamed after the kernel was preheated"), encoding="utf-8")
    page = prepared.for_request(environ(selection))
    assert page is not prepared.dashboard
    assert "Renamed after the kernel was preheated" in header(page)


def test_a_scenario_saved_on_another_page_after_preparing_shows_on_the_next_page(selection: Path) -> None:
    other = prepare_dashboard(environ(selection)).dashboard  # a member's page, open before the kernel was preheated
    prepared = prepare_dashboard(environ(selection))
    assert other is not None and prepared.dashboard is not None
    assert other.scenarios.save("Sales first", why="what sales asked for")
    page = prepared.for_request(environ(selection))
    assert page is not prepared.dashboard
    assert "Sales first" in page.scenarios.scenarios
    assert "Sales first" not in prepared.dashboard.scenarios.scenarios


def test_a_folder_of_selections_is_built_only_once_the_address_names_one(tmp_path: Path) -> None:
    copy_example(tmp_path / "one")
    copy_example(tmp_path / "two")
    prepared = prepare_dashboard(environ(tmp_path))
    assert prepared.dashboard is None, "nothing is guessed before the address picks a selection"
    page = prepared.for_request(environ(tmp_path, "selection=two"))
    assert str(tmp_path / "two") in header(page)
    with pytest.raises(InputError, match="several selections"):
        prepared.for_request(environ(tmp_path))


def test_a_broken_selection_is_reported_after_the_request(selection: Path) -> None:
    goals = selection / "criteria" / "goals.yaml"
    goals.write_text(goals.read_text(encoding="utf-8").replace("weight: 18", "weight: heavy", 1), encoding="utf-8")
    prepared = prepare_dashboard(environ(selection))
    assert prepared.dashboard is None
    with pytest.raises(InputError, match=r"goals\.yaml"):
        prepared.for_request(environ(selection))
