"""The encrypted stream: sealed stream key, secretstream chunks, TAG_FINAL at the end."""

from __future__ import annotations

from typing import IO, BinaryIO

import nacl.bindings as sodium
import nacl.exceptions
import nacl.public

from holdspace.vault import crypto
from holdspace.vault.backup.common import (
    _ABYTES,
    _AD_BYTES,
    _DAMAGED,
    _LENGTH,
    _STREAM_HEADER_BYTES,
    _TAG_FINAL,
    _TAG_MESSAGE,
    _TRUNCATED,
    CHUNK_BYTES,
    FORMAT_VERSION,
    KEY_ID_BYTES,
    MAGIC,
    BackupError,
    Progress,
)
from holdspace.vault.backup.keys import (
    fingerprint,
    key_id,
)


class _EncryptingWriter:
    """A write-only file object that encrypts into ``sink``, 64 KiB per chunk."""

    def __init__(self, sink: BinaryIO, public_key: bytes) -> None:
        stream_key = crypto.random_bytes(crypto.KEY_BYTES)
        sealed = bytes(nacl.public.SealedBox(nacl.public.PublicKey(public_key)).encrypt(stream_key))
        self._ad = MAGIC + bytes([FORMAT_VERSION]) + key_id(public_key) + sealed
        self._state = sodium.crypto_secretstream_xchacha20poly1305_state()
        header = sodium.crypto_secretstream_xchacha20poly1305_init_push(self._state, stream_key)
        self._sink = sink
        self._buffer = bytearray()
        self._closed = False
        sink.write(self._ad + bytes(header))

    def write(self, data: bytes) -> int:
        self._buffer += data
        # Strictly more than a chunk: whatever is left goes into the final chunk.
        while len(self._buffer) > CHUNK_BYTES:
            self._push(bytes(self._buffer[:CHUNK_BYTES]), _TAG_MESSAGE)
            del self._buffer[:CHUNK_BYTES]
        return len(data)

    def close(self) -> None:
        """Write the final chunk (TAG_FINAL). The sink stays open."""
        if not self._closed:
            self._push(bytes(self._buffer), _TAG_FINAL)
            self._buffer.clear()
            self._closed = True

    def _push(self, message: bytes, tag: int) -> None:
        cipher = bytes(
            sodium.crypto_secretstream_xchacha20poly1305_push(self._state, message, self._ad, tag)
        )
        self._sink.write(_LENGTH.pack(len(cipher)) + cipher)


def _read_exact(source: IO[bytes], size: int) -> bytes:
    parts, missing = [], size
    while missing > 0:
        part = source.read(missing)
        if not part:
            break
        parts.append(part)
        missing -= len(part)
    return b"".join(parts)


class _DecryptingReader:
    """A read-only file object over a backup file; raises BackupError on any damage."""

    def __init__(
        self, source: IO[bytes], private_key: bytes, total: int, progress: Progress | None
    ) -> None:
        self._source = source
        self._total = total
        self._progress = progress
        self._done = 0
        self._buffer = bytearray()
        self._final = False
        self._state = sodium.crypto_secretstream_xchacha20poly1305_state()
        self._ad = self._open_header(private_key)

    def _take(self, size: int) -> bytes:
        data = _read_exact(self._source, size)
        self._done += len(data)
        if self._progress is not None:
            self._progress(self._done, self._total)
        return data

    def _open_header(self, private_key: bytes) -> bytes:
        head = self._take(_AD_BYTES + _STREAM_HEADER_BYTES)
        if not head.startswith(MAGIC):
            raise BackupError("This file is not a Holdspace backup (it does not start like one).")
        if len(head) < _AD_BYTES + _STREAM_HEADER_BYTES:
            raise BackupError(_TRUNCATED)
        if head[len(MAGIC)] != FORMAT_VERSION:
            raise BackupError(
                f"This backup has format version {head[len(MAGIC)]}, which this version of "
                "Holdspace cannot read; restore it with a newer Holdspace."
            )
        start = len(MAGIC) + 1
        public_key = crypto.public_key_of(private_key)
        if head[start : start + KEY_ID_BYTES] != key_id(public_key):
            raise BackupError(
                "This backup was made for another backup key pair: the private key given "
                f"(fingerprint {fingerprint(public_key)}) cannot open it. Nothing was restored."
            )
        sealed = head[start + KEY_ID_BYTES : _AD_BYTES]
        try:
            stream_key = nacl.public.SealedBox(nacl.public.PrivateKey(private_key)).decrypt(sealed)
            sodium.crypto_secretstream_xchacha20poly1305_init_pull(
                self._state, head[_AD_BYTES:], bytes(stream_key)
            )
        except (nacl.exceptions.CryptoError, ValueError, TypeError):
            raise BackupError(_DAMAGED) from None
        return head[:_AD_BYTES]

    def _pull(self) -> None:
        length_bytes = self._take(_LENGTH.size)
        if len(length_bytes) < _LENGTH.size:
            raise BackupError(_TRUNCATED)
        (length,) = _LENGTH.unpack(length_bytes)
        if not _ABYTES <= length <= CHUNK_BYTES + _ABYTES:
            raise BackupError(_DAMAGED)
        cipher = self._take(length)
        if len(cipher) < length:
            raise BackupError(_TRUNCATED)
        try:
            message, tag = sodium.crypto_secretstream_xchacha20poly1305_pull(
                self._state, cipher, self._ad
            )
        except (nacl.exceptions.CryptoError, ValueError):
            raise BackupError(_DAMAGED) from None
        if tag == _TAG_FINAL:
            self._final = True
            if self._source.read(1):
                raise BackupError(
                    "The backup goes on after its end: something was appended to the file; "
                    "nothing was restored."
                )
        elif tag != _TAG_MESSAGE:
            raise BackupError(_DAMAGED)
        self._buffer += message

    def read(self, size: int = -1) -> bytes:
        while not self._final and (size < 0 or len(self._buffer) < size):
            self._pull()
        if size < 0:
            size = len(self._buffer)
        data = bytes(self._buffer[:size])
        del self._buffer[:size]
        return data

    def finish(self) -> None:
        """Read to the final chunk: proves the file is complete and unaltered."""
        while not self._final:
            self._pull()
        self._buffer.clear()


# Making a backup ----------------------------------------------------------------
