"""Cryptographic primitives: libsodium (PyNaCl) and Argon2id (argon2-cffi) only.

Nothing here is home-made cryptography; this module only fixes formats.
Every ciphertext starts with a version byte, followed by what is needed to
open it (nonce, KDF parameters, salt), so that formats can change later
without losing old data (crypto agility).

Formats (all integers big-endian):

``data``     1 version | 1 flags | 24 nonce | XChaCha20-Poly1305 ciphertext
             The two header bytes are part of the associated data. Flag bit 0:
             the plaintext was padded to a size bucket (ISO/IEC 7816-4).
``sealed``   1 version | X25519 sealed box of (32 BLAKE2b(ad) | secret)
             Sealed boxes take no associated data, so its digest travels
             inside and is checked after opening.
``password`` 1 version | 4 time cost | 4 memory KiB | 1 parallelism | 16 salt
             | ``data`` envelope under BLAKE2b(key=instance key, Argon2id(…))
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

import nacl.bindings as sodium
import nacl.exceptions
import nacl.public
import nacl.utils
from argon2.low_level import Type, hash_secret_raw

from holdspace.lib.hardwork import one_at_a_time

VERSION = 1
KEY_BYTES = 32
NONCE_BYTES = sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES  # 24
SALT_BYTES = 16
_FLAG_PADDED = 0x01
_DATA_HEADER = 2
_PASSWORD_HEADER = struct.Struct(">BIIB")  # version, time, memory, parallelism

# Plaintexts are padded up to the next of these sizes, then to multiples of
# the largest, so a ciphertext's length says little about the text.
BUCKETS = (64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384)


class CryptoError(Exception):
    """A ciphertext could not be opened: wrong key, wrong context, or tampered."""


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost. Production must meet the floor (see checks)."""

    time_cost: int
    memory_kib: int
    parallelism: int

    def at_least(self, floor: KdfParams) -> bool:
        return (
            self.time_cost >= floor.time_cost
            and self.memory_kib >= floor.memory_kib
            and self.parallelism >= 1
        )


def random_bytes(size: int = KEY_BYTES) -> bytes:
    return bytes(nacl.utils.random(size))


def bucket_size(length: int) -> int:
    """The padded size for ``length`` bytes (always at least one byte more)."""
    for size in BUCKETS:
        if length < size:
            return size
    largest = BUCKETS[-1]
    return (length // largest + 1) * largest


def _pad(data: bytes) -> bytes:
    size = bucket_size(len(data))
    block = size if size <= BUCKETS[-1] else BUCKETS[-1]
    padded = bytes(sodium.sodium_pad(data, block))
    if len(padded) != size:  # sodium pads to the next multiple of the block
        raise CryptoError("padding failed")
    return padded


def _unpad(data: bytes) -> bytes:
    block = len(data) if len(data) <= BUCKETS[-1] else BUCKETS[-1]
    try:
        return bytes(sodium.sodium_unpad(data, block))
    except (nacl.exceptions.CryptoError, ValueError):
        raise CryptoError("bad padding") from None


def seal_data(key: bytes, plaintext: bytes, ad: bytes, *, pad: bool = True) -> bytes:
    """Encrypt with XChaCha20-Poly1305 under ``key``, bound to ``ad``.

    A fresh random 24-byte nonce each time, so equal plaintexts give
    different ciphertexts (S4). With ``pad``, the plaintext is padded to a
    size bucket first.
    """
    header = bytes([VERSION, _FLAG_PADDED if pad else 0])
    nonce = random_bytes(NONCE_BYTES)
    message = _pad(plaintext) if pad else plaintext
    ciphertext = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(message, header + ad, nonce, key)
    return header + nonce + bytes(ciphertext)


def open_data(key: bytes, blob: bytes, ad: bytes) -> bytes:
    """Decrypt a ``seal_data`` envelope. Raises CryptoError if the key, the
    associated data or any bit of the envelope is not what it was."""
    if len(blob) < _DATA_HEADER + NONCE_BYTES + 16 or blob[0] != VERSION:
        raise CryptoError("not a data envelope of a known version")
    header, nonce, ciphertext = blob[:2], blob[2 : 2 + NONCE_BYTES], blob[2 + NONCE_BYTES :]
    try:
        message = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
            ciphertext, header + ad, nonce, key
        )
    except nacl.exceptions.CryptoError:
        raise CryptoError("decryption failed") from None
    return _unpad(bytes(message)) if header[1] & _FLAG_PADDED else bytes(message)


def digest(data: bytes, *, key: bytes = b"", person: bytes = b"") -> bytes:
    """BLAKE2b-256, optionally keyed and personalised (at most 16 bytes)."""
    state = sodium.crypto_generichash_blake2b_salt_personal(
        data, digest_size=32, key=key, person=person.ljust(16, b"\0")[:16]
    )
    return bytes(state)


def equal(first: bytes, second: bytes) -> bool:
    """Compare two secrets or MACs in constant time (libsodium's sodium_memcmp).

    Never raises; values of different lengths are simply unequal.
    """
    return len(first) == len(second) and bool(sodium.sodium_memcmp(first, second))


def new_keypair() -> tuple[bytes, bytes]:
    """A fresh X25519 key pair as (public key, private key)."""
    private = nacl.public.PrivateKey.generate()
    return bytes(private.public_key), bytes(private)


def public_key_of(private_key: bytes) -> bytes:
    """The X25519 public key of a private key. Raises CryptoError unless
    ``private_key`` is 32 bytes."""
    if len(private_key) != KEY_BYTES:
        raise CryptoError("not a private key")
    return bytes(nacl.public.PrivateKey(private_key).public_key)


def seal_to(public_key: bytes, secret: bytes, ad: bytes) -> bytes:
    """Seal ``secret`` to an X25519 public key (anonymous sender), bound to ``ad``."""
    box = nacl.public.SealedBox(nacl.public.PublicKey(public_key))
    return bytes([VERSION]) + bytes(box.encrypt(digest(ad, person=b"hs-sealed-ad") + secret))


def open_sealed(private_key: bytes, blob: bytes, ad: bytes) -> bytes:
    """Open a ``seal_to`` box. Raises CryptoError on a wrong key, a box made
    for another context, or any change to it."""
    if not blob or blob[0] != VERSION:
        raise CryptoError("not a sealed box of a known version")
    box = nacl.public.SealedBox(nacl.public.PrivateKey(private_key))
    try:
        payload = bytes(box.decrypt(blob[1:]))
    except nacl.exceptions.CryptoError:
        raise CryptoError("sealed box could not be opened") from None
    expected = digest(ad, person=b"hs-sealed-ad")
    if len(payload) < 32 or not sodium.sodium_memcmp(payload[:32], expected):
        raise CryptoError("sealed box belongs to another context")
    return payload[32:]


def derive_key(secret: bytes, salt: bytes, params: KdfParams) -> bytes:
    """Argon2id, 32 bytes (behind the process's gate for memory-hard work)."""
    with one_at_a_time():
        return bytes(
            hash_secret_raw(
                secret,
                salt,
                time_cost=params.time_cost,
                memory_cost=params.memory_kib,
                parallelism=params.parallelism,
                hash_len=KEY_BYTES,
                type=Type.ID,
            )
        )


def _password_kek(password: str, salt: bytes, params: KdfParams, instance_key: bytes) -> bytes:
    # The instance key is mixed in: a database copy without the key file is
    # useless even with the right password (S12), and weak passwords cannot
    # be attacked offline from the database alone.
    stretched = derive_key(password.encode("utf-8"), salt, params)
    return digest(stretched, key=instance_key, person=b"hs-password-kek")


def wrap_with_password(
    secret: bytes, password: str, instance_key: bytes, params: KdfParams, ad: bytes
) -> bytes:
    salt = random_bytes(SALT_BYTES)
    kek = _password_kek(password, salt, params, instance_key)
    header = _PASSWORD_HEADER.pack(VERSION, params.time_cost, params.memory_kib, params.parallelism)
    return header + salt + seal_data(kek, secret, header + salt + ad, pad=False)


def password_params(blob: bytes) -> KdfParams:
    if len(blob) < _PASSWORD_HEADER.size + SALT_BYTES or blob[0] != VERSION:
        raise CryptoError("not a password envelope of a known version")
    _version, time_cost, memory_kib, parallelism = _PASSWORD_HEADER.unpack_from(blob)
    return KdfParams(time_cost, memory_kib, parallelism)


def unwrap_with_password(blob: bytes, password: str, instance_key: bytes, ad: bytes) -> bytes:
    params = password_params(blob)
    head = _PASSWORD_HEADER.size
    salt, envelope = blob[head : head + SALT_BYTES], blob[head + SALT_BYTES :]
    kek = _password_kek(password, salt, params, instance_key)
    return open_data(kek, envelope, blob[: head + SALT_BYTES] + ad)


def secret_kek(secret: bytes, instance_key: bytes, purpose: bytes) -> bytes:
    """A key-encryption key from a high-entropy secret (recovery key, link
    token): no stretching needed, the instance key is mixed in."""
    return digest(secret, key=instance_key, person=purpose)
