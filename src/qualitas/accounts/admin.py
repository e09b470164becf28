"""The admin classes of accounts: every one read-only (the site itself is ``admin_site``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.db import models
from django.http import HttpRequest

from qualitas.accounts.models import Membership, Organization, Site, User

if TYPE_CHECKING:  # the admin classes are generic only in their type stubs
    UserAdminBase = BaseUserAdmin[User]
    ModelAdminBase = admin.ModelAdmin[models.Model]
else:
    UserAdminBase = BaseUserAdmin
    ModelAdminBase = admin.ModelAdmin


class ReadOnly:
    """Shows a model's records and offers no add, change or delete."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(User)
class UserAdmin(ReadOnly, UserAdminBase):
    fieldsets = (*BaseUserAdmin.fieldsets, ("Qualitas", {"fields": ("full_name",)}))  # type: ignore[misc]
    list_display = ("username", "full_name", "email", "is_staff", "is_active")


@admin.register(Organization)
class OrganizationAdmin(ReadOnly, ModelAdminBase):
    list_display = ("name", "slug", "created_at")


@admin.register(Site)
class SiteAdmin(ReadOnly, ModelAdminBase):
    list_display = ("code", "name", "organization")


@admin.register(Membership)
class MembershipAdmin(ReadOnly, ModelAdminBase):
    list_display = ("user", "organization", "role", "is_active")


admin.site.unregister(Group)  # roles come from memberships; groups grant nothing in Qualitas
