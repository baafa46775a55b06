"""The cramp diary: one SQLite file in the person's data folder, private to them.

Where: `$TRIAGE_DATA_DIR` (for tests), else `$XDG_DATA_HOME/triage`, else
~/.local/share/triage; never the cache folder, never sent anywhere. The folder is 0700 and the
files 0600 (SQLite gives its -wal and -shm files the database file's mode).

Safe to share: WAL journal, a busy timeout, and every write in its own `BEGIN IMMEDIATE`
transaction, so two terminals writing at once both get their entries in; a write that is killed
half-way is rolled back by SQLite the next time the file is opened, leaving the diary as it was.
Deleted entries are overwritten on disk (secure_delete). Any SQLite failure becomes one line
(DiaryError), never a traceback. No words a person reads are here: they are in
rules/followup.yaml, passed in as `messages`.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import os
import sqlite3
import stat
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from triage.errors import DiaryError

SCHEMA_VERSION = 1
FILE = "diary.sqlite3"
SCHEMA = """
CREATE TABLE IF NOT EXISTS cramps (
    id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused, so 'delete 3' cannot hit a newer one
    at TEXT NOT NULL,                      -- local time, YYYY-MM-DDTHH:MM
    muscle TEXT NOT NULL,                  -- a `locations` value of the answers contract
    duration TEXT NOT NULL,                -- a `duration` value of the answers contract
    pain INTEGER CHECK (pain BETWEEN 0 AND 10),
    woke INTEGER CHECK (woke IN (0, 1)),
    tried TEXT NOT NULL DEFAULT '[]',      -- JSON list of remedy ids, or 'other'
    helped TEXT CHECK (helped IN ('helped', 'a_little', 'not_helped'))
);
CREATE INDEX IF NOT EXISTS cramps_at ON cramps (at);
"""
MUSCLES = ("calf", "foot", "toes", "thigh_front", "thigh_back")
DURATIONS = ("seconds", "minutes", "over_10_minutes")  # shortest first
FREQUENCIES = ("rare", "monthly", "weekly", "most_days")  # least first
HELPED = ("helped", "a_little", "not_helped")
FIELDS = ("at", "muscle", "duration", "pain", "woke", "tried", "helped")


WAIT = 30.0  # seconds a writer waits for another one before it gives up


def _busy(exc: sqlite3.Error) -> bool:
    """SQLITE_BUSY: another connection holds the lock (not damage)."""
    code = getattr(exc, "sqlite_errorcode", None)  # Python 3.11 and newer
    if code is not None:
        return int(code) & 0xFF == 5
    return isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc)


def _damaged(exc: BaseException) -> bool:
    """Is the file itself bad (SQLITE_CORRUPT, SQLITE_NOTADB, a failed check, a row no triage
    writes)? Anything else (it cannot be opened or written: a read-only disk, a folder where
    WAL's -shm file cannot be made) leaves a good diary, which must never be moved away."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return int(code) & 0xFF in (11, 26)
    # Python 3.10 has no codes: SQLite's "cannot open", "read-only" and "disk I/O" errors are
    # OperationalError; "malformed" and "not a database" are plain DatabaseError
    return not isinstance(exc, sqlite3.OperationalError)


def _write_ahead(db: sqlite3.Connection, deadline: float) -> None:
    """Put the diary in WAL mode (kept in the file), DELETE where the file system has no WAL.

    While another connection holds the write lock of a file not yet in WAL mode, SQLite
    refuses the change at once, without its busy handler: two first writers made one of them
    fail with "database is locked" in about 1 run in 5 of test_two_writers_at_once_lose_nothing.
    So the mode is only changed when it is not WAL yet, and a busy answer is tried again until
    the deadline.
    """
    while True:
        _wait_until(db, deadline)
        try:
            if db.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
                return
            if db.execute("PRAGMA journal_mode = WAL").fetchone()[0] != "wal":
                db.execute("PRAGMA journal_mode = DELETE")
            return
        except sqlite3.OperationalError as exc:
            if not _busy(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.005)


def _wait_until(db: sqlite3.Connection, deadline: float) -> None:
    """SQLite's busy wait for the next statement: what is left of the whole wait, so that a
    run of statements, each waiting in turn, never waits longer than the wait in all."""
    left = max(0, int((deadline - time.monotonic()) * 1000))
    db.execute(f"PRAGMA busy_timeout = {left}")


class Entry(NamedTuple):
    id: int
    at: datetime.datetime
    muscle: str
    duration: str
    pain: int | None = None
    woke: bool | None = None
    tried: tuple[str, ...] = ()
    helped: str | None = None

    def night(self) -> datetime.date:
        """The night it belongs to, by the evening it began (a night runs noon to noon)."""
        return (self.at - datetime.timedelta(hours=12)).date()

    def to_dict(self) -> dict[str, Any]:
        out = self._asdict()
        out["at"] = self.at.strftime("%Y-%m-%dT%H:%M")
        out["tried"] = list(self.tried)
        return out


def folder() -> Path:
    setting = os.environ.get("TRIAGE_DATA_DIR")
    if setting:
        return Path(setting)
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local/share")
    return Path(base) / "triage"


def _say(messages: Mapping[str, str], key: str, **values: Any) -> str:
    return messages[key].format(**values)


class Diary:
    """The diary file. Opening does not create it: only the first write does."""

    def __init__(
        self, messages: Mapping[str, str], path: Path | None = None, wait: float | None = None
    ) -> None:
        """`wait`: seconds to wait for another program that holds the file, in all (WAIT)."""
        self.messages = messages
        self.path = path or folder() / FILE
        self.wait = WAIT if wait is None else wait

    # -- the file --------------------------------------------------------------------------
    def exists(self) -> bool:
        return self.path.is_file()

    def _fail(self, exc: BaseException) -> DiaryError:
        problem = " ".join(str(exc).split()) or type(exc).__name__
        if isinstance(exc, OSError) and exc.strerror:
            problem = exc.strerror
        if isinstance(exc, sqlite3.Error) and _busy(exc):
            # another program holds the diary: it is fine, and must not be moved
            return DiaryError(_say(self.messages, "busy", path=self.path, seconds=self.wait))
        kind = "corrupt" if _damaged(exc) else "cannot_open"
        return DiaryError(_say(self.messages, kind, path=self.path, problem=problem))

    def _make_private(self) -> None:
        """The folder 0700 and the file 0600, made before SQLite opens it."""
        where = self.path.parent
        if self.path.is_symlink():  # written only as a file of its own (O_NOFOLLOW, below)
            raise DiaryError(_say(self.messages, "is_link", path=self.path))
        try:
            where.mkdir(mode=0o700, parents=True, exist_ok=True)
            info = where.stat()
            if info.st_uid != os.getuid():
                raise DiaryError(_say(self.messages, "not_private", path=where))
            if stat.S_IMODE(info.st_mode) != 0o700:
                os.chmod(where, 0o700)
            fd = os.open(self.path, os.O_CREAT | os.O_WRONLY | os.O_NOFOLLOW, 0o600)
            os.close(fd)
            if stat.S_IMODE(os.stat(self.path).st_mode) != 0o600:
                os.chmod(self.path, 0o600)
        except OSError as exc:
            raise DiaryError(
                _say(self.messages, "cannot_write", path=where, problem=exc.strerror or exc)
            ) from None

    @contextlib.contextmanager
    def _connect(self, write: bool) -> Iterator[sqlite3.Connection]:
        """The open diary, checked. Every wait for another program holding it comes out of
        one budget (`self.wait`), the caller's statements after this too."""
        deadline = time.monotonic() + self.wait
        if write:
            self._make_private()
        try:
            db = sqlite3.connect(
                f"file:{self.path}?mode=rw",  # never creates it: _make_private does, for writes
                uri=True,
                timeout=self.wait,
                isolation_level=None,  # transactions are begun and ended here, explicitly
            )
        except sqlite3.Error as exc:
            raise self._fail(exc) from None
        try:
            _wait_until(db, deadline)
            if write:
                db.execute("PRAGMA secure_delete = ON")
                _write_ahead(db, deadline)
                db.execute("PRAGMA synchronous = FULL")
                _wait_until(db, deadline)
            version = db.execute("PRAGMA user_version").fetchone()[0]
            verdict = db.execute("PRAGMA quick_check(1)").fetchone()[0]  # a diary is small: ms
            if verdict != "ok":
                raise sqlite3.DatabaseError(verdict)
            if version > SCHEMA_VERSION:
                raise DiaryError(_say(self.messages, "newer", path=self.path))
            if write and version < SCHEMA_VERSION:
                # In the script, not before it: executescript ends an open transaction first
                # (Python 3.11 and older), which left two first writers making the table at once.
                _wait_until(db, deadline)
                db.executescript(
                    f"BEGIN IMMEDIATE; {SCHEMA} PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;"
                )
            _wait_until(db, deadline)
            yield db
        except sqlite3.Error as exc:
            raise self._fail(exc) from None
        finally:
            db.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write, all or nothing: BEGIN IMMEDIATE waits (busy timeout) for another writer."""
        with self._connect(write=True) as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    # -- reading ---------------------------------------------------------------------------
    def entries(
        self, first: datetime.date | None = None, last: datetime.date | None = None
    ) -> list[Entry]:
        """Entries between two days (both included), oldest first; [] when there is no diary."""
        if not self.exists():
            return []
        low = first.isoformat() if first else ""
        high = (last + datetime.timedelta(days=1)).isoformat() if last else "9999"
        with self._connect(write=False) as db:
            if db.execute("PRAGMA user_version").fetchone()[0] == 0:
                return []  # created, never written
            rows = db.execute(
                f"SELECT id, {', '.join(FIELDS)} FROM cramps WHERE at >= ? AND at < ? "
                "ORDER BY at, id",
                (low, high),
            ).fetchall()
        return [self._entry(row) for row in rows]

    def get(self, number: int) -> Entry:
        found = [e for e in self.entries() if e.id == number]
        if not found:
            raise DiaryError(_say(self.messages, "no_entry", id=number))
        return found[0]

    def _entry(self, row: Sequence[Any]) -> Entry:
        """A row, checked: a value no version of triage writes means the file was damaged."""
        try:
            number, at, muscle, duration, pain, woke, tried, helped = row
            entry = Entry(
                int(number),
                datetime.datetime.strptime(at, "%Y-%m-%dT%H:%M"),
                muscle,
                duration,
                pain,
                None if woke is None else bool(woke),
                tuple(json.loads(tried)),
                helped,
            )
            if (
                muscle not in MUSCLES
                or duration not in DURATIONS
                or (helped is not None and helped not in HELPED)
                or not all(isinstance(t, str) for t in entry.tried)
            ):
                raise ValueError(_say(self.messages, "bad_entry", id=number))
        except (TypeError, ValueError) as exc:
            raise self._fail(exc) from None
        return entry

    # -- writing ---------------------------------------------------------------------------
    def add(self, entry: Entry) -> Entry:
        with self.transaction() as db:
            cursor = db.execute(
                f"INSERT INTO cramps ({', '.join(FIELDS)}) VALUES (?, ?, ?, ?, ?, ?, ?)",
                _row(entry),
            )
            number = int(cursor.lastrowid or 0)
        return entry._replace(id=number)

    def change(self, number: int, **changes: Any) -> Entry:
        with self.transaction() as db:
            entry = self._one(db, number)._replace(**changes)
            db.execute(
                f"UPDATE cramps SET {', '.join(f'{f} = ?' for f in FIELDS)} WHERE id = ?",
                (*_row(entry), number),
            )
        return entry

    def delete(self, number: int) -> Entry:
        with self.transaction() as db:
            entry = self._one(db, number)
            db.execute("DELETE FROM cramps WHERE id = ?", (number,))
        return entry

    def _one(self, db: sqlite3.Connection, number: int) -> Entry:
        if not self.exists():
            raise DiaryError(_say(self.messages, "no_entry", id=number))
        row = db.execute(
            f"SELECT id, {', '.join(FIELDS)} FROM cramps WHERE id = ?", (number,)
        ).fetchone()
        if row is None:
            raise DiaryError(_say(self.messages, "no_entry", id=number))
        return self._entry(row)

    def forget(self) -> bool:
        """Delete the diary and SQLite's side files. False when there was none."""
        gone = False
        for suffix in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(f"{self.path}{suffix}")
                gone = gone or suffix == ""
        return gone


def _row(entry: Entry) -> tuple[Any, ...]:
    return (
        entry.at.strftime("%Y-%m-%dT%H:%M"),
        entry.muscle,
        entry.duration,
        entry.pain,
        None if entry.woke is None else int(entry.woke),
        json.dumps(list(entry.tried)),
        entry.helped,
    )


# -- what the diary says, for the re-check and the charts ----------------------------------------


class Week(NamedTuple):
    first: datetime.date  # the window's first day; each window is 7 days, the last ends on `to`
    cramps: int
    nights: int  # nights with a cramp that woke the person


def weeks(entries: Sequence[Entry], to: datetime.date, count: int = 8) -> list[Week]:
    """Cramps and nights woken in each of the `count` 7-day windows ending on `to`, oldest first."""
    out = []
    for k in range(count - 1, -1, -1):
        last = to - datetime.timedelta(days=7 * k)
        first = last - datetime.timedelta(days=6)
        inside = [e for e in entries if first <= e.at.date() <= last]
        nights = {e.night() for e in inside if e.woke}
        out.append(Week(first, len(inside), len(nights)))
    return out


class Fill(NamedTuple):
    """What the diary's last 28 days say, in answers-contract values (docs/policy.md,
    "Follow-up: the re-check and the cramp diary")."""

    to: datetime.date
    cramps: int
    nights: int
    answers: dict[str, Any]  # frequency, and duration and sleep_disrupted when there are entries
    worst: int | None
    recent: int = 0  # cramps in the last RECENT_DAYS days
    recent_days: int = 0  # days among them with a cramp
    recent_more: bool = False  # those days alone gave the more frequent answer (so it is used)


WINDOW_DAYS = 28  # how often is judged over the last 4 weeks ...
RECENT_DAYS = 14  # ... and over the last 2: a recent rise is not averaged away (issue 22c)


def frequency(cramps: int, days: int) -> str:
    """How often, as the contract says it, for `cramps` in `days` days: 4 or more a week on
    average -> most_days; 1 or more a week -> weekly; any -> monthly; none -> rare."""
    if cramps * 7 >= 4 * days:
        return "most_days"
    if cramps * 7 >= days:
        return "weekly"
    return "monthly" if cramps else "rare"


def fill(entries: Sequence[Entry], to: datetime.date) -> Fill | None:
    """The diary's answers for a re-check on `to`, or None when the diary has nothing before it.

    How often is judged over the last 28 days (16 or more: most_days; 4 or more: weekly; 1 to 3:
    monthly; none, a diary kept: rare) and over the last 14 (8 or more: most_days; 2 or more:
    weekly), and the more frequent is used: never the less. Any cramp over 10 minutes that
    stretching did not ease (or nobody said) -> over_10_minutes, else the longest (nothing when
    the only long ones were eased); woken at least once a week on average -> sleep_disrupted.
    """
    kept = [e for e in entries if e.at.date() <= to]
    if not kept:
        return None
    start = to - datetime.timedelta(days=WINDOW_DAYS - 1)
    recent = [e for e in kept if e.at.date() >= start]
    cramps = len(recent)
    lately = [e for e in recent if e.at.date() > to - datetime.timedelta(days=RECENT_DAYS)]
    over_all, over_lately = frequency(cramps, WINDOW_DAYS), frequency(len(lately), RECENT_DAYS)
    recent_more = FREQUENCIES.index(over_lately) > FREQUENCIES.index(over_all)
    answers: dict[str, Any] = {"frequency": over_lately if recent_more else over_all}
    nights = len({e.night() for e in recent if e.woke})
    if recent:
        longest = max((e.duration for e in recent), key=DURATIONS.index)
        # the answer over_10_minutes is "over 10 minutes, and stretching does not ease it": a
        # long cramp the diary says stretching eased is not that, and no other answer says
        # what it was, so the person is asked (nothing picked for them)
        if longest != DURATIONS[-1] or any(
            e.helped != "helped" for e in recent if e.duration == longest
        ):
            answers["duration"] = longest
        answers["sleep_disrupted"] = nights >= 4
    pains = [e.pain for e in recent if e.pain is not None]
    return Fill(
        to,
        cramps,
        nights,
        answers,
        max(pains) if pains else None,
        len(lately),
        len({e.at.date() for e in lately}),
        recent_more,
    )
