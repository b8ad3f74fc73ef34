"""An offline captcha: a small sum drawn by Pillow with noise, answered once within ten minutes.

No third-party service (the network may be closed); the answer is kept in the database so any
process can check it, and it is spent by a conditional UPDATE so it can be used only once."""

import datetime as dt
import io
import secrets

from django.db.models import Q
from PIL import Image, ImageDraw, ImageFont

from zuofeng.complaints.models import Captcha
from zuofeng.core import clock

LIFETIME = dt.timedelta(minutes=10)
WRONG = "验证码不正确或已过期，请按新图片重新计算。"


def captcha_new() -> Captcha:
    rng = secrets.SystemRandom()
    a, b = rng.randint(1, 9), rng.randint(1, 9)
    now = clock.now()
    Captcha.objects.filter(created_at__lt=now - LIFETIME * 6).delete()  # keep the table small
    return Captcha.objects.create(token=secrets.token_hex(16), answer=f"{a}+{b}", created_at=now)


def captcha_png(captcha: Captcha) -> bytes:
    rng = secrets.SystemRandom()
    image = Image.new("RGB", (150, 48), (246, 247, 249))
    draw = ImageDraw.Draw(image)
    for _ in range(6):
        draw.line([(rng.randint(0, 150), rng.randint(0, 48)) for _ in range(2)], fill=(180, 190, 200), width=1)
    font = ImageFont.load_default(size=28)
    x = 10
    for ch in f"{captcha.answer} = ?":
        draw.text((x, rng.randint(4, 12)), ch, fill=(rng.randint(20, 90), 40, rng.randint(60, 140)), font=font)
        x += 18 if ch != " " else 8
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def captcha_spend(*, token: str, answer: str) -> bool:
    """True once for a right answer to a live captcha; every later try with the token is False."""
    captcha = Captcha.objects.filter(token=token or "").first()
    if captcha is None:
        return False
    a, b = (int(n) for n in captcha.answer.split("+"))
    if (answer or "").strip() != str(a + b):
        return False
    now = clock.now()
    spent = Captcha.objects.filter(Q(used_at__isnull=True), pk=captcha.pk, created_at__gte=now - LIFETIME).update(
        used_at=now
    )
    return spent == 1
