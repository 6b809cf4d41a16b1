"""The IAM policy evaluation engine: pure Python, no Django, no I/O, no clock."""

from __future__ import annotations

from .decision import ALLOWED as ALLOWED
from .decision import EXPLICIT_DENY as EXPLICIT_DENY
from .decision import IMPLICIT_DENY as IMPLICIT_DENY
from .decision import Decision as Decision
from .decision import Request as Request
from .decision import evaluate as evaluate
from .explain import StatementRef as StatementRef
from .model import Condition as Condition
from .model import Policy as Policy
from .model import Statement as Statement
from .parser import PolicyParseError as PolicyParseError
from .parser import parse_policy as parse_policy
from .validation import Finding as Finding
from .validation import check_aggregate_size as check_aggregate_size
from .validation import has_errors as has_errors
from .validation import policy_size as policy_size
from .validation import validate_policy as validate_policy
