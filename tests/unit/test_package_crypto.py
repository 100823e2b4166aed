"""Change packages sealed for their recipient: only it can read them, any damage is refused."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from station_console.services import package_crypto
from station_console.services.audit import AuditFilter, AuditService
from station_console.services.changes import (
    ExportOptions,
    PackageError,
    Reason,
    SyncSetupError,
    apply_package,
    check_package,
    export_package,
    get_peer,
    public_key_text,
    synced_state,
    trust_peer,
)
from tests.unit.changes_helpers import (
    Replica,
    build_template,
    close_all,
    insert_incident,
    make_replicas,
)

PHONE = "13812345678"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_template(tmp_path_factory.mktemp("sealed") / "template.db")


@pytest.fixture
def trio(template: Path, tmp_path: Path) -> Iterator[list[Replica]]:
    replicas = make_replicas(template, tmp_path, ("A", "B", "C"))
    yield replicas
    close_all(replicas)


def sealed(src: Replica, dst: Replica, folder: Path, name: str = "p.scpkg") -> Path:
    out = folder / name
    export_package(src.db, out, dst.name, src.key, options=ExportOptions(encrypt=True, full=True))
    return out


def refused(replica: Replica, path: Path, reason: Reason, key: Ed25519PrivateKey | None) -> PackageError:
    before = synced_state(replica.db)
    with pytest.raises(PackageError) as err:
        apply_package(replica.db, path, key=key)
    assert err.value.reason is reason
    assert path.name in str(err.value)
    assert synced_state(replica.db) == before
    return err.value


def test_a_sealed_package_hides_everything_and_opens_for_its_recipient(trio, tmp_path) -> None:
    a, b, _c = trio
    insert_incident(a.db, "J1", caller_phone=PHONE, address="文三路1号")
    package = sealed(a, b, tmp_path)
    data = package.read_bytes()
    assert data.startswith(package_crypto.MAGIC)
    assert not zipfile.is_zipfile(package)
    for secret in (PHONE.encode(), "文三路".encode(), b"incident.ndjson", b"manifest.json"):
        assert secret not in data
    assert check_package(b.db, package, b.key).path == package
    result = apply_package(b.db, package, key=b.key)
    assert (result.path, result.inserted) == (package, 1)
    assert synced_state(a.db) == synced_state(b.db)
    with b.db.read() as conn:
        assert conn.exec_driver_sql("SELECT caller_phone FROM incident WHERE incident_no = 'J1'"
                                    ).scalar_one() == PHONE
    exports = AuditService(a.db).page(AuditFilter(action="export"), 0, 10)
    assert json.loads(exports[0].detail)["encrypted"] is True
    imports = AuditService(b.db).page(AuditFilter(object_type="change_package"), 0, 10)
    assert imports[0].object_id == package.name  # not the temporary decrypted copy


def test_the_decrypted_copy_does_not_outlive_the_apply(trio, tmp_path, monkeypatch) -> None:
    a, b, _c = trio
    insert_incident(a.db, "J1")
    package = sealed(a, b, tmp_path)
    private = tmp_path / "tmp"
    private.mkdir()
    monkeypatch.setenv("TMPDIR", str(private))
    monkeypatch.setattr("tempfile.tempdir", None)
    apply_package(b.db, package, key=b.key)
    with pytest.raises(PackageError):
        apply_package(b.db, package, key=b.key)
    assert list(private.iterdir()) == []


def test_only_the_recipient_can_open_it(trio, tmp_path) -> None:
    a, b, c = trio
    insert_incident(a.db, "J1")
    package = sealed(a, b, tmp_path)
    assert refused(c, package, Reason.FOREIGN, c.key).params["recipient"] == b.station
    assert refused(a, package, Reason.OWN_PACKAGE, a.key)
    refused(b, package, Reason.NEEDS_KEY, None)
    # B's key was replaced after A sealed the package for the old one.
    refused(b, package, Reason.UNDECRYPTABLE, Ed25519PrivateKey.generate())
    assert apply_package(b.db, package, key=b.key).inserted == 1


@pytest.mark.parametrize("where", ["preamble sender", "ephemeral key", "stream header", "first chunk",
                                   "last byte", "cut short", "extended"])
def test_every_damage_is_refused_before_anything_is_applied(trio, tmp_path, where) -> None:
    a, b, _c = trio
    for n in range(30):
        insert_incident(a.db, f"J{n}", description="描述" * 50)
    package = sealed(a, b, tmp_path)
    data = bytearray(package.read_bytes())
    offsets = {"preamble sender": 10, "ephemeral key": 50, "stream header": 80,
               "first chunk": package_crypto.PREAMBLE_SIZE + 60, "last byte": len(data) - 1}
    if where == "cut short":
        data = data[:-40]
    elif where == "extended":
        data += b"\0" * 16
    else:
        data[offsets[where]] ^= 0x01
    package.write_bytes(bytes(data))
    reason = Reason.UNKNOWN_PEER if where == "preamble sender" else Reason.UNDECRYPTABLE
    error = refused(b, package, reason, b.key)
    if reason is Reason.UNDECRYPTABLE:
        assert "A" in str(error) and str(package) not in str(error)


def test_a_package_resealed_by_another_station_is_refused(trio, tmp_path) -> None:
    a, b, c = trio
    insert_incident(a.db, "J1")
    plain = tmp_path / "signed.zip"
    export_package(a.db, plain, "B", a.key)
    forged = tmp_path / "forged.scpkg"
    with forged.open("wb") as fh:  # C passes A's signed package on as if it were its own
        package_crypto.seal(plain, fh, sender=c.station, recipient=b.station,
                            recipient_key_b64=get_peer(c.db, "B").encryption_key or "")
    error = refused(b, forged, Reason.BAD_MANIFEST, b.key)
    assert "sealed by another station" in str(error)


def test_a_peer_without_an_encryption_key_gets_a_clear_message(trio, tmp_path) -> None:
    a, b, _c = trio
    trust_peer(a.db, f"station-console-peer 1 {b.station} {public_key_text(b.key)} B", "B")
    with pytest.raises(SyncSetupError, match="no encryption key"):
        sealed(a, b, tmp_path)
    assert not (tmp_path / "p.scpkg").exists()
    assert get_peer(a.db, "B").sent_sequence == 0


def test_the_encryption_key_follows_the_signing_key() -> None:
    one, two = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    assert package_crypto.encryption_public_text(one) == package_crypto.encryption_public_text(one)
    assert package_crypto.encryption_public_text(one) != package_crypto.encryption_public_text(two)
    sid = "0123456789abcdef"
    endorsement = package_crypto.endorse(one, sid)
    package_crypto.check_endorsement(public_key_text(one), sid,
                                     package_crypto.encryption_public_text(one), endorsement)
    for station, key in ((sid, two), ("fedcba9876543210", one)):
        with pytest.raises(ValueError):
            package_crypto.check_endorsement(public_key_text(one), station,
                                             package_crypto.encryption_public_text(key), endorsement)
