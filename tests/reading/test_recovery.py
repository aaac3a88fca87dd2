"""govstats.reading.recovery.readings: reading run-together digits back into cells, by the identities and never by guessing."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govstats.format import national_format
from govstats.reading.recovery.readings import (
    FLAT,
    Solution,
    Splits,
    row_candidates,
    solve_table,
    split_flat_review,
    splits,
)

Z = (0,) * 7

# ------------------------------------------------------------------------------------------------
# splits


def _naive_splits(tokens: list[str], n: int) -> list[tuple[int, ...]]:
    """Every way to cut every token, then keep readings of n numbers without leading zeros."""
    per_token = []
    for tok in tokens:
        ways = []
        for cuts in itertools.product([False, True], repeat=len(tok) - 1):
            parts, start = [], 0
            for i, cut in enumerate(cuts, 1):
                if cut:
                    parts.append(tok[start:i])
                    start = i
            parts.append(tok[start:])
            if all(p == "0" or not p.startswith("0") for p in parts):
                ways.append(tuple(int(p) for p in parts))
        per_token.append(ways)
    out = [sum(combo, ()) for combo in itertools.product(*per_token)]
    return sorted(v for v in out if len(v) == n)


def test_splits_of_the_example_row_include_the_printed_cells():
    readings = splits(["640020470"], 7)
    assert (64, 0, 0, 2, 0, 4, 70) in readings
    assert len(readings) > 1  # without the identities the row is ambiguous
    assert not readings.cut


def test_splits_of_zeros_are_unique():
    assert splits(["0000000"], 7) == [Z]


def test_splits_respect_leading_zeros_and_token_ends():
    assert splits(["05"], 1) == []
    assert splits(["05"], 2) == [(0, 5)]
    assert splits(["100"], 2) == [(10, 0)]
    assert splits(["1", "2"], 1) == []  # a number never spans two tokens
    assert splits(["1", "2"], 2) == [(1, 2)]
    assert splits([], 0) == [()]


def test_splits_over_the_limit_are_cut_not_listed():
    assert len(splits(["1" * 10], 3)) == 36  # C(9, 2)
    many = splits(["1" * 20], 7, limit=100)
    assert many == [] and many.cut
    assert isinstance(many, Splits)


def test_splits_reject_non_digit_tokens():
    with pytest.raises(ValueError, match="not a digit token"):
        splits(["12a"], 2)
    with pytest.raises(ValueError):
        splits(["１２"], 2)  # full-width digits are the caller's to normalise
    with pytest.raises(TypeError):
        splits("123", 3)  # type: ignore[arg-type]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text("0123456789", min_size=1, max_size=5), min_size=1, max_size=3), st.integers(1, 8))
def test_splits_match_a_naive_enumeration(tokens, n):
    assert sorted(splits(tokens, n)) == _naive_splits(tokens, n)


# ------------------------------------------------------------------------------------------------
# row_candidates


def test_row_identity_settles_the_example_rows():
    assert row_candidates("applications", "2021", "new_received", ["640020470"]) == [(64, 0, 0, 2, 0, 4, 70)]
    assert row_candidates("applications", "2021", "partial", ["500000", "5"]) == [(5, 0, 0, 0, 0, 0, 5)]
    assert row_candidates("review_litigation", "2021", "review", ["10203"]) == [(1, 0, 2, 0, 3)]


def test_row_identity_alone_can_leave_two_readings_and_known_cells_pin_one():
    both = row_candidates("applications", "2021", "granted", ["270020130"])
    assert sorted(both) == [(2, 7, 0, 0, 20, 1, 30), (27, 0, 0, 2, 0, 1, 30)]
    pinned = row_candidates("applications", "2021", "granted", ["270020130"], known={"commercial": 0, "total": None})
    assert pinned == [(27, 0, 0, 2, 0, 1, 30)]
    assert row_candidates("applications", "2021", "granted", ["270020130"], known={"total": 31}) == []
    with pytest.raises(ValueError, match="no column"):
        row_candidates("applications", "2021", "granted", ["270020130"], known={"made": 1})


def test_disclosure_rows_have_no_identity_and_stay_ambiguous():
    readings = row_candidates("disclosure", "2021", "normative_documents", ["693665"])
    assert len(readings) > 1
    assert (69, 366, 5) in readings and (6, 93, 665) in readings


def test_long_rows_are_read_without_blowing_up():
    row = (2496, 4261, 3792, 2355, 3949, 1554, 18407)
    readings = row_candidates("applications", "2021", "granted", ["".join(map(str, row))])
    assert readings == [row]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 30), min_size=6, max_size=6), st.integers(1, 3))
def test_row_candidates_are_the_splits_that_satisfy_the_identity(six, pieces):
    numbers = [*six, sum(six)]
    size = -(-7 // pieces)
    tokens = ["".join(map(str, numbers[i : i + size])) for i in range(0, 7, size)]
    expected = sorted(s for s in splits(tokens, 7) if s[6] == sum(s[:6]))
    got = row_candidates("applications", "2021", "carried_forward", tokens)
    assert sorted(got) == expected
    assert tuple(numbers) in got


# ------------------------------------------------------------------------------------------------
# The flat review/litigation row


def test_flat_review_row_of_the_example():
    readings = split_flat_review(["10203120001200000"])
    assert readings == [(1, 0, 2, 0, 3, 12, 0, 0, 0, 12, 0, 0, 0, 0, 0)]
    sol = solve_table("review_litigation", "2021", {FLAT: readings}, {})
    assert sol.status == "unique"
    assert sol.values == {
        "review": (1, 0, 2, 0, 3),
        "litigation_direct": (12, 0, 0, 0, 12),
        "litigation_after_review": (0, 0, 0, 0, 0),
    }


def test_ambiguous_flat_row_keeps_only_the_groups_every_reading_agrees_on():
    readings = split_flat_review(["010100201102112410010020"])
    assert len(readings) == 2
    sol = solve_table("review_litigation", "2021", {FLAT: readings}, {})
    assert sol.status == "ambiguous" and sol.values is None and sol.n_solutions == 2
    assert sol.accepted == {"review": (0, 10, 10, 0, 20), "litigation_after_review": (10, 0, 10, 0, 20)}
    assert sol.unresolved == ("litigation_direct",)


# ------------------------------------------------------------------------------------------------
# A real table: 平潭综合实验区 2021 (page text typed in by hand; truth from pingtan_80613_2021.json)

PINGTAN_2021_TOKENS = {
    "new_received": ["640020470"],
    "carried_over": ["0000000"],
    "granted": ["270020130"],
    "partial": ["500000", "5"],
    "denied_state_secret": ["0000000"],
    "denied_law_forbidden": ["0000000"],
    "denied_three_safety": ["0000000"],
    "denied_third_party": ["0000000"],
    "denied_internal_affairs": ["1000001"],
    "denied_process_info": ["0000000"],
    "denied_enforcement_file": ["6000006"],
    "denied_admin_query": ["1000001"],
    "unable_not_held": ["220000325"],
    "unable_need_creation": ["0000000"],
    "unable_unclear": ["0000000"],
    "not_processed_petition": ["0000000"],
    "not_processed_repeat": ["0000000"],
    "not_processed_publication": ["0000000"],
    "not_processed_massive": ["0000000"],
    "not_processed_confirm": ["0000000"],
    "other_overdue_correction": ["0000000"],
    "other_overdue_fee": ["0000000"],
    "other_other": ["1000001"],
    "total_processed": ["630020469"],
    "carried_forward": ["1000001"],
}

PINGTAN_2021_TRUTH = {
    "new_received": (64, 0, 0, 2, 0, 4, 70),
    "carried_over": Z,
    "granted": (27, 0, 0, 2, 0, 1, 30),
    "partial": (5, 0, 0, 0, 0, 0, 5),
    "denied_state_secret": Z,
    "denied_law_forbidden": Z,
    "denied_three_safety": Z,
    "denied_third_party": Z,
    "denied_internal_affairs": (1, 0, 0, 0, 0, 0, 1),
    "denied_process_info": Z,
    "denied_enforcement_file": (6, 0, 0, 0, 0, 0, 6),
    "denied_admin_query": (1, 0, 0, 0, 0, 0, 1),
    "unable_not_held": (22, 0, 0, 0, 0, 3, 25),
    "unable_need_creation": Z,
    "unable_unclear": Z,
    "not_processed_petition": Z,
    "not_processed_repeat": Z,
    "not_processed_publication": Z,
    "not_processed_massive": Z,
    "not_processed_confirm": Z,
    "other_overdue_correction": Z,
    "other_overdue_fee": Z,
    "other_other": (1, 0, 0, 0, 0, 0, 1),
    "total_processed": (63, 0, 0, 2, 0, 4, 69),
    "carried_forward": (1, 0, 0, 0, 0, 0, 1),
}


def _pingtan_candidates() -> dict[str, Splits]:
    return {row: row_candidates("applications", "2021", row, toks) for row, toks in PINGTAN_2021_TOKENS.items()}


def test_pingtan_2021_rows_need_the_column_identities():
    cands = _pingtan_candidates()
    ambiguous = {row for row, c in cands.items() if len(c) > 1}
    assert ambiguous == {"granted", "unable_not_held"}
    for row, c in cands.items():
        assert PINGTAN_2021_TRUTH[row] in c


def test_pingtan_2021_table_is_recovered_exactly():
    sol = solve_table("applications", "2021", _pingtan_candidates(), {})
    assert sol.status == "unique" and sol.n_solutions == 1
    assert sol.values == PINGTAN_2021_TRUTH
    assert sol.accepted == PINGTAN_2021_TRUTH and sol.unresolved == ()


def test_pingtan_2021_with_settled_rows_passed_as_fixed():
    cands = _pingtan_candidates()
    fixed = {row: c[0] for row, c in cands.items() if len(c) == 1}
    rest = {row: c for row, c in cands.items() if row not in fixed}
    sol = solve_table("applications", "2021", rest, fixed)
    assert sol.values == {row: PINGTAN_2021_TRUTH[row] for row in rest}


def test_pingtan_2021_review_row():
    sol = solve_table("review_litigation", "2021", {FLAT: split_flat_review(["10203120001200000"])}, {})
    assert sol.values is not None and sol.values["litigation_direct"] == (12, 0, 0, 0, 12)


# ------------------------------------------------------------------------------------------------
# solve_table outcomes


def _outcome_rows(template: str) -> list[str]:
    i2 = next(i for i in national_format().identities if i.id == "I2_outcomes")
    codes = {r.code for r in national_format().tables["applications"].rows_for(template)}
    return [r for r in i2.rhs if r in codes]


A = (1, 0, 0, 0, 0, 0, 1)
B = (0, 1, 0, 0, 0, 0, 1)


def _swap_table(k: int) -> tuple[dict[str, list[tuple[int, ...]]], dict[str, tuple[int, ...]]]:
    """k outcome rows that may each read A or B, with totals that only fix how many read each."""
    outcomes = _outcome_rows("2021")
    total = tuple(map(sum, zip(*([A] * (k - k // 2) + [B] * (k // 2)), strict=True)))
    cands = {row: [A, B] for row in outcomes[:k]}
    fixed = {row: Z for row in outcomes[k:]} | {
        "new_received": total,
        "carried_over": Z,
        "total_processed": total,
        "carried_forward": Z,
    }
    return cands, fixed


def test_several_solutions_leave_the_rows_unresolved():
    three, thirty = (3, 0, 0, 0, 0, 0, 3), (30, 0, 0, 0, 0, 0, 30)
    cands = {"granted": [three, thirty], "partial": [A, B], "denied_state_secret": [A, B]}
    total = (4, 1, 0, 0, 0, 0, 5)
    fixed = {row: Z for row in _outcome_rows("2021") if row not in cands} | {
        "new_received": total,
        "carried_over": Z,
        "total_processed": total,
        "carried_forward": Z,
    }
    sol = solve_table("applications", "2021", cands, fixed)
    # granted reads 3 in every solution (30 breaks I2); partial and 1. swap A and B
    assert sol == Solution("ambiguous", 2, None, {"granted": three}, ("partial", "denied_state_secret"))


def test_swapped_rows_are_ambiguous_and_the_others_accepted():
    cands, fixed = _swap_table(4)
    cands["carried_forward"] = [Z]
    del fixed["carried_forward"]
    sol = solve_table("applications", "2021", cands, fixed)
    assert sol.status == "ambiguous" and sol.values is None
    assert sol.accepted == {"carried_forward": Z}
    assert set(sol.unresolved) == set(_outcome_rows("2021")[:4])


def test_no_solution_when_the_identities_cannot_hold():
    cands, fixed = _swap_table(4)
    fixed["total_processed"] = (9, 9, 0, 0, 0, 0, 18)
    sol = solve_table("applications", "2021", cands, fixed)
    assert sol.status == "none" and sol.n_solutions == 0 and sol.values is None and sol.accepted == {}


def test_search_budget_gives_up_explicitly():
    cands, fixed = _swap_table(12)
    sol = solve_table("applications", "2021", cands, fixed, budget=20)
    assert sol.status == "too_many" and sol.values is None and sol.accepted == {}
    assert set(sol.unresolved) == set(cands)
    wide = solve_table("applications", "2021", cands, fixed)  # the default budget settles it
    assert wide.status == "ambiguous" and set(wide.unresolved) == set(cands)


def test_cut_candidates_leave_their_row_unresolved_and_its_identities_unchecked():
    cands = _pingtan_candidates()
    cands["unable_not_held"] = Splits(cut=True)
    sol = solve_table("applications", "2021", cands, {})
    # I2 names unable_not_held, so only I1 is left: granted can no longer be told apart.
    assert sol.unresolved[-1] == "unable_not_held"
    assert "unable_not_held" not in (sol.values or sol.accepted)
    assert sol.accepted["total_processed"] == PINGTAN_2021_TRUTH["total_processed"]
    assert "granted" in sol.unresolved


def test_fixed_rows_drop_disagreeing_candidates():
    cands = {"granted": [(2, 7, 0, 0, 20, 1, 30), (27, 0, 0, 2, 0, 1, 30)]}
    sol = solve_table("applications", "2021", cands, {"granted": (27, 0, 0, 2, 0, 1, 30)})
    assert sol.values == {"granted": (27, 0, 0, 2, 0, 1, 30)}


def test_disclosure_table_resolves_single_readings_only():
    rules = row_candidates("disclosure", "2021", "rules", ["000"])
    docs = row_candidates("disclosure", "2021", "normative_documents", ["693665"])
    sol = solve_table("disclosure", "2021", {"rules": rules, "normative_documents": docs}, {})
    assert sol.status == "ambiguous"
    assert sol.accepted == {"rules": (0, 0, 0)}
    assert sol.unresolved == ("normative_documents",)


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="not a row"):
        solve_table("applications", "2021", {"other_total": [Z]}, {})  # a 2019/hybrid row
    with pytest.raises(ValueError, match="wrong number of columns"):
        solve_table("applications", "2021", {"granted": [(1, 1)]}, {})
    with pytest.raises(ValueError, match="fixed"):
        solve_table("applications", "2021", {}, {"granted": (1, 1)})
    with pytest.raises(ValueError, match="twice"):
        solve_table("review_litigation", "2021", {FLAT: [(0,) * 15], "review": [(0,) * 5]}, {})
    with pytest.raises(ValueError, match="no flat row"):
        solve_table("applications", "2021", {FLAT: [Z]}, {})


# ------------------------------------------------------------------------------------------------
# Property: a random valid table, its rows run together, is recovered exactly or left unresolved


@st.composite
def valid_tables(draw) -> tuple[str, dict[str, tuple[int, ...]]]:
    template = draw(st.sampled_from(["2021", "2019"]))
    # numbers whose digits run together confusably (1 0 / 10, 1 1 / 11, 10 1 / 101), and any others
    small = st.one_of(st.sampled_from((0, 0, 1, 2, 10, 11, 12, 20, 21, 100, 101)), st.integers(0, 400))

    def row(values=None) -> tuple[int, ...]:
        if values is None:  # most rows of a real table are all zeros
            values = [draw(small) for _ in range(6)] if draw(st.integers(0, 2)) == 0 else [0] * 6
        return (*values, sum(values))

    table = {r: row() for r in _outcome_rows(template)}
    processed = tuple(map(sum, zip(*table.values(), strict=True)))
    forward = row()
    over = row([draw(st.integers(0, p + f)) for p, f in zip(processed[:6], forward[:6], strict=True)])
    table |= {
        "total_processed": processed,
        "carried_forward": forward,
        "carried_over": over,
        "new_received": tuple(p + f - o for p, f, o in zip(processed, forward, over, strict=True)),
    }
    return template, table


@settings(max_examples=25, deadline=None)
@given(valid_tables())
def test_random_valid_tables_are_recovered_exactly_or_not_at_all(case):
    template, truth = case
    cands = {
        row: row_candidates("applications", template, row, ["".join(map(str, values))])
        for row, values in truth.items()
    }
    for row, c in cands.items():
        assert c.cut or truth[row] in c
    sol = solve_table("applications", template, cands, {})
    assert sol.status != "none"  # the truth is always a solution
    if sol.status == "unique":
        assert sol.values == {row: truth[row] for row in sol.values}
        assert set(sol.values) | set(sol.unresolved) == set(truth)
    else:
        assert sol.values is None
    for row, values in sol.accepted.items():
        assert values == truth[row]
