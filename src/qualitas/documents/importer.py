"""Former name of ``documents.imports``, kept for the demo loader until the demo reads data files."""

from qualitas.documents.imports import REGISTER, DocumentRegister, import_documents

__all__ = ["REGISTER", "DocumentRegister", "import_documents"]
