"""Django admin views of the network, for staff. Organisation admins use /network/admin/."""

from django.contrib import admin

from .models import Country, Entrepreneur, ImportJob, Metro, Region, Sector


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "country"]
    list_filter = ["country"]
    search_fields = ["name"]


@admin.register(Metro)
class MetroAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "time_zone"]
    list_select_related = ["region"]
    search_fields = ["name"]


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["name", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]


@admin.register(Entrepreneur)
class EntrepreneurAdmin(admin.ModelAdmin):
    list_display = ["__str__", "company", "metro", "sector", "active_chapter_count", "is_active"]
    list_select_related = ["user", "metro", "sector"]
    list_filter = ["is_active", "visibility", "sector"]
    search_fields = ["user__name", "user__email", "company"]
    raw_id_fields = ["user"]
    readonly_fields = ["active_chapter_count", "deactivated_at", "created", "modified"]


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["filename", "status", "created", "created_count", "error_count"]
    exclude = ["source", "errors"]
    readonly_fields = [
        "created_by",
        "filename",
        "delimiter",
        "send_invitations",
        "status",
        "total_rows",
        "processed_rows",
        "created_count",
        "updated_count",
        "error_count",
        "invited_count",
        "failure",
        "created",
        "started_at",
        "finished_at",
    ]

    def has_add_permission(self, request) -> bool:
        return False
