"""The parsed files of rules/, read through a verified cache.

Parsing YAML costs ~35 ms (import and parse) on every start; the same data as JSON loads in
under 1 ms. The cache holds only the parsed documents (never answers). An entry is named by a
hash of every file's path and bytes and the triage version, so an edit makes a new entry; and
it is trusted only when it proves it was written by this user for exactly these files:

- the cache folder must be private to this user (a folder of theirs that nobody else can read
  or write; the default folder is made so, TRIAGE_CACHE_DIR is used only if it already is);
- each entry carries an HMAC-SHA256, with a secret kept in that folder (made at random on first
  use, readable only by this user), over the full hash of the source files and the data;
- an entry is opened without following a symlink, must be a regular file of this user of a
  bounded size (a FIFO, a device or a huge file is never read), and must hold exactly the
  files it claims to.

Anything else is ignored and rebuilt from the YAML, never trusted: a planted entry cannot change
a rule. Two more things are kept the same way (`SignedStore`): the templates' compiled code
(triage.sheet) and the data the loader built and checked from these documents (triage.pipeline),
so that the checks run whenever any file, or triage's code, changes. The cache is skipped when
TRIAGE_CACHE_DIR=off or the folder cannot be used.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Any

from triage import __version__
from triage.errors import DataFileError, TriageError

if TYPE_CHECKING:
    from triage.model import Phrases

MAX_RULES_FILE = 5_000_000  # bytes in one rules file
_HEADER = b"triage-cache 2\n"
_KEY_BYTES = 32


def cache_dir() -> Path | None:
    setting = os.environ.get("TRIAGE_CACHE_DIR", "")
    if setting.lower() == "off":
        return None
    if setting:
        return Path(setting)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "triage"


def private_folder(folder: Path, ours: bool) -> bool:
    """Is `folder` a folder of this user that nobody else can read or write? A missing one is
    made so (0700). `ours`: it is the default folder, whose mode is tightened when too open (a
    folder named by TRIAGE_CACHE_DIR is never changed, only refused)."""
    try:
        if not folder.exists():
            folder.parent.mkdir(parents=True, exist_ok=True)
            with contextlib.suppress(FileExistsError):
                folder.mkdir(mode=0o700)
        link, st = folder.lstat(), folder.stat()
        if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.geteuid():
            return False
        if stat.S_ISLNK(link.st_mode) and link.st_uid != os.geteuid():
            return False  # a link someone else made (in a shared XDG_CACHE_HOME) is not ours
        if st.st_mode & 0o077:
            if not ours or folder.is_symlink():
                return False
            folder.chmod(0o700)
        return True
    except OSError:
        return False


def _read_at_most(fd: int, most: int) -> bytes:
    """Up to `most` bytes of an open file, a megabyte at a time (a bigger file is cut there)."""
    chunks, left = [], most
    while left > 0:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _read_own_file(path: Path, limit: int) -> bytes | None:
    """The bytes of `path` if it is a regular file of this user that nobody else can read or
    write, not a symlink, of at most `limit` bytes; None otherwise (a FIFO or a device is never
    read, so it never hangs a run)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if (
            not stat.S_ISREG(st.st_mode)
            or st.st_uid != os.geteuid()
            or st.st_mode & 0o077
            or st.st_size > limit
        ):
            return None
        data = _read_at_most(fd, limit + 1)
        return data if len(data) <= limit else None
    except OSError:
        return None
    finally:
        os.close(fd)


def _secret(folder: Path) -> bytes | None:
    """This user's cache key: made at random once, kept in the private cache folder. A key that
    cannot be used (not a key, readable by others, not this user's file, an empty folder) is
    replaced by a new one: left, it would keep the cache off for good, without a word. Entries
    signed with the old key then fail their MAC and are rebuilt."""
    path = folder / "key"
    if not os.path.lexists(path):
        _new_key(folder, path, replace=False)  # never replaces a key another run just made
    key = _key_in(path)
    if key is None:
        _new_key(folder, path, replace=True)
        key = _key_in(path)
    return key


def _key_in(path: Path) -> bytes | None:
    raw = _read_own_file(path, 2 * _KEY_BYTES)
    try:
        key = bytes.fromhex(raw.decode("ascii")) if raw else b""
    except ValueError:
        return None
    return key if len(key) == _KEY_BYTES else None


def _new_key(folder: Path, path: Path, replace: bool) -> None:
    from triage.files import writer

    fresh = folder / f"key.{os.getpid()}.new"
    try:
        with writer(str(fresh), follow=False) as fh:
            fh.write(os.urandom(_KEY_BYTES).hex())
        if replace and stat.S_ISDIR(os.lstat(path).st_mode):
            os.rmdir(path)  # an empty folder in the key's place; one with files in it is kept
        (os.replace if replace else os.link)(fresh, path)
    except (OSError, TriageError):
        pass  # no key: no cache, and every result is still right
    finally:
        with contextlib.suppress(OSError):
            os.unlink(fresh)


class SignedStore:
    """Entries of the private cache folder, each trusted only with this user's HMAC over its
    name and its bytes (as the parsed rules are: the module's notes). Used for the parsed rules
    and for the templates' compiled code (triage.sheet)."""

    def __init__(self, folder: Path, key: bytes) -> None:
        self.folder, self.key = folder, key

    @classmethod
    def open(cls) -> SignedStore | None:
        """This user's store, or None when there is no private cache folder to use."""
        folder = cache_dir()
        ours = not os.environ.get("TRIAGE_CACHE_DIR")
        key = _secret(folder) if folder is not None and private_folder(folder, ours) else None
        return cls(folder, key) if folder is not None and key else None

    def _mac(self, name: str, payload: bytes) -> bytes:
        return (
            hmac.new(self.key, name.encode() + b"\n" + payload, hashlib.sha256).hexdigest().encode()
        )

    def get(self, name: str, limit: int) -> bytes | None:
        """The payload of entry `name`, if this user's triage wrote exactly it."""
        raw = _read_own_file(self.folder / name, limit)
        if raw is None or not raw.startswith(_HEADER):
            return None
        mac, _, payload = raw[len(_HEADER) :].partition(b"\n")
        return payload if hmac.compare_digest(mac, self._mac(name, payload)) else None

    def put(self, name: str, payload: bytes, keep: int = 8) -> None:
        """Best effort (ASCII payloads): a cache that cannot be written only costs time. Only
        the `keep` newest entries of this kind (the part of the name before its first "-")
        stay: every edit of the rules or of triage makes new ones, and the old are not read."""
        from triage.files import writer

        try:
            with writer(str(self.folder / name), follow=False) as fh:
                fh.write((_HEADER + self._mac(name, payload) + b"\n" + payload).decode("ascii"))
            prune(self.folder, name, keep)
        except (OSError, TriageError, UnicodeError):
            pass


def prune(folder: Path, newest: str, keep: int) -> None:
    """Remove all but the `keep` newest entries of `newest`'s kind (the part of its name before
    the first "-"): every edit of the rules or of triage makes new ones, and the old are not
    read. A link is removed as a name, never followed."""
    kind = newest.partition("-")[0] + "-"
    with os.scandir(folder) as found:
        entries = [e for e in found if e.name.startswith(kind) and e.name != newest]
    entries.sort(key=lambda e: e.stat(follow_symlinks=False).st_mtime_ns, reverse=True)
    for old in entries[keep - 1 :]:
        with contextlib.suppress(OSError):  # another run may have removed it first
            os.unlink(old.path)


MAX_RULES_FOLDERS = 200  # folders under one rules folder, links followed: it is small


def _yaml_files(root: Path) -> list[Path]:
    """Every *.yaml name under `root`, sorted. A symbolic link to a folder is followed, as a
    folder there would be (a copy may share its logic/ with another), unless it leads back to
    a folder it is inside (a loop). A folder that cannot be read, or more than
    MAX_RULES_FOLDERS of them (a link to / or /proc), is an error, never skipped."""

    def unreadable(error: OSError) -> None:
        raise DataFileError(str(error.filename), "folder", f"cannot be read: {error.strerror}")

    found: list[Path] = []
    for count, (folder, folders, names) in enumerate(
        os.walk(root, onerror=unreadable, followlinks=True)
    ):
        if count >= MAX_RULES_FOLDERS:
            raise DataFileError(
                str(root),
                "folder",
                f"holds more than {MAX_RULES_FOLDERS} folders; a rules folder is small",
            )
        inside = Path(folder).relative_to(root).parts
        above = {os.path.realpath(Path(root, *inside[:i])) for i in range(len(inside))}
        if os.path.realpath(folder) in above:
            folders.clear()  # a link back up: its files are read where they are
            continue
        found += [Path(folder, name) for name in names if name.endswith(".yaml")]
    return sorted(found)


def _read_rules_file(path: Path) -> bytes:
    """A rules file's bytes. Anything but a regular file (a link to nothing, a pipe, a device)
    is an error, never skipped: its rules would be lost without a word. Opened without
    blocking, and read to MAX_RULES_FILE at most, so no file can hang a start."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        raise DataFileError(str(path), "file", "is a link to nothing; fix or remove it") from None
    except OSError as exc:
        raise DataFileError(str(path), "file", f"cannot be read: {exc.strerror}") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise DataFileError(str(path), "file", "is not a plain file (a pipe or a device?)")
        data = _read_at_most(fd, MAX_RULES_FILE + 1)
    except OSError as exc:
        raise DataFileError(str(path), "file", f"cannot be read: {exc.strerror}") from None
    finally:
        os.close(fd)
    if len(data) > MAX_RULES_FILE:
        raise DataFileError(str(path), "file", "is larger than 5 MB; a rules file is small")
    return data


class RulesFiles:
    """The bytes of every rules/*.yaml file, by name, read once, and a digest of them all and
    of the triage version: what names a cache entry made from them."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.contents: dict[str, bytes] = {}
        for p in _yaml_files(root):
            self.contents[p.relative_to(root).as_posix()] = _read_rules_file(p)
        digest = hashlib.sha256(__version__.encode())
        for name, data in self.contents.items():
            digest.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
        self.digest = digest.hexdigest()


class Documents:
    """rules/*.yaml, parsed: `docs[path]` gives one file's data."""

    def __init__(self, root: Path, files: RulesFiles | None = None) -> None:
        """`files`: the folder's files, when they were read already (as triage.pipeline does)."""
        files = files or RulesFiles(root)
        self.root, self.digest, self._contents = root, files.digest, files.contents
        self._data = self._from_cache(self.digest, self._contents)

    def __getitem__(self, path: Path) -> Any:
        name = path.relative_to(self.root).as_posix()
        if name not in self._data:
            raise DataFileError(str(path), "file", "cannot be read: no such file")
        return self._data[name]

    def names(self, folder: str) -> list[str]:
        return sorted(n for n in self._data if n.startswith(folder + "/"))

    def _from_cache(self, digest: str, contents: dict[str, bytes]) -> dict[str, Any]:
        folder = cache_dir()
        ours = not os.environ.get("TRIAGE_CACHE_DIR")
        key = _secret(folder) if folder is not None and private_folder(folder, ours) else None
        entry = folder / f"rules-{digest[:32]}.json" if folder is not None and key else None
        if entry is not None and key is not None:
            limit = 20 * sum(map(len, contents.values())) + 1_000_000
            cached = self._verified(_read_own_file(entry, limit), key, digest)
            if isinstance(cached, dict) and set(cached) == set(contents):
                return cached
        data = {name: self._parse(name, raw) for name, raw in contents.items()}
        if entry is not None and key is not None:
            self._store(entry, key, digest, data)
        return data

    @staticmethod
    def _mac(key: bytes, digest: str, payload: bytes) -> bytes:
        return hmac.new(key, digest.encode() + b"\n" + payload, hashlib.sha256).hexdigest().encode()

    def _verified(self, raw: bytes | None, key: bytes, digest: str) -> Any:
        """The data an entry holds, if its MAC proves this user wrote it for these files."""
        if raw is None or not raw.startswith(_HEADER):
            return None
        mac, _, payload = raw[len(_HEADER) :].partition(b"\n")
        if not hmac.compare_digest(mac, self._mac(key, digest, payload)):
            return None
        try:
            return json.loads(payload)
        except (ValueError, RecursionError):
            return None

    def _words(self, broken: str) -> Phrases | None:
        """ui.yaml's words, to say what is wrong with another rules file; None when ui.yaml is
        itself the broken one (or missing): the refusal then shows its key."""
        from triage.files import parse_yaml
        from triage.loader import phrases_from

        raw = self._contents.get("ui.yaml")
        if broken == "ui.yaml" or raw is None:
            return None
        try:
            return phrases_from(parse_yaml(raw.decode("utf-8")), self.root / "ui.yaml")
        except Exception:  # a second broken file: the first is reported, by its key
            return None

    def _parse(self, name: str, raw: bytes) -> Any:
        import yaml

        from triage.files import parse_yaml, yaml_problem

        path = str(self.root / name)
        try:
            return parse_yaml(raw.decode("utf-8"))
        except UnicodeDecodeError as exc:
            raise DataFileError(path, "file", f"is not UTF-8 text: {exc}") from None
        except yaml.YAMLError as exc:
            raise DataFileError(path, "YAML", yaml_problem(exc, self._words(name))) from None
        except RecursionError:
            raise DataFileError(path, "YAML", "it is nested too deeply") from None

    def _store(self, entry: Path, key: bytes, digest: str, data: dict[str, Any]) -> None:
        """Best effort: a cache that cannot be written only costs time."""
        from triage.files import writer

        try:
            payload = json.dumps(data, allow_nan=False).encode("ascii")
            if json.loads(payload) != data:
                # JSON would change what the files say (a key 1 read back as "1", two keys
                # made one): such files are parsed every time, never cached as something else
                return
            with writer(str(entry), follow=False) as fh:
                fh.write((_HEADER + self._mac(key, digest, payload) + b"\n" + payload).decode())
            prune(entry.parent, entry.name, keep=8)
        except (OSError, TypeError, ValueError, TriageError):
            pass
