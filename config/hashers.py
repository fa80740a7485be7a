"""Password hashing that stays strong and is affordable when a whole shift signs in at once.

Django's own Argon2 parameters (100 MiB, 2 passes, 8 lanes) cost about as much CPU
per sign-in as its PBKDF2 (a quarter of a second): a care team of 60 signing in
within a minute would keep a two-core web server busy with hashing alone. These
are OWASP's recommended minimum for Argon2id (19 MiB, 2 passes, 1 lane): still
memory-hard, which is what makes guessing on GPUs expensive, at about a tenth of
the CPU. A hash made with other parameters is rewritten at its next sign-in.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher as DjangoArgon2PasswordHasher


class Argon2PasswordHasher(DjangoArgon2PasswordHasher):
    memory_cost = 19 * 1024  # KiB
    time_cost = 2
    parallelism = 1
