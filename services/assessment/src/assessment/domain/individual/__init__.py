"""Individual context: rating of officials each year under the rules in force that year.

Pure domain (stdlib + ``eventsourcing.domain``): people (``person``), the Decree 335 score sheets
(``sheet``, ``scoring``), the rule sets by legal text (``rules/``), the "excellent" quota
(``quota``) and the rating procedure (``rating``). Tenant choices where the sources leave a rule
open live in ``settings``.

*Ngữ cảnh cá nhân: đánh giá, xếp loại chất lượng cán bộ, công chức, viên chức hằng năm theo quy
định có hiệu lực của năm đó (NĐ 90/2020 sửa đổi bởi NĐ 48/2023; NĐ 335/2025; QĐ 124/366-QĐ/TW).*
"""

from __future__ import annotations
