"""Properties of the sampling derivation and of the verifier (Hypothesis)."""

from __future__ import annotations

import copy
import hashlib
from collections import Counter
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessment.domain.inspection import sampling as S
from assessment.domain.inspection.sampling_verify import verify_record

FIELDS = ["Đất đai", "Xây dựng", "Tư pháp", "a", "ab"]


@st.composite
def registers(draw: st.DrawFn) -> tuple[list[S.RegisterEntry], dict[str, int]]:
    n = draw(st.integers(min_value=1, max_value=60))
    ids = draw(st.lists(st.integers(0, 10_000), min_size=n, max_size=n, unique=True))
    entries = [
        S.RegisterEntry.of(
            file_id=f"{i}/VB",
            field=draw(st.sampled_from(FIELDS)),
            received_on="2024-05-06",
            title=draw(st.sampled_from(["", "Trích yếu", "Hồ sơ đất"])),
        )
        for i in ids
    ]
    pops = Counter(e.field for e in entries)
    chosen = draw(st.lists(st.sampled_from(sorted(pops)), min_size=1, unique=True))
    sizes = {f: draw(st.integers(1, pops[f])) for f in chosen}
    return entries, sizes


def secrets() -> st.SearchStrategy[bytes]:
    return st.binary(min_size=32, max_size=32)


def build(entries: list[S.RegisterEntry], sizes: dict[str, int], rt: bytes, ru: bytes) -> Any:
    return S.build_record(
        inspection_id="insp",
        unit_id="SXD",
        register=entries,
        sizes=sizes,
        reveals={"team": rt, "unit": ru},
    )


@settings(max_examples=60, deadline=None)
@given(registers(), secrets(), secrets())
def test_a_sample_is_a_duplicate_free_subset_of_its_field(
    reg: tuple[list[S.RegisterEntry], dict[str, int]], rt: bytes, ru: bytes
) -> None:
    entries, sizes = reg
    rec = build(entries, sizes, rt, ru)
    samples = rec.samples()
    assert set(samples) == set(sizes)
    field_of = {e.file_id: e.field for e in entries}
    for field, files in samples.items():
        assert len(files) == sizes[field] == len(set(files))
        assert all(field_of[f] == field for f in files)
    assert verify_record(rec.to_json()).samples == samples


@settings(max_examples=40, deadline=None)
@given(registers(), secrets(), secrets(), st.randoms(use_true_random=False))
def test_input_order_does_not_matter(
    reg: tuple[list[S.RegisterEntry], dict[str, int]], rt: bytes, ru: bytes, rnd: Any
) -> None:
    entries, sizes = reg
    shuffled = list(entries)
    rnd.shuffle(shuffled)
    assert build(entries, sizes, rt, ru).to_json() == build(shuffled, sizes, rt, ru).to_json()


@settings(max_examples=40, deadline=None)
@given(st.binary(min_size=32, max_size=32), st.integers(1, 500), st.data())
def test_a_larger_size_extends_the_smaller_sample(seed: bytes, n: int, data: st.DataObject) -> None:
    k1 = data.draw(st.integers(1, n))
    k2 = data.draw(st.integers(k1, n))
    small = S.draw_positions(seed, "f", n, k1)
    large = S.draw_positions(seed, "f", n, k2)
    assert large[:k1] == small
    assert len(set(large)) == k2 and all(0 <= p < n for p in large)


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 2**32 - 1), st.lists(st.integers(0, 2**64 - 1), min_size=1, max_size=5))
def test_uniform_is_in_range_and_rejects_only_above_the_limit(m: int, words: list[int]) -> None:
    limit = 2**64 - (2**64 % m)
    accepted = [w for w in words if w < limit]
    if not accepted:
        with pytest.raises(S.SamplingError):
            S.uniform(iter(words), m)
        return
    assert S.uniform(iter(words), m) == accepted[0] % m


@settings(max_examples=40, deadline=None)
@given(
    registers(),
    secrets(),
    secrets(),
    st.integers(0, 31),
    st.integers(1, 255),
    st.sampled_from(["team", "unit"]),
)
def test_any_change_to_a_reveal_is_refused(
    reg: tuple[list[S.RegisterEntry], dict[str, int]],
    rt: bytes,
    ru: bytes,
    pos: int,
    flip: int,
    party: str,
) -> None:
    entries, sizes = reg
    data = build(entries, sizes, rt, ru).to_json()
    value = bytearray(bytes.fromhex(data["reveals"][party]))
    value[pos] ^= flip
    data["reveals"][party] = value.hex()
    with pytest.raises(S.SamplingError) as info:
        verify_record(data)
    assert info.value.code == "sampling.reveal_mismatch"


@settings(max_examples=40, deadline=None)
@given(registers(), secrets(), secrets(), st.data())
def test_any_change_to_one_register_entry_is_refused(
    reg: tuple[list[S.RegisterEntry], dict[str, int]], rt: bytes, ru: bytes, data: st.DataObject
) -> None:
    entries, sizes = reg
    good = build(entries, sizes, rt, ru).to_json()
    bad = copy.deepcopy(good)
    i = data.draw(st.integers(0, len(bad["register"]) - 1))
    key = data.draw(st.sampled_from(["title", "document_sha256", "received_on"]))
    entry = bad["register"][i]
    entry[key] = {
        "title": (entry["title"] + " (sửa)").strip(),
        "document_sha256": hashlib.sha256(b"x").hexdigest(),
        "received_on": "2024-05-07",
    }[key]
    with pytest.raises(S.SamplingError) as info:
        verify_record(bad)
    assert info.value.code == "sampling.register_mismatch"


def test_draws_are_close_to_uniform() -> None:
    """Every position of a 7-file field is drawn first about equally often over 7,000 seeds."""
    counts = Counter(
        S.draw_positions(hashlib.sha256(i.to_bytes(4, "big")).digest(), "f", 7, 1)[0]
        for i in range(7000)
    )
    assert set(counts) == set(range(7))
    chi2 = sum((c - 1000) ** 2 / 1000 for c in counts.values())
    assert chi2 < 22.5  # p ≈ 0.001 for 6 degrees of freedom


def test_a_reveal_must_be_32_bytes_and_a_party_team_or_unit() -> None:
    with pytest.raises(S.SamplingError):
        S.commitment("i", "u", "team", bytes(32), b"short")
    with pytest.raises(S.SamplingError):
        S.commitment("i", "u", "chairman", bytes(32), bytes(32))
