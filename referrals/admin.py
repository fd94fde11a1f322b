"""Admin: read-only views of referrals and their timeline. Changes go through the services
(never a silent edit of a status)."""

from django.contrib import admin

from referrals.models import Referral, ReferralEvent, ReferralMessage


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class EventInline(ReadOnlyInline):
    model = ReferralEvent
    fields = (
        "at",
        "kind",
        "actor",
        "actor_organisation",
        "from_status",
        "to_status",
        "reason_code",
    )
    readonly_fields = fields


class MessageInline(ReadOnlyInline):
    model = ReferralMessage
    fields = ("at", "author", "author_organisation", "body")
    readonly_fields = fields


@admin.register(Referral)
class ReferralAdmin(admin.ModelAdmin):
    list_display = ("pk", "status", "run", "adviser", "status_changed_at")
    list_filter = ("status",)
    list_select_related = ("run__measure", "adviser")
    raw_id_fields = ("participant", "run", "adviser", "team", "provider_contact")
    inlines = [EventInline, MessageInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
