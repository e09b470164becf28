"""Base views. These are the only places that build request querysets (tenancy) and decide
permissions; area views are thin, declarative subclasses.

- ``base``: tenancy mixins, ``get_for_request``, ``render_htmx``, ``safe_next``
- ``errors``: refusals on forms and as messages
- ``records``: ``ObjectListView`` (with ``export``), ``ObjectView``, ``ObjectEditView``, ``ObjectDeleteView``
- ``actions``: ``ObjectActionView``, ``ObjectTransitionView``, ``SingletonEditView``
- ``tabular``: ``ImportView``
"""

from qualitas.core.views.actions import ObjectActionView, ObjectTransitionView, SingletonEditView, go_to
from qualitas.core.views.base import (
    OrganizationRequiredMixin,
    TenantObjectMixin,
    get_for_request,
    is_fragment_request,
    render_htmx,
    safe_next,
)
from qualitas.core.views.errors import (
    REFUSALS,
    apply_validation_error,
    error_messages,
    error_text,
    form_errors_text,
    say_error,
    status_for,
)
from qualitas.core.views.records import (
    ObjectDeleteView,
    ObjectEditView,
    ObjectListView,
    ObjectView,
    record_context,
)
from qualitas.core.views.tabular import ImportView

__all__ = [
    "REFUSALS",
    "ImportView",
    "ObjectActionView",
    "ObjectDeleteView",
    "ObjectEditView",
    "ObjectListView",
    "ObjectTransitionView",
    "ObjectView",
    "OrganizationRequiredMixin",
    "SingletonEditView",
    "TenantObjectMixin",
    "apply_validation_error",
    "error_messages",
    "error_text",
    "form_errors_text",
    "get_for_request",
    "go_to",
    "is_fragment_request",
    "record_context",
    "render_htmx",
    "safe_next",
    "say_error",
    "status_for",
]
