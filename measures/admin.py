from django.contrib import admin

from measures.models import Measure, OpenDay, OpenDaySignup, Run


class RunInline(admin.TabularInline):
    model = Run
    extra = 0
    fields = ["start_date", "end_date", "places", "location", "status"]


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin):
    list_display = ["title", "provider", "legal_basis", "status", "last_verified_at"]
    list_filter = ["status", "legal_basis", "target_group", "entry_mode", "provider"]
    search_fields = ["title", "summary", "measure_number"]
    list_select_related = ["provider"]
    raw_id_fields = ["last_verified_by"]
    filter_horizontal = ["commissioners", "contacts"]
    inlines = [RunInline]


@admin.register(OpenDay)
class OpenDayAdmin(admin.ModelAdmin):
    list_display = ["measure", "kind", "starts_at", "capacity"]
    list_select_related = ["measure"]
    raw_id_fields = ["measure"]


@admin.register(OpenDaySignup)
class OpenDaySignupAdmin(admin.ModelAdmin):
    list_display = ["open_day", "user", "created_at"]
    raw_id_fields = ["open_day", "user"]
