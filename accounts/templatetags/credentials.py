"""Template tags of the security credentials area: the MFA + access keys panel (for the user
detail page's Security credentials tab) and the dashboard's Security recommendations."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse

register = template.Library()


@register.inclusion_tag("credentials/includes/credentials_panel.html", takes_context=True)
def credentials_panel(context: template.Context, subject: Any = None) -> dict[str, Any]:
    """The MFA devices and access keys of `subject` (an IAM user), or of the signed-in
    principal itself when `subject` is not an IAM user."""
    from accounts.credential_views import credentials_panel_context

    request = context["request"]
    user_name = subject.name if getattr(subject, "is_iam_user", False) else None
    panel = credentials_panel_context(request, user_name)
    panel["request"] = request
    panel["csrf_token"] = context.get("csrf_token")
    return panel


@register.inclusion_tag("credentials/includes/security_recommendations.html", takes_context=True)
def security_recommendations_panel(context: template.Context) -> dict[str, Any]:
    from accounts.services.password_policy import security_recommendations

    request = context["request"]
    caller = getattr(request, "caller", None)
    # The dashboard view has already asked for iam:GetAccountSummary: its denial hides the panel.
    if caller is None or context.get("denial"):
        return {"hidden": True}
    items = []
    for item in security_recommendations(caller.account):
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            url = ""
        note = ""
        if item.key.startswith("root-") and not caller.is_root:
            # Only the root user manages its own credentials: no link an IAM user could follow.
            url, note = "", "Sign in as the root user to fix this."
        items.append({"item": item, "url": url, "note": note})
    return {"items": items, "hidden": False}
