"""A generated corpus of over 1,000 malformed change packages: each refused, nothing changed.

Bit flips, truncations, inserted and deleted bytes, swapped manifests and packages signed with
the right key around broken contents (wrong hashes, counts, members, manifest fields, row
fields of the wrong type, unknown categories, lines that are not JSON).
"""

from __future__ import annotations

import json
import random
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from station_console.services.changes import (
    COMMENT_MAGIC,
    EVENT_MEMBER,
    MANIFEST,
    MEMBER,
    SIGNATURE_HEX,
    TASK_MEMBER,
    ExportOptions,
    PackageError,
    Reason,
    _sign_in_place,
    apply_package,
    export_package,
)
from station_console.store.database import Database
from tests.conftest import pg_copy, pg_drop
from tests.unit.changes_helpers import (
    Replica,
    build_template,
    close_all,
    insert_incident,
    make_replicas,
)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def world(request: pytest.FixtureRequest,
          tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[list[Replica], Path, Path]]:
    """Station A's packages for B; on "postgresql" B (the receiving side) is on a server."""
    folder = tmp_path_factory.mktemp("corpus")
    template = build_template(folder / "template.db")
    servers = {}
    if request.param == "postgresql":
        servers = {"B": pg_copy(request.getfixturevalue("pg_station"))}
    replicas = make_replicas(template, folder, ("A", "B", "C"), servers)
    a = replicas[0]
    for n in range(4):
        insert_incident(a.db, f"J{n}", description=f"第{n}起", lat=30.27, lon=120.13)
    first = folder / "first.zip"
    export_package(a.db, first, "B", a.key)
    insert_incident(a.db, "J9")
    second = folder / "second.zip"
    export_package(a.db, second, "B", a.key, options=ExportOptions(full=True))
    yield replicas, first, second
    close_all(replicas)
    for url in servers.values():
        pg_drop(url)


def fingerprint(db: Database) -> tuple[object, ...]:
    with db.read() as conn:
        counts = tuple(conn.exec_driver_sql(
            "SELECT (SELECT count(*) FROM incident), (SELECT coalesce(sum(sync_seq), 0) FROM incident), "
            "(SELECT count(*) FROM sync_tombstone), (SELECT count(*) FROM sync_conflict), "
            "(SELECT count(*) FROM incident_event), (SELECT count(*) FROM station_task)").one())
        received = conn.exec_driver_sql(
            "SELECT received_sequence FROM sync_peer ORDER BY station_id").scalars().all()
    return (*counts, tuple(received))


def members_of(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def signed(path: Path, members: dict[str, bytes], replica: Replica) -> Path:
    """A package signed with the sender's real key around whatever members it is given."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
        zf.comment = COMMENT_MAGIC + replica.station.encode("ascii") + b" " + b"0" * SIGNATURE_HEX
    _sign_in_place(path, replica.key)
    return path


def with_manifest(members: dict[str, bytes], **changes: object) -> dict[str, bytes]:
    manifest = json.loads(members[MANIFEST])
    manifest.update(changes)
    return {**members, MANIFEST: json.dumps(manifest).encode("utf-8")}


def with_rows(members: dict[str, bytes], lines: list[bytes], member: str = MEMBER) -> dict[str, bytes]:
    """New rows of one member with a manifest whose hash and count match them (only the rows
    are bad)."""
    import hashlib

    body = b"".join(line + b"\n" for line in lines)
    manifest = json.loads(members[MANIFEST])
    entry = next(f for f in manifest["files"] if f["name"] == member)
    entry.update(sha256=hashlib.sha256(body).hexdigest(), bytes=len(body), rows=len(lines),
                 tombstones=0)
    return {**members, member: body, MANIFEST: json.dumps(manifest).encode("utf-8")}


def event_variants(members: dict[str, bytes],
                   good_line: dict[str, object]) -> Iterator[tuple[str, dict[str, bytes]]]:
    """Malformed event-log rows after a good incident: the whole package must still be refused."""
    good: dict[str, object] = {
        "uuid": "e" * 32, "origin": good_line["origin"], "incident": good_line["uuid"],
        "key": good_line["key"], "at": "2026-03-01 08:05:00", "actor": "值班员",
        "action": "note", "detail": "到场"}

    def event(**changes: object) -> bytes:
        record = {k: v for k, v in {**good, **changes}.items() if v is not ...}
        return json.dumps(record, ensure_ascii=False).encode("utf-8")

    yield "event not json", with_rows(members, [event(), b"{oops"], EVENT_MEMBER)
    yield "event a list", with_rows(members, [b"[1]"], EVENT_MEMBER)
    for k in good:
        yield f"event without {k}", with_rows(members, [event(**{k: ...})], EVENT_MEMBER)
    for k, bad in (("uuid", "XYZ"), ("uuid", 7), ("incident", "A" * 32), ("origin", ""),
                   ("key", ""), ("at", "yesterday"), ("at", None), ("actor", "长" * 51),
                   ("action", ""), ("action", 5), ("detail", None), ("extra", 1)):
        yield f"event {k}={bad!r}", with_rows(members, [event(), event(**{k: bad})], EVENT_MEMBER)
    manifest = json.loads(members[MANIFEST])
    entry = dict(next(f for f in manifest["files"] if f["name"] == EVENT_MEMBER))
    entry["tombstones"] = 1
    incidents = next(f for f in manifest["files"] if f["name"] == MEMBER)
    yield "event entry with deletions", with_manifest(members, files=[incidents, entry])
    yield "events without incidents", with_manifest(members, files=[entry])


def task_variants(members: dict[str, bytes]) -> Iterator[tuple[str, dict[str, bytes]]]:
    """Malformed reported tasks after good incidents and events: still refused as a whole."""
    good: dict[str, object] = {
        "task_no": "RW-0001", "state": "signed", "issued_at": "2026-03-01 08:00:00",
        "signoff_due": "2026-03-02 08:00:00", "signed_at": "2026-03-01 09:00:00",
        "feedback_due": "2026-03-08 09:00:00", "feedback_at": None}

    def task(**changes: object) -> bytes:
        return json.dumps({k: v for k, v in {**good, **changes}.items() if v is not ...}).encode("utf-8")

    yield "task not json", with_rows(members, [task(), b"{oops"], TASK_MEMBER)
    yield "task a list", with_rows(members, [b"[1]"], TASK_MEMBER)
    yield "task listed twice", with_rows(members, [task(), task()], TASK_MEMBER)
    for k in good:
        yield f"task without {k}", with_rows(members, [task(**{k: ...})], TASK_MEMBER)
    for k, bad in (("task_no", ""), ("task_no", "T" * 41), ("task_no", 5), ("state", "lost"),
                   ("state", None), ("issued_at", None), ("issued_at", "yesterday"),
                   ("signoff_due", None), ("signed_at", "soon"), ("feedback_due", 7),
                   ("feedback_at", []), ("extra", 1)):
        yield f"task {k}={bad!r}", with_rows(members, [task(), task(**{"task_no": "RW-2", k: bad})],
                                             TASK_MEMBER)
    manifest = json.loads(members[MANIFEST])
    entry = dict(next(f for f in manifest["files"] if f["name"] == TASK_MEMBER))
    entry["tombstones"] = 1
    others = [f for f in manifest["files"] if f["name"] != TASK_MEMBER]
    yield "task entry with deletions", with_manifest(members, files=[*others, entry])


def byte_variants(data: bytes, rng: random.Random) -> Iterator[tuple[str, bytes]]:
    for _ in range(700):
        pos = rng.randrange(len(data))
        flipped = bytearray(data)
        flipped[pos] ^= 1 << rng.randrange(8)
        yield f"flip@{pos}", bytes(flipped)
    for length in sorted({rng.randrange(len(data)) for _ in range(200)}):
        yield f"truncated@{length}", data[:length]
    for _ in range(60):
        pos = rng.randrange(len(data))
        yield f"inserted@{pos}", data[:pos] + bytes([rng.randrange(256)]) + data[pos:]
        yield f"deleted@{pos}", data[:pos] + data[pos + 1:]
    yield "empty", b""
    yield "doubled", data + data


def signed_variants(members: dict[str, bytes], other: dict[str, bytes],
                    good_line: dict[str, object]) -> Iterator[tuple[str, dict[str, bytes]]]:
    yield "swapped manifest", {**members, MANIFEST: other[MANIFEST]}
    yield "swapped rows", {**members, MEMBER: other[MEMBER]}
    yield "manifest missing", {MEMBER: members[MEMBER]}
    yield "rows missing", {MANIFEST: members[MANIFEST]}
    yield "extra member", {**members, "extra.ndjson": b"{}\n"}
    yield "manifest not json", {**members, MANIFEST: b"{not json"}
    yield "manifest a list", {**members, MANIFEST: b"[]"}
    yield "manifest latin-1", {**members, MANIFEST: "{\"format\": \"é\"}".encode("latin-1")}
    for key in ("format", "format_version", "station_id", "recipient", "sequence", "files",
                "created_at", "masked"):
        manifest = json.loads(members[MANIFEST])
        del manifest[key]
        yield f"manifest without {key}", {**members, MANIFEST: json.dumps(manifest).encode()}
        for bad in (None, "x", 1.5, [], {}, True):
            if key == "masked" and bad is True:
                continue  # a valid value of this field
            yield f"manifest {key}={bad!r}", with_manifest(members, **{key: bad})
    yield "newer format", with_manifest(members, format_version=99)
    yield "sequence 0", with_manifest(members, sequence=0)
    yield "sequence 2 (gap)", with_manifest(members, sequence=2)
    yield "another recipient", with_manifest(members, recipient="cccccccccccccccc")
    yield "another sender", with_manifest(members, station_id="cccccccccccccccc")
    manifest = json.loads(members[MANIFEST])
    for field, bad in (("sha256", "0" * 64), ("rows", 99), ("rows", 0), ("bytes", 1),
                       ("tombstones", 1), ("name", "other.ndjson"), ("table", "task")):
        entry = dict(manifest["files"][0])
        entry[field] = bad
        yield f"file entry {field}={bad!r}", with_manifest(members, files=[entry, *manifest["files"][1:]])
    yield "no file entries", with_manifest(members, files=[])
    yield "file entry twice", with_manifest(members, files=manifest["files"] * 2)

    def line(**changes: object) -> bytes:
        record = json.loads(json.dumps(good_line))
        for k, v in changes.items():
            if v is ...:
                del record[k]
            else:
                record[k] = v
        return json.dumps(record, ensure_ascii=False).encode("utf-8")

    def data_line(**changes: object) -> bytes:
        data = dict(good_line["data"])  # type: ignore[call-overload]
        for k, v in changes.items():
            if v is ...:
                del data[k]
            else:
                data[k] = v
        return line(data=data)

    good = line()
    yield "row not json", with_rows(members, [good, b"{oops"])
    yield "row not utf-8", with_rows(members, [good, "\"张\"".encode("gb18030")])
    yield "row a list", with_rows(members, [b"[1, 2]"])
    yield "row empty line", with_rows(members, [good, b""])
    for k in ("uuid", "origin", "hlc", "base", "key", "data"):
        yield f"row without {k}", with_rows(members, [line(**{k: ...})])
    for k, bad in (("uuid", "XYZ"), ("uuid", "A" * 32), ("uuid", 5), ("origin", ""), ("origin", 7),
                   ("hlc", -1), ("hlc", "1"), ("hlc", 1.5), ("hlc", True), ("base", None),
                   ("key", ""), ("key", "K" * 41), ("key", "J999"), ("deleted", "yes"),
                   ("extra", 1)):
        yield f"row {k}={bad!r}", with_rows(members, [line(**{k: bad})])
    yield "tombstone with data", with_rows(members, [line(deleted=True)])
    data = good_line["data"]
    assert isinstance(data, dict)
    for k, value in data.items():
        yield f"row data without {k}", with_rows(members, [data_line(**{k: ...})])
        wrong = [[1], {"a": 1}]
        if isinstance(value, str):
            wrong.append(12)
        elif isinstance(value, (int, float)):
            wrong.append("12")
        if k in ("incident_no", "source", "category_code", "status", "received_at", "updated_at"):
            wrong.append(None)
        if k.endswith("_at"):
            wrong.append("yesterday")
        for bad in wrong:
            yield f"row data {k}={bad!r}", with_rows(members, [data_line(**{k: bad})])
    yield "row data extra field", with_rows(members, [data_line(secret="x")])
    yield "unknown category", with_rows(members, [data_line(category_code="9999")])


def test_over_a_thousand_malformed_packages_are_refused_and_change_nothing(
        world: tuple[list[Replica], Path, Path], tmp_path: Path) -> None:
    replicas, first, second = world
    a, b, _c = replicas
    before = fingerprint(b.db)
    data = first.read_bytes()
    members, other = members_of(first), members_of(second)
    good_line = json.loads(members[MEMBER].splitlines()[0])
    rng = random.Random(20261201)
    target = tmp_path / "bad.zip"
    reasons: dict[Reason, int] = {}
    count = 0
    for label, variant in byte_variants(data, rng):
        target.write_bytes(variant)
        with pytest.raises(PackageError) as err:
            apply_package(b.db, target)
        assert "bad.zip" in str(err.value), label
        reasons[err.value.reason] = reasons.get(err.value.reason, 0) + 1
        count += 1
    variants = [*signed_variants(members, other, good_line), *event_variants(members, good_line),
                *task_variants(members)]
    for label, variant_members in variants:
        target.unlink(missing_ok=True)
        signed(target, variant_members, a)
        with pytest.raises(PackageError) as err:
            apply_package(b.db, target)
        assert "bad.zip" in str(err.value), label
        reasons[err.value.reason] = reasons.get(err.value.reason, 0) + 1
        count += 1
    assert count >= 1000
    assert fingerprint(b.db) == before
    assert {Reason.NOT_A_PACKAGE, Reason.BAD_SIGNATURE, Reason.BAD_MANIFEST, Reason.MEMBERS,
            Reason.HASH_MISMATCH, Reason.COUNT_MISMATCH, Reason.BAD_ROW, Reason.UNKNOWN_CODE,
            Reason.FOREIGN, Reason.OUT_OF_ORDER, Reason.NEWER_FORMAT} <= set(reasons)
    # The intact package still applies afterwards.
    assert apply_package(b.db, first).inserted == 4
