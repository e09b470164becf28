"""Rebuild the full-text search entries (after an import of an organization archive, for example)."""

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from qualitas.documents import search
from qualitas.documents.models import Document


class Command(BaseCommand):
    help = "Rebuild the document search index from the effective revisions."

    def handle(self, *args: Any, **options: Any) -> None:
        count = 0
        with transaction.atomic():
            for document in Document.objects.select_related("effective_revision").iterator(2000):
                search.index_document(document)
                count += 1
        self.stdout.write(f"{count} document(s) indexed.")
