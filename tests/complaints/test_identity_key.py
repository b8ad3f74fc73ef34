"""The identity key comes from the environment: production refuses to start without a real one, and a
token sealed under one key is not readable under another."""

import os
import subprocess
import sys
from pathlib import Path

from zuofeng.complaints import identity

ROOT = Path(__file__).resolve().parents[2]
MESSAGE = "生产环境必须设置 COMPLAINTS_IDENTITY_KEY 环境变量（Fernet 密钥，44 个字符）"


def _start(**extra) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("COMPLAINTS_IDENTITY_KEY", "DEBUG")}
    env.update(ZUOFENG_PRODUCTION="1", SECRET_KEY="s" * 50, AUDIT_HMAC_KEY="a" * 64, **extra)
    code = (
        "import django; django.setup(); from django.conf import settings; print(len(settings.COMPLAINTS_IDENTITY_KEY))"
    )
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)


def test_production_refuses_to_start_without_a_real_identity_key():
    for missing in (
        {},
        {"COMPLAINTS_IDENTITY_KEY": "short"},
        {"COMPLAINTS_IDENTITY_KEY": "ZGV2LW9ubHktY29tcGxhaW50cy1rZXktbm90LXByb2Q="},
    ):
        started = _start(**missing)
        assert started.returncode != 0 and MESSAGE in started.stderr
    started = _start(COMPLAINTS_IDENTITY_KEY="k" * 43 + "=")
    assert (started.returncode, started.stdout.strip()) == (0, "44")


def test_a_token_needs_its_key(settings):
    token = identity.seal("王秀英")
    assert token.startswith("gAAAA") and identity.unseal(token) == "王秀英"
    settings.COMPLAINTS_IDENTITY_KEY = "k" * 43 + "="
    assert identity.unseal(token) == "（无法解密：密钥已更换）"
