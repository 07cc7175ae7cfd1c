"""Argos Translate packages: where they live, listing, validated install, removal.

Packages live in Argos's own package directory ($ARGOS_PACKAGES_DIR, else
~/.local/share/argos-translate/packages, as argostranslate itself resolves it), so packages
installed with `argospm` are found here and ours are usable by argostranslate. The directory is
read from the environment at call time, never cached.

An archive is judged twice: by what its directory declares (sizes, ratios, names, links) before
anything is written, and by what it actually writes, since the declared sizes are the
archive's own word: members are unpacked a chunk at a time and the bytes written counted, so an
archive whose deflate streams expand more than MAX_RATIO times its size on disk, or past the
size limit, is stopped there with the reason, whatever it declares.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import tempfile
import unicodedata
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from newsalign.glossary.files import read_limited
from newsalign.translate.errors import TranslateError

ENV_MAX_MB = "NEWSALIGN_MAX_PACKAGE_MB"
DEFAULT_MAX_MB = 2048
MAX_RATIO = 100  # model weights compress little; a member that expands more is not one
RATIO_FLOOR = 64 * 1024  # below this a member (or a whole archive) may compress as it likes
MAX_METADATA = 2**20
STAGING = ".installing-"
CHUNK = 2**20  # bytes unpacked at a time, counted before they are written
# Argos packages are deflated zips; bzip2 and LZMA members decompress without a bound per read.
_METHODS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflate"}
_CODE = re.compile(r"^[a-z]{2,3}(?:[_-][A-Za-z0-9]+)?$")


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
        data = read_limited(path / "metadata.json", MAX_METADATA, what=None, error=OSError)
        meta = json.loads(data.decode("utf-8"))
    except (OSError, ValueError, RecursionError) as exc:
        raise TranslateError(f"{path.name}: unreadable metadata.json ({exc})") from None
    if not isinstance(meta, dict):
        raise TranslateError(f"{path.name}: metadata.json is not an object")
    if meta.get("type", "translate") != "translate":
        raise TranslateError(f"{path.name}: not a translation package (type {meta.get('type')!r})")
    from_code, to_code = meta.get("from_code"), meta.get("to_code")
    if not from_code or not to_code:
        raise TranslateError(f"{path.name}: metadata.json lacks from_code or to_code")
    if not all(isinstance(c, str) and _CODE.match(c) for c in (from_code, to_code)):
        raise TranslateError(
            f"{path.name}: from_code and to_code must be language codes such as de or en"
        )
    if not (path / "model" / "model.bin").is_file():
        raise TranslateError(f"{path.name}: no CTranslate2 model (model/model.bin)")
    if not (path / "sentencepiece.model").is_file():
        what = (
            "a BPE tokenizer, which newsalign does not support"
            if (path / "bpe.model").is_file()
            else "no sentencepiece.model"
        )
        raise TranslateError(f"{path.name}: {what}")
    return Package(
        f"{from_code}:{to_code}",
        from_code,
        to_code,
        str(meta.get("package_version", "")),
        path,
        _size(path),
    )


def installed() -> list[Package]:
    """Every usable package in the package directory (unusable ones are skipped)."""
    root = packages_dir()
    if root.exists() and not root.is_dir():
        raise TranslateError(
            f"the package folder {root} is a file, not a folder (see $ARGOS_PACKAGES_DIR)"
        )
    if not root.is_dir():
        return []
    clean_staging(root)
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


def max_package_bytes() -> int:
    """The largest package (uncompressed) newsalign installs: $NEWSALIGN_MAX_PACKAGE_MB, else
    2048 MB. Real Argos packages are 100-300 MB."""
    try:
        return int(float(os.environ.get(ENV_MAX_MB, DEFAULT_MAX_MB)) * 1024 * 1024)
    except ValueError:
        raise TranslateError(f"${ENV_MAX_MB} must be a number of megabytes") from None


def _bomb(size: int, compressed: int) -> bool:
    return size > RATIO_FLOOR and size > MAX_RATIO * max(compressed, 1)


def _hidden_characters(name: str) -> bool:
    """Control or format characters (U+202E RIGHT-TO-LEFT OVERRIDE, zero-width spaces...)."""
    return any(unicodedata.category(c) in ("Cc", "Cf") for c in name)


def _check_archive(archive: zipfile.ZipFile) -> str:
    names = archive.namelist()
    if not names:
        raise TranslateError("empty archive")
    tops = set()
    limit = max_package_bytes()
    total = packed = 0
    for info in archive.infolist():
        path = PurePosixPath(info.filename)
        if path.is_absolute() or ".." in path.parts or "\\" in info.filename:
            raise TranslateError(f"unsafe path in archive: {info.filename!r}")
        if (info.external_attr >> 16) & 0o170000 == 0o120000:
            raise TranslateError(f"symbolic link in archive: {info.filename!r}")
        total += info.file_size
        if info.file_size > limit or total > limit:
            raise TranslateError(
                f"archive unpacks to more than {limit // 2**20} MB (${ENV_MAX_MB} raises the limit)"
            )
        if _bomb(info.file_size, info.compress_size):
            raise TranslateError(
                f"{info.filename!r} expands {info.file_size // max(info.compress_size, 1)}"
                " times: not a model file (a zip bomb?)"
            )
        if info.compress_type not in _METHODS:
            raise TranslateError(
                f"{info.filename!r} is compressed with method {info.compress_type}"
                ": Argos packages use deflate"
            )
        if _hidden_characters(info.filename):
            raise TranslateError(
                f"{info.filename!r} has control or bidi characters in its name: "
                "refused (it could be shown as another name)"
            )
        packed += info.compress_size
        tops.add(path.parts[0])
    # Many small members can each stay under the per-member check: judge the whole archive too.
    if _bomb(total, packed):
        raise TranslateError(
            f"the archive expands {total // max(packed, 1)} times "
            f"({packed} bytes to {total}): not a model package (a zip bomb?)"
        )
    if len(tops) != 1:
        raise TranslateError("not an Argos package: expected one top-level folder")
    top = tops.pop()
    if top.startswith("."):
        raise TranslateError(f"package folder {top!r} starts with a dot (hidden): refused")
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
        raise TranslateError(
            f"{path} is not a regular file" if path.exists() else f"no such file: {path}"
        )
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise TranslateError(
            f"{path.name} is not a valid Argos package (not a zip archive)"
        ) from None
    root = packages_dir()
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise TranslateError(f"cannot create the package folder {root}: {exc.strerror}") from None
    clean_staging(root)
    with archive, _staging(root) as tmp:
        try:
            top = _check_archive(archive)
            if (root / top).exists():
                raise TranslateError(f"{top} is installed already; remove it first")
            _unpack(archive, Path(tmp), path.stat().st_size)
        except (zipfile.BadZipFile, EOFError, zlib.error) as exc:
            why = str(exc) or "it ends in the middle of a member"
            raise TranslateError(f"{path.name}: corrupt archive ({why})") from None
        except OSError as exc:  # a full disk, a read-only folder
            raise TranslateError(
                f"{path.name}: cannot unpack into {root}: {exc.strerror or exc}"
            ) from None
        except TranslateError as exc:
            raise TranslateError(f"{path.name}: {exc}") from None
        staged = Path(tmp) / top
        package = read_package(staged)
        try:
            spm.SentencePieceProcessor(model_file=str(package.sentencepiece))
            ctranslate2.Translator(str(package.model_dir), device="cpu", compute_type="int8")
        except Exception as exc:  # the engines raise RuntimeError, OSError, ValueError…
            raise TranslateError(f"{path.name}: the model does not load ({exc})") from None
        try:
            staged.rename(root / top)
        except OSError as exc:
            raise TranslateError(
                f"{path.name}: cannot install into {root}: {exc.strerror}"
            ) from None
    return read_package(root / top)


def _unpack(archive: zipfile.ZipFile, into: Path, archive_bytes: int) -> None:
    """Unpack `archive` (its names checked by _check_archive) into `into`, counting the bytes
    actually written: past the size limit, or past MAX_RATIO times the archive's size on disk
    (RATIO_FLOOR at least), it stops with the reason, whatever the members declare."""
    limit = max_package_bytes()
    expansion = max(RATIO_FLOOR, MAX_RATIO * archive_bytes)
    written = 0
    for info in archive.infolist():
        target = into / info.filename
        if info.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        with archive.open(info) as source, open(target, "wb") as out:
            while chunk := source.read(CHUNK):
                written += len(chunk)
                if written > limit:
                    raise TranslateError(
                        f"archive unpacks to more than {limit // 2**20} MB "
                        f"({written:,} bytes written, stopped there; "
                        f"${ENV_MAX_MB} raises the limit)"
                    )
                if written > expansion:
                    raise TranslateError(
                        f"the archive expands more than {MAX_RATIO} times: "
                        f"{written:,} bytes written from a {archive_bytes:,}-byte "
                        "file, stopped there, whatever its members declare: "
                        "not a model package (a zip bomb?)"
                    )
                out.write(chunk)


@contextmanager
def _staging(root: Path) -> Iterator[str]:
    """A staging folder named after this process, removed afterwards (and, if this process is
    killed, by the next install or listing: see clean_staging)."""
    with tempfile.TemporaryDirectory(dir=root, prefix=f"{STAGING}{os.getpid()}-") as tmp:
        yield tmp


def clean_staging(root: Path) -> list[Path]:
    """Remove staging folders of installs whose process is gone; returns what was removed."""
    removed = []
    for path in root.glob(f"{STAGING}*"):
        pid_text = path.name[len(STAGING) :].split("-", 1)[0]
        alive = False
        if pid_text.isdigit():
            try:
                os.kill(int(pid_text), 0)
                alive = True
            except ProcessLookupError:
                alive = False
            except PermissionError:
                alive = True
        if not alive and path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def install_from_index(code: str) -> Package:
    """Download `de:en` from the Argos package index through argostranslate (needs network)."""
    from_code, _, to_code = code.partition(":")
    if not from_code or not to_code:
        raise TranslateError(f"{code!r} is neither a file nor a language pair such as de:en")
    import argostranslate.package as argos_package
    import argostranslate.settings as argos_settings

    with _argos_errors() as errors:  # argostranslate logs a raw (URLError(...),) and returns
        argos_package.update_package_index()
    if not Path(argos_settings.local_package_index).exists():
        why = f" ({errors[-1]})" if errors else ""
        raise TranslateError(
            f"cannot reach the Argos package index{why}; offline, install a package file "
            "instead: copy the .argosmodel file here from a machine with network and run "
            "`newsalign models install FILE.argosmodel`"
        )
    available = [
        p
        for p in argos_package.get_available_packages()
        if (p.from_code, p.to_code) == (from_code, to_code)
    ]
    if not available:
        raise TranslateError(f"the Argos package index has no {from_code}→{to_code} package")
    try:
        download = Path(available[0].download())
    except Exception as exc:  # argostranslate raises bare Exception on failed downloads
        raise TranslateError(f"download of {code} failed: {exc}") from None
    return install_file(download)


class _Kept(logging.Handler):
    """Keeps the reason of each error logged, instead of printing it."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.reasons: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()  # "(URLError(gaierror(-2, 'Name or service not known')),)"
        reason = re.search(r"'([^']+)'", text)
        self.reasons.append(reason.group(1) if reason else text.strip("(),"))


@contextmanager
def _argos_errors() -> Iterator[list[str]]:
    """The reasons of the errors argostranslate logs meanwhile, kept instead of printed."""
    logger = logging.getLogger("argostranslate.utils")
    kept, propagate = _Kept(), logger.propagate
    logger.addHandler(kept)
    logger.propagate = False
    try:
        yield kept.reasons
    finally:
        logger.removeHandler(kept)
        logger.propagate = propagate


def remove(code: str) -> list[Package]:
    """Remove the packages for a pair (`de:en`) or the package folder of that name."""
    targets = [p for p in installed() if code in (p.code, p.path.name)]
    if not targets:
        raise TranslateError(f"no installed package {code!r} (see `newsalign models list`)")
    for package in targets:
        try:
            shutil.rmtree(package.path)
        except OSError as exc:
            raise TranslateError(f"cannot remove {package.path}: {exc.strerror}") from None
    return targets
