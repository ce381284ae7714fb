"""The grading policy, evaluated without a database: properties that must hold for the
shipped defaults and for any policy an administrator can save."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ebconsole.assessment.enums import Criterion
from ebconsole.assessment.grading import GradingPolicy, Rule, describe, evaluate, parse_policy
from ebconsole.assessment.policy_store import read_defaults
from ebconsole.assessment.schemas import Criteria
from ebconsole.i18n import translator
from ebconsole.incidents.enums import Severity


def default_policy() -> GradingPolicy:
    from ebconsole.assessment.enums import PolicyName

    return parse_policy(read_defaults(PolicyName.GRADING), 1)


POLICY = default_policy()
NUMERIC = [c for c in Criterion if not c.is_flag]

counts = st.integers(min_value=0, max_value=2 * 10**8)
money = st.decimals(min_value=0, max_value=Decimal("2000000000"), places=2)
criteria = st.builds(
    Criteria,
    outage_minutes=st.integers(0, 3000),
    provinces_affected=st.integers(0, 34),
    branches_affected=st.integers(0, 500),
    customers_affected=counts,
    funds_involved=money,
    data_leaked_records=counts,
    data_leaked=st.booleans(),
    sensitive_data=st.booleans(),
    peak_hours=st.booleans(),
)


def worsen(base: Criteria, criterion: Criterion, by: int) -> Criteria:
    if criterion.is_flag:
        return base.model_copy(update={criterion.value: True})
    step: int | Decimal = Decimal(by) / 4 if criterion.is_money else by
    return base.model_copy(update={criterion.value: getattr(base, criterion.value) + step})


def thresholds(rule: Rule) -> Criteria:
    """The least impact that meets every condition of the rule, nothing else."""
    return Criteria(**{c.value: t for c, t in rule.when})


def lowerable(rule: Rule) -> list[Criterion]:
    """Conditions that can be missed on their own: a counted leak *is* a leak, so
    "data leaked" cannot be false while the same rule asks for a leaked-record count."""
    conditions = dict(rule.when)
    return [
        c
        for c in conditions
        if not (c is Criterion.DATA_LEAKED and Criterion.DATA_LEAKED_RECORDS in conditions)
    ]


def just_below(rule: Rule, criterion: Criterion) -> Criteria:
    value = dict(rule.when)[criterion]
    lower = False if criterion.is_flag else value - (Decimal("0.01") if criterion.is_money else 1)
    return thresholds(rule).model_copy(update={criterion.value: lower})


# -- random valid policies ----------------------------------------------------------------
def _condition(criterion: Criterion) -> st.SearchStrategy[object]:
    if criterion.is_flag:
        return st.just(True)
    if criterion.is_money:
        return st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1e9"), places=2).map(str)
    return st.integers(min_value=1, max_value=10**8)


rule_docs = st.builds(
    lambda i, level, when: {"id": f"r{i}", "level": level, "when": when},
    st.integers(0, 10**6),
    st.sampled_from([s.value for s in Severity]),
    st.sets(st.sampled_from(list(Criterion)), min_size=1, max_size=4).flatmap(
        lambda cs: st.fixed_dictionaries({c.value: _condition(c) for c in cs})
    ),
)
policies = st.builds(
    lambda default, rules: parse_policy(
        {
            "default_level": default,
            "rules": [{**r, "id": f"{r['id']}-{n}"} for n, r in enumerate(rules)],
        }
    ),
    st.sampled_from([s.value for s in Severity]),
    st.lists(rule_docs, min_size=1, max_size=8),
)


# -- properties ---------------------------------------------------------------------------
@given(base=criteria, criterion=st.sampled_from(list(Criterion)), by=st.integers(1, 10**7))
def test_worsening_any_criterion_never_lowers_the_shipped_level(base, criterion, by):
    before = evaluate(POLICY, base).level
    after = evaluate(POLICY, worsen(base, criterion, by)).level
    assert after.rank <= before.rank


@given(
    policy=policies,
    base=criteria,
    criterion=st.sampled_from(list(Criterion)),
    by=st.integers(1, 10**7),
)
def test_worsening_never_lowers_the_level_under_any_valid_policy(policy, base, criterion, by):
    assert (
        evaluate(policy, worsen(base, criterion, by)).level.rank
        <= evaluate(policy, base).level.rank
    )


@given(policy=policies)
def test_a_rule_fires_exactly_at_its_thresholds_and_not_below(policy):
    for rule in policy.rules:
        at = evaluate(policy, thresholds(rule))
        assert rule.id in {t.rule_id for t in at.matched}
        assert at.level.rank <= rule.level.rank
        for criterion in lowerable(rule):
            below = evaluate(policy, just_below(rule, criterion))
            assert rule.id not in {t.rule_id for t in below.matched}


@pytest.mark.parametrize("rule", POLICY.rules, ids=lambda r: r.id)
def test_each_shipped_threshold_maps_to_its_level(rule):
    proposal = evaluate(POLICY, thresholds(rule))
    assert rule.id in {t.rule_id for t in proposal.matched}
    assert proposal.level.rank <= rule.level.rank
    for criterion in lowerable(rule):
        assert rule.id not in {
            t.rule_id for t in evaluate(POLICY, just_below(rule, criterion)).matched
        }


@given(policy=policies, values=criteria)
def test_the_level_is_the_gravest_matching_rule_or_the_floor(policy, values):
    proposal = evaluate(policy, values)
    expected = min(
        [policy.default_level, *(t.level for t in proposal.matched)], key=lambda s: s.rank
    )
    assert proposal.level is expected
    assert all(t.level is proposal.level for t in proposal.triggers)


# -- the shipped defaults, by example ------------------------------------------------------
def test_pboc_example_peak_outage_in_two_provinces_for_three_hours_is_level_one():
    proposal = evaluate(POLICY, Criteria(outage_minutes=180, provinces_affected=2, peak_hours=True))
    assert proposal.level is Severity.I
    assert [t.rule_id for t in proposal.triggers] == ["I.outage.peak.multi-province"]
    assert (
        describe(proposal.triggers[0], translator("en"))
        == "Outage (minutes) 180 ≥ 180, Provinces affected 2 ≥ 2, During peak business hours"
    )


def test_the_same_outage_off_peak_is_graded_lower():
    assert evaluate(POLICY, Criteria(outage_minutes=180, provinces_affected=2)).level is Severity.II


def test_a_counted_leak_counts_as_a_leak():
    # 50 sensitive records: below every count, but "sensitive data leaked" applies
    proposal = evaluate(POLICY, Criteria(data_leaked_records=50, sensitive_data=True))
    assert proposal.level is Severity.III
    assert [t.rule_id for t in proposal.triggers] == ["III.leak.sensitive.uncounted"]


def test_nothing_reached_gives_the_floor_with_no_triggers():
    proposal = evaluate(
        POLICY, Criteria(outage_minutes=20, branches_affected=1, funds_involved=Decimal("35000.00"))
    )
    assert proposal.level is Severity.IV
    assert proposal.triggers == ()
