from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from qualitas.accounts.models import Membership, Organization, Site, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, ("Qualitas", {"fields": ("full_name",)}))  # type: ignore[misc]
    list_display = ("username", "full_name", "email", "is_staff", "is_active")


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "created_at")
    readonly_fields = ("uuid",)


admin.site.register(Site)
admin.site.register(Membership)
