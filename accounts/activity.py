"""Activity events (CloudTrail-like) and the `operation` wrapper every service function uses."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import transaction

from .errors import AccessDenied, IAMError
from .models import Account, ActivityEvent
from .principal import Caller

F = TypeVar("F", bound=Callable[..., Any])


def record_event(
    account: Account,
    event_name: str,
    *,
    caller: Caller | None = None,
    resource: str = "",
    error: IAMError | None = None,
    event_source: str = "iam.amazonaws.com",
    actor_arn: str | None = None,
    actor_name: str | None = None,
    source_ip: str | None = None,
    user_agent: str = "",
    mfa_used: bool | None = None,
) -> ActivityEvent:
    explanation = None
    if isinstance(error, AccessDenied) and error.decision is not None:
        explanation = error.decision.to_dict()
    event = ActivityEvent(
        account=account,
        event_source=event_source,
        event_name=event_name,
        actor_arn=actor_arn if actor_arn is not None else (caller.arn if caller else ""),
        actor_name=actor_name if actor_name is not None else (caller.name if caller else ""),
        resource=resource,
        result="Failure" if error else "Success",
        error_code=error.code if error else "",
        error_message=error.message if error else "",
        source_ip=source_ip if source_ip is not None else (caller.source_ip if caller else None),
        user_agent=user_agent or (caller.user_agent if caller else ""),
        mfa_used=mfa_used if mfa_used is not None else bool(caller and caller.mfa_authenticated_at),
        access_key_id=caller.access_key_id if caller else "",
        explanation=explanation,
    )
    event.save(force_insert=True)
    return event


def operation(event_name: str, *, read_only: bool = False) -> Callable[[F], F]:
    """Run a service function (caller first) in one transaction and record its event.

    A failure rolls back everything the function wrote; the failure event is written after
    the rollback so it survives. Read-only operations record only their failures, to keep
    list pages from writing on every view.
    """

    def decorate(function: F) -> F:
        @functools.wraps(function)
        def wrapper(caller: Caller, *args: Any, **kwargs: Any) -> Any:
            try:
                with transaction.atomic():
                    result = function(caller, *args, **kwargs)
                    if not read_only:
                        record_event(caller.account, event_name, caller=caller, resource=caller.last_resource)
                    return result
            except IAMError as error:
                record_event(caller.account, event_name, caller=caller, resource=caller.last_resource, error=error)
                raise

        wrapper.event_name = event_name  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate
