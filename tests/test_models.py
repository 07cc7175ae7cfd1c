"""Model management through the real code: install, list, remove, validation."""

import json
import zipfile
from pathlib import Path

import pytest

from newsalign.translate import packages
from newsalign.translate.errors import TranslateError


def test_install_list_remove(cli, argos_dir, tiny_packages) -> None:
    result = cli("models", "install", str(tiny_packages["de:en"]))
    assert result.exit_code == 0, result.output
    assert "Installed de:en 0.1" in result.output
    (row,) = json.loads(cli("models", "list", "--json").output)
    assert row["code"] == "de:en" and row["path"].startswith(str(argos_dir))
    # argostranslate itself can read what we installed.
    import argostranslate.package

    package = argostranslate.package.Package(Path(row["path"]))
    assert (package.from_code, package.to_code) == ("de", "en")
    again = cli("models", "install", str(tiny_packages["de:en"]))
    assert again.exit_code == 1 and "installed already" in again.output
    assert cli("models", "remove", "de:en").exit_code == 0
    assert json.loads(cli("models", "list", "--json").output) == []
    assert cli("models", "remove", "de:en").exit_code == 1


def _rewrite(
    source: Path,
    target: Path,
    *,
    drop: str = "",
    add: dict[str, bytes] | None = None,
    corrupt: str = "",
) -> Path:
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w") as dst:
        for info in src.infolist():
            if drop and drop in info.filename:
                continue
            data = src.read(info)
            if corrupt and info.filename.endswith(corrupt):
                data = data[: len(data) // 3]
            dst.writestr(info, data)
        for name, data in (add or {}).items():
            dst.writestr(name, data)
    return target


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"drop": "metadata.json"}, "no metadata.json"),
        ({"drop": "/model/"}, "no model/ folder"),
        ({"drop": "sentencepiece.model"}, "no sentencepiece.model"),
        ({"add": {"../evil.txt": b"x"}}, "unsafe path"),
        ({"add": {"other/metadata.json": b"{}"}}, "one top-level folder"),
        ({"corrupt": "model.bin"}, "does not load"),
    ],
)
def test_bad_packages_are_refused_and_nothing_is_installed(
    argos_dir, tiny_packages, tmp_path, change, message
) -> None:
    bad = _rewrite(tiny_packages["de:en"], tmp_path / "bad.argosmodel", **change)
    with pytest.raises(TranslateError, match=message):
        packages.install_file(bad)
    leftovers = [p.name for p in argos_dir.iterdir()] if argos_dir.exists() else []
    assert leftovers == []


def test_a_file_that_is_not_a_zip(cli, argos_dir, tmp_path) -> None:
    junk = tmp_path / "junk.argosmodel"
    junk.write_bytes(b"not a zip at all")
    result = cli("models", "install", str(junk))
    assert result.exit_code == 1 and "not a zip archive" in result.output


def test_index_install_offline_is_one_clear_line(cli, argos_dir, monkeypatch, tmp_path) -> None:
    import argostranslate.package
    import argostranslate.settings

    monkeypatch.setattr(argostranslate.package, "update_package_index", lambda: None)
    monkeypatch.setattr(argostranslate.settings, "local_package_index", tmp_path / "none.json")
    result = cli("models", "install", "de:en")
    assert result.exit_code == 1
    assert "cannot reach the Argos package index" in result.output
    assert len(result.output.strip().splitlines()) == 1


@pytest.mark.slow
def test_packages_are_shared_with_argospm(cli, argos_dir, tiny_packages) -> None:
    """argos-translate-lt's own package manager and newsalign see the same folder."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "ARGOS_PACKAGES_DIR": str(argos_dir)}
    assert cli("models", "install", str(tiny_packages["de:en"])).exit_code == 0
    argospm = [str(Path(sys.executable).parent / "argospm")]  # its console script
    listed = subprocess.run([*argospm, "list"], env=env, capture_output=True, text=True)
    assert "translate-de_en" in listed.stdout, listed.stderr
    removed = subprocess.run(
        [*argospm, "remove", "translate-de_en"], env=env, capture_output=True, text=True
    )
    assert removed.returncode == 0, removed.stdout + removed.stderr
    assert json.loads(cli("models", "list", "--json").output) == []
    # What argospm installs (after its download) newsalign lists, uses and removes.
    code = (
        "import sys, pathlib, argostranslate.package as p; "
        "p.install_from_path(pathlib.Path(sys.argv[1]))"
    )
    subprocess.run([sys.executable, "-c", code, str(tiny_packages["en:fr"])], env=env, check=True)
    (row,) = json.loads(cli("models", "list", "--json").output)
    assert row["code"] == "en:fr"
    assert cli("models", "remove", "en:fr").exit_code == 0
    listed = subprocess.run([*argospm, "list"], env=env, capture_output=True, text=True)
    assert "translate-en_fr" not in listed.stdout
