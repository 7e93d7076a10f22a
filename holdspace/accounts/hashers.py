"""A deliberately weak Argon2 for the test suite only.

Settings refuse it outside HOLDSPACE_ENV=test and `holdspace check` flags
it (S5, S34).
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class FastTestHasher(Argon2PasswordHasher):
    time_cost = 1
    memory_cost = 8
    parallelism = 1
