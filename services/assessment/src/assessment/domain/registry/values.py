"""Registry values: the kinds of units."""

from __future__ import annotations

from enum import StrEnum


class UnitKind(StrEnum):
    DEPARTMENT = "department"  # sở, ban, ngành
    PUBLIC_SERVICE_UNIT = "public_service_unit"  # đơn vị sự nghiệp trực thuộc UBND tỉnh
    LOWER_PEOPLES_COMMITTEE = "lower_peoples_committee"  # UBND cấp huyện / xã
    PEOPLES_COMMITTEE = "peoples_committee"  # UBND tỉnh (the body that recognises)


UNIT_KIND_LABELS = {
    UnitKind.DEPARTMENT: "Sở, ban, ngành",
    UnitKind.PUBLIC_SERVICE_UNIT: "Đơn vị sự nghiệp trực thuộc UBND tỉnh",
    UnitKind.LOWER_PEOPLES_COMMITTEE: "UBND cấp dưới (huyện/xã)",
    UnitKind.PEOPLES_COMMITTEE: "UBND tỉnh",
}
