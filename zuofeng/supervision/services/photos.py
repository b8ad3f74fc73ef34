"""督查照片: checked like every upload (core/uploads.py), then stored without the GPS position.

A phone photo's EXIF carries where it was taken; an inspection photo of a citizen's home or a
cadre's desk must not publish that, so the GPS block is removed unless the round keeps it. Only the
EXIF is rewritten (orientation, time and camera stay), the pixels are not re-encoded.
"""

import hashlib
import io
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image

from zuofeng.core import clock
from zuofeng.core.uploads import CONTENT_TYPES, JPG, PNG, check_upload, short_name
from zuofeng.supervision.models import Finding, FindingPhoto

ALLOWED = {JPG, PNG}
MAX_BYTES = 15 * 1024 * 1024
MAX_PHOTOS = 9
GPS_IFD = 0x8825


def photos_check(files) -> list[tuple[object, str]]:
    if len(files) > MAX_PHOTOS:
        raise ValidationError({"photos": f"照片一次最多上传 {MAX_PHOTOS} 张。"})
    checked, errors = [], []
    for file in files:
        try:
            checked.append((file, check_upload(file, allowed=ALLOWED, max_bytes=MAX_BYTES)))
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError({"photos": errors})
    return checked


def without_location(data: bytes, kind: str) -> bytes:
    """The image bytes with the EXIF GPS block removed (JPEG); a PNG is written again without its EXIF."""
    with Image.open(io.BytesIO(data)) as image:
        exif = image.getexif()
        if kind == JPG:
            if GPS_IFD not in exif:
                return data
            del exif[GPS_IFD]
            out = io.BytesIO()
            # quality="keep" reuses the file's own quantisation tables, so the picture does not degrade
            image.save(out, format="JPEG", exif=exif.tobytes(), quality="keep")
            return out.getvalue()
        if not exif:
            return data
        out = io.BytesIO()
        image.save(out, format="PNG")
        return out.getvalue()


def photo_save(*, files, finding: Finding, file, kind: str, keep_location: bool) -> FindingPhoto:
    file.seek(0)
    data = file.read()
    if not keep_location:
        data = without_location(data, kind)
    today = clock.today()
    # A random stored name: nothing the uploader typed reaches the file system.
    stored = files.save(f"findings/{today:%Y}/{today:%m}/{uuid.uuid4().hex}.{kind}", ContentFile(data))
    photo = FindingPhoto(
        finding=finding,
        original_name=short_name(file.name),
        content_type=CONTENT_TYPES[kind],
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        location_kept=keep_location,
    )
    photo.file.name = stored
    photo.save()
    return photo


__all__ = ["PNG", "photo_save", "photos_check", "without_location"]
