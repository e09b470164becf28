"""Pages of document control. Thin: parse, call one service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View

from qualitas.core.permissions import can
from qualitas.core.tabular.export import Column, Export
from qualitas.core.views import (
    ImportView,
    ObjectActionView,
    ObjectDeleteView,
    ObjectEditView,
    ObjectListView,
    ObjectTransitionView,
    ObjectView,
    OrganizationRequiredMixin,
    TenantObjectMixin,
)
from qualitas.documents import imports, queries, search, services
from qualitas.documents import render as rendering
from qualitas.documents.choices import RevisionStatus, SignatureMeaning
from qualitas.documents.filters import DocumentFilterSet, RecordFilterSet
from qualitas.documents.forms import (
    ChangeRequestForm,
    DisposeForm,
    DocumentForm,
    RecordForm,
    RecordTypeForm,
    ReleaseForm,
    ReviewForm,
    RevisionForm,
    SignForm,
)
from qualitas.documents.models import Acknowledgement, Document, Record, RecordType, Revision
from qualitas.documents.workflow import MANUAL_TRANSITIONS, REVISION_WORKFLOW

DOCUMENT_EXPORT = Export(
    "master-document-list",
    [
        Column(_("Code"), "code"),
        Column(_("Title"), "title"),
        Column(_("Type"), "doc_type"),
        Column(_("Revision"), "current_label"),
        Column(_("Status"), "status"),
        Column(_("Owner"), "owner"),
        Column(_("Process"), "process__code"),
        Column(_("Site"), "site"),
        Column(_("Effective date"), "effective_date"),
        Column(_("Next review due"), "next_review_due"),
        Column(_("Review interval (months)"), "review_interval_months"),
        Column(_("Confidentiality"), "confidentiality"),
        Column(_("Clauses"), "clauses"),
        Column(_("Tags"), "tags"),
    ],
    sheet=_("Master document list"),
    stream=True,
)


# --- documents -----------------------------------------------------------------------------------


class DocumentListView(ObjectListView):
    """The master document list: what is in force, who owns it, when it is due for review."""

    model = Document
    title = "Master document list"
    select_related = ("owner", "process")
    filterset_class = DocumentFilterSet
    template_name = "documents/document_list.html"
    # One row per document written out (no per-cell template tag): the columns below, in this order.
    partial_template_name = "documents/partials/_document_table.html"
    columns = [
        ("Code", "code", "code"),
        ("Title", "title", "title"),
        ("Type", "doc_type", "doc_type"),
        ("Rev.", "current_label", ""),
        ("Status", "status", "status"),
        ("Owner", "owner", "owner__username"),
        ("Process", "process", "process__code"),
        ("Effective", "effective_date", "effective_date"),
        ("Next review", "next_review_due", "next_review_due"),
    ]
    default_ordering = "code"
    add_url_name = "documents:document_add"

    def get_queryset(self) -> Any:
        return super().get_queryset().defer("search_text")  # the indexed full text: never shown here

    export = DOCUMENT_EXPORT

    def export_queryset(self, qs: Any) -> Any:
        return qs.order_by("code")

    def extra_context(self) -> dict[str, Any]:
        return {
            "counts": queries.document_counts(self.organization),
            "can_import": can(self.request.user, self.organization, "import", Document),
        }


class DocumentView(ObjectView):
    model = Document
    select_related = ("owner", "process", "site", "effective_revision", "created_by")
    template_name = "documents/document_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        doc = self.object
        revisions = list(doc.revisions.select_related("author").order_by("-pk"))
        effective = doc.effective_revision if doc.effective_revision_id else None
        context.update(
            {
                "revisions": revisions,
                "effective": effective,
                "effective_html": rendering.render_markdown(effective.text) if effective else "",
                "open_revision": next(
                    (
                        r
                        for r in revisions
                        if r.status
                        in (RevisionStatus.DRAFT, RevisionStatus.IN_REVIEW, RevisionStatus.APPROVED)
                    ),
                    None,
                ),
                "reviews": list(doc.reviews.select_related("reviewer")[:20]),
                "reviewers": list(doc.reviewers.all()),
                "approvers": list(doc.approvers.all()),
                "change_form": ChangeRequestForm(),
                "review_form": ReviewForm(),
                "can_review": can(self.request.user, self.organization, "review", doc),
                "ack": queries.acknowledgement_summary(effective) if effective else None,
            }
        )
        return context


class DocumentEditView(ObjectEditView):
    model = Document
    form_class = DocumentForm
    create_service = staticmethod(services.create_document)
    update_service = staticmethod(services.update_document)


class DocumentDeleteView(ObjectDeleteView):
    model = Document
    delete_service = staticmethod(services.delete_document)
    success_url_name = "documents:document_list"


class DocumentChangeView(ObjectActionView):
    """Request a change: a new draft revision, opened next."""

    model = Document
    form_class = ChangeRequestForm
    service = staticmethod(services.start_revision)
    title = _("Request a change")
    submit_label = _("Start a new revision")
    go_to_result = True

    def get_message(self, obj: Document, result: Revision) -> str:
        return _("Revision %(label)s started as a draft.") % {"label": result.label}


class DocumentReviewView(ObjectActionView):
    model = Document
    form_class = ReviewForm
    service = staticmethod(services.review_document)
    permission = "review"
    title = _("Record a periodic review")
    message = _("Periodic review recorded.")


# --- revisions -----------------------------------------------------------------------------------


class RevisionView(ObjectView):
    model = Revision
    select_related = ("document", "document__owner", "author")
    template_name = "documents/revision_detail.html"
    workflow = REVISION_WORKFLOW

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        rev = self.object
        user = self.request.user
        previous = rendering.previous_revision(rev)
        signatures = list(rev.signatures.select_related("revision").order_by("signed_at", "pk"))
        pending = queries.pending_signers(rev) if rev.status == RevisionStatus.IN_REVIEW else None
        doc = rev.document
        is_signer = doc.reviewers.filter(pk=user.pk).exists() or doc.approvers.filter(pk=user.pk).exists()
        my_ack = rev.acknowledgements.filter(user=user, acknowledged_at__isnull=True).first()
        context.update(
            {
                "document": doc,
                "content_html": rendering.render_markdown(rev.text),
                "previous": previous,
                "diff": rendering.diff_table(
                    previous.text, rev.text, f"Rev. {previous.label}", f"Rev. {rev.label}"
                )
                if previous
                else "",
                "signatures": signatures,
                "current_signatures": [s for s in signatures if s.cycle == rev.cycle],
                "pending": pending,
                "sign_form": SignForm() if rev.status == RevisionStatus.IN_REVIEW and is_signer else None,
                "release_form": ReleaseForm()
                if rev.status == RevisionStatus.APPROVED and can(user, self.organization, "release", rev)
                else None,
                "transitions": [t for t in context.get("transitions", []) if t.name in MANUAL_TRANSITIONS],
                "can_change": context["can_change"] and rev.status == RevisionStatus.DRAFT,
                "can_delete": False,
                "ack": queries.acknowledgement_summary(rev),
                "my_ack": my_ack,
                "hash_ok": (not rev.content_sha256)
                or rev.compute_content_hash() == rev.content_sha256
                or rev.status == RevisionStatus.DRAFT,
            }
        )
        return context


class RevisionEditView(ObjectEditView):
    model = Revision
    form_class = RevisionForm
    update_service = staticmethod(services.update_revision)


class RevisionTransitionView(ObjectTransitionView):
    model = Revision
    transition_service = staticmethod(services.transition_revision)


class RevisionSignView(ObjectActionView):
    """An electronic signature: the signer chooses its meaning and re-enters their password."""

    model = Revision
    form_class = SignForm
    service = staticmethod(services.sign_revision)
    permission = "sign"
    title = _("Sign this revision")
    submit_label = _("Sign")

    def get_message(self, obj: Revision, result: Any) -> str:
        meaning = SignatureMeaning(result.meaning).label.lower()
        return _("Signed: %(meaning)s.") % {"meaning": meaning}


class RevisionReleaseView(ObjectActionView):
    model = Revision
    form_class = ReleaseForm
    service = staticmethod(services.release_revision)
    permission = "release"
    title = _("Release this revision")
    submit_label = _("Release")

    def get_message(self, obj: Revision, result: Revision) -> str:
        result.refresh_from_db()
        if result.status == RevisionStatus.EFFECTIVE:
            return _("Revision %(label)s is effective.") % {"label": result.label}
        return _("Revision %(label)s becomes effective on %(date)s.") % {
            "label": result.label,
            "date": result.effective_date,
        }


class RevisionPDFView(TenantObjectMixin, View):
    """The controlled copy: every page stamped with code, revision, effective date and its status."""

    model = Revision
    select_related = ("document", "document__owner")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        rev = self.get_object()
        signatures = list(rev.signatures.order_by("signed_at", "pk"))
        printed_by = request.user.display_name  # type: ignore[union-attr]
        printed_at = timezone.localtime().strftime("%Y-%m-%d %H:%M")
        if request.GET.get("html") == "1":
            return HttpResponse(
                rendering.pdf_html(rev, signatures=signatures, printed_by=printed_by, printed_at=printed_at)
            )
        copy = rendering.controlled_copy(
            rev, signatures=signatures, printed_by=printed_by, printed_at=printed_at
        )
        if copy.notice:
            messages.warning(request, f"{copy.notice} The controlled copy is a cover sheet instead.")
        response = HttpResponse(copy.pdf, content_type="application/pdf")
        name = f"{rev.document.code}-rev-{rev.label}.pdf".replace(" ", "_")
        response["Content-Disposition"] = f'inline; filename="{name}"'
        return response


class RevisionFileView(TenantObjectMixin, View):
    model = Revision

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> FileResponse:
        rev = self.get_object()
        if not rev.file:
            raise Http404("This revision has no uploaded file.")
        try:
            handle = rev.file.open("rb")
        except FileNotFoundError:
            raise Http404("The stored file is missing.") from None
        return FileResponse(handle, as_attachment=True, filename=rev.file_name, content_type=rev.file_mime)


# --- read and understood -------------------------------------------------------------------------


class AcknowledgeView(ObjectActionView):
    """One click from "To read": the person confirms they have read and understood the revision."""

    model = Acknowledgement
    select_related = ("revision",)
    service = staticmethod(services.acknowledge)
    permission = "acknowledge"

    def get_message(self, obj: Acknowledgement, result: Any) -> str:
        return _("Thank you: you confirmed reading %(revision)s.") % {"revision": obj.revision}

    def record_url(self, obj: Acknowledgement) -> str:
        return str(obj.revision.get_absolute_url())


class ToReadView(OrganizationRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        acks = list(queries.to_read(self.organization, request.user))
        signing = queries.awaiting_my_signature(self.organization, request.user)
        return render(
            request,
            "documents/to_read.html",
            {"acks": acks, "signing": signing, "title": "Documents to read and sign"},
        )


# --- import and search ---------------------------------------------------------------------------


class DocumentImportView(ImportView):
    spec = imports.REGISTER
    success_url_name = "documents:document_list"


class SearchView(OrganizationRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        q = request.GET.get("q", "").strip()[:200]
        results = search.search(self.organization, q, limit=50) if q else []
        return render(
            request, "documents/search.html", {"q": q, "results": results, "title": "Search documents"}
        )


# --- records register ----------------------------------------------------------------------------


class RecordTypeListView(ObjectListView):
    model = RecordType
    title = "Record types and retention"
    columns = [
        ("Name", "name", "name"),
        ("Retention (months)", "retention_months", "retention_months"),
        ("Disposal", "disposal_method", ""),
        ("Clauses", "clauses", ""),
        ("Kept at", "storage", ""),
    ]
    default_ordering = "name"
    add_url_name = "documents:recordtype_add"


class RecordTypeView(ObjectView):
    model = RecordType
    template_name = "documents/recordtype_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["records"] = list(self.object.records.order_by("disposal_due")[:50])
        return context


class RecordTypeEditView(ObjectEditView):
    model = RecordType
    form_class = RecordTypeForm


class RecordTypeDeleteView(ObjectDeleteView):
    model = RecordType
    delete_service = staticmethod(services.delete_record_type)  # refuses while records of the type exist
    success_url_name = "documents:recordtype_list"


class RecordListView(ObjectListView):
    model = Record
    title = "Records register"
    select_related = ("record_type", "owner")
    filterset_class = RecordFilterSet
    template_name = "documents/record_list.html"
    columns = [
        ("Ref.", "reference", "reference"),
        ("Title", "title", "title"),
        ("Type", "record_type", "record_type__name"),
        ("Dated", "record_date", "record_date"),
        ("Kept at", "location", ""),
        ("Dispose on", "disposal_due", "disposal_due"),
        ("Status", "status", "status"),
    ]
    default_ordering = "disposal_due"
    add_url_name = "documents:record_add"


class RecordView(ObjectView):
    model = Record
    select_related = ("record_type", "owner", "disposed_by")
    template_name = "documents/record_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["dispose_form"] = DisposeForm(initial={"method": self.object.record_type.disposal_method})
        context["can_dispose"] = can(self.request.user, self.organization, "dispose", self.object)
        return context


class RecordEditView(ObjectEditView):
    model = Record
    form_class = RecordForm
    create_service = staticmethod(services.create_retained_record)
    update_service = staticmethod(services.update_retained_record)


class RecordDisposeView(ObjectActionView):
    model = Record
    form_class = DisposeForm
    service = staticmethod(services.dispose_record)
    permission = "dispose"
    title = _("Record the disposal")
    message = _("Disposal recorded.")


def home_redirect(request: HttpRequest) -> HttpResponse:
    return redirect(reverse("documents:document_list"))
