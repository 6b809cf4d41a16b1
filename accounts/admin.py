from django.contrib import admin

from .models import AccessKey, Account, ActivityEvent, Group, PasswordPolicy, Role, User


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = ("account_id", "alias", "name", "created")
    search_fields = ("account_id", "alias", "name")


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ("login", "kind", "account", "name", "email", "created")
    list_filter = ("kind",)
    search_fields = ("login", "name", "email", "account__account_id")
    exclude = ("password",)
    readonly_fields = ("unique_id", "last_login")


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ("name", "account", "path", "created")
    search_fields = ("name", "account__account_id")


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ("name", "account", "path", "created")
    search_fields = ("name", "account__account_id")


@admin.register(ActivityEvent)
class ActivityEventAdmin(admin.ModelAdmin):
    list_display = ("time", "account", "event_name", "actor_arn", "result", "error_code")
    list_filter = ("result", "event_source")


admin.site.register(AccessKey)
admin.site.register(PasswordPolicy)
