"""Content rendering: Markdown made safe (markdown + nh3), text diffs, the stamped controlled copy (PDF)."""

from __future__ import annotations

import difflib
import io
import logging
from dataclasses import dataclass
from typing import Any

import markdown  # type: ignore[import-untyped]  # no stubs in the dev dependencies
import nh3
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from qualitas.documents.choices import RevisionStatus
from qualitas.documents.models import Revision

logger = logging.getLogger(__name__)

# Uploaded PDFs get the stamp merged onto every page; bounds keep one request from rendering forever.
MAX_STAMPED_PAGES = 2000
MAX_PAGE_SIZES = 25
FILE_KINDS = {
    "application/pdf": "a PDF",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "a Word document (DOCX)",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "an Excel workbook (XLSX)",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "a PowerPoint file (PPTX)",
    "application/vnd.oasis.opendocument.text": "an OpenDocument text (ODT)",
    "application/vnd.oasis.opendocument.spreadsheet": "an OpenDocument spreadsheet (ODS)",
    "image/png": "an image (PNG)",
    "image/jpeg": "an image (JPEG)",
    "image/gif": "an image (GIF)",
    "image/webp": "an image (WebP)",
    "text/plain": "a text file",
    "application/zip": "a ZIP archive",
}

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "b",
    "i",
    "code",
    "pre",
    "blockquote",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "a",
    "span",
    "sup",
    "sub",
    "dl",
    "dt",
    "dd",
}


def render_markdown(text: str) -> SafeString:
    html = markdown.markdown(
        text or "", extensions=["tables", "sane_lists", "fenced_code"], output_format="html"
    )
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}, "th": {"align"}, "td": {"align"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return mark_safe(clean)


def previous_revision(revision: Revision) -> Revision | None:
    return (
        Revision.objects.filter(document_id=revision.document_id, pk__lt=revision.pk)
        .exclude(status=RevisionStatus.DRAFT)
        .order_by("-pk")
        .first()
        or Revision.objects.filter(document_id=revision.document_id, pk__lt=revision.pk)
        .order_by("-pk")
        .first()
    )


def diff_table(before: str, after: str, before_label: str, after_label: str) -> SafeString:
    """A side-by-side HTML table of the changed lines (difflib escapes the content)."""
    if before == after:
        return mark_safe("")
    table = difflib.HtmlDiff(wrapcolumn=70).make_table(
        (before or "").splitlines(),
        (after or "").splitlines(),
        fromdesc=before_label,
        todesc=after_label,
        context=True,
        numlines=2,
    )
    return mark_safe(table.replace('<table class="diff"', '<table class="diff list" aria-label="Changes"'))


def stamp_text(revision: Revision) -> dict[str, str]:
    document = revision.document
    obsolete = revision.status in (RevisionStatus.SUPERSEDED, RevisionStatus.OBSOLETE)
    effective = revision.effective_date.isoformat() if revision.effective_date else "not effective"
    if obsolete:
        banner = "OBSOLETE – do not use"
    elif revision.status == RevisionStatus.EFFECTIVE:
        banner = "Uncontrolled when printed"
    else:
        banner = f"DRAFT – {revision.get_status_display()} – not for use"
    head = f"{document.code} · Rev. {revision.label} · Effective {effective}"
    return {
        "head": head,
        "banner": banner,
        "obsolete": "1" if obsolete else "",
        "css_head": css_string(head),
        "css_banner": css_string(banner),
        "css_title": css_string(document.title),
    }


def css_string(value: str) -> SafeString:
    """Text for a CSS ``content: "..."`` inside <style> (no HTML escaping applies there)."""
    cleaned = "".join(ch for ch in value if ch.isprintable() and ch not in '<>&"\\')
    return mark_safe(cleaned)


def file_kind(mime: str) -> str:
    return FILE_KINDS.get(mime, f"a file of type {mime or 'unknown'}")


def pdf_html(
    revision: Revision,
    *,
    signatures: list[Any],
    printed_by: str,
    printed_at: str,
    stamped_pages: int = 0,
    notice: str = "",
) -> str:
    """The record page(s): metadata, signatures, text. ``stamped_pages`` > 0 means the uploaded PDF
    precedes it with every page stamped (a signature page); otherwise an uploaded file gets a cover sheet."""
    return render_to_string(
        "documents/pdf/revision.html",
        {
            "revision": revision,
            "document": revision.document,
            "stamp": stamp_text(revision),
            "content": render_markdown(revision.text),
            "signatures": signatures,
            "printed_by": printed_by,
            "printed_at": printed_at,
            "stamped_pages": stamped_pages,
            "notice": notice,
            "file_kind": file_kind(revision.file_mime),
        },
    )


def pdf_bytes(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


class UnstampablePDF(Exception):
    """The uploaded PDF cannot carry the stamp; the message says why, in words for the reader."""


@dataclass(frozen=True)
class ControlledCopy:
    pdf: bytes
    notice: str  # why an uploaded PDF fell back to the cover sheet; "" otherwise


def stamp_page_pdf(
    revision: Revision, width: float, height: float, *, printed_note: str, stamp: dict[str, str] | None = None
) -> bytes:
    """A one-page, transparent PDF of ``width`` x ``height`` points carrying only the stamp."""
    from weasyprint import HTML

    html = render_to_string(
        "documents/pdf/stamp.html",
        {
            "stamp": stamp or stamp_text(revision),
            "width": f"{width:.2f}",
            "height": f"{height:.2f}",
            "font_size": f"{max(4.5, min(8.0, min(width, height) / 70)):.1f}",
            "watermark_size": f"{max(18.0, min(width, height) / 8):.0f}",
            "printed_note": printed_note,
        },
    )
    return HTML(string=html).write_pdf()


def stamp_uploaded_pdf(revision: Revision, *, printed_note: str) -> tuple[bytes, int]:
    """The uploaded PDF with the stamp merged onto every page: (pdf bytes, page count).

    Raises UnstampablePDF for encrypted, damaged or empty files (the caller falls back to a cover sheet)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import FileNotDecryptedError

    try:
        with revision.file.open("rb") as handle:
            data = handle.read()
    except (FileNotFoundError, OSError):
        raise UnstampablePDF("The stored file is missing, so its pages could not be stamped.") from None
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise UnstampablePDF(
                "The uploaded PDF is encrypted (password-protected), so its pages could not be stamped."
            )
        count = len(reader.pages)
        if count == 0:
            raise UnstampablePDF("The uploaded PDF has no readable pages, so it could not be stamped.")
        if count > MAX_STAMPED_PAGES:
            raise UnstampablePDF(
                f"The uploaded PDF has {count} pages; only files up to {MAX_STAMPED_PAGES} pages are stamped."
            )
        writer = PdfWriter(clone_from=reader)
        stamp = stamp_text(revision)
        stamps: dict[tuple[float, float], Any] = {}
        for page in writer.pages:
            if page.rotation % 360:
                page.transfer_rotation_to_content()
            box = page.cropbox
            size = (round(float(box.width), 2), round(float(box.height), 2))
            if size[0] <= 0 or size[1] <= 0:
                raise UnstampablePDF(
                    "The uploaded PDF has a page without a size, so it could not be stamped."
                )
            if size not in stamps:
                if len(stamps) >= MAX_PAGE_SIZES:
                    raise UnstampablePDF(
                        f"The uploaded PDF uses more than {MAX_PAGE_SIZES} page sizes, so it was not stamped."
                    )
                stamp_pdf = stamp_page_pdf(revision, *size, printed_note=printed_note, stamp=stamp)
                stamps[size] = PdfReader(io.BytesIO(stamp_pdf)).pages[0]
            page.merge_translated_page(stamps[size], float(box.left), float(box.bottom))
        out = io.BytesIO()
        writer.write(out)
    except UnstampablePDF:
        raise
    except FileNotDecryptedError:
        raise UnstampablePDF(
            "The uploaded PDF is encrypted (password-protected), so its pages could not be stamped."
        ) from None
    except Exception as exc:  # pypdf raises many kinds of errors on damaged files; never a 500
        logger.warning("could not stamp uploaded PDF of revision %s: %r", revision.pk, exc)
        raise UnstampablePDF(
            "The uploaded PDF is damaged or unreadable, so its pages could not be stamped."
        ) from None
    return out.getvalue(), count


def controlled_copy(
    revision: Revision, *, signatures: list[Any], printed_by: str, printed_at: str
) -> ControlledCopy:
    """The controlled copy of a revision as one PDF.

    Uploaded PDF: its own pages, each stamped, followed by the signature page. Any other upload (Word,
    images, ...) or a PDF that cannot be stamped: a stamped cover sheet that names the file and why."""
    notice = ""
    stamped: bytes | None = None
    pages = 0
    if revision.file and revision.file_mime == "application/pdf":
        try:
            note = f"Printed {printed_at} by {printed_by}"
            stamped, pages = stamp_uploaded_pdf(revision, printed_note=note)
        except UnstampablePDF as exc:
            notice = str(exc)
    html = pdf_html(
        revision,
        signatures=signatures,
        printed_by=printed_by,
        printed_at=printed_at,
        stamped_pages=pages,
        notice=notice,
    )
    record = pdf_bytes(html)
    if stamped is None:
        return ControlledCopy(record, notice)
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(stamped)))
    writer.append(PdfReader(io.BytesIO(record)))
    out = io.BytesIO()
    writer.write(out)
    return ControlledCopy(out.getvalue(), "")
