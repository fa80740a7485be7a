from django.contrib import admin

from .models import LrsClient


@admin.register(LrsClient)
class LrsClientAdmin(admin.ModelAdmin):
    list_display = ("name", "organisation", "key", "created_at", "revoked_at")
    readonly_fields = ("key", "secret_hash", "created_at")
