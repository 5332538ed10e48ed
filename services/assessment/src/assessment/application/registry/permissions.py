"""The registry's rows of the one permission matrix."""

from __future__ import annotations

from assessment.application.kernel.permissions import Rows, Scope

T = Scope.TENANT

ROWS: Rows = {
    "register_unit": {"home_affairs": T},
    "change_unit": {"home_affairs": T},
    "grant_assignment": {"home_affairs": T, "chairman": T},
    "revoke_assignment": {"home_affairs": T, "chairman": T},
}
