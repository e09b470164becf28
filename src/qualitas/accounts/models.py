from __future__ import annotations

import hashlib
import secrets
import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse

from qualitas.accounts.choices import Role


class Organization(models.Model):
    """The tenant. Every QMS record belongs to exactly one organization."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, unique=True)
    # Whether an approver may sign their own draft (document control, CAPA verification).
    allow_self_approval = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Site(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="sites")
    name = models.CharField(max_length=200)
    code = models.CharField(max_length=20)
    address = models.TextField(blank=True)

    class Meta:
        ordering = ["organization", "code"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "code"], name="site_code_unique_per_org")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class User(AbstractUser):
    """A person. Their rights come from Memberships, one per organization."""

    full_name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["username"]

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username

    # Choice lists read these values instead of building a User per option (core.forms.FastSelect).
    choice_label_fields = ("full_name", "first_name", "last_name", "username")

    @staticmethod
    def choice_label(full_name: str, first_name: str, last_name: str, username: str) -> str:
        return full_name or f"{first_name} {last_name}".strip() or username

    def __str__(self) -> str:
        return self.display_name


class Membership(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    site = models.ForeignKey(Site, on_delete=models.SET_NULL, null=True, blank=True, related_name="members")
    job_title = models.CharField(max_length=120, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organization", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="membership_unique_per_org"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization} ({self.get_role_display()})"

    def get_absolute_url(self) -> str:
        return reverse("accounts:member_list")


class ApiToken(models.Model):
    """A bearer token bound to one membership: the token names the organization of every call."""

    PREFIX = "qlt_"

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="tokens")
    name = models.CharField(max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    key_hint = models.CharField(max_length=12)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_hint}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def new_key(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)
