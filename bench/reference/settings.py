"""Settings of the bare reference: the database and nothing else."""

import os

import dj_database_url

SECRET_KEY = "bench-reference-only"  # noqa: S105 - serves no one but the benchmark
DEBUG = False
ALLOWED_HOSTS = ["*"]
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
ROOT_URLCONF = "bench.reference.urls"
DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=600)}
USE_TZ = True
