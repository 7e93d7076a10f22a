"""Password hashing: Argon2id, one hash at a time per process.

The test suite uses a deliberately weak variant; settings refuse it outside
HOLDSPACE_ENV=test and `holdspace check` flags it (S5, S34).
"""

from django.contrib.auth.hashers import Argon2PasswordHasher

from holdspace.lib.hardwork import one_at_a_time


class GatedArgon2PasswordHasher(Argon2PasswordHasher):
    """Django's Argon2id hasher (same stored format), run behind the
    process's gate for memory-hard work.

    The parameters are RFC 9106's second recommendation (3 passes, 64 MiB,
    4 lanes) rather than Django's 100 MiB, so that a worker checking a
    password stays under its memory target. Hashes made with other
    parameters still verify and are upgraded at the next log-in.
    """

    time_cost = 3
    memory_cost = 64 * 1024
    parallelism = 4

    def encode(self, password: str, salt: str) -> str:
        with one_at_a_time():
            return super().encode(password, salt)

    def verify(self, password: str, encoded: str) -> bool:
        with one_at_a_time():
            return super().verify(password, encoded)


class FastTestHasher(GatedArgon2PasswordHasher):
    time_cost = 1
    memory_cost = 8
    parallelism = 1
