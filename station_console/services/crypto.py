"""Encrypted backup files: AES-256-GCM in authenticated chunks, streamed.

Layout: a 48-byte header (magic, format version, how the key is found, scrypt cost, chunk size,
key id, salt, nonce prefix) followed by chunks of ``chunk size`` plaintext bytes (the last one
shorter, possibly empty), each sealed with its own nonce (nonce prefix + chunk index). Every
chunk's associated data is the whole header, the chunk index and a final-chunk flag, so a
changed header, a changed, swapped, dropped or appended chunk and a file cut short are all
refused. The key is a random 256-bit key in a key file (created on first use, readable by the
owner only) or is derived from a passphrase with scrypt (for a copy kept off site).
"""

from __future__ import annotations

import hashlib
import os
import secrets
import struct
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from station_console.services.atomic import fsync_dir, restrict_to_owner, temp_path_beside

MAGIC = b"SCBACKUP"
FORMAT_VERSION = 1
KDF_KEY_FILE = 1
KDF_SCRYPT = 2
#: The key is agreed with X25519 for one recipient (change packages, ``package_crypto``).
KDF_X25519 = 3
#: Plaintext bytes per chunk (1 MiB: a 1 GB backup is ~1000 chunks, memory stays flat).
CHUNK_SIZE = 1 << 20
TAG_SIZE = 16
KEY_SIZE = 32
#: scrypt cost: N = 2**15, r = 8, p = 1 (32 MiB, a fraction of a second once per file).
SCRYPT_LOG2_N = 15
KEY_FILE_NAME = "backup.key"
_HEADER = struct.Struct(">8sBBBxI8s16s8s")
HEADER_SIZE = _HEADER.size
_AAD_TAIL = struct.Struct(">QB")
_MAX_CHUNKS = 1 << 32


class CryptoError(Exception):
    """An encrypted file cannot be read: wrong key, cut short or altered. Names the file."""


@dataclass(frozen=True)
class Header:
    version: int
    kdf: int
    log2_n: int
    chunk_size: int
    key_id: bytes
    salt: bytes
    nonce_prefix: bytes

    def pack(self) -> bytes:
        return _HEADER.pack(MAGIC, self.version, self.kdf, self.log2_n, self.chunk_size,
                            self.key_id, self.salt, self.nonce_prefix)


@dataclass(frozen=True)
class Key:
    """A 256-bit key and what the header records about it."""

    secret: bytes
    kdf: int
    salt: bytes = b"\0" * 16
    log2_n: int = 0

    @property
    def key_id(self) -> bytes:
        return hashlib.sha256(b"station-console backup key id\0" + self.secret).digest()[:8]


class Secret(Protocol):
    """Where a key comes from: a key file or a passphrase."""

    def new_key(self) -> Key: ...

    def key_for(self, header: Header, path: Path) -> Key: ...

    def describe(self) -> str: ...


@dataclass(frozen=True)
class KeyFile:
    """A random key kept in a file (by default ``backup.key`` beside the database)."""

    path: Path

    @classmethod
    def beside(cls, db_path: Path) -> KeyFile:
        return cls(Path(db_path).expanduser().resolve().parent / KEY_FILE_NAME)

    def describe(self) -> str:
        return f"key file {self.path}"

    def new_key(self) -> Key:
        if not self.path.exists():
            self._create()
        return self._load()

    def key_for(self, header: Header, path: Path) -> Key:
        if header.kdf != KDF_KEY_FILE:
            raise CryptoError(f"{path} is encrypted with a passphrase, not a key file; "
                              "give the passphrase (--passphrase-env). Nothing was changed.")
        if not self.path.exists():
            raise CryptoError(f"{path} is encrypted and the key file {self.path} does not exist; "
                              "copy the key file of the station that wrote it there. Nothing was changed.")
        return self._load()

    def _create(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temp = temp_path_beside(self.path)
        try:
            restrict_to_owner(temp)
            with temp.open("wb") as fh:
                fh.write(secrets.token_bytes(KEY_SIZE).hex().encode("ascii") + b"\n")
                fh.flush()
                os.fsync(fh.fileno())
            # Never replace a key another process created meanwhile: its backups need it.
            os.link(temp, self.path)
            fsync_dir(self.path.parent)
        except FileExistsError:
            pass
        finally:
            temp.unlink(missing_ok=True)

    def _load(self) -> Key:
        try:
            secret = bytes.fromhex(self.path.read_text("ascii").strip())
        except (ValueError, UnicodeDecodeError):
            secret = b""
        if len(secret) != KEY_SIZE:
            raise CryptoError(f"{self.path} is not a backup key file (64 hex digits expected).")
        return Key(secret, KDF_KEY_FILE)


@dataclass(frozen=True)
class Passphrase:
    """A key derived from a passphrase with scrypt (salt and cost in each file's header)."""

    text: str

    def __post_init__(self) -> None:
        if len(self.text) < 8:
            raise CryptoError("the backup passphrase is too short (at least 8 characters).")

    def describe(self) -> str:
        return "passphrase"

    def new_key(self) -> Key:
        return self._derive(secrets.token_bytes(16), SCRYPT_LOG2_N)

    def key_for(self, header: Header, path: Path) -> Key:
        if header.kdf != KDF_SCRYPT:
            raise CryptoError(f"{path} is encrypted with a key file, not a passphrase; "
                              "restore it on a station that has the key file. Nothing was changed.")
        if not 10 <= header.log2_n <= 20:
            raise CryptoError(f"{path} has an implausible key derivation cost in its header; "
                              "it was altered. Nothing was changed.")
        return self._derive(header.salt, header.log2_n)

    def _derive(self, salt: bytes, log2_n: int) -> Key:
        kdf = Scrypt(salt=salt, length=KEY_SIZE, n=1 << log2_n, r=8, p=1)
        return Key(kdf.derive(self.text.encode("utf-8")), KDF_SCRYPT, salt, log2_n)


def is_encrypted(path: Path) -> bool:
    """Whether the file starts like an encrypted backup."""
    with path.open("rb") as fh:
        return fh.read(len(MAGIC)) == MAGIC


def read_header(path: Path, fh: BinaryIO) -> tuple[Header, bytes]:
    raw = fh.read(HEADER_SIZE)
    if len(raw) < HEADER_SIZE:
        raise CryptoError(f"{path} is cut short: it ends inside its header. Nothing was changed.")
    magic, version, kdf, log2_n, chunk_size, key_id, salt, prefix = _HEADER.unpack(raw)
    if magic != MAGIC:
        raise CryptoError(f"{path} is not an encrypted backup. Nothing was changed.")
    if version != FORMAT_VERSION:
        raise CryptoError(f"{path} has encrypted backup format {version}, which this version does not "
                          "know (it comes from a newer program, or the header was altered). "
                          "Nothing was changed.")
    if kdf not in (KDF_KEY_FILE, KDF_SCRYPT, KDF_X25519) or not 1 <= chunk_size <= 1 << 26:
        raise CryptoError(f"{path} has a damaged header (key kind {kdf}, chunk size {chunk_size}); "
                          "it was altered. Nothing was changed.")
    return Header(version, kdf, log2_n, chunk_size, key_id, salt, prefix), raw


def _nonce(prefix: bytes, index: int) -> bytes:
    return prefix + struct.pack(">I", index)


def _aad(header: bytes, index: int, final: bool) -> bytes:
    return header + _AAD_TAIL.pack(index, int(final))


def encrypt_file(source: Path, target: BinaryIO, secret: Secret, *, chunk_size: int = CHUNK_SIZE,
                 progress: Callable[[int], None] | None = None) -> Key:
    """Encrypt ``source`` into the open file ``target`` chunk by chunk; returns the key used."""
    key = secret.new_key()
    header = Header(FORMAT_VERSION, key.kdf, key.log2_n, chunk_size, key.key_id, key.salt,
                    secrets.token_bytes(8))
    raw = header.pack()
    aead = AESGCM(key.secret)
    target.write(raw)
    with source.open("rb") as fh:
        current = fh.read(chunk_size)
        index = 0
        while True:
            following = fh.read(chunk_size) if len(current) == chunk_size else b""
            final = not following
            if index >= _MAX_CHUNKS:
                raise CryptoError(f"{source} is too large to encrypt in chunks of {chunk_size} bytes.")
            target.write(aead.encrypt(_nonce(header.nonce_prefix, index), current,
                                      _aad(raw, index, final)))
            if progress is not None:
                progress(len(current))
            if final:
                return key
            current, index = following, index + 1


def decrypt_file(source: Path, target: BinaryIO, secret: Secret, *, offset: int = 0) -> Header:
    """Decrypt ``source`` into the open file ``target``; raises ``CryptoError`` naming what is wrong.

    The encrypted stream starts ``offset`` bytes into the file (after a caller's own preamble).
    ``target`` receives authenticated plaintext chunk by chunk: on an error it holds a prefix
    and must be thrown away (callers decrypt into a temporary file).
    """
    with source.open("rb") as fh:
        fh.seek(offset)
        header, raw = read_header(source, fh)
        key = secret.key_for(header, source)
        if key.key_id != header.key_id:
            which = "passphrase" if header.kdf == KDF_SCRYPT else f"key ({secret.describe()})"
            raise CryptoError(f"{source} was encrypted with another {which}: wrong key "
                              f"(the file needs key id {header.key_id.hex()}). Nothing was changed.")
        aead = AESGCM(key.secret)
        record = header.chunk_size + TAG_SIZE
        current = fh.read(record)
        index = 0
        while True:
            following = fh.read(record) if len(current) == record else b""
            final = not following
            if len(current) < TAG_SIZE:
                raise CryptoError(f"{source} is cut short: it ends inside chunk {index + 1}. "
                                  "Nothing was changed.")
            nonce = _nonce(header.nonce_prefix, index)
            try:
                plain = aead.decrypt(nonce, current, _aad(raw, index, final))
            except InvalidTag:
                raise _chunk_error(source, aead, nonce, current, raw, index, final, record) from None
            target.write(plain)
            if final:
                return header
            current, index = following, index + 1


def _chunk_error(source: Path, aead: AESGCM, nonce: bytes, data: bytes, raw: bytes, index: int,
                 final: bool, record: int) -> CryptoError:
    if final:
        try:
            aead.decrypt(nonce, data, _aad(raw, index, False))
        except InvalidTag:
            pass
        else:
            return CryptoError(f"{source} is cut short: it ends after chunk {index + 1}, which is not "
                               "the last one. Nothing was changed.")
        if len(data) < record:
            return CryptoError(f"{source} is cut short or altered: chunk {index + 1} (the last) does "
                               "not authenticate. Nothing was changed.")
    if index == 0:
        return CryptoError(f"{source} was altered: its header or first chunk does not authenticate. "
                           "Nothing was changed.")
    last = " (the last)" if final else ""
    return CryptoError(f"{source} was altered: chunk {index + 1}{last} does not authenticate (changed, "
                       "moved or followed by extra data). Nothing was changed.")
