"""HTTP front door of the IAM and STS Query API (see api/README.md)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from accounts import views as console_views

from . import dispatch


def _is_api_request(request: HttpRequest) -> bool:
    if request.method == "POST":
        return True
    if "HTTP_AUTHORIZATION" in request.META:
        return True
    return "Action" in request.GET or "X-Amz-Signature" in request.GET


@csrf_exempt
def endpoint(request: HttpRequest) -> HttpResponse:
    return dispatch.handle(request)


@csrf_exempt
def root(request: HttpRequest) -> HttpResponse:
    """`/`: the API for POSTs and signed/Action GETs (boto3 and the CLI post to the endpoint
    URL's path), the console's home view for everything else."""
    if _is_api_request(request):
        return dispatch.handle(request)
    return console_views.home(request)


@csrf_exempt
def sandbox_reset(request: HttpRequest, account_id: str) -> HttpResponse:
    from . import sandbox

    return sandbox.reset_view(request, account_id)
