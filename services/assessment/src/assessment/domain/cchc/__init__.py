"""CCHC context (seed 004): administrative-reform (cải cách hành chính) scoring.

- ``values``: points (Decimal, never float), the unit groups (khối), evidence references;
- ``rules``: the scoring rules a component criterion can have (options, percentage bands with
  exact boundaries, yes/no, a number read from data, free points, survey);
- ``tree``: a criteria set's content (fields → criteria → component criteria) and its checks;
- ``criteria_set``: the ``CriteriaSet`` aggregate, drafted → published → immutable, versioned;
- ``scoring``: the ``CchcScoring`` aggregate, one unit's year (self-scoring, appraisal,
  supplements, reconciliation, council confirmation, survey results);
- ``index`` and ``ranking``: the pure computation of indices and the ranking within a block;
- ``ranking_decision``: the ``CchcRanking`` aggregate (decision number/date/signer, publication);
- ``feedback``: units flag criteria as unreasonable, Home Affairs answers;
- ``sheet``: the rows of the published shape (STT, lĩnh vực / tiêu chí / tiêu chí thành phần,
  điểm tối đa, …) read into a tree with the row of every problem named, and written back.
"""

from __future__ import annotations
