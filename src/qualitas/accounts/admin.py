from typing import TYPE_CHECKING

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from qualitas.accounts.models import Membership, Organization, Site, User

if TYPE_CHECKING:  # the admin classes are generic only in their type stubs
    UserAdminBase = BaseUserAdmin[User]
    OrganizationAdminBase = admin.ModelAdmin[Organization]
else:
    UserAdminBase = BaseUserAdmin
    OrganizationAdminBase = admin.ModelAdmin


@admin.register(User)
class UserAdmin(UserAdminBase):
    fieldsets = (*BaseUserAdmin.fieldsets, ("Qualitas", {"fields": ("full_name",)}))  # type: ignore[misc]
    list_display = ("username", "full_name", "email", "is_staff", "is_active")


@admin.register(Organization)
class OrganizationAdmin(OrganizationAdminBase):
    list_display = ("name", "slug", "created_at")
    readonly_fields = ("uuid",)


admin.site.register(Site)
admin.site.register(Membership)
