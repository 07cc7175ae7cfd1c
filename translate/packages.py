"""Argos Translate packages: where they live, listing, validated install, removal.

Packages live in Argos's own package directory ($ARGOS_PACKAGES_DIR, else
~/.local/share/argos-translate/packages, as argostranslate itself resolves it), so packages
installed with `argospm` are found here and ours are usable by argostranslate. The directory is
read from the environment at call time, never cached.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from newsalign.translate.errors import TranslateError


@dataclass(frozen=True)
class Package:
    """An installed translation package."""

    code: str  # "de:en"
    from_code: str
    to_code: str
    version: str
    path: Path
    size: int  # bytes on disk

    @property
    def model_dir(self) -> Path:
        return self.path / "model"

    @property
    def sentencepiece(self) -> Path:
        return self.path / "sentencepiece.model"

    @property
    def id(self) -> str:
        """What translations record as their model: pair and package version."""
        return f"argos:{self.from_code}-{self.to_code}@{self.version}"


def packages_dir() -> Path:
    """Argos's package directory, honouring ARGOS_PACKAGES_DIR and XDG_DATA_HOME."""
    configured = os.environ.get("ARGOS_PACKAGES_DIR")
    if configured:
        return Path(configured)
    data = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data) / "argos-translate" / "packages"


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def read_package(path: Path) -> Package:
    """A package directory's metadata; raises TranslateError if it is not a usable package."""
    try:
        meta = json.loads((path / "metadata.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise TranslateError(f"{path.name}: unreadable metadata.json ({exc})") from None
    if meta.get("type", "translate") != "translate":
        raise TranslateError(f"{path.name}: not a translation package (type {meta.get('type')!r})")
    from_code, to_code = meta.get("from_code"), meta.get("to_code")
    if not from_code or not to_code:
        raise TranslateError(f"{path.name}: metadata.json lacks from_code or to_code")
    if not (path / "model" / "model.bin").is_file():
        raise TranslateError(f"{path.name}: no CTranslate2 model (model/model.bin)")
    if not (path / "sentencepiece.model").is_file():
        what = (
            "a BPE tokenizer, which newsalign does not support"
            if (path / "bpe.model").is_file()
            else "no sentencepiece.model"
        )
        raise TranslateError(f"{path.name}: {what}")
    return Package(f"{from_code}:{to_code}", from_code, to_code, str(meta.get("package_version", "")),
                   path, _size(path))  # fmt: skip


def installed() -> list[Package]:
    """Every usable package in the package directory (unusable ones are skipped)."""
    root = packages_dir()
    if not root.is_dir():
        return []
    found = []
    for path in sorted(root.iterdir()):
        if path.is_dir() and not path.name.startswith("."):
            try:
                found.append(read_package(path))
            except TranslateError:
                continue
    return found


def find(from_code: str, to_code: str) -> Package | None:
    """The newest installed package for a language pair, if any."""
    from packaging.version import InvalidVersion, Version

    def version_key(p: Package):
        try:
            return Version(p.version)
        except InvalidVersion:
            return Version("0")

    matches = [p for p in installed() if (p.from_code, p.to_code) == (from_code, to_code)]
    return max(matches, key=version_key) if matches else None


def _check_archive(archive: zipfile.ZipFile) -> str:
    names = archive.namelist()
    if not names:
        raise TranslateError("empty archive")
    tops = set()
    for info in archive.infolist():
        path = PurePosixPath(info.filename)
        if path.is_absolute() or ".." in path.parts or "\\" in info.filename:
            raise TranslateError(f"unsafe path in archive: {info.filename!r}")
        if (info.external_attr >> 16) & 0o170000 == 0o120000:
            raise TranslateError(f"symbolic link in archive: {info.filename!r}")
        tops.add(path.parts[0])
    if len(tops) != 1:
        raise TranslateError("not an Argos package: expected one top-level folder")
    top = tops.pop()
    if f"{top}/metadata.json" not in names:
        raise TranslateError("not an Argos package: no metadata.json")
    if not any(n.startswith(f"{top}/model/") for n in names):
        raise TranslateError("not an Argos package: no model/ folder")
    return top


def install_file(path: Path) -> Package:
    """Validate and install an `.argosmodel` file; nothing is installed if any check fails."""
    import ctranslate2
    import sentencepiece as spm

    if not path.is_file():
        raise TranslateError(f"no such file: {path}")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise TranslateError(
            f"{path.name} is not a valid Argos package (not a zip archive)"
        ) from None
    root = packages_dir()
    root.mkdir(parents=True, exist_ok=True)
    with archive, tempfile.TemporaryDirectory(dir=root, prefix=".installing-") as tmp:
        try:
            top = _check_archive(archive)
            if (root / top).exists():
                raise TranslateError(f"{top} is installed already; remove it first")
            archive.extractall(tmp)
        except zipfile.BadZipFile as exc:
            raise TranslateError(f"{path.name}: corrupt archive ({exc})") from None
        except TranslateError as exc:
            raise TranslateError(f"{path.name}: {exc}") from None
        staged = Path(tmp) / top
        package = read_package(staged)
        try:
            spm.SentencePieceProcessor(model_file=str(package.sentencepiece))
            ctranslate2.Translator(str(package.model_dir), device="cpu", compute_type="int8")
        except Exception as exc:  # the engines raise RuntimeError, OSError, ValueError…
            raise TranslateError(f"{path.name}: the model does not load ({exc})") from None
        staged.rename(root / top)
    return read_package(root / top)


def install_from_index(code: str) -> Package:
    """Download `de:en` from the Argos package index through argostranslate (needs network)."""
    from_code, _, to_code = code.partition(":")
    if not from_code or not to_code:
        raise TranslateError(f"{code!r} is neither a file nor a language pair such as de:en")
    import argostranslate.package as argos_package
    import argostranslate.settings as argos_settings

    argos_package.update_package_index()
    if not Path(argos_settings.local_package_index).exists():
        raise TranslateError(
            "cannot reach the Argos package index (offline?); install from an .argosmodel file"
        )
    available = [
        p for p in argos_package.get_available_packages()
        if (p.from_code, p.to_code) == (from_code, to_code)
    ]  # fmt: skip
    if not available:
        raise TranslateError(f"the Argos package index has no {from_code}→{to_code} package")
    try:
        download = Path(available[0].download())
    except Exception as exc:  # argostranslate raises bare Exception on failed downloads
        raise TranslateError(f"download of {code} failed: {exc}") from None
    return install_file(download)


def remove(code: str) -> list[Package]:
    """Remove the packages for a pair (`de:en`) or the package folder of that name."""
    targets = [p for p in installed() if code in (p.code, p.path.name)]
    if not targets:
        raise TranslateError(f"no installed package {code!r} (see `newsalign models list`)")
    for package in targets:
        shutil.rmtree(package.path)
    return targets
