"""The parse cache (crmselect.files.cache): a warm load gives what a cold one gives, any change is seen, and
nothing in the selection's cache folder is trusted without the user's key or can run code."""

from __future__ import annotations

import hashlib
import hmac
import os
import pickle
from pathlib import Path

import pytest
from testdata import copy_example, copy_minimal

from crmselect import InputError, load_project
from crmselect.files import cache as cache_module
from crmselect.files import yaml_lines
from crmselect.files.cache import CACHE_DIR, CACHE_SWITCH, ParseCache


@pytest.fixture(autouse=True)
def own_key(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test has its own user key, outside the selection, and the cache switched on."""
    key = tmp_path_factory.mktemp("user-cache") / "parse-cache.key"
    monkeypatch.setattr(cache_module, "user_key_file", lambda: key)
    monkeypatch.delenv(CACHE_SWITCH, raising=False)
    return key


def _entries(folder: Path) -> list[Path]:
    return sorted(p for p in (folder / CACHE_DIR).iterdir() if not p.name.startswith("."))


def _no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(text: str) -> None:
        raise AssertionError("a file was parsed although its cache entry is valid")

    monkeypatch.setattr(yaml_lines, "_compose_fast", refuse)
    monkeypatch.setattr(yaml_lines, "_Loader", refuse)


def test_a_warm_load_reads_no_file_again_and_gives_the_same_project(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    folder = copy_example(tmp_path / "example")
    cold = load_project(folder)
    yaml_files = [p for p in folder.rglob("*.yaml") if CACHE_DIR not in p.parts]
    assert len(_entries(folder)) == len(yaml_files)  # one entry per file read
    assert (folder / CACHE_DIR / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"
    with monkeypatch.context() as patch:
        _no_parsing(patch)
        warm = load_project(folder)
    assert warm == cold
    assert warm.notes == cold.notes


def test_a_changed_file_is_parsed_again(tmp_path: Path) -> None:
    folder = copy_minimal(tmp_path / "minimal")
    first = load_project(folder)
    acme = folder / "vendors" / "acme.yaml"
    text = acme.read_text(encoding="utf-8")
    assert "name: Acme Cloud CRM" in text
    acme.write_text(text.replace("name: Acme Cloud CRM", "name: Acme Cloud CRM Plus"), encoding="utf-8")
    second = load_project(folder)
    assert first.vendor("acme").name == "Acme Cloud CRM"
    assert second.vendor("acme").name == "Acme Cloud CRM Plus"
    assert len(_entries(folder)) == len(list(folder.rglob("*.yaml")))  # the old entry of acme was removed


def test_a_new_parser_fingerprint_misses_every_entry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = copy_minimal(tmp_path / "minimal")
    load_project(folder)
    before = {p.name for p in _entries(folder)}
    monkeypatch.setattr(cache_module, "_fingerprint", lambda: b"another crmselect or python version")
    load_project(folder)
    after = {p.name for p in _entries(folder)}
    assert before.isdisjoint(after) and len(before) == len(after)


def test_a_file_with_a_problem_is_never_cached_and_stays_reported(tmp_path: Path) -> None:
    folder = copy_minimal(tmp_path / "minimal")
    acme = folder / "vendors" / "acme.yaml"
    acme.write_text(acme.read_text(encoding="utf-8").replace("uptime_pct: 99.9", "uptime_pct: 100.5"),
                    encoding="utf-8")
    for _ in range(2):  # the second load runs with the cache the first one left
        with pytest.raises(InputError) as caught:
            load_project(folder)
        [issue] = caught.value.issues
        assert (issue.file, issue.field) == ("vendors/acme.yaml", "offers[0].sla.uptime_pct")
        assert issue.line is not None and "100.5" in acme.read_text(encoding="utf-8").splitlines()[issue.line - 1]
    salt = cache_module._fingerprint()
    acme_entry = hashlib.sha256(salt + acme.read_bytes()).hexdigest()
    names = {p.name for p in _entries(folder)}
    assert acme_entry not in names
    assert len(names) == len(list(folder.rglob("*.yaml"))) - 1  # every other file is cached


def _forge(entry: Path, payload: bytes, key: bytes | None) -> None:
    tag = hmac.new(key, entry.name.encode() + b"\0" + payload, hashlib.sha256).digest() if key else b"\0" * 32
    entry.write_bytes(cache_module._MAGIC + tag + payload)


class _RunsCode:
    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, ("touch HACKED",))


@pytest.mark.parametrize("forgery", ["no key", "code in a signed entry", "truncated", "garbage"])
def test_a_tampered_entry_is_ignored(tmp_path: Path, own_key: Path, monkeypatch: pytest.MonkeyPatch,
                                     forgery: str) -> None:
    folder = copy_minimal(tmp_path / "minimal")
    expected = load_project(folder)
    acme = folder / "vendors" / "acme.yaml"
    entry = folder / CACHE_DIR / hashlib.sha256(cache_module._fingerprint() + acme.read_bytes()).hexdigest()
    assert entry.exists()
    lying = pickle.dumps({**yaml_lines.read_yaml(acme, "a", []).data, "name": "Forged CRM"})  # type: ignore[union-attr]
    if forgery == "no key":  # a colleague rewrites the entry without the user's key
        _forge(entry, lying, None)
    elif forgery == "code in a signed entry":  # even an entry signed with the key cannot name a function
        _forge(entry, pickle.dumps(_RunsCode()), own_key.read_bytes())
    elif forgery == "truncated":
        entry.write_bytes(entry.read_bytes()[:40])
    else:
        entry.write_bytes(os.urandom(300))
    monkeypatch.chdir(tmp_path)
    assert load_project(folder) == expected
    assert not (tmp_path / "HACKED").exists()
    assert ParseCache.of(folder).get(acme.read_bytes()) is not None  # the load replaced the bad entry


def test_the_cache_can_be_switched_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CACHE_SWITCH, "0")
    folder = copy_minimal(tmp_path / "minimal")
    load_project(folder)
    assert not (folder / CACHE_DIR).exists()


def test_no_key_means_no_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    monkeypatch.setattr(cache_module, "user_key_file", lambda: blocked / "parse-cache.key")
    folder = copy_minimal(tmp_path / "minimal")
    assert load_project(folder).vendor("acme").name == "Acme Cloud CRM"
    assert not (folder / CACHE_DIR).exists()


def test_a_read_only_cache_folder_is_only_a_miss(tmp_path: Path) -> None:
    folder = copy_minimal(tmp_path / "minimal")
    (folder / CACHE_DIR).write_text("a file where the cache folder would be", encoding="utf-8")
    first = load_project(folder)
    assert load_project(folder) == first


def test_the_user_key_is_private_and_kept(own_key: Path, tmp_path: Path) -> None:
    folder = copy_minimal(tmp_path / "minimal")
    load_project(folder)
    key = own_key.read_bytes()
    assert len(key) == 32 and own_key.stat().st_mode & 0o077 == 0
    load_project(folder)
    assert own_key.read_bytes() == key
