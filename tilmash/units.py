"""What a run computed for each article, kept in `.tilmash/` so that the next run redoes only what changed.

A unit is one source file with its POT and its catalog in every locale. Its key hashes
the bytes of all of them plus everything every page depends on (the run key: Tilmash's
version, tilmash.toml, the UI catalogs, the glossaries). A unit whose key is unchanged is
not parsed, synced, checked or rendered again: the run takes its article, its editions,
its progress and its reviewed pairs (for the translation memory) from here, and hard-links
its pages from the published site. Only units that a run left complete are kept: nothing
an engine could fill (entries are left untranslated only where the locale has none),
nothing deferred, no error or warning about its files. A unit keeping machine output or
untranslated entries is redone when translation memory may give it something (a run
finds a twin or English new to the locale reviewed: `tilmash.articles.stream`).
Units are used only while the site is the one the last run published: whether an article
was online decides whether it stays online (render.policy.localize), so the kept editions
hold only for that site.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
import struct
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from tilmash import __version__
from tilmash.atomic import stat_text, write_atomic
from tilmash.reading import READ_FLAGS, read_descriptor, read_regular
from tilmash.render.page_keys import hash_tree
from tilmash.sources.model import pickled_as_arguments
from tilmash.state import RACY_NS

if TYPE_CHECKING:  # not imported at run time: a no-op run never loads the parser or Babel
    from tilmash.i18n import Progress
    from tilmash.render.policy import LocalizedArticle
    from tilmash.sources import Article

UNITS_VERSION = 20  # bump when what a Unit holds, or the file's layout, changes
ABSENT = b"\0absent"  # stands for a file that does not exist
# Each record of both files: its length and CRC-32, then its bytes. A stray write that keeps
# the pickle readable (a title's letter changed) would otherwise be published as it is.
_HEAD = struct.Struct("<QI")


@pickled_as_arguments  # a cold run pickles one per article: twice as fast as a state set field by field
@dataclass(frozen=True, slots=True)
class Unit:
    """One article as the last run left it; `editions[locale]` is None where it is not published."""

    article: Article
    editions: dict[str, LocalizedArticle | None]  # locale → its edition, None where it is not published
    progress: dict[str, Progress]  # locale → progress of its catalog


Pairs = dict[str, list[tuple[Any, str]]]  # locale → reviewed (memory key, translation), catalog order


@dataclass(frozen=True, slots=True)
class Kept:
    """A unit's index record and where the unit sits in the data file: the key deciding whether
    the unit still holds, its listing article, digests and progress. Its listing editions are
    not held (`UnitStore.listing` reads them again from the index, for a listing page that is
    rendered). A run reusing it reads the whole unit only for the feeds or a missing page."""

    record: Record
    offset: int
    length: int
    entry: tuple[int, int, int] = (0, 0, 0)  # its record in the index file: start, length, CRC-32
    locales: tuple[str, ...] = ()  # those publishing it: its listing editions' locales

    @property
    def key(self) -> str:
        return self.record.key

    @property
    def article(self) -> Article:
        return self.record.article

    @property
    def stamp(self) -> bytes | None:
        return self.record.stamp

    @property
    def memory(self) -> bytes:
        return self.record.memory

    @property
    def progress(self) -> dict[str, Progress]:
        return self.record.progress

    @property
    def listing_digests(self) -> dict[str, bytes]:
        return self.record.listing_digests

    @property
    def feed_digests(self) -> dict[str, bytes]:
        return self.record.feed_digests


LISTINGS_HELD = 2048  # records' listing editions held by `UnitStore.listing` (~2.5 KiB each)


class UnitsDamaged(Exception):
    """A kept unit's bytes in the data file are not what was saved (a disk error, a stray write):
    the run starts again without the units, which it then saves anew."""


class UnitStore:
    """The units of the last run by source path; each is read from the file only when asked for.

    The data file is held open: a run that replaces it still reads the units it started from.
    """

    def __init__(
        self,
        fd: int | None = None,
        index: dict[str, Kept] | None = None,
        data: Path | None = None,
        size: int = 0,
    ) -> None:
        self._fd = fd
        self.index = index or {}
        self.data = data  # the data file the units are in, `size` bytes when it was opened
        self.size = size
        self.index_fd: int | None = None  # the index file the units were read from, held open
        self.index_path: Path | None = None
        self._listings: dict[tuple[int, int, int], dict[str, bytes]] = {}  # by `Kept.entry`

    def get(self, source: str) -> Kept | None:
        return self.index.get(source)

    def __len__(self) -> int:
        return len(self.index)

    def payload(self, kept: Kept) -> bytes:
        """The unit and its pairs as the file holds them (pread: forked workers share the descriptor)."""
        if self._fd is None:
            raise KeyError(kept.article.slug)
        return os.pread(self._fd, kept.length, kept.offset)

    def _part(self, kept: Kept, pairs: bool) -> Any:
        """The unit (or its pairs) unpickled; UnitsDamaged when its bytes are not what was saved."""
        if self._fd is None:
            raise KeyError(kept.article.slug)
        end = kept.offset + kept.length
        try:
            length, check = _HEAD.unpack(os.pread(self._fd, _HEAD.size, kept.offset))
            start = kept.offset + _HEAD.size
            if pairs:
                start += length
                length, check = _HEAD.unpack(os.pread(self._fd, _HEAD.size, start))
                start += _HEAD.size
            if start + length > end:
                raise ValueError("a length beyond the unit")
            data = os.pread(self._fd, length, start)
            if zlib.crc32(data) != check:
                raise ValueError("its checksum differs")
            return pickle.loads(data)
        except Exception as error:  # our own cache: whatever its bytes fail with, they are damaged
            raise UnitsDamaged(
                f"{self.data}: the kept unit of {kept.article.slug!r} is unreadable ({error})"
            ) from None

    def load(self, kept: Kept) -> Unit:
        unit = self._part(kept, pairs=False)
        if not isinstance(unit, Unit):
            raise UnitsDamaged(f"{self.data}: the kept unit of {kept.article.slug!r} is not a unit")
        return unit

    def record_bytes(self, kept: Kept) -> bytes:
        """The unit's record as the index file holds it, checked again: UnitsDamaged when it
        changed since the run read it."""
        start, size, check = kept.entry
        record = os.pread(self.index_fd, size, start) if self.index_fd is not None else b""
        if len(record) != size or zlib.crc32(record) != check:
            raise UnitsDamaged(f"{self.index_path}: the record of {kept.article.slug!r} changed since read")
        return record

    def listing(self, kept: Kept) -> dict[str, bytes]:
        """Locale → the unit's listing edition pickled without its article, which is the record's
        (tilmash.listings.pickled_edition), read again from its record in the index file.

        Tag and index pages ask for one locale at a time, so the last LISTINGS_HELD records read
        are held: a record is unpickled once, not once per locale (a few MiB at most)."""
        listing = self._listings.get(kept.entry)
        if listing is None:
            listing = pickle.loads(self.record_bytes(kept))[3]
            self._listings[kept.entry] = listing
            if len(self._listings) > LISTINGS_HELD:
                del self._listings[next(iter(self._listings))]  # the oldest read
        return listing

    def pairs(self, kept: Kept) -> Pairs:
        """Only the unit's reviewed pairs: what translation memory reads of every kept unit."""
        pairs = self._part(kept, pairs=True)
        if not isinstance(pairs, dict):
            raise UnitsDamaged(f"{self.data}: the reviewed pairs of {kept.article.slug!r} are unreadable")
        return pairs

    def close(self) -> None:
        for fd in (self._fd, self.index_fd):
            if fd is not None:
                os.close(fd)
        self._fd = self.index_fd = None


def read_or_absent(path: str | Path) -> bytes:
    try:
        return read_regular(path)
    except OSError:
        return ABSENT


def read_stamped(paths: Iterable[str]) -> tuple[bytes | None, list[bytes]]:
    """`files_stamp` of `paths` (no `seen`) and each file's bytes (`read_or_absent`), in one pass:
    each file is stat-ed through the descriptor it is then read from, so its stamp still comes
    before its bytes. A cold run keeps a unit per article, and stat-ing each file apart from
    reading it cost as much again."""
    racy = time.time_ns() - RACY_NS
    digest: hashlib.blake2b | None = hashlib.blake2b(digest_size=16)  # None once a file cannot be stamped
    contents = []
    for path in paths:
        try:
            fd = os.open(path, READ_FLAGS)
        except OSError:  # missing, or unreadable: stamped by a stat of its own
            line = _path_line(path, racy)
            contents.append(ABSENT)
        else:
            try:
                status = os.fstat(fd)
                line = _stat_line(status, racy)
                regular = stat.S_ISREG(status.st_mode)  # as `read_regular`: a pipe is not waited on
                contents.append(read_descriptor(fd, status.st_size) if regular else ABSENT)
            except OSError:
                contents.append(ABSENT)
            finally:
                os.close(fd)
        if line is None:
            digest = None
        elif digest is not None:
            digest.update(line)
    return (None if digest is None else digest.digest()), contents


def _stat_line(status: os.stat_result, racy: int) -> bytes | None:
    """A file's line of a stamp; None when it changed at `racy` or later (see `files_stamp`)."""
    if status.st_ctime_ns >= racy or status.st_mtime_ns >= racy:
        return None
    return f"{stat_text(status)}\n".encode()


def _path_line(path: str, racy: int) -> bytes | None:
    """`_stat_line` of the file at `path`; b"absent\0" when there is none, None when it cannot be stat-ed."""
    try:
        status = os.stat(path)
    except FileNotFoundError:
        return b"absent\0"
    except OSError:
        return None
    return _stat_line(status, racy)


def files_stamp(paths: Iterable[str], seen: Mapping[str, str] | None = None, base: str = "") -> bytes | None:
    """Inode, size, mtime and ctime of each file (an absent one counts as such), hashed; taken
    before the files are read for a unit's key, it stands for their bytes while it is the same:
    a rewrite changes the ctime, which no tool can set back. None when a file changed within
    RACY_NS of now (a second write in the same clock tick would leave the same times: the
    files are read, as git treats a "racily clean" entry). `seen`: `stat_text` of files by
    path below `base`, from a scan taken earlier when none was racy (state.Inputs.calm); the
    files it lacks are stat-ed here."""
    racy = time.time_ns() - RACY_NS
    digest = hashlib.blake2b(digest_size=16)
    for path in paths:
        text = seen.get(path[len(base) :], "?") if seen is not None and path.startswith(base) else "?"
        line = _path_line(path, racy) if text == "?" else f"{text}\n".encode()
        if line is None:
            return None
        digest.update(line)
    return digest.digest()


def unit_key(run_key: str, source: bytes, template: bytes, catalogs: Iterable[bytes]) -> str:
    """Hash of everything a unit's catalogs, editions and pages are made from (SHA-256, for
    its speed: see `content_digest`)."""
    digest = hashlib.sha256(run_key.encode())
    for part in (source, template, *catalogs):
        digest.update(len(part).to_bytes(8, "little"))
        digest.update(part)
    return digest.hexdigest()[:40]


def tree_digest(directory: Path) -> str:
    """Names and contents of every file below `directory` (a glossary folder, say)."""
    digest = hashlib.blake2b(digest_size=20)
    if directory.is_dir():
        hash_tree(digest, directory)
    return digest.hexdigest()


def run_key(parts: Mapping[str, bytes]) -> str:
    """Hash of the inputs every page depends on, named so that their order is fixed."""
    digest = hashlib.blake2b(f"{UNITS_VERSION}\0{__version__}".encode(), digest_size=20)
    for name in sorted(parts):
        digest.update(name.encode() + b"\0" + len(parts[name]).to_bytes(8, "little") + parts[name])
    return digest.hexdigest()


def _record(value: bytes) -> bytes:
    return _HEAD.pack(len(value), zlib.crc32(value)) + value


_MEMORY_DIGEST = 8  # bytes per memory key: a collision only costs reading a unit's pairs


def memory_digest(key: Any) -> bytes:
    return hashlib.blake2b(repr(key).encode(), digest_size=_MEMORY_DIGEST).digest()


def memory_digests(pairs: Pairs) -> bytes:
    """The memory keys of a unit's reviewed pairs in every locale, hashed: the index keeps
    them so that a run looking for a few keys reads only the pairs of units holding one."""
    return key_digests(key for locale in pairs.values() for key, _ in locale)


def key_digests(keys: Iterable[Any]) -> bytes:
    """Memory keys hashed (`memory_digest`), sorted and packed into one value."""
    return b"".join(sorted({memory_digest(key) for key in keys}))


def unpacked(digests: bytes) -> Iterator[bytes]:
    """The digests `key_digests` packed."""
    return (digests[at : at + _MEMORY_DIGEST] for at in range(0, len(digests), _MEMORY_DIGEST))


def holds_any(digests: bytes, wanted: Iterable[bytes]) -> bool:
    """Whether `digests` (from `memory_digests`) holds any of `wanted` (from `memory_digest`)."""
    for digest in wanted:
        at = digests.find(digest)
        while at >= 0:
            if at % _MEMORY_DIGEST == 0:
                return True
            at = digests.find(digest, at + 1)
    return False


def unit_payload(unit: Unit, pairs: Pairs) -> bytes:
    """A unit as the file holds it: the unit, then its reviewed pairs apart (memory reads only those)."""
    return _record(pickle.dumps(unit, protocol=pickle.HIGHEST_PROTOCOL)) + _record(
        pickle.dumps(pairs, protocol=pickle.HIGHEST_PROTOCOL)
    )


COMPACT_SLACK = 8 << 20  # bytes of units no longer indexed that the data file may hold beyond its live ones
DATA_GLOB = "units-*.data"


def load_units(path: Path, key: str, warn: Callable[[str], None] = lambda _: None) -> UnitStore:
    """The index of the units (source → where its unit is); empty when the run key changed or a
    file is bad (`warn` told when it is damaged past the run key, which only this version
    reads). `path` holds the run key, the name of the data file beside it, then each unit's
    `Record` and its place in the data file, each with its length and CRC-32. The data file
    holds the pickled units, appended run after run (`save_units`): an index is read without
    unpickling a unit, and an edit run writes only the units it made."""
    try:
        index_fd = os.open(path, os.O_RDONLY)
    except OSError:
        return UnitStore()
    with open(index_fd, "rb", closefd=False) as handle:
        store = _load(handle, path, key, warn)
    if store.index:
        store.index_fd, store.index_path = index_fd, path  # `save_units` copies unchanged units' records
    else:
        os.close(index_fd)
    return store


def _load(handle: BinaryIO, path: Path, key: str, warn: Callable[[str], None]) -> UnitStore:
    try:
        records = _records(handle)
        if next(records)[1] != key.encode():
            return UnitStore()
    except (OSError, StopIteration, EOFError, ValueError, struct.error):
        return UnitStore()  # empty, or another version's layout

    def damaged(error: Exception) -> str:
        return f"{path}: damaged ({error}): this run redid every article and kept them anew"

    try:
        data = path.parent / next(records)[1].decode()
        if (
            data.parent != path.parent
            or not data.name.startswith("units-")
            or not data.name.endswith(".data")
        ):
            raise ValueError(f"no units data file is named {data.name!r}")
        fd = os.open(data, os.O_RDONLY)
    except (OSError, StopIteration, EOFError, ValueError, struct.error) as error:
        warn(damaged(error))
        return UnitStore()
    size = os.fstat(fd).st_size
    index = {}
    try:
        for entry, chunk, check in records:
            record, offset, length, listing = pickle.loads(chunk)
            if not isinstance(record, Record) or offset < 0 or offset + length > size:
                raise ValueError("not a units index of this version")
            index[record.source] = Kept(record, offset, length, (entry, len(chunk), check), tuple(listing))
    except (
        OSError,
        pickle.UnpicklingError,
        EOFError,
        ValueError,
        TypeError,
        AttributeError,
        struct.error,
    ) as error:
        warn(damaged(error))
        index = {}
    if not index:
        os.close(fd)
        return UnitStore()
    return UnitStore(fd, index, data, size)


_UNITS_PER_WRITE = 256


def _append(fd: int, pieces: list[bytes]) -> None:
    """`pieces` written at the end of the file (O_APPEND: where `save_units` counted them), then
    forgotten."""
    view = memoryview(b"".join(pieces))
    while view:
        view = view[os.write(fd, view) :]
    pieces.clear()


def _records(handle: BinaryIO) -> Iterator[tuple[int, bytes, int]]:
    """The records of an index file (`_record`), one at a time, with where each starts and its CRC-32."""
    while head := handle.read(_HEAD.size):
        length, check = _HEAD.unpack(head)
        start = handle.tell()
        record = handle.read(length)
        if len(record) != length:
            raise EOFError("truncated units index")
        if zlib.crc32(record) != check:
            raise ValueError("a units index record whose checksum differs")
        yield start, record, check


@pickled_as_arguments  # a run reads 1,000 of them for 1,000 articles
@dataclass(frozen=True, slots=True)
class Record:
    """A unit's entry in the units index (its listing editions are pickled beside it: `save_units`).
    `Kept` holds it with its place in the data file."""

    source: str
    key: str
    article: Article
    listing_digests: dict[str, bytes]  # made with the unit: a run reusing it digests none of its editions
    progress: dict[str, Progress]
    stamp: bytes | None
    memory: bytes
    # locale → `page_keys.digests` of its full edition, once a run had it in a feed: a run
    # reusing the unit keys the feeds without digesting it again
    feed_digests: dict[str, bytes] = field(default_factory=dict)
    # `key_digests` of the memory keys whose machine or memory output its catalogs hold: a run
    # finding one of them reviewed in an article it reads redoes the unit (`articles.stream`)
    wants: bytes = b""
    # the locales its catalogs leave untranslated entries in, where no engine could fill them: a
    # run finding English reviewed anew in one of them redoes the unit (a near match may fill one)
    open_in: tuple[str, ...] = ()


Listing = dict[str, bytes]  # locale → its listing edition as `listings.pickled_edition` pickles it


def save_units(
    path: Path, key: str, units: Iterable[tuple[Record, Listing | None, bytes | Kept]], store: UnitStore
) -> int:
    """Write the index of (record, its listing editions, pickled Unit) or (record, None, the Kept
    unit of `store`) one by one; returns how many. Each index record is the `Record`, the unit's
    place in the data file and the listing, pickled beside the record so that reading the index
    makes none of their bytes objects (nor a Record without them).

    Units made by this run are appended to the data file `store` was read from, kept ones stay
    where they are. Once that file holds more than COMPACT_SLACK bytes beyond twice its live
    units, or there is none, every unit goes to a new data file instead. The data is on disk
    before the index replaces the old one (atomically): a crash leaves the old index, whose
    units are still where it says.
    """
    directory = path.parent
    live = sum(kept.length for kept in store.index.values())
    append = store.data is not None and store.size <= 2 * live + COMPACT_SLACK
    data = store.data if append and store.data is not None else directory / f"units-{time.time_ns():x}.data"
    directory.mkdir(parents=True, exist_ok=True)
    count = 0
    fd = os.open(data, os.O_WRONLY | os.O_APPEND | (0 if append else os.O_CREAT | os.O_EXCL), 0o644)

    def index() -> Iterator[bytes]:
        nonlocal count
        end = os.fstat(fd).st_size
        waiting: list[bytes] = []  # units not written yet: written a batch at a time, not one by one
        yield _record(key.encode())
        yield _record(data.name.encode())
        for record, listing, unit in units:
            try:
                if isinstance(unit, Kept) and store.index.get(record.source) is unit and append:
                    yield _record(store.record_bytes(unit))  # as it was read
                    count += 1
                    continue
                if listing is None and isinstance(unit, Kept):
                    listing = store.listing(unit)
            except UnitsDamaged:  # changed since the run read it: the next run redoes this article
                continue
            if isinstance(unit, Kept) and append:
                offset, length = unit.offset, unit.length
            else:
                payload = store.payload(unit) if isinstance(unit, Kept) else unit
                waiting.append(payload)
                offset, length = end, len(payload)
                end += length
                if len(waiting) >= _UNITS_PER_WRITE:
                    _append(fd, waiting)
            count += 1
            yield _record(pickle.dumps((record, offset, length, listing), protocol=pickle.HIGHEST_PROTOCOL))
        _append(fd, waiting)
        os.fsync(fd)  # the units before the index naming them

    try:
        write_atomic(path, index())
    except BaseException:
        if not append:
            data.unlink(missing_ok=True)
        raise
    finally:
        os.close(fd)
    for stale in directory.glob(DATA_GLOB):  # the data files no index names any more
        if stale.name != data.name:
            stale.unlink(missing_ok=True)
    return count
