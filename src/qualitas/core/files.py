"""Upload checks: size limit, type judged by content (not by name), safe file names."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

# Types a QMS needs as evidence; each maps to the extensions it may carry.
ALLOWED_TYPES: dict[str, tuple[str, ...]] = {
    "application/pdf": (".pdf",),
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg"),
    "image/gif": (".gif",),
    "image/webp": (".webp",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (".docx",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (".xlsx",),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": (".pptx",),
    "application/vnd.oasis.opendocument.text": (".odt",),
    "application/vnd.oasis.opendocument.spreadsheet": (".ods",),
    "application/zip": (".zip",),
    "text/plain": (".txt", ".csv", ".md", ".log"),
}
TEXT_EXTENSIONS = {".txt": "text/plain", ".csv": "text/plain", ".md": "text/plain", ".log": "text/plain"}


@dataclass(frozen=True)
class UploadInfo:
    safe_name: str
    mime_type: str
    size: int
    sha256: str


def safe_filename(name: str) -> str:
    """Strip directories (both separators), control characters and anything unusual."""
    base = PureWindowsPath(PurePosixPath(name or "").name).name
    base = unicodedata.normalize("NFKC", base)
    base = re.sub(r"[^\w.\- ]+", "_", base).strip(" .")
    base = re.sub(r"\s+", "_", base)
    return (base or "file")[:150]


def _sniff(head: bytes, ext: str) -> str | None:
    kind = filetype.guess(head)
    if kind is not None:
        mime = str(kind.mime)
        if mime == "application/zip" and ext in (".docx", ".xlsx", ".pptx", ".odt", ".ods"):
            return None  # a renamed zip is not an office document
        return mime
    if ext in TEXT_EXTENSIONS:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError:
            try:
                head[:-4].decode("utf-8")  # a multi-byte character cut at the sample's end
            except UnicodeDecodeError:
                return None
        if b"\x00" in head:
            return None
        return TEXT_EXTENSIONS[ext]
    return None


def inspect_upload(upload: UploadedFile) -> UploadInfo:
    limit = settings.QUALITAS_MAX_UPLOAD_BYTES
    size = upload.size or 0
    if size == 0:
        raise ValidationError({"file": "The file is empty."})
    if size > limit:
        raise ValidationError(
            {"file": f"The file is {size // 1024} KiB; the limit is {limit // 1024 // 1024} MiB."}
        )
    name = safe_filename(upload.name or "")
    ext = PurePosixPath(name).suffix.lower()
    upload.seek(0)
    head = upload.read(8192)
    mime = _sniff(head, ext)
    if mime is None or mime not in ALLOWED_TYPES:
        raise ValidationError(
            {
                "file": "This kind of file is not accepted (allowed: PDF, images, office documents, "
                "text and CSV)."
            }
        )
    if ext not in ALLOWED_TYPES[mime]:
        raise ValidationError(
            {"file": f"The file's content is {mime}, which does not match its name “{name}”."}
        )
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return UploadInfo(safe_name=name, mime_type=mime, size=size, sha256=digest.hexdigest())
