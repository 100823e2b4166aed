"""Signed change packages between this station and its peers (other workstations, the district).

A package is one zip file:

- ``manifest.json``: format and schema version, the sending station (id, name), the recipient,
  the package's sequence number for that recipient, creation time, the clock range of the rows,
  and for every member its SHA-256, byte size and row count;
- ``incident.ndjson``: one changed incident or tombstone per line, in local change order;
- the zip comment ``station-console-package 1 <station id> <signature>``: an Ed25519 signature
  (hex) of the SHA-256 of every byte of the file before the signature, so any changed, added or
  removed byte, the manifest included, fails verification.

``apply_package`` checks the signature, the sender, the recipient, the sequence, then every
member's hash and row count, all before it parses a row; a bad package is refused with a
``PackageError`` naming the file and the reason, and nothing is applied.

Every synced row carries a uuid, the station whose write made its current version (origin) and
a hybrid logical clock (HLC: milliseconds << 16, bumped past the replaced version). The version
with the greater (clock, origin, content hash) wins on every station; an incoming or local
version that loses without having been seen by the winner is kept in ``sync_conflict``.
Deletions travel as tombstones. The same upstream incident number stamped with two uuids on two
stations is one row: the smaller uuid becomes its identity everywhere. References to code
tables travel by code (community, grid, unit, officer badge number); a code the receiver does
not know is stored empty.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import hashlib
import json
import os
import secrets
import socket
import tempfile
import time
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy.engine import Connection

from station_console.domain.security import Perm, PersonalField, mask, mask_free_text
from station_console.domain.tasks import TaskState
from station_console.services import audit, package_crypto
from station_console.services.atomic import commit_temp, restrict_to_owner, temp_path_beside
from station_console.services.crypto import CryptoError
from station_console.store.auditing import rows_unrecorded, writes_checked
from station_console.store.database import Database
from station_console.store.dialect import (
    bulk_cache,
    bulk_insert,
    driver_cursor,
    driver_sql,
    greatest_sql,
    random_hex_sql,
    search_index_suspended,
)
from station_console.store.models import METADATA

FORMAT = "station-console-changes"
#: 2: the event logs travel too (``incident_event.ndjson``); 3: the sender's tasks are reported
#: (``task.ndjson``). Packages of every earlier format are still read.
FORMAT_VERSION = 3
MANIFEST = "manifest.json"
COMMENT_MAGIC = b"station-console-package 1 "
SIGNATURE_HEX = 128
SIGNED_TAG = b"station-console-package-signature-v1\n"
MAX_MANIFEST_BYTES = 1 << 20
KEY_FILE = Path("keys") / "station_ed25519.pem"
#: File name suffix of a package sealed for its recipient (a plain signed package is a .zip).
SEALED_SUFFIX = ".scpkg"
CARD_MAGIC = "station-console-peer"
STATION_ID_KEY = "sync_station_id"
STATION_NAME_KEY = "sync_station_name"
TABLE = "incident"
MEMBER = f"{TABLE}.ndjson"
EVENT_TABLE = "incident_event"
EVENT_MEMBER = f"{EVENT_TABLE}.ndjson"
#: The sender's tasks, reported for the district's figures (see ``StationTask``).
TASK_TABLE = "station_task"
TASK_MEMBER = "task.ndjson"
#: A reported task's fields: its number and state, then its times (the first two required).
TASK_TIMES = ("issued_at", "signoff_due", "signed_at", "feedback_due", "feedback_at")
TASK_FIELDS = ("task_no", "state", *TASK_TIMES)
TASK_STATES = frozenset(s.value for s in TaskState)
#: The members a package may hold and the table each carries (the incidents' one is required).
MEMBERS = {MEMBER: TABLE, EVENT_MEMBER: EVENT_TABLE, TASK_MEMBER: TASK_TABLE}
#: An event's fields as they travel, with their longest allowed text.
EVENT_FIELDS = {"actor": 50, "action": 32, "detail": 1 << 20}
#: Local id references of an incident and the code each travels as.
REFERENCES = {
    "community_id": ("community", "community", "code"),
    "grid_id": ("grid", "grid", "code"),
    "unit_id": ("unit", "patrol_unit", "code"),
    "officer_id": ("officer", "officer", "badge_no"),
}
#: Incident columns that are not content: local ids, local bookkeeping, the identity itself.
NOT_CONTENT = frozenset({"id", "merged_into_id", "sync_uuid", "sync_origin", "sync_hlc",
                         "sync_base", "sync_seq"})
#: The personal fields of an incident and how a package for a peer without clearance masks them
#: (the one place that decides it).
PERSONAL_FIELDS: dict[str, PersonalField | None] = {
    "caller_name": PersonalField.NAME,
    "caller_phone": PersonalField.PHONE,
    "caller_id_no": PersonalField.ID_NO,
    "description": None,
    "feedback": None,
}
BATCH = 500
#: Packages with more rows than this (or a tenth of the table) rebuild the search index once.
BULK_ROWS = 20_000

Progress = Callable[[int, int], bool]


# ---- errors -------------------------------------------------------------------------------


class Reason(StrEnum):
    """Why a package was refused."""

    NOT_A_PACKAGE = "not_a_package"
    UNKNOWN_PEER = "unknown_peer"
    BAD_SIGNATURE = "bad_signature"
    OWN_PACKAGE = "own_package"
    FOREIGN = "foreign"
    REPLAYED = "replayed"
    OUT_OF_ORDER = "out_of_order"
    BAD_MANIFEST = "bad_manifest"
    NEWER_FORMAT = "newer_format"
    MEMBERS = "members"
    HASH_MISMATCH = "hash_mismatch"
    COUNT_MISMATCH = "count_mismatch"
    BAD_ROW = "bad_row"
    UNKNOWN_CODE = "unknown_code"
    NEEDS_KEY = "needs_key"
    UNDECRYPTABLE = "undecryptable"


_REASON_TEXT = {
    Reason.NOT_A_PACKAGE: "not a change package, or truncated or damaged ({detail})",
    Reason.UNKNOWN_PEER: "sent by station {station}, which is not a trusted peer; an administrator "
                         "must register its key first",
    Reason.BAD_SIGNATURE: "the signature does not verify: the file was altered or not signed by "
                          "{peer}'s key",
    Reason.OWN_PACKAGE: "this station wrote the package itself",
    Reason.FOREIGN: "addressed to station {recipient}, not to this one",
    Reason.REPLAYED: "already applied (package {sequence} from {peer}; the last applied is "
                     "{last}); nothing changed",
    Reason.OUT_OF_ORDER: "package {sequence} from {peer} comes before {expected}; apply the "
                         "packages from {expected} on first",
    Reason.BAD_MANIFEST: "the manifest is not valid ({detail})",
    Reason.NEWER_FORMAT: "written in package format {version}; this program reads format "
                         "{supported}. Install the newer program",
    Reason.MEMBERS: "the files in the package do not match its manifest ({detail})",
    Reason.HASH_MISMATCH: "{member} does not match its SHA-256 in the manifest",
    Reason.COUNT_MISMATCH: "{member} holds {found} rows, the manifest says {expected}",
    Reason.BAD_ROW: "{member} line {line}: {detail}",
    Reason.UNKNOWN_CODE: "{member} line {line}: category {code} is not known here; add it to "
                         "the category table first",
    Reason.NEEDS_KEY: "it is encrypted for this station and this station's key is not in its "
                      "data folder; restore the key file there",
    Reason.UNDECRYPTABLE: "it cannot be decrypted ({detail}); ask {peer} to send it again",
}


class PackageError(Exception):
    """A package refused: the file, the reason and its details; nothing was applied."""

    def __init__(self, path: Path, reason: Reason, **params: Any) -> None:
        self.path = path
        self.reason = reason
        self.params = params
        super().__init__(f"{path.name}: {_REASON_TEXT[reason].format(**params)}")


class SyncSetupError(Exception):
    """Keys or peers are not set up as the action needs (the message says what to do)."""


class SyncCancelled(Exception):
    """The user cancelled; the database and the target file are as before."""


# ---- keys and peers -----------------------------------------------------------------------


def key_path(data_dir: Path) -> Path:
    """Where this station's private key lives in the data folder."""
    return data_dir / KEY_FILE


def create_key(data_dir: Path, *, force: bool = False) -> Path:
    """Generate this station's signing key (readable by the owner only)."""
    path = key_path(data_dir)
    if path.exists() and not force:
        raise SyncSetupError(f"{path} already holds this station's key; peers trust it. Use --force "
                             "only to replace it (every peer must then register the new card).")
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption())
    temp = temp_path_beside(path)  # mkstemp creates it with mode 0600
    try:
        temp.write_bytes(pem)
        restrict_to_owner(temp)
        commit_temp(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return path


def load_key(data_dir: Path) -> Ed25519PrivateKey:
    """This station's private key; a clear error when there is none yet."""
    path = key_path(data_dir)
    if not path.is_file():
        raise SyncSetupError(f"This station has no signing key yet ({path}). Create it with "
                             "'station-console keys init' or in Data exchange → Keys and peers.")
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (ValueError, TypeError) as exc:
        raise SyncSetupError(f"{path} is not a usable Ed25519 key ({exc}).") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise SyncSetupError(f"{path} is not an Ed25519 key.")
    return key


def station_key_if_any(data_dir: Path) -> Ed25519PrivateKey | None:
    """This station's key when it has one (to read packages sealed for it), else ``None``."""
    return load_key(data_dir) if key_path(data_dir).is_file() else None


def public_key_text(key: Ed25519PrivateKey) -> str:
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def fingerprint(public_key_b64: str) -> str:
    """A short form of a public key to compare by phone: 4 groups of 4 hex digits."""
    digest = hashlib.sha256(base64.b64decode(public_key_b64)).hexdigest()[:16]
    return " ".join(digest[i:i + 4] for i in range(0, 16, 4))


def _sql(conn: Connection, sql: str, params: Any = None) -> Any:
    """A statement written with ``?`` parameters, run in the driver's own parameter style."""
    return conn.exec_driver_sql(driver_sql(conn, sql), params)


def meta_value(conn: Connection, key: str) -> str | None:
    """A value of ``app_meta`` (None when it is not set)."""
    row = _sql(conn, "SELECT value FROM app_meta WHERE key = ?", (key,)).first()
    return None if row is None else str(row[0])


def station_id(db: Database) -> str:
    """This database's station id in change packages (made by migration 0009)."""
    with db.read() as conn:
        value = meta_value(conn, STATION_ID_KEY)
    if value is None:
        with db.write() as conn:
            value = meta_value(conn, STATION_ID_KEY)
            if value is None:
                value = secrets.token_hex(8)
                _sql(conn, "INSERT INTO app_meta (key, value) VALUES (?, ?)",
                                     (STATION_ID_KEY, value))
    return value


def station_name(db: Database) -> str:
    """The name this station goes by in its peer card (set by ``set_station_name``)."""
    with db.read() as conn:
        name = meta_value(conn, STATION_NAME_KEY)
        if name is None:
            row = _sql(conn, "SELECT name FROM station ORDER BY id LIMIT 1").first()
            base = str(row[0]) if row else "Station"
            name = f"{base} {socket.gethostname()}".strip()
    return name


def set_station_name(db: Database, name: str) -> None:
    name = " ".join(name.split())
    if not name:
        raise SyncSetupError("The station name must not be empty.")
    with db.write() as conn:
        _sql(conn, "DELETE FROM app_meta WHERE key = ?", (STATION_NAME_KEY,))
        _sql(conn, "INSERT INTO app_meta (key, value) VALUES (?, ?)", (STATION_NAME_KEY, name))


def peer_card(db: Database, key: Ed25519PrivateKey) -> str:
    """This station's card: what a peer's administrator registers to trust its packages.

    Version 2 adds the encryption key and the signing key's endorsement of it; version 1 cards
    (signing key only) are still accepted, and packages for such a peer cannot be encrypted.
    """
    me = station_id(db)
    return (f"{CARD_MAGIC} 2 {me} {public_key_text(key)} {package_crypto.encryption_public_text(key)} "
            f"{package_crypto.endorse(key, me)} {station_name(db)}")


@dataclass(frozen=True)
class PeerCard:
    station_id: str
    public_key: str
    name: str
    encryption_key: str | None = None


def parse_card(text: str) -> PeerCard:
    """Read a peer card (the text of ``peer_card``, e.g. from a file the peer sent)."""
    parts = text.strip().split(" ", 2)
    if len(parts) < 3 or parts[0] != CARD_MAGIC or parts[1] not in ("1", "2"):
        raise SyncSetupError("This is not a Station Console peer card (it starts with "
                             f"'{CARD_MAGIC} 1' or '{CARD_MAGIC} 2').")
    fields = parts[2].split(" ", 4 if parts[1] == "2" else 2)
    if len(fields) < (5 if parts[1] == "2" else 3):
        raise SyncSetupError("The peer card is cut short: copy the whole card.")
    sid, key_b64 = fields[0], fields[1]
    try:
        raw = base64.b64decode(key_b64, validate=True)
        Ed25519PublicKey.from_public_bytes(raw)
    except ValueError as exc:
        raise SyncSetupError(f"The peer card's public key is not valid ({exc}).") from exc
    if len(sid) != 16 or any(c not in "0123456789abcdef" for c in sid):
        raise SyncSetupError(f"The peer card's station id {sid!r} is not valid.")
    if parts[1] == "1":
        return PeerCard(sid, key_b64, fields[2].strip())
    encryption_b64, endorsement, name = fields[2], fields[3], fields[4]
    try:
        package_crypto.check_endorsement(key_b64, sid, encryption_b64, endorsement)
    except ValueError as exc:
        raise SyncSetupError(f"The peer card's encryption key is not valid ({exc}).") from exc
    return PeerCard(sid, key_b64, name.strip(), encryption_b64)


@dataclass(frozen=True)
class Peer:
    name: str
    station_id: str
    public_key: str
    sent_sequence: int
    received_sequence: int
    last_sent_at: str | None
    last_received_at: str | None
    encryption_key: str | None

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_key)


_PEER_COLS = ("name, station_id, public_key, sent_sequence, received_sequence, last_sent_at, "
              "last_received_at, encryption_key")


def trust_peer(db: Database, card: PeerCard | str, name: str | None = None) -> Peer:
    """Register a peer's card (security officer); a new key for a known station replaces it."""
    db.identity.require(Perm.MANAGE_KEYS)
    if isinstance(card, str):
        card = parse_card(card)
    name = " ".join((name or card.name).split())
    if not name:
        raise SyncSetupError("Give the peer a name.")
    if card.station_id == station_id(db):
        raise SyncSetupError("This is this station's own card.")
    with db.write() as conn:
        clash = _sql(conn, "SELECT station_id FROM sync_peer WHERE name = ?", (name,)).first()
        if clash is not None and clash[0] != card.station_id:
            raise SyncSetupError(f"Another peer is already called {name}; choose another name.")
        known = _sql(conn, "SELECT id FROM sync_peer WHERE station_id = ?",
                                     (card.station_id,)).first()
        if known is None:
            _sql(
                conn, "INSERT INTO sync_peer (name, station_id, public_key, encryption_key, added_at, "
                "sent_sequence, sent_row_seq, sent_tombstone_seq, received_sequence) "
                "VALUES (?, ?, ?, ?, ?, 0, 0, 0, 0)",
                (name, card.station_id, card.public_key, card.encryption_key, _now_text()))
        else:
            _sql(
                conn, "UPDATE sync_peer SET name = ?, public_key = ?, encryption_key = ? WHERE id = ?",
                (name, card.public_key, card.encryption_key, known[0]))
    return get_peer(db, name)


def get_peer(db: Database, name: str) -> Peer:
    with db.read() as conn:
        row = _sql(conn, f"SELECT {_PEER_COLS} FROM sync_peer WHERE name = ?", (name,)).first()
    if row is None:
        raise SyncSetupError(f"There is no trusted peer called {name}. Register its card first "
                             "('station-console keys trust NAME CARD').")
    return Peer(*row)


def list_peers(db: Database) -> list[Peer]:
    with db.read() as conn:
        rows = _sql(conn, f"SELECT {_PEER_COLS} FROM sync_peer ORDER BY name").all()
    return [Peer(*r) for r in rows]


def remove_peer(db: Database, name: str) -> None:
    """Stop trusting a peer: its packages are refused from now on."""
    db.identity.require(Perm.MANAGE_KEYS)
    get_peer(db, name)
    with db.write() as conn:
        _sql(conn, "DELETE FROM sync_peer WHERE name = ?", (name,))


# ---- row identity and wire form ----------------------------------------------------------


def now_hlc() -> int:
    return int(time.time() * 1000) << 16


def _now_text() -> str:
    return datetime.now().isoformat(sep=" ", timespec="seconds")


def content_columns() -> tuple[str, ...]:
    """The incident columns that travel (references by their code)."""
    table = METADATA.tables[TABLE]
    return tuple(c.name for c in table.columns if c.name not in NOT_CONTENT)


def _wire_name(column: str) -> str:
    return REFERENCES[column][0] if column in REFERENCES else column


def _column_kinds() -> dict[str, tuple[type, bool]]:
    """Wire field -> (python type, nullable), to check incoming rows (times travel as text)."""
    table = METADATA.tables[TABLE]
    kinds: dict[str, tuple[type, bool]] = {}
    for name in content_columns():
        col = table.columns[name]
        if name in REFERENCES:
            kinds[_wire_name(name)] = (str, True)
            continue
        try:
            py = col.type.python_type
        except NotImplementedError:
            py = str
        kinds[name] = (py if py in (int, float, bool, datetime) else str, bool(col.nullable))
    return kinds


def stamp_new_rows(conn: Connection) -> int:
    """Give identity to incidents written since the last stamp, in one set-based UPDATE.

    Bookkeeping of the exchange, not a change of business data: not recorded row by row in the
    audit trail, and allowed whoever exports or applies.
    """
    node = meta_value(conn, STATION_ID_KEY)
    top = _sql(conn, "SELECT coalesce(max(sync_seq), 0) FROM incident").scalar_one()
    with rows_unrecorded(conn), writes_checked(conn):
        result = _sql(
            conn, f"UPDATE incident SET sync_uuid = {random_hex_sql(conn)}, sync_origin = ?, "
            "sync_hlc = ?, sync_base = 0, sync_seq = ? + id WHERE sync_uuid IS NULL",
            (node, now_hlc(), int(top)))
    return int(result.rowcount or 0)


def stamp_new_events(conn: Connection) -> int:
    """Give identity to events written since the last stamp (as ``stamp_new_rows`` for incidents)."""
    node = meta_value(conn, STATION_ID_KEY)
    with rows_unrecorded(conn), writes_checked(conn):
        result = _sql(
            conn, f"UPDATE incident_event SET sync_uuid = {random_hex_sql(conn)}, sync_origin = ? "
            "WHERE sync_uuid IS NULL", (node,))
    return int(result.rowcount or 0)


def _select_sql(where: str) -> str:
    parts = []
    joins = []
    for name in content_columns():
        if name in REFERENCES:
            wire, table, code = REFERENCES[name]
            alias = f"r_{wire}"
            joins.append(f"LEFT JOIN {table} {alias} ON {alias}.id = i.{name}")
            parts.append(f"{alias}.{code}")
        else:
            parts.append(f"i.{name}")
    return (f"SELECT i.sync_uuid, i.sync_origin, i.sync_hlc, i.sync_base, i.incident_no, "
            f"{', '.join(parts)} FROM incident i {' '.join(joins)} WHERE {where}")


def _wire_fields() -> tuple[str, ...]:
    return tuple(_wire_name(c) for c in content_columns())


def mask_personal(data: dict[str, Any]) -> dict[str, Any]:
    """The row as a peer without clearance for personal data gets it."""
    out = dict(data)
    for name, kind in PERSONAL_FIELDS.items():
        value = out.get(name)
        if isinstance(value, str) and value:
            out[name] = mask(kind, value) if kind is not None else mask_free_text(value)
    return out


def content_hash(data: dict[str, Any] | None) -> str:
    """Deterministic tie-break between two versions with the same clock and origin."""
    if data is None:
        return ""
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


# ---- export -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportOptions:
    """What goes into a package: everything (not only changes since the last), masked or clear,
    and whether it is sealed for the peer (the command line and the GUI do so unless told not to).
    """

    full: bool = False
    mask_personal: bool = False
    encrypt: bool = False


@dataclass(frozen=True)
class ExportResult:
    path: Path
    peer: str
    sequence: int
    rows: int
    tombstones: int
    bytes: int
    seconds: float
    events: int = 0


def export_package(db: Database, out: Path, peer_name: str, key: Ed25519PrivateKey, *,
                   options: ExportOptions = ExportOptions(),
                   progress: Progress | None = None) -> ExportResult:
    """Write the changes since the last package for ``peer_name`` as one signed zip at ``out``.

    Personal data is masked when asked, and always when the exporting account may not see it.
    """
    started = time.perf_counter()
    if not db.identity.can(Perm.VIEW_PERSONAL):
        options = dataclasses.replace(options, mask_personal=True)
    peer = get_peer(db, peer_name)
    if options.encrypt and not peer.encryption_key:
        raise SyncSetupError(f"{peer_name} was registered with a card that has no encryption key "
                             "(from an older version): register its new card, or send the "
                             "package unencrypted.")
    with db.write() as conn:
        stamp_new_rows(conn)
        stamp_new_events(conn)
        marks = _sql(
            conn, "SELECT sent_sequence, sent_row_seq, sent_tombstone_seq, sent_event_id FROM sync_peer "
            "WHERE name = ?", (peer_name,)).one()
    sequence = int(marks[0]) + 1
    row_mark, tomb_mark, event_mark = ((0, 0, 0) if options.full
                                       else (int(marks[1]), int(marks[2]), int(marks[3])))
    me = station_id(db)
    fields = _wire_fields()
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    temp = temp_path_beside(out)
    try:
        with db.read() as conn:
            cur = driver_cursor(conn)
            total = cur.execute(
                "SELECT (SELECT count(*) FROM incident WHERE sync_seq > ?)"
                " + (SELECT count(*) FROM sync_tombstone WHERE seq > ?)",
                (row_mark, tomb_mark)).fetchone()[0]
            top_row = cur.execute("SELECT coalesce(max(sync_seq), 0) FROM incident").fetchone()[0]
            top_tomb = cur.execute("SELECT coalesce(max(seq), 0) FROM sync_tombstone").fetchone()[0]
            top_event = cur.execute("SELECT coalesce(max(id), 0) FROM incident_event").fetchone()[0]
            digest = hashlib.sha256()
            size = rows = tombstones = 0
            low = high = None
            with zipfile.ZipFile(temp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
                with zf.open(MEMBER, "w", force_zip64=True) as member:
                    buffer: list[bytes] = []
                    for record in _outgoing(cur, row_mark, tomb_mark, fields, options):
                        line = (json.dumps(record, ensure_ascii=False, separators=(",", ":"))
                                + "\n").encode("utf-8")
                        buffer.append(line)
                        hlc = record["hlc"]
                        low = hlc if low is None else min(low, hlc)
                        high = hlc if high is None else max(high, hlc)
                        if record.get("deleted"):
                            tombstones += 1
                        else:
                            rows += 1
                        if len(buffer) >= BATCH:
                            chunk = b"".join(buffer)
                            buffer.clear()
                            digest.update(chunk)
                            size += len(chunk)
                            member.write(chunk)
                            if progress is not None and not progress(rows + tombstones, total):
                                raise SyncCancelled()
                    chunk = b"".join(buffer)
                    digest.update(chunk)
                    size += len(chunk)
                    member.write(chunk)
                events = _write_events(zf, cur, event_mark, peer.station_id, options)
                tasks = _write_tasks(zf, cur)
                manifest = {
                    "format": FORMAT, "format_version": FORMAT_VERSION,
                    "schema": db.schema_state().current,
                    "station_id": me, "sender": station_name(db),
                    "recipient": peer.station_id, "recipient_name": peer.name,
                    "sequence": sequence, "created_at": datetime.now().isoformat(timespec="seconds"),
                    "full": options.full, "masked": options.mask_personal,
                    "clock_range": [low, high],
                    "time_range": [_hlc_time(low), _hlc_time(high)],
                    "files": [{"name": MEMBER, "table": TABLE, "sha256": digest.hexdigest(),
                               "bytes": size, "rows": rows, "tombstones": tombstones}, events, tasks],
                }
                zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
                zf.comment = COMMENT_MAGIC + me.encode("ascii") + b" " + b"0" * SIGNATURE_HEX
        _sign_in_place(temp, key)
        if options.encrypt and peer.encryption_key:
            temp = _sealed_copy(temp, out, me, peer.station_id, peer.encryption_key)
        with db.write() as conn:
            current = _sql(conn, "SELECT sent_sequence FROM sync_peer WHERE name = ?",
                                           (peer_name,)).scalar_one()
            if int(current) != sequence - 1:
                raise SyncSetupError(f"Another package for {peer_name} was written meanwhile; "
                                     "export again.")
            most = greatest_sql(conn)
            with audit.bulk(conn, db, audit.Action.EXPORT, perm=Perm.EXPORT,
                            object_type="change_package", object_id=out.name,
                            detail={"peer": peer_name, "sequence": sequence, "rows": rows,
                                    "tombstones": tombstones, "events": events["rows"],
                                    "masked": options.mask_personal, "encrypted": options.encrypt}):
                _sql(
                    conn, f"UPDATE sync_peer SET sent_sequence = ?, sent_row_seq = {most}(sent_row_seq, ?), "
                    f"sent_tombstone_seq = {most}(sent_tombstone_seq, ?), "
                    f"sent_event_id = {most}(sent_event_id, ?), last_sent_at = ? WHERE name = ?",
                    (sequence, top_row, top_tomb, top_event, _now_text(), peer_name))
                _log(conn, "out", peer_name, sequence, out.name, rows + tombstones + events["rows"])
            commit_temp(temp, out)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return ExportResult(out, peer_name, sequence, rows, tombstones, out.stat().st_size,
                        time.perf_counter() - started, events["rows"])


def _write_events(zf: zipfile.ZipFile, cur: Any, mark: int, peer_station: str,
                  options: ExportOptions) -> dict[str, Any]:
    """The events written after ``mark`` as the second member; returns its manifest entry.

    Events the peer wrote itself are left out (it has them). An event names its incident by
    uuid and by number (the number finds it where the incident was merged under another uuid).
    """
    digest = hashlib.sha256()
    size = count = 0
    rows = cur.connection.execute(
        "SELECT e.sync_uuid, e.sync_origin, i.sync_uuid, i.incident_no, e.at, e.actor, e.action, "
        "e.detail FROM incident_event e JOIN incident i ON i.id = e.incident_id "
        "WHERE e.id > ? AND e.sync_origin != ? ORDER BY e.id", (mark, peer_station))
    with zf.open(EVENT_MEMBER, "w", force_zip64=True) as member:
        while batch := rows.fetchmany(BATCH):
            lines = []
            for uuid, origin, incident, key, at, actor, action, detail in batch:
                if options.mask_personal:
                    detail = mask_free_text(detail)
                lines.append((json.dumps(
                    {"uuid": uuid, "origin": origin, "incident": incident, "key": key, "at": at,
                     "actor": actor, "action": action, "detail": detail},
                    ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8"))
            chunk = b"".join(lines)
            digest.update(chunk)
            size += len(chunk)
            count += len(lines)
            member.write(chunk)
    return {"name": EVENT_MEMBER, "table": EVENT_TABLE, "sha256": digest.hexdigest(),
            "bytes": size, "rows": count, "tombstones": 0}


def _write_tasks(zf: zipfile.ZipFile, cur: Any) -> dict[str, Any]:
    """Every task of this station as a member, with only the number, state and times the task
    figures judge (nothing personal: no title, officer, answers); returns its manifest entry."""
    lines = [(json.dumps(dict(zip(TASK_FIELDS, row, strict=True)), ensure_ascii=False,
                         separators=(",", ":")) + "\n").encode("utf-8")
             for row in cur.execute(f"SELECT {', '.join(TASK_FIELDS)} FROM task ORDER BY id").fetchall()]
    data = b"".join(lines)
    zf.writestr(TASK_MEMBER, data)
    return {"name": TASK_MEMBER, "table": TASK_TABLE, "sha256": hashlib.sha256(data).hexdigest(),
            "bytes": len(data), "rows": len(lines), "tombstones": 0}


def _sealed_copy(signed: Path, out: Path, me: str, recipient: str, recipient_key: str) -> Path:
    """Seal the signed zip for the recipient into a new temporary file; the plain one is removed."""
    sealed = temp_path_beside(out)
    try:
        with sealed.open("wb") as fh:
            package_crypto.seal(signed, fh, sender=me, recipient=recipient,
                                recipient_key_b64=recipient_key)
    except BaseException:
        sealed.unlink(missing_ok=True)
        raise
    finally:
        signed.unlink(missing_ok=True)
    return sealed


def _is_time(value: str) -> bool:
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def _hlc_time(hlc: int | None) -> str | None:
    if hlc is None:
        return None
    return datetime.fromtimestamp((hlc >> 16) / 1000).isoformat(sep=" ", timespec="seconds")


def _outgoing(cur: Any, row_mark: int, tomb_mark: int, fields: tuple[str, ...],
              options: ExportOptions) -> Iterator[dict[str, Any]]:
    """Rows then tombstones changed here after the marks.

    Versions the peer wrote itself go back to it too: applying them is a no-op, but a row whose
    identity was merged here (two uuids for one incident number) must reach it under the new one.
    """
    rows = cur.connection.execute(_select_sql("i.sync_seq > ? ORDER BY i.sync_seq"), (row_mark,))
    for r in rows:
        data = dict(zip(fields, r[5:], strict=True))
        if options.mask_personal:
            data = mask_personal(data)
        yield {"uuid": r[0], "origin": r[1], "hlc": r[2], "base": r[3], "key": r[4], "data": data}
    tombs = cur.connection.execute(
        "SELECT row_uuid, origin, hlc, base, row_key FROM sync_tombstone WHERE table_name = ? AND "
        "seq > ? ORDER BY seq", (TABLE, tomb_mark))
    for t in tombs:
        yield {"uuid": t[0], "origin": t[1], "hlc": t[2], "base": t[3], "key": t[4], "deleted": True}


def _signed_message(head_digest: bytes) -> bytes:
    return SIGNED_TAG + head_digest


def _sign_in_place(path: Path, key: Ed25519PrivateKey) -> None:
    """Overwrite the placeholder at the end of the zip comment with the file's signature."""
    digest = hashlib.sha256()
    size = path.stat().st_size
    with path.open("rb+") as fh:
        remaining = size - SIGNATURE_HEX
        while remaining > 0:
            chunk = fh.read(min(1 << 20, remaining))
            digest.update(chunk)
            remaining -= len(chunk)
        signature = key.sign(_signed_message(digest.digest()))
        fh.seek(size - SIGNATURE_HEX)
        fh.write(signature.hex().encode("ascii"))


def _log(conn: Connection, direction: str, peer: str, sequence: int, name: str, rows: int,
         inserted: int = 0, updated: int = 0, deleted: int = 0, conflicts: int = 0) -> None:
    _sql(
        conn, "INSERT INTO sync_package_log (direction, peer_name, sequence, file_name, rows, inserted, "
        "updated, deleted, conflicts, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (direction, peer, sequence, name[:200], rows, inserted, updated, deleted, conflicts,
         _now_text()))


# ---- verification -------------------------------------------------------------------------


@dataclass(frozen=True)
class VerifiedPackage:
    """A package whose signature, sender, recipient, sequence, hashes and counts all hold."""

    path: Path
    peer: Peer
    manifest: dict[str, Any]

    @property
    def sequence(self) -> int:
        return int(self.manifest["sequence"])

    @property
    def total_rows(self) -> int:
        return sum(int(f["rows"]) + int(f["tombstones"]) for f in self.manifest["files"])


_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError,
               ValueError, KeyError, NotImplementedError, RuntimeError)


def verify_package(db: Database, path: Path) -> VerifiedPackage:
    """Check a package completely without applying anything; ``PackageError`` says what is wrong."""
    path = Path(path)
    try:
        peer = _peer_by_station(db, path, _sender_of(path))
        _check_signature(path, peer)
        with zipfile.ZipFile(path) as zf:
            manifest = _read_manifest(path, zf)
            _check_addressing(db, path, manifest, peer)
            _check_members(path, zf, manifest)
    except PackageError:
        raise
    except _ZIP_ERRORS as exc:
        raise PackageError(path, Reason.NOT_A_PACKAGE, detail=str(exc) or type(exc).__name__) from exc
    return VerifiedPackage(path, peer, manifest)


def _sender_of(path: Path) -> str:
    """The sending station named in the signature block at the end of the file."""
    size = len(COMMENT_MAGIC) + 17 + SIGNATURE_HEX
    with path.open("rb") as fh:
        fh.seek(0, os.SEEK_END)
        if fh.tell() < size + 22:
            raise PackageError(path, Reason.NOT_A_PACKAGE, detail="the file is too short")
        fh.seek(-size, os.SEEK_END)
        tail = fh.read(size)
    if not tail.startswith(COMMENT_MAGIC) or tail[-SIGNATURE_HEX - 1:-SIGNATURE_HEX] != b" ":
        raise PackageError(path, Reason.NOT_A_PACKAGE, detail="no Station Console signature at the end")
    return tail[len(COMMENT_MAGIC):len(COMMENT_MAGIC) + 16].decode("ascii", "replace")


def _peer_by_station(db: Database, path: Path, sender: str) -> Peer:
    if sender == station_id(db):
        raise PackageError(path, Reason.OWN_PACKAGE)
    with db.read() as conn:
        row = _sql(conn, f"SELECT {_PEER_COLS} FROM sync_peer WHERE station_id = ?",
                                   (sender,)).first()
    if row is None:
        raise PackageError(path, Reason.UNKNOWN_PEER, station=sender)
    return Peer(*row)


def _check_signature(path: Path, peer: Peer) -> None:
    size = path.stat().st_size
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        remaining = size - SIGNATURE_HEX
        while remaining > 0:
            chunk = fh.read(min(1 << 20, remaining))
            if not chunk:
                break
            digest.update(chunk)
            remaining -= len(chunk)
        tail = fh.read(SIGNATURE_HEX)
    try:
        if len(tail) != SIGNATURE_HEX or tail.strip(b"0123456789abcdef"):
            raise ValueError("the signature is not 128 lower-case hex digits")
        signature = bytes.fromhex(tail.decode("ascii"))
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(peer.public_key))
        key.verify(signature, _signed_message(digest.digest()))
    except (InvalidSignature, ValueError, UnicodeDecodeError) as exc:
        raise PackageError(path, Reason.BAD_SIGNATURE, peer=peer.name) from exc


def _read_manifest(path: Path, zf: zipfile.ZipFile) -> dict[str, Any]:
    try:
        info = zf.getinfo(MANIFEST)
    except KeyError:
        raise PackageError(path, Reason.BAD_MANIFEST, detail=f"{MANIFEST} is missing") from None
    if info.file_size > MAX_MANIFEST_BYTES:
        raise PackageError(path, Reason.BAD_MANIFEST, detail=f"{MANIFEST} is too large")
    try:
        manifest = json.loads(zf.read(MANIFEST).decode("utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise PackageError(path, Reason.BAD_MANIFEST, detail=str(exc)) from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise PackageError(path, Reason.BAD_MANIFEST, detail="not a change-package manifest")
    version = manifest.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise PackageError(path, Reason.BAD_MANIFEST, detail="format_version is missing")
    if version > FORMAT_VERSION:
        raise PackageError(path, Reason.NEWER_FORMAT, version=version, supported=FORMAT_VERSION)
    required = {"station_id": str, "recipient": str, "sequence": int, "files": list,
                "created_at": str, "masked": bool}
    for name, kind in required.items():
        value = manifest.get(name)
        if not isinstance(value, kind) or isinstance(value, bool) != (kind is bool):
            raise PackageError(path, Reason.BAD_MANIFEST,
                               detail=f"{name} is missing or not a {kind.__name__}")
    try:
        datetime.fromisoformat(manifest["created_at"])
    except ValueError:
        raise PackageError(path, Reason.BAD_MANIFEST, detail="created_at is not a time") from None
    for entry in manifest["files"]:
        ok = (isinstance(entry, dict) and entry.get("name") in MEMBERS
              and entry.get("table") == MEMBERS[entry["name"]]
              and isinstance(entry.get("sha256"), str)
              and all(isinstance(entry.get(k), int) and not isinstance(entry.get(k), bool)
                      and entry[k] >= 0 for k in ("bytes", "rows", "tombstones")))
        if not ok:
            raise PackageError(path, Reason.BAD_MANIFEST, detail=f"bad file entry {entry!r:.80}")
    if manifest["sequence"] < 1:
        raise PackageError(path, Reason.BAD_MANIFEST, detail="sequence must be 1 or more")
    names = [f["name"] for f in manifest["files"]]
    if MEMBER not in names or len(set(names)) != len(names):
        raise PackageError(path, Reason.BAD_MANIFEST,
                           detail=f"{MEMBER} must be listed once, with each other file at most once")
    if any(f["name"] != MEMBER and f["tombstones"] for f in manifest["files"]):
        raise PackageError(path, Reason.BAD_MANIFEST, detail="events and tasks have no deletions")
    return manifest


def _check_addressing(db: Database, path: Path, manifest: dict[str, Any], peer: Peer) -> None:
    if manifest["station_id"] != peer.station_id:
        raise PackageError(path, Reason.BAD_MANIFEST, detail="the manifest names another sender")
    me = station_id(db)
    if manifest["recipient"] != me:
        raise PackageError(path, Reason.FOREIGN, recipient=manifest.get("recipient_name")
                           or manifest["recipient"])
    sequence = manifest["sequence"]
    if sequence <= peer.received_sequence:
        raise PackageError(path, Reason.REPLAYED, sequence=sequence, peer=peer.name,
                           last=peer.received_sequence)
    if sequence > peer.received_sequence + 1:
        raise PackageError(path, Reason.OUT_OF_ORDER, sequence=sequence, peer=peer.name,
                           expected=peer.received_sequence + 1)


def _check_members(path: Path, zf: zipfile.ZipFile, manifest: dict[str, Any]) -> None:
    listed = [f["name"] for f in manifest["files"]]
    present = sorted(info.filename for info in zf.infolist())
    if len(set(listed)) != len(listed) or sorted([MANIFEST, *listed]) != present:
        raise PackageError(path, Reason.MEMBERS,
                           detail=f"found {', '.join(present)}; listed {', '.join(listed) or 'none'}")
    for entry in manifest["files"]:
        digest = hashlib.sha256()
        size = lines = 0
        with zf.open(entry["name"]) as fh:
            while chunk := fh.read(1 << 20):
                digest.update(chunk)
                size += len(chunk)
                lines += chunk.count(b"\n")
                if size > entry["bytes"]:
                    break
        if size != entry["bytes"] or digest.hexdigest() != entry["sha256"]:
            raise PackageError(path, Reason.HASH_MISMATCH, member=entry["name"])
        expected = entry["rows"] + entry["tombstones"]
        if lines != expected:
            raise PackageError(path, Reason.COUNT_MISMATCH, member=entry["name"], found=lines,
                               expected=expected)


# ---- apply --------------------------------------------------------------------------------


@dataclass
class ApplyResult:
    path: Path
    peer: str
    sequence: int
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    conflicts: int = 0
    unknown_codes: int = 0
    events: int = 0
    events_inserted: int = 0
    #: The sender's tasks it reported (replacing its earlier report); None from an older format.
    tasks: int | None = None
    seconds: float = 0.0


@dataclass
class _Version:
    uuid: str
    origin: str
    hlc: int
    base: int
    deleted: bool
    data: dict[str, Any] | None = None
    local_id: int | None = None

    def rank(self) -> tuple[int, str, str]:
        return (self.hlc, self.origin, content_hash(self.data))


@dataclass
class _Applier:
    """Merges incoming versions into the local table, one row at a time on one raw cursor."""

    cur: Any
    path: Path
    member: str
    result: ApplyResult
    columns: tuple[str, ...]
    kinds: dict[str, tuple[type, bool]]
    codes: dict[str, dict[str, int]]
    categories: set[str]
    row_seq: int
    tomb_seq: int
    #: Whether any tombstone exists (most stations have none: two look-ups per row saved).
    has_tombstones: bool = True
    fields: tuple[str, ...] = field(default_factory=_wire_fields)
    #: Positions of the true/false columns where the engine wants booleans, not the wire's 0/1.
    flags: tuple[int, ...] = ()

    # reading the local side --------------------------------------------------------------

    def local(self, uuid: str, key: str) -> _Version | None:
        cur = self.cur
        row = cur.execute("SELECT id, sync_uuid, sync_origin, sync_hlc, sync_base FROM incident "
                          "WHERE sync_uuid = ?", (uuid,)).fetchone()
        if row is None:
            row = cur.execute("SELECT id, sync_uuid, sync_origin, sync_hlc, sync_base FROM incident "
                              "WHERE incident_no = ?", (key,)).fetchone()
        if row is not None:
            return _Version(row[1], row[2] or "", row[3] or 0, row[4] or 0, False, local_id=row[0])
        if not self.has_tombstones:
            return None
        tomb = cur.execute("SELECT row_uuid, origin, hlc, base FROM sync_tombstone WHERE "
                           "table_name = ? AND row_uuid = ?", (TABLE, uuid)).fetchone()
        if tomb is None:
            tomb = cur.execute("SELECT row_uuid, origin, hlc, base FROM sync_tombstone WHERE "
                               "table_name = ? AND row_key = ? ORDER BY hlc DESC LIMIT 1",
                               (TABLE, key)).fetchone()
        if tomb is not None:
            return _Version(tomb[0], tomb[1], tomb[2], tomb[3], True)
        return None

    def local_data(self, version: _Version) -> dict[str, Any] | None:
        if version.deleted or version.local_id is None:
            return None
        row = self.cur.execute(_select_sql("i.id = ?"), (version.local_id,)).fetchone()
        return dict(zip(self.fields, row[5:], strict=True))

    # one incoming line -------------------------------------------------------------------

    def apply(self, line_no: int, record: Any) -> None:
        incoming, key = self.parse(line_no, record)
        local = self.local(incoming.uuid, key)
        self.result.rows += 1
        if local is None:
            if incoming.deleted:
                self.write_tombstone(incoming, incoming.uuid, key)
            else:
                self.insert(incoming, incoming.uuid)
                self.result.inserted += 1
            return
        identity = min(incoming.uuid, local.uuid)
        if (incoming.hlc, incoming.origin) == (local.hlc, local.origin):
            local.data = self.local_data(local)
        # A version that did not build on the one it beats was written concurrently: keep the
        # loser for review (a stale copy of an older version is no conflict).
        if self._wins(incoming, local):
            if incoming.base < local.hlc:
                self.conflict(key, identity, kept=incoming, lost=local)
            self.take(incoming, local, identity, key)
            return
        if local.base < incoming.hlc and (incoming.hlc, incoming.origin) != (local.hlc, local.origin):
            self.conflict(key, identity, kept=local, lost=incoming)
        if identity != local.uuid:
            self.rekey(local, identity)
        self.result.unchanged += 1

    def _wins(self, incoming: _Version, local: _Version) -> bool:
        if (incoming.hlc, incoming.origin) != (local.hlc, local.origin):
            return (incoming.hlc, incoming.origin) > (local.hlc, local.origin)
        if incoming.deleted or local.deleted:
            return incoming.deleted and not local.deleted
        return content_hash(incoming.data) > content_hash(local.data)

    def parse(self, line_no: int, record: Any) -> tuple[_Version, str]:
        def bad(detail: str) -> PackageError:
            return PackageError(self.path, Reason.BAD_ROW, member=self.member, line=line_no,
                                detail=detail)

        if not isinstance(record, dict):
            raise bad("not a JSON object")
        uuid, origin, hlc, base, key = (record.get(k) for k in ("uuid", "origin", "hlc", "base", "key"))
        if not (isinstance(uuid, str) and len(uuid) == 32
                and all(c in "0123456789abcdef" for c in uuid)):
            raise bad("uuid must be 32 lower-case hex digits")
        if not isinstance(origin, str) or not origin or len(origin) > 32:
            raise bad("origin is missing")
        for name, value in (("hlc", hlc), ("base", base)):
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < 1 << 62:
                raise bad(f"{name} must be a whole number")
        if not isinstance(key, str) or not key or len(key) > 40:
            raise bad("key (the incident number) is missing or too long")
        deleted = record.get("deleted", False)
        if deleted is True:
            if set(record) != {"uuid", "origin", "hlc", "base", "key", "deleted"}:
                raise bad("a tombstone carries no data")
            return _Version(uuid, origin, hlc, base, True), key
        if set(record) != {"uuid", "origin", "hlc", "base", "key", "data"}:
            raise bad(f"unexpected fields {sorted(set(record))}")
        data = record["data"]
        if not isinstance(data, dict) or set(data) != set(self.kinds):
            raise bad("data does not have the incident's fields")
        for name, (kind, nullable) in self.kinds.items():
            value = data[name]
            if value is None:
                if not nullable:
                    raise bad(f"{name} must not be empty")
                continue
            if kind is float and isinstance(value, int) and not isinstance(value, bool):
                continue
            if kind is bool and isinstance(value, int) and value in (0, 1):
                continue
            if kind is datetime:
                if not isinstance(value, str) or not _is_time(value):
                    raise bad(f"{name} must be a time like 2026-03-01 08:00:00")
                continue
            if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
                raise bad(f"{name} must be {kind.__name__}, found {type(value).__name__}")
        if data["incident_no"] != key:
            raise bad("key and incident_no differ")
        if data["category_code"] not in self.categories:
            raise PackageError(self.path, Reason.UNKNOWN_CODE, member=self.member, line=line_no,
                               code=data["category_code"])
        return _Version(uuid, origin, hlc, base, False, data), key

    # writing -----------------------------------------------------------------------------

    def _values(self, data: dict[str, Any]) -> list[Any]:
        values = []
        for name in self.columns:
            if name in REFERENCES:
                wire, table, _code = REFERENCES[name]
                code = data[wire]
                local_id = self.codes[table].get(code) if code is not None else None
                if code is not None and local_id is None:
                    self.result.unknown_codes += 1
                values.append(local_id)
            else:
                values.append(data[name])
        for i in self.flags:
            if values[i] is not None:
                values[i] = bool(values[i])
        return values

    def next_row_seq(self) -> int:
        self.row_seq += 1
        return self.row_seq

    def insert(self, v: _Version, identity: str) -> None:
        assert v.data is not None
        cols = ", ".join(self.columns)
        marks = ", ".join("?" * len(self.columns))
        self.cur.execute(
            f"INSERT INTO incident ({cols}, sync_uuid, sync_origin, sync_hlc, sync_base, sync_seq) "
            f"VALUES ({marks}, ?, ?, ?, ?, ?)",
            (*self._values(v.data), identity, v.origin, v.hlc, v.base, self.next_row_seq()))

    def take(self, incoming: _Version, local: _Version, identity: str, key: str) -> None:
        if incoming.deleted:
            self.write_tombstone(incoming, identity, key)
            if local.local_id is not None:
                self.delete(local.local_id)
                self.cur.execute("DELETE FROM sync_tombstone WHERE table_name = ? AND row_key = ? "
                                 "AND row_uuid != ?", (TABLE, key, identity))
                self.result.deleted += 1
            else:
                self.result.unchanged += 1
            return
        if local.local_id is None:
            self.cur.execute("DELETE FROM sync_tombstone WHERE table_name = ? AND (row_uuid = ? "
                             "OR row_key = ?)", (TABLE, local.uuid, key))
            self.insert(incoming, identity)
            self.result.inserted += 1
            return
        assert incoming.data is not None
        sets = ", ".join(f"{c} = ?" for c in self.columns)
        self.cur.execute(
            f"UPDATE incident SET {sets}, sync_uuid = ?, sync_origin = ?, sync_hlc = ?, "
            "sync_base = ?, sync_seq = ? WHERE id = ?",
            (*self._values(incoming.data), identity, incoming.origin, incoming.hlc, incoming.base,
             self.next_row_seq(), local.local_id))
        self.result.updated += 1

    def rekey(self, local: _Version, identity: str) -> None:
        if local.local_id is not None:
            self.cur.execute("UPDATE incident SET sync_uuid = ?, sync_seq = ? WHERE id = ?",
                             (identity, self.next_row_seq(), local.local_id))
        else:
            self.tomb_seq += 1
            self.cur.execute("UPDATE sync_tombstone SET row_uuid = ?, seq = ? WHERE table_name = ? "
                             "AND row_uuid = ?", (identity, self.tomb_seq, TABLE, local.uuid))

    def write_tombstone(self, v: _Version, identity: str, key: str) -> None:
        self.has_tombstones = True
        self.tomb_seq += 1
        self.cur.execute("DELETE FROM sync_tombstone WHERE table_name = ? AND (row_uuid = ? OR "
                         "row_uuid = ? OR row_key = ?)", (TABLE, identity, v.uuid, key))
        self.cur.execute(
            "INSERT INTO sync_tombstone (table_name, row_uuid, row_key, origin, hlc, base, seq) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)", (TABLE, identity, key, v.origin, v.hlc, v.base,
                                             self.tomb_seq))

    def delete(self, incident_id: int) -> None:
        """Delete a local incident and what hangs on it (links go, optional references clear)."""
        for table in METADATA.sorted_tables:
            for fk in table.foreign_keys:
                if fk.column.table.name != TABLE or fk.parent.table.name == "sync_tombstone":
                    continue
                col = fk.parent
                if col.nullable:
                    self.cur.execute(f"UPDATE {table.name} SET {col.name} = NULL WHERE {col.name} = ?",
                                     (incident_id,))
                else:
                    self.cur.execute(f"DELETE FROM {table.name} WHERE {col.name} = ?", (incident_id,))
        self.cur.execute("DELETE FROM incident WHERE id = ?", (incident_id,))

    def conflict(self, key: str, identity: str, kept: _Version, lost: _Version) -> None:
        if lost.deleted and kept.deleted:
            return
        if lost.data is None and not lost.deleted:
            lost.data = self.local_data(lost)
        if kept.data is None and not kept.deleted:
            kept.data = self.local_data(kept)
        if kept.data is not None and kept.data == lost.data:
            return
        self.cur.execute(
            "INSERT INTO sync_conflict (table_name, row_uuid, row_key, kept_origin, kept_hlc, "
            "lost_origin, lost_hlc, lost_deleted, lost_data, package, detected_at, reviewed) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (TABLE, identity, key, kept.origin, kept.hlc, lost.origin, lost.hlc, lost.deleted,
             "" if lost.data is None else json.dumps(lost.data, ensure_ascii=False),
             self.path.name[:200], _now_text(), False))
        self.result.conflicts += 1


@contextlib.contextmanager
def _readable(db: Database, path: Path, key: Ed25519PrivateKey | None) -> Iterator[Path]:
    """The signed zip inside ``path``: the file itself, or its decryption in a private temp file.

    Errors about the decrypted copy name ``path``; the copy is removed however this ends.
    """
    path = Path(path)
    try:
        sealed = package_crypto.is_sealed(path)
    except OSError as exc:
        raise PackageError(path, Reason.NOT_A_PACKAGE, detail=exc.strerror or str(exc)) from exc
    if not sealed:
        yield path
        return
    try:
        envelope = package_crypto.read_envelope(path)
    except CryptoError as exc:
        raise PackageError(path, Reason.NOT_A_PACKAGE, detail=str(exc)) from exc
    me = station_id(db)
    if envelope.recipient != me:
        if envelope.sender == me:
            raise PackageError(path, Reason.OWN_PACKAGE)
        raise PackageError(path, Reason.FOREIGN, recipient=envelope.recipient)
    peer = _peer_by_station(db, path, envelope.sender)
    if key is None:
        raise PackageError(path, Reason.NEEDS_KEY)
    fd, name = tempfile.mkstemp(prefix="station-package-", suffix=".zip")
    plain = Path(name)
    try:
        with os.fdopen(fd, "wb") as fh:
            try:
                package_crypto.unseal(path, envelope, key, fh)
            except CryptoError as exc:
                detail = str(exc).replace(f"{path}: ", "").replace(f"{path} ", "the file ")
                raise PackageError(path, Reason.UNDECRYPTABLE, detail=detail.rstrip(". "),
                                   peer=peer.name) from exc
        try:
            if _sender_of(plain) != envelope.sender:
                raise PackageError(plain, Reason.BAD_MANIFEST,
                                   detail="sealed by another station than the one that signed it")
            yield plain
        except PackageError as exc:
            if exc.path != plain:
                raise
            raise PackageError(path, exc.reason, **exc.params) from exc
    finally:
        plain.unlink(missing_ok=True)


def check_package(db: Database, path: Path, key: Ed25519PrivateKey | None = None) -> VerifiedPackage:
    """Verify a package, decrypting it first when it is sealed, without applying anything."""
    with _readable(db, path, key) as plain:
        package = verify_package(db, plain)
    return dataclasses.replace(package, path=Path(path))


def apply_package(db: Database, path: Path, *, key: Ed25519PrivateKey | None = None,
                  progress: Progress | None = None) -> ApplyResult:
    """Verify a package, then merge it in one transaction (all of it, or nothing on any error).

    A sealed package is decrypted with this station's ``key`` first.
    """
    with _readable(db, path, key) as plain:
        result = _apply_plain(db, plain, Path(path).name, progress)
    result.path = Path(path)
    return result


def _apply_plain(db: Database, path: Path, name: str, progress: Progress | None) -> ApplyResult:
    started = time.perf_counter()
    package = verify_package(db, path)
    result = ApplyResult(package.path, package.peer.name, package.sequence)
    total = package.total_rows
    with db.write() as conn, bulk_cache(conn), audit.bulk(
            conn, db, audit.Action.IMPORT, perm=Perm.IMPORT, object_type="change_package",
            object_id=name) as detail:
        stamp_new_rows(conn)
        cur = driver_cursor(conn)
        codes = {table: dict(cur.execute(f"SELECT {code}, id FROM {table}").fetchall())
                 for _w, table, code in REFERENCES.values()}
        columns, kinds = content_columns(), _column_kinds()
        flags = (tuple(i for i, c in enumerate(columns) if kinds.get(c, (str,))[0] is bool)
                 if conn.dialect.supports_native_boolean else ())
        applier = _Applier(
            cur=cur, path=package.path, member=MEMBER, result=result, columns=columns,
            kinds=kinds, codes=codes, flags=flags,
            categories={r[0] for r in cur.execute("SELECT code FROM incident_category")},
            row_seq=cur.execute("SELECT coalesce(max(sync_seq), 0) FROM incident").fetchone()[0],
            tomb_seq=cur.execute("SELECT coalesce(max(seq), 0) FROM sync_tombstone").fetchone()[0],
            has_tombstones=cur.execute("SELECT 1 FROM sync_tombstone LIMIT 1").fetchone() is not None)
        received = _sql(conn, "SELECT received_sequence FROM sync_peer WHERE station_id = ?",
                                        (package.peer.station_id,)).scalar_one_or_none()
        if received != package.sequence - 1:
            raise PackageError(package.path, Reason.REPLAYED, sequence=package.sequence,
                               peer=package.peer.name, last=received)
        entries = {f["name"]: f for f in package.manifest["files"]}
        existing = cur.execute("SELECT count(*) FROM incident").fetchone()[0]
        # A big package rebuilds the text-search index once instead of indexing row by row (as
        # a big feed import does); on an error the rollback restores the index as it was.
        bulk = total >= max(BULK_ROWS, existing / 10)
        suspended = search_index_suspended(conn) if bulk else contextlib.nullcontext()
        suspended.__enter__()
        errors = conn.dialect.loaded_dbapi.Error
        done = _apply_member(package, entries[MEMBER], applier.apply, progress, 0, total, errors)
        if EVENT_MEMBER in entries:
            events = _EventApplier(cur, package.path, result)
            done = _apply_member(package, entries[EVENT_MEMBER], events.apply, progress, done, total,
                                 errors)
        if TASK_MEMBER in entries:
            reported = _TaskReport(cur, package.path, package.peer.station_id, datetime.fromisoformat(
                package.manifest["created_at"]).isoformat(sep=" ", timespec="microseconds"))
            _apply_member(package, entries[TASK_MEMBER], reported.apply, progress, done, total, errors)
            result.tasks = reported.store(conn)
        suspended.__exit__(None, None, None)
        _sql(
            conn, "UPDATE sync_peer SET received_sequence = ?, last_received_at = ? WHERE station_id = ?",
            (package.sequence, _now_text(), package.peer.station_id))
        _log(conn, "in", package.peer.name, package.sequence, name, result.rows + result.events,
             result.inserted, result.updated, result.deleted, result.conflicts)
        detail.update(peer=package.peer.name, sequence=package.sequence, rows=result.rows,
                      inserted=result.inserted, updated=result.updated, deleted=result.deleted,
                      conflicts=result.conflicts, events_inserted=result.events_inserted)
    if progress is not None:
        progress(total, total)
    result.seconds = time.perf_counter() - started
    return result


def _apply_member(package: VerifiedPackage, entry: dict[str, Any], apply: Callable[[int, Any], None],
                  progress: Progress | None, done: int, total: int,
                  errors: type[Exception]) -> int:
    """Feed each line of one member to ``apply``, hashing it again as it goes (a file swapped
    after verification rolls everything back); returns the lines done so far in the package."""
    member = entry["name"]
    digest = hashlib.sha256()
    try:
        with zipfile.ZipFile(package.path) as zf, zf.open(member) as raw:
            for line_no, line in enumerate(raw, start=1):
                digest.update(line)
                try:
                    record = json.loads(line)
                except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                    raise PackageError(package.path, Reason.BAD_ROW, member=member, line=line_no,
                                       detail=f"not JSON ({exc})") from exc
                try:
                    apply(line_no, record)
                except errors as exc:
                    raise PackageError(package.path, Reason.BAD_ROW, member=member, line=line_no,
                                       detail=str(exc)) from exc
                done += 1
                if progress is not None and done % BATCH == 0 and not progress(done, total):
                    raise SyncCancelled()
    except _ZIP_ERRORS as exc:
        raise PackageError(package.path, Reason.NOT_A_PACKAGE, detail=str(exc)) from exc
    if digest.hexdigest() != entry["sha256"]:
        raise PackageError(package.path, Reason.HASH_MISMATCH, member=member)
    return done


@dataclass
class _EventApplier:
    """Adds incoming events: new ones under their incident, known ones (by uuid) skipped.

    An event whose incident is not here (deleted here, or never received) is skipped: an event
    log without its incident has nowhere to be shown.
    """

    cur: Any
    path: Path
    result: ApplyResult

    def apply(self, line_no: int, record: Any) -> None:
        uuid, origin, incident, key, at, values = self.parse(line_no, record)
        self.result.events += 1
        cur = self.cur
        if cur.execute("SELECT 1 FROM incident_event WHERE sync_uuid = ?", (uuid,)).fetchone():
            return
        row = cur.execute("SELECT id FROM incident WHERE sync_uuid = ?", (incident,)).fetchone()
        if row is None:
            row = cur.execute("SELECT id FROM incident WHERE incident_no = ?", (key,)).fetchone()
        if row is None:
            return
        cur.execute("INSERT INTO incident_event (incident_id, at, actor, action, detail, sync_uuid, "
                    "sync_origin) VALUES (?, ?, ?, ?, ?, ?, ?)", (row[0], at, *values, uuid, origin))
        self.result.events_inserted += 1

    def parse(self, line_no: int, record: Any) -> tuple[str, str, str, str, str, list[str]]:
        def bad(detail: str) -> PackageError:
            return PackageError(self.path, Reason.BAD_ROW, member=EVENT_MEMBER, line=line_no,
                                detail=detail)

        expected = {"uuid", "origin", "incident", "key", "at", *EVENT_FIELDS}
        if not isinstance(record, dict) or set(record) != expected:
            raise bad(f"an event has the fields {', '.join(sorted(expected))}")
        for name in ("uuid", "incident"):
            value = record[name]
            if not (isinstance(value, str) and len(value) == 32
                    and all(c in "0123456789abcdef" for c in value)):
                raise bad(f"{name} must be 32 lower-case hex digits")
        if not isinstance(record["origin"], str) or not 0 < len(record["origin"]) <= 32:
            raise bad("origin is missing")
        if not isinstance(record["key"], str) or not 0 < len(record["key"]) <= 40:
            raise bad("key (the incident number) is missing or too long")
        if not isinstance(record["at"], str) or not _is_time(record["at"]):
            raise bad("at must be a time like 2026-03-01 08:00:00")
        values = []
        for name, longest in EVENT_FIELDS.items():
            value = record[name]
            if not isinstance(value, str) or len(value) > longest:
                raise bad(f"{name} must be text of at most {longest} characters")
            values.append(value)
        if not values[1]:
            raise bad("action must not be empty")
        return (record["uuid"], record["origin"], record["incident"], record["key"], record["at"],
                values)


@dataclass
class _TaskReport:
    """The tasks a peer reported: checked line by line, then put in place of its earlier report."""

    cur: Any
    path: Path
    origin: str
    reported_at: str
    rows: dict[str, tuple[Any, ...]] = field(default_factory=dict)

    def apply(self, line_no: int, record: Any) -> None:
        def bad(detail: str) -> PackageError:
            return PackageError(self.path, Reason.BAD_ROW, member=TASK_MEMBER, line=line_no,
                                detail=detail)

        if not isinstance(record, dict) or set(record) != set(TASK_FIELDS):
            raise bad(f"a task has the fields {', '.join(TASK_FIELDS)}")
        number, state = record["task_no"], record["state"]
        if not isinstance(number, str) or not 0 < len(number) <= 40:
            raise bad("task_no is missing or longer than 40 characters")
        if number in self.rows:
            raise bad(f"task {number} is listed twice")
        if state not in TASK_STATES:
            raise bad(f"state {state!r:.40} is not a task state")
        times = []
        for name in TASK_TIMES:
            value = record[name]
            if value is None and name not in ("issued_at", "signoff_due"):
                times.append(None)
                continue
            try:
                when = datetime.fromisoformat(value)
            except (TypeError, ValueError):
                raise bad(f"{name} of task {number} must be a time like 2026-03-01 08:00:00") from None
            times.append(when.isoformat(sep=" ", timespec="microseconds"))
        self.rows[number] = (self.origin, number, state, *times, self.reported_at)

    def store(self, conn: Connection) -> int:
        """Replace the sender's earlier report with this one; returns the tasks reported."""
        self.cur.execute(f"DELETE FROM {TASK_TABLE} WHERE origin = ?", (self.origin,))
        bulk_insert(conn, METADATA.tables[TASK_TABLE], ("origin", *TASK_FIELDS, "reported_at"),
                    list(self.rows.values()))
        return len(self.rows)


# ---- conflicts and state ------------------------------------------------------------------


@dataclass(frozen=True)
class Conflict:
    id: int
    row_key: str
    kept_origin: str
    kept_at: str | None
    lost_origin: str
    lost_at: str | None
    lost_deleted: bool
    lost_data: dict[str, Any] | None
    package: str
    detected_at: str
    reviewed: bool


def list_conflicts(db: Database, *, include_reviewed: bool = False, limit: int = 500) -> list[Conflict]:
    """The recorded conflicts, newest first (the losing versions, for review)."""
    where = "" if include_reviewed else "WHERE reviewed = ?"
    with db.read() as conn:
        rows = _sql(
            conn, "SELECT id, row_key, kept_origin, kept_hlc, lost_origin, lost_hlc, lost_deleted, "
            f"lost_data, package, detected_at, reviewed FROM sync_conflict {where} "
            "ORDER BY id DESC LIMIT ?", (limit,) if include_reviewed else (False, limit)).all()
    return [Conflict(r[0], r[1], r[2], _hlc_time(r[3]), r[4], _hlc_time(r[5]), bool(r[6]),
                     json.loads(r[7]) if r[7] else None, r[8], str(r[9]), bool(r[10])) for r in rows]


def mark_reviewed(db: Database, conflict_ids: list[int]) -> None:
    with db.write() as conn:
        for cid in conflict_ids:
            _sql(conn, "UPDATE sync_conflict SET reviewed = ? WHERE id = ?", (True, cid))


def synced_state(db: Database) -> dict[str, tuple[Any, ...]]:
    """Every synced row as it travels (identity, version, fields) and every tombstone, by key."""
    fields = _wire_fields()
    with db.write() as conn:
        stamp_new_rows(conn)
    with db.read() as conn:
        cur = driver_cursor(conn)
        state: dict[str, tuple[Any, ...]] = {}
        for r in cur.execute(_select_sql("1 = 1")):
            state[r[4]] = (r[0], r[1], r[2], tuple(zip(fields, r[5:], strict=True)))
        for t in cur.execute("SELECT row_uuid, origin, hlc, row_key FROM sync_tombstone "
                             "WHERE table_name = ?", (TABLE,)):
            state.setdefault(t[3], (t[0], t[1], t[2], "deleted"))
    return state
