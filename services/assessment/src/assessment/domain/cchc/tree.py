"""A criteria set's content: the tree fields → criteria → component criteria, and its checks.

Checked on every draft (``SetContent.from_dict``):
- codes unique; a field has no parent, a criterion's parent is a field, a component's parent is
  a criterion; a field needs children; leaves (criteria without components, and components) carry
  a rule and a method (appraisal or survey), parents carry neither;
- each parent's maximum equals the sum of its children's maxima, exactly (Decimal);
- the regular fields' maxima add up to the set's total (usually 100); bonus and penalty fields
  stand outside the total;
- ranking bands (lower bound inclusive: "từ 90% trở lên", "từ 80% đến dưới 90%") are distinct
  and within 0–100; tie-break keys are known.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from assessment.domain.cchc.errors import RuleInvalid, TreeInvalid, UnknownCriterion
from assessment.domain.cchc.rules import Rule
from assessment.domain.cchc.values import HUNDRED, ZERO, Level, Method, NodeKind, fmt, points
from assessment.domain.kernel.errors import ValidationFailed

TIE_BREAK_KEYS = ("appraised_points", "survey_points", "self_gap")
COMBINATIONS = ("sum", "weighted")
PARENT_LEVEL = {Level.CRITERION: Level.FIELD, Level.COMPONENT: Level.CRITERION}


@dataclass(frozen=True)
class Node:
    code: str
    level: Level
    title: str
    max_points: Decimal
    parent: str | None = None
    kind: NodeKind = NodeKind.REGULAR
    method: Method | None = None
    rule: Rule | None = None
    evidence: str = ""  # the documents it needs (tài liệu kiểm chứng)
    appraisers: tuple[str, ...] = ()  # sector agencies named besides Home Affairs

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "code": self.code,
            "level": self.level.value,
            "title": self.title,
            "max_points": fmt(self.max_points),
            "parent": self.parent,
            "kind": self.kind.value,
        }
        if self.rule is not None:
            out["rule"] = self.rule.to_dict()
            out["method"] = self.method.value if self.method else None
            out["evidence"] = self.evidence
            out["appraisers"] = list(self.appraisers)
        return out


@dataclass(frozen=True)
class RankBand:
    code: str
    label: str
    min_index: Decimal  # inclusive

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "label": self.label, "min_index": fmt(self.min_index)}


def _node_from_dict(raw: dict[str, Any]) -> Node:
    code = str(raw.get("code", "")).strip()
    if not code:
        raise TreeInvalid("mỗi dòng cần một mã (STT)")
    try:
        level = Level(str(raw.get("level", "")))
    except ValueError:
        raise TreeInvalid(f"'{code}': cấp '{raw.get('level')}' không hợp lệ") from None
    title = str(raw.get("title", "")).strip()
    if not title:
        raise TreeInvalid(f"'{code}': cần tên lĩnh vực/tiêu chí")
    try:
        max_points = points(raw.get("max_points"), f"điểm tối đa của '{code}'")
    except ValidationFailed as exc:
        raise TreeInvalid(f"'{code}': {exc.detail}") from None
    try:
        kind = NodeKind(str(raw.get("kind") or "regular"))
    except ValueError:
        raise TreeInvalid(f"'{code}': loại điểm '{raw.get('kind')}' không có") from None
    rule = method = None
    if raw.get("rule") is not None:
        try:
            rule = Rule.from_dict(raw["rule"])
        except ValidationFailed as exc:
            raise RuleInvalid(f"'{code}': {exc.detail}") from None
        try:
            method = Method(str(raw.get("method") or "appraisal"))
        except ValueError:
            raise RuleInvalid(f"'{code}': phương pháp '{raw.get('method')}' không có") from None
        if (rule.kind == "survey") != (method is Method.SURVEY):
            raise RuleInvalid(f"'{code}': tiêu chí điều tra xã hội học dùng cách chấm 'survey'")
    parent = raw.get("parent")
    return Node(
        code=code,
        level=level,
        title=title,
        max_points=max_points,
        parent=str(parent).strip() if parent else None,
        kind=kind,
        method=method,
        rule=rule,
        evidence=str(raw.get("evidence") or "").strip(),
        appraisers=tuple(str(a).strip() for a in raw.get("appraisers") or [] if str(a).strip()),
    )


@dataclass(frozen=True)
class SetContent:
    nodes: tuple[Node, ...]
    total_points: Decimal
    bands: tuple[RankBand, ...]
    tie_break: tuple[str, ...] = ()
    combination: str = "sum"
    survey_weight: Decimal | None = None
    rank_precision: int = 2
    _by_code: dict[str, Node] = field(default_factory=dict, compare=False, repr=False)
    _children: dict[str | None, list[str]] = field(default_factory=dict, compare=False, repr=False)
    _leaves: list[Node] = field(default_factory=list, compare=False, repr=False)

    def __post_init__(self) -> None:
        for node in self.nodes:
            self._by_code[node.code] = node
            self._children.setdefault(node.parent, []).append(node.code)
            if node.rule is not None:
                self._leaves.append(node)

    # ------------------------------------------------------------ parsing + checks
    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SetContent:
        content = cls.parse(data)
        content.check()
        return content

    @classmethod
    def parse(cls, data: dict[str, Any]) -> SetContent:
        """Read without the tree checks (``from_dict`` adds them)."""
        nodes = tuple(_node_from_dict(n) for n in data.get("nodes") or [])
        bands = []
        for raw in data.get("bands") or []:
            code = str(raw.get("code", "")).strip()
            bands.append(
                RankBand(
                    code=code,
                    label=str(raw.get("label") or code).strip(),
                    min_index=points(raw.get("min_index"), f"ngưỡng nhóm '{code}'"),
                )
            )
        weight = data.get("survey_weight")
        content = cls(
            nodes=nodes,
            total_points=points(data.get("total_points", "100"), "tổng điểm"),
            bands=tuple(sorted(bands, key=lambda b: b.min_index, reverse=True)),
            tie_break=tuple(str(k) for k in data.get("tie_break") or []),
            combination=str(data.get("combination") or "sum"),
            survey_weight=None if weight in (None, "") else points(weight, "tỉ trọng điều tra"),
            rank_precision=int(data.get("rank_precision", 2)),
        )
        return content

    def to_dict(self) -> dict[str, Any]:
        return {
            "nodes": [n.to_dict() for n in self.nodes],
            "total_points": fmt(self.total_points),
            "bands": [b.to_dict() for b in self.bands],
            "tie_break": list(self.tie_break),
            "combination": self.combination,
            "survey_weight": None if self.survey_weight is None else fmt(self.survey_weight),
            "rank_precision": self.rank_precision,
        }

    def check(self) -> None:
        problems = self.problems()
        if problems:
            raise problems[0]

    def problems(self) -> list[ValidationFailed]:
        """Every problem of the tree, deepest rows first (a wrong component sum is reported on
        its criterion before the field above it), then the total and the ranking settings."""
        if not self.nodes:
            return [TreeInvalid("bộ tiêu chí chưa có lĩnh vực nào")]
        found: list[ValidationFailed] = []
        seen: set[str] = set()
        for node in self.nodes:
            if node.code in seen:
                found.append(TreeInvalid(f"'{node.code}': mã bị trùng"))
            seen.add(node.code)
        for node in reversed(self.nodes):
            try:
                self._check_node(node)
            except ValidationFailed as exc:
                found.append(exc)
        regular = [n for n in self.roots() if n.kind is NodeKind.REGULAR]
        total = sum((n.max_points for n in regular), ZERO)
        if total != self.total_points:
            found.append(
                TreeInvalid(
                    f"tổng điểm tối đa các lĩnh vực là {fmt(total)}, khác tổng "
                    f"{fmt(self.total_points)}"
                )
            )
        try:
            self._check_ranking()
        except ValidationFailed as exc:
            found.append(exc)
        return found

    def _check_node(self, node: Node) -> None:
        where = f"'{node.code}'"
        if node.level is Level.FIELD:
            if node.parent is not None:
                raise TreeInvalid(f"{where}: lĩnh vực không có cấp trên")
        else:
            parent = self._by_code.get(node.parent or "")
            if parent is None:
                raise TreeInvalid(f"{where}: không thấy cấp trên '{node.parent}'")
            if parent.level is not PARENT_LEVEL[node.level]:
                raise TreeInvalid(f"{where}: cấp trên '{parent.code}' không đúng cấp")
            if node.kind is not parent.kind:
                raise TreeInvalid(f"{where}: loại điểm phải giống lĩnh vực '{parent.code}'")
        kids = self.children(node.code)
        if kids:
            if node.rule is not None:
                raise RuleInvalid(f"{where}: tiêu chí có tiêu chí thành phần không có cách chấm")
            total = sum((k.max_points for k in kids), ZERO)
            if total != node.max_points:
                raise TreeInvalid(
                    f"{where}: điểm tối đa {fmt(node.max_points)} khác tổng các mục con "
                    f"{fmt(total)}"
                )
        else:
            if node.level is Level.FIELD:
                raise TreeInvalid(f"{where}: lĩnh vực cần ít nhất một tiêu chí")
            if node.rule is None:
                raise RuleInvalid(f"{where}: cần cách chấm điểm")
            try:
                node.rule.validate(node.max_points)
            except RuleInvalid as exc:
                raise RuleInvalid(f"{where}: {exc.detail}") from None

    def _check_ranking(self) -> None:
        codes = [b.code for b in self.bands]
        if not self.bands or len(set(codes)) != len(codes) or "" in codes:
            raise TreeInvalid("cần các nhóm xếp loại với mã riêng biệt")
        mins = [b.min_index for b in self.bands]
        if len(set(mins)) != len(mins) or any(m > HUNDRED for m in mins):
            raise TreeInvalid("ngưỡng các nhóm phải khác nhau và trong khoảng 0–100")
        field_codes = {n.code for n in self.roots()}
        for key in self.tie_break:
            if key not in TIE_BREAK_KEYS and not (
                key.startswith("field:") and key[6:] in field_codes
            ):
                raise TreeInvalid(f"tiêu chí phân định bằng điểm '{key}' không có")
        if self.combination not in COMBINATIONS:
            raise TreeInvalid(f"cách kết hợp '{self.combination}' không có; chọn: sum, weighted")
        if self.combination == "weighted":
            if self.survey_weight is None or not ZERO < self.survey_weight < HUNDRED:
                raise TreeInvalid("cách kết hợp 'weighted' cần tỉ trọng điều tra trong (0, 100)")
            if not self.max_of(Method.SURVEY, ()):
                raise TreeInvalid("cách kết hợp 'weighted' cần tiêu chí điều tra xã hội học")
        if not 0 <= self.rank_precision <= 6:
            raise TreeInvalid("số chữ số thập phân khi xếp hạng phải từ 0 đến 6")

    # ------------------------------------------------------------ navigation
    def node(self, code: str) -> Node:
        try:
            return self._by_code[code]
        except KeyError:
            raise UnknownCriterion(f"không có tiêu chí '{code}' trong bộ tiêu chí") from None

    def has(self, code: str) -> bool:
        return code in self._by_code

    def roots(self) -> list[Node]:
        return [self._by_code[c] for c in self._children.get(None, [])]

    def children(self, code: str) -> list[Node]:
        return [self._by_code[c] for c in self._children.get(code, [])]

    def leaves(self) -> list[Node]:
        return list(self._leaves)

    def leaves_under(self, code: str) -> list[Node]:
        node = self.node(code)
        if node.rule is not None:
            return [node]
        return [leaf for kid in self.children(code) for leaf in self.leaves_under(kid.code)]

    def field_of(self, code: str) -> Node:
        node = self.node(code)
        while node.parent is not None:
            node = self._by_code[node.parent]
        return node

    def excluded_leaves(self, excluded: Iterable[str]) -> set[str]:
        """Leaves under any excluded code (excluding a criterion excludes its components)."""
        return {leaf.code for code in excluded for leaf in self.leaves_under(code)}

    def max_of(self, method: Method, excluded: Iterable[str]) -> Decimal:
        """Applicable maximum of the regular leaves scored by ``method``."""
        out = self.excluded_leaves(excluded)
        return sum(
            (
                n.max_points
                for n in self.leaves()
                if n.method is method and n.kind is NodeKind.REGULAR and n.code not in out
            ),
            ZERO,
        )

    def band_for(self, index: Decimal) -> RankBand | None:
        for band in self.bands:  # sorted high → low
            if index >= band.min_index:
                return band
        return None
