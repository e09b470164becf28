"""Pages of document control. Thin: parse, call one service, render."""

from __future__ import annotations

import csv
import io
from typing import Any, ClassVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from qualitas.core.exceptions import TransitionError
from qualitas.core.permissions import can
from qualitas.core.views import (
    ObjectDeleteView,
    ObjectEditView,
    ObjectListView,
    ObjectTransitionView,
    ObjectView,
    OrganizationRequiredMixin,
    TenantObjectMixin,
    error_messages,
)
from qualitas.documents import importer, queries, search, services
from qualitas.documents import render as rendering
from qualitas.documents.choices import RevisionStatus, SignatureMeaning
from qualitas.documents.filters import DocumentFilterSet, RecordFilterSet
from qualitas.documents.forms import (
    ChangeRequestForm,
    DisposeForm,
    DocumentForm,
    ImportForm,
    RecordForm,
    RecordTypeForm,
    ReleaseForm,
    ReviewForm,
    RevisionForm,
    SignForm,
)
from qualitas.documents.models import Acknowledgement, Document, Record, RecordType, Revision
from qualitas.documents.workflow import MANUAL_TRANSITIONS, REVISION_WORKFLOW

EXPORT_COLUMNS = [
    ("code", "code"),
    ("title", "title"),
    ("type", "get_doc_type_display"),
    ("revision", "current_label"),
    ("status", "get_status_display"),
    ("owner", "owner"),
    ("process", "process"),
    ("site", "site"),
    ("effective_date", "effective_date"),
    ("next_review_due", "next_review_due"),
    ("review_interval_months", "review_interval_months"),
    ("confidentiality", "get_confidentiality_display"),
    ("clauses", "clauses"),
    ("tags", "tags"),
]


def _say(request: HttpRequest, exc: Exception) -> None:
    if isinstance(exc, ValidationError):
        messages.error(request, "; ".join(m for ms in error_messages(exc).values() for m in ms))
    else:
        messages.error(request, str(exc))


class PostActionView(TenantObjectMixin, View):
    """POST one form to one service on one record; refusals become messages, then back to the page."""

    form_class: ClassVar[Any] = None

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.get_object()
        form = self.form_class(request.POST) if self.form_class else None
        if form is not None and not form.is_valid():
            messages.error(request, "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()))
            return redirect(obj.get_absolute_url())
        try:
            target = self.act(obj, form.cleaned_data if form is not None else {})
        except (ValidationError, TransitionError) as exc:
            _say(request, exc)
            return redirect(obj.get_absolute_url())
        return redirect(
            target.get_absolute_url() if hasattr(target, "get_absolute_url") else obj.get_absolute_url()
        )

    def act(self, obj: Any, data: dict[str, Any]) -> Any:
        raise NotImplementedError


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

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        fmt = request.GET.get("export")
        if fmt in ("csv", "xlsx"):
            return self.export(fmt)
        return super().get(request, *args, **kwargs)

    def export(self, fmt: str) -> HttpResponse:
        qs = self.get_queryset().select_related("site")
        filterset = self.filterset_class(self.request.GET or None, queryset=qs, request=self.request)
        qs = filterset.qs if filterset.is_bound and filterset.is_valid() else qs
        rows = [[h for h, _ in EXPORT_COLUMNS]]
        for doc in qs.order_by("code"):
            row = []
            for _h, attr in EXPORT_COLUMNS:
                value = getattr(doc, attr)
                value = value() if callable(value) else value
                row.append(
                    ""
                    if value is None
                    else (value.isoformat() if hasattr(value, "isoformat") else str(value))
                )
            rows.append(row)
        stamp = timezone.localdate().isoformat()
        if fmt == "csv":
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            for row in rows:
                # Neutralize spreadsheet formulas in exported cells.
                writer.writerow(["'" + c if c[:1] in ("=", "+", "-", "@") else c for c in row])
            response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="master-document-list-{stamp}.csv"'
            return response
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        ws.title = "Master document list"
        for row in rows:
            ws.append(["'" + c if c[:1] in ("=", "+", "-", "@") else c for c in row])
        out = io.BytesIO()
        wb.save(out)
        response = HttpResponse(
            out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="master-document-list-{stamp}.xlsx"'
        return response

    def extra_context(self) -> dict[str, Any]:
        query = self.request.GET.copy()
        query.pop("page", None)
        return {
            "counts": queries.document_counts(self.organization),
            "export_query": query.urlencode(),
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


class DocumentChangeView(PostActionView):
    model = Document
    form_class = ChangeRequestForm

    def act(self, obj: Document, data: dict[str, Any]) -> Any:
        revision = services.start_revision(obj, actor=self.request.user, reason=data["reason"])
        messages.success(self.request, f"Revision {revision.label} started as a draft.")
        return revision


class DocumentReviewView(PostActionView):
    model = Document
    form_class = ReviewForm

    def act(self, obj: Document, data: dict[str, Any]) -> Any:
        services.review_document(obj, actor=self.request.user, outcome=data["outcome"], note=data["note"])
        messages.success(self.request, "Periodic review recorded.")
        return obj


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
        pending = services.pending_signers(rev) if rev.status == RevisionStatus.IN_REVIEW else None
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


class RevisionSignView(PostActionView):
    model = Revision

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        rev = self.get_object()
        form = SignForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Choose the meaning and re-enter your password to sign.")
            return redirect(rev.get_absolute_url())
        try:
            services.sign_revision(
                rev,
                actor=request.user,
                password=form.cleaned_data["password"],
                meaning=form.cleaned_data["meaning"],
                comment=form.cleaned_data["comment"],
            )
        except (ValidationError, TransitionError) as exc:
            _say(request, exc)
        else:
            meaning = SignatureMeaning(form.cleaned_data["meaning"]).label.lower()
            messages.success(request, f"Signed: {meaning}.")
        return redirect(rev.get_absolute_url())


class RevisionReleaseView(PostActionView):
    model = Revision
    form_class = ReleaseForm

    def act(self, obj: Revision, data: dict[str, Any]) -> Any:
        rev = services.release_revision(
            obj, actor=self.request.user, effective_date=data["effective_date"], reason=data["reason"]
        )
        rev.refresh_from_db()
        if rev.status == RevisionStatus.EFFECTIVE:
            messages.success(self.request, f"Revision {rev.label} is effective.")
        else:
            messages.success(self.request, f"Revision {rev.label} becomes effective on {rev.effective_date}.")
        return rev


class RevisionPDFView(TenantObjectMixin, View):
    """The controlled copy: every page stamped with code, revision, effective date and its status."""

    model = Revision
    select_related = ("document", "document__owner")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        rev = self.get_object()
        options = {
            "signatures": list(rev.signatures.order_by("signed_at", "pk")),
            "printed_by": request.user.display_name,  # type: ignore[union-attr]
            "printed_at": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        }
        if request.GET.get("html") == "1":
            return HttpResponse(rendering.pdf_html(rev, **options))
        copy = rendering.controlled_copy(rev, **options)
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


class AcknowledgeView(TenantObjectMixin, View):
    """One click from "To read": the person confirms they have read and understood the revision."""

    model = Acknowledgement

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        ack = self.get_object()
        services.acknowledge(ack, actor=request.user)
        messages.success(request, f"Thank you: you confirmed reading {ack.revision}.")
        nxt = request.POST.get("next", "")
        if nxt.startswith("/") and not nxt.startswith("//"):
            return redirect(nxt)
        return redirect(ack.revision.get_absolute_url())


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


class ImportView(OrganizationRequiredMixin, View):
    """Upload → preview with per-row errors → confirm (all rows or none)."""

    SESSION_KEY = "documents_import"

    def _check(self) -> None:
        from qualitas.core.exceptions import NotAllowed

        if not can(self.request.user, self.organization, "import", Document):
            raise NotAllowed("Your role does not allow importing documents.")

    def get(self, request: HttpRequest) -> HttpResponse:
        self._check()
        return render(
            request,
            "documents/import.html",
            {
                "form": ImportForm(organization=self.organization),
                "title": "Import a document register",
                "columns": importer.COLUMNS,
            },
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        self._check()
        if request.POST.get("confirm"):
            stored = request.session.get(self.SESSION_KEY)
            if not stored:
                messages.error(request, "The preview expired; upload the file again.")
                return redirect("documents:document_import")
            table = stored["table"]
            try:
                created = importer.import_documents(
                    organization=self.organization, actor=request.user, table=table
                )
            except ValidationError as exc:
                rows = importer.validate(self.organization, table)
                return render(
                    request,
                    "documents/import.html",
                    {
                        "form": ImportForm(organization=self.organization),
                        "rows": rows,
                        "title": "Import failed",
                        "errors": [m for ms in error_messages(exc).values() for m in ms],
                        "columns": importer.COLUMNS,
                    },
                    status=400,
                )
            request.session.pop(self.SESSION_KEY, None)
            messages.success(request, f"Imported {len(created)} documents.")
            return redirect("documents:document_list")
        form = ImportForm(request.POST, request.FILES, organization=self.organization)
        context: dict[str, Any] = {
            "form": form,
            "title": "Import a document register",
            "columns": importer.COLUMNS,
        }
        if not form.is_valid():
            return render(request, "documents/import.html", context, status=400)
        upload = form.cleaned_data["file"]
        try:
            table = importer.read_table(upload.name, upload.read())
        except ValidationError as exc:
            context["errors"] = [m for ms in error_messages(exc).values() for m in ms]
            return render(request, "documents/import.html", context, status=400)
        rows = importer.validate(self.organization, table)
        bad = sum(1 for r in rows if r.errors)
        if not bad:
            request.session[self.SESSION_KEY] = {"table": table}
        context.update({"rows": rows, "bad": bad, "preview": True})
        return render(request, "documents/import.html", context, status=400 if bad else 200)


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
    create_service = staticmethod(services.create_record_type)
    update_service = staticmethod(services.update_record_type)


class RecordTypeDeleteView(ObjectDeleteView):
    model = RecordType
    delete_service = staticmethod(services.delete_record_type)
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


class RecordDisposeView(PostActionView):
    model = Record
    form_class = DisposeForm

    def act(self, obj: Record, data: dict[str, Any]) -> Any:
        services.dispose_record(
            obj, actor=self.request.user, method=data["method"], note=data["note"], reason=data["reason"]
        )
        messages.success(self.request, "Disposal recorded.")
        return obj


def home_redirect(request: HttpRequest) -> HttpResponse:
    return redirect(reverse("documents:document_list"))
