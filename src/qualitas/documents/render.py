"""Content rendering: Markdown made safe (markdown + nh3), text diffs, the stamped controlled copy (PDF)."""

from __future__ import annotations

import difflib
from typing import Any

import markdown
import nh3
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from qualitas.documents.choices import RevisionStatus
from qualitas.documents.models import Revision

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


def pdf_html(revision: Revision, *, signatures: list[Any], printed_by: str, printed_at: str) -> str:
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
        },
    )


def pdf_bytes(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html).write_pdf()
