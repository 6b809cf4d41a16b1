from django.contrib import admin

from .models import InlinePolicy, ManagedPolicy, PolicyAttachment


@admin.register(ManagedPolicy)
class ManagedPolicyAdmin(admin.ModelAdmin):
    list_display = ("name", "path", "account", "default_version_id", "updated")
    search_fields = ("name",)


admin.site.register(InlinePolicy)
admin.site.register(PolicyAttachment)
