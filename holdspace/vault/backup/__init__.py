"""Encrypted backups to an offline key (S13): the server cannot read its own backups.

`holdspace backup-keygen` makes an X25519 key pair. The private half goes to
the administrator (printed once, or written to a file outside the data
directory) and is never stored on the server; the server keeps only the
public half, in HOLDSPACE_BACKUP_PUBLIC_KEY_FILE (default
``DATA_DIR/backup_public_key``). Backups are sealed to that public key, so
whoever holds the server (or a copy of it, or its backups) cannot open them.

Key texts
    ``hsbk-pub-<base64url>`` and ``hsbk-priv-<base64url>`` (no padding): the
    32 key bytes followed by 4 bytes of BLAKE2b over prefix and key, so that
    a mistyped key is reported as mistyped, not as "wrong key".

Backup file (integers big-endian)::

    8   magic b"HSBACKUP"
    1   format version (1)
    8   key id: BLAKE2b-64 of the backup public key (names the key pair)
    80  X25519 sealed box (crypto_box_seal) of a random 32-byte stream key
    24  secretstream header (crypto_secretstream_xchacha20poly1305)
    then chunks, each: 4 ciphertext length | ciphertext
        Every chunk holds at most 64 KiB of plaintext; its associated data is
        the 97 bytes from the magic to the sealed box, so the header cannot be
        swapped. The last chunk, and only it, is tagged TAG_FINAL: a file that
        ends before it (truncated) or goes on after it is refused.

The plaintext is a tar stream (tarfile ``w|``, PAX), in this order::

    database/holdspace.sqlite3   SQLite online backup: a consistent snapshot
 or database/holdspace.pgdump    pg_dump --format=custom
    keys/instance_key            the instance key file (base64 of 32 bytes)
    keys/secret_key              Django's secret key
    files/<relative path>        everything else in the data directory, except
                                 the SQLite files, backups/, demo-credentials.json,
                                 backup files and anything named *.tmp
    manifest.json                last, so the hashes are taken while streaming:
                                 format, created_at (UTC), holdspace_version,
                                 database_engine, files [{path, size, sha256}]

Nothing is held in memory whole: the database snapshot goes to a temporary
directory next to the output file (on its disk, so a backup to another disk
does not fill the data directory's), the archive is written to
``<output>.tmp`` and renamed when complete.

Restoring is one step that can be rerun (see restore.py and state.py): it
decrypts and checks everything into a staging directory inside the data
directory, with a marker saying a restore is under way; on SQLite the staged
database is checked there (integrity, migrations, audit hash chain). Then
the files are renamed into place (the database last; on PostgreSQL,
pg_restore in one transaction first) and the marker is removed. Killed
midway, a rerun finishes or starts afresh; meanwhile no other command runs.
The restored secret key only takes effect in processes started afterwards.

The format keeps backups confidential and detects damage; it does not say who
made a file: anyone with the public key can write one. Restore only backups
taken from your own server.
"""

from __future__ import annotations

from holdspace.vault.backup.common import (
    SUFFIX,
    BackupError,
    Progress,
    ProgressPrinter,
    database_is_empty,
    human_size,
)
from holdspace.vault.backup.create import (
    create_backup,
    default_output,
    output_path,
)
from holdspace.vault.backup.keys import (
    fingerprint,
    generate_keypair,
    key_id,
    load_public_key,
    parse_private_key,
    parse_public_key,
    public_key_path,
    save_public_key,
)
from holdspace.vault.backup.restore import (
    RestoreResult,
    restore_backup,
)
from holdspace.vault.backup.state import (
    discard_restore_leftovers,
    interrupted_restore,
    remove_stale,
)

__all__ = [
    "SUFFIX",
    "BackupError",
    "Progress",
    "ProgressPrinter",
    "RestoreResult",
    "create_backup",
    "database_is_empty",
    "default_output",
    "discard_restore_leftovers",
    "fingerprint",
    "generate_keypair",
    "human_size",
    "interrupted_restore",
    "key_id",
    "load_public_key",
    "output_path",
    "parse_private_key",
    "parse_public_key",
    "public_key_path",
    "remove_stale",
    "restore_backup",
    "save_public_key",
]
