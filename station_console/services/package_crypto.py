"""Encryption of change packages for their one recipient (X25519 + AES-256-GCM).

A signed package (see ``changes``) is sealed for the peer it is addressed to: only that
station can read it, even if the file is copied off a USB stick on the way.

- Every station's encryption key is an X25519 key derived from its Ed25519 signing key (so
  there is still one key file to keep, and replacing it replaces both). The peer card carries
  the X25519 public key with an Ed25519 signature over it, so the fingerprint a security
  officer compares by phone vouches for both keys.
- A sealed file is a 73-byte preamble (magic, version, sender and recipient station ids, a
  fresh ephemeral X25519 public key) followed by the chunked AES-256-GCM stream of
  ``crypto`` (header, then 1 MiB chunks each authenticated with its index and a last-chunk
  flag). The AES key is HKDF-SHA256 of the X25519 shared secret, with the stream header's
  random salt and the whole preamble as context: a changed byte anywhere fails to decrypt.
- Sealing happens after signing (the signature inside is the sender's proof; the manifest
  inside names the recipient, so a recipient cannot pass the package on as addressed to a
  third station).
"""

from __future__ import annotations

import base64
import secrets
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from station_console.services.crypto import (
    KDF_X25519,
    CryptoError,
    Header,
    Key,
    decrypt_file,
    encrypt_file,
)

MAGIC = b"SCPKGENC"
VERSION = 1
_PREAMBLE = struct.Struct(">8sB16s16s32s")
PREAMBLE_SIZE = _PREAMBLE.size
_DERIVE_INFO = b"station-console x25519 from ed25519 v1"
_KEY_INFO = b"station-console package key v1\0"
_CARD_TAG = b"station-console encryption key v1\0"


def exchange_key(signing_key: Ed25519PrivateKey) -> X25519PrivateKey:
    """This station's X25519 key, derived from its signing key's seed."""
    seed = signing_key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                     serialization.NoEncryption())
    derived = HKDF(hashes.SHA256(), 32, salt=None, info=_DERIVE_INFO).derive(seed)
    return X25519PrivateKey.from_private_bytes(derived)


def _raw_public(key: X25519PrivateKey | X25519PublicKey) -> bytes:
    public = key.public_key() if isinstance(key, X25519PrivateKey) else key
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def encryption_public_text(signing_key: Ed25519PrivateKey) -> str:
    return base64.b64encode(_raw_public(exchange_key(signing_key))).decode("ascii")


def endorse(signing_key: Ed25519PrivateKey, station: str) -> str:
    """The signing key's signature (hex) over this station's encryption key, for its card."""
    raw = _raw_public(exchange_key(signing_key))
    return signing_key.sign(_CARD_TAG + station.encode("ascii") + raw).hex()


def check_endorsement(signing_public_b64: str, station: str, encryption_b64: str,
                      signature_hex: str) -> None:
    """Raise ``ValueError`` unless the encryption key is a valid X25519 key endorsed by the signer."""
    raw = base64.b64decode(encryption_b64, validate=True)
    X25519PublicKey.from_public_bytes(raw)
    signer = Ed25519PublicKey.from_public_bytes(base64.b64decode(signing_public_b64, validate=True))
    try:
        signer.verify(bytes.fromhex(signature_hex), _CARD_TAG + station.encode("ascii") + raw)
    except InvalidSignature:
        raise ValueError("the encryption key is not signed by the card's signing key") from None


@dataclass(frozen=True)
class Envelope:
    """What the preamble of a sealed package says (not yet authenticated)."""

    sender: str
    recipient: str
    ephemeral: bytes
    raw: bytes


def is_sealed(path: Path) -> bool:
    with path.open("rb") as fh:
        return fh.read(len(MAGIC)) == MAGIC


def read_envelope(path: Path) -> Envelope:
    """The preamble of a sealed package; ``CryptoError`` when it is cut short or unknown."""
    with path.open("rb") as fh:
        raw = fh.read(PREAMBLE_SIZE)
    if len(raw) < PREAMBLE_SIZE:
        raise CryptoError("the file ends inside its encryption preamble")
    magic, version, sender, recipient, ephemeral = _PREAMBLE.unpack(raw)
    if magic != MAGIC:
        raise CryptoError("it is not an encrypted change package")
    if version != VERSION:
        raise CryptoError(f"encryption format {version} is not known to this program")
    try:
        return Envelope(sender.decode("ascii"), recipient.decode("ascii"), ephemeral, raw)
    except UnicodeDecodeError:
        raise CryptoError("the encryption preamble is damaged") from None


@dataclass(frozen=True)
class _Agreement:
    """A ``crypto.Secret`` whose key is agreed between an ephemeral and a station key."""

    shared: bytes
    preamble: bytes

    def describe(self) -> str:
        return "this station's key"

    def _key(self, salt: bytes) -> Key:
        secret = HKDF(hashes.SHA256(), 32, salt=salt, info=_KEY_INFO + self.preamble).derive(self.shared)
        return Key(secret, KDF_X25519, salt)

    def new_key(self) -> Key:
        return self._key(secrets.token_bytes(16))

    def key_for(self, header: Header, path: Path) -> Key:
        if header.kdf != KDF_X25519:
            raise CryptoError(f"{path}: the encrypted stream is not sealed for a station key")
        return self._key(header.salt)


def seal(plain: Path, target: BinaryIO, *, sender: str, recipient: str, recipient_key_b64: str) -> None:
    """Write ``plain`` encrypted for the recipient's X25519 key into the open file ``target``."""
    peer = X25519PublicKey.from_public_bytes(base64.b64decode(recipient_key_b64, validate=True))
    ephemeral = X25519PrivateKey.generate()
    preamble = _PREAMBLE.pack(MAGIC, VERSION, sender.encode("ascii"), recipient.encode("ascii"),
                              _raw_public(ephemeral))
    target.write(preamble)
    encrypt_file(plain, target, _Agreement(ephemeral.exchange(peer), preamble))


def unseal(path: Path, envelope: Envelope, signing_key: Ed25519PrivateKey, target: BinaryIO) -> None:
    """Decrypt a sealed package with this station's key; ``CryptoError`` says what is wrong."""
    mine = exchange_key(signing_key)
    try:
        shared = mine.exchange(X25519PublicKey.from_public_bytes(envelope.ephemeral))
    except ValueError:
        raise CryptoError("the encryption preamble is damaged") from None
    decrypt_file(path, target, _Agreement(shared, envelope.raw), offset=PREAMBLE_SIZE)
