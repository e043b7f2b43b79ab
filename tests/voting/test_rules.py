"""Majority arithmetic: exact integers, ties fail, thresholds at their edges, elections with ties."""
import pytest

from app.voting.rules import (ABSOLUTE, FRACTION, PLURALITY, SIMPLE, TWO_THIRDS, Rule, decide_choice, decide_motion, meets,
                              quorum_reached, quorum_required, required_weight)


@pytest.mark.parametrize("yes,base,expected", [(6, 10, True), (5, 10, False), (4, 10, False), (1, 1, True), (0, 0, False)])
def test_simple_majority_needs_more_than_half_and_a_tie_fails(yes, base, expected):
    assert meets(Rule(SIMPLE), yes, base) is expected


@pytest.mark.parametrize("yes,base,expected", [(20, 30, True), (19, 30, False), (2, 3, True), (66, 100, False), (67, 100, True)])
def test_two_thirds_is_reached_exactly_at_two_thirds(yes, base, expected):
    assert meets(Rule(TWO_THIRDS), yes, base) is expected


def test_custom_fraction_is_at_least_that_fraction():
    rule = Rule(FRACTION, 3, 4)
    assert meets(rule, 75, 100) and not meets(rule, 74, 100)
    assert required_weight(rule, 100) == 75
    assert required_weight(Rule(SIMPLE), 10) == 6 and required_weight(Rule(SIMPLE), 9) == 5
    assert required_weight(Rule(TWO_THIRDS), 30) == 20


def test_abstentions_count_or_not():
    # 5 For, 4 Against, 3 Abstain (weights): without abstentions 5 of 9 passes; with them 5 of 12 fails.
    assert decide_motion(Rule(SIMPLE), yes=5, cast=12, abstain=3, members=20).passed
    assert not decide_motion(Rule(SIMPLE, abstentions_count=True), yes=5, cast=12, abstain=3, members=20).passed


def test_absolute_majority_counts_all_members_weight():
    outcome = decide_motion(Rule(ABSOLUTE), yes=10, cast=12, abstain=0, members=20)
    assert not outcome.passed and outcome.base == 20 and outcome.required == 11
    assert decide_motion(Rule(ABSOLUTE), yes=11, cast=12, abstain=0, members=20).passed


def test_a_tie_of_for_and_against_fails():
    outcome = decide_motion(Rule(SIMPLE), yes=4, cast=8, abstain=0, members=10)
    assert not outcome.passed and outcome.reason == "no_majority"


def test_only_abstentions_decide_nothing():
    outcome = decide_motion(Rule(SIMPLE), yes=0, cast=3, abstain=3, members=10)
    assert not outcome.passed and outcome.reason == "no_votes"


def test_election_fills_k_seats_and_a_tie_at_the_last_seat_elects_none_of_the_tied():
    rule = Rule(FRACTION, 1, 10)
    clear = decide_choice(rule, {1: 9, 2: 7, 3: 3}, seats=2, cast=10, abstain=0, members=10)
    assert clear.passed and clear.winners == [1, 2]
    tied = decide_choice(rule, {1: 9, 2: 5, 3: 5}, seats=2, cast=10, abstain=0, members=10)
    assert not tied.passed and tied.tie and tied.winners == [1] and tied.reason == "tie"


def test_choice_winner_must_reach_the_rule():
    outcome = decide_choice(Rule(SIMPLE), {1: 4, 2: 3, 3: 3}, seats=1, cast=10, abstain=0, members=10)
    assert not outcome.passed and outcome.winners == []
    assert decide_choice(Rule(SIMPLE), {1: 6, 2: 4}, seats=1, cast=10, abstain=0, members=10).winners == [1]


def test_most_votes_fills_every_seat_a_majority_rule_would_leave_empty():
    """A reviewer's election: 7 voters, 2 seats, 4 candidates, every candidate 3 votes or fewer against 4 needed:
    'Nobody elected'. By the most votes (a relative majority), the two strongest are elected; a tie at the last
    seat elects none of the tied; abstentions never count; nobody voting decides nothing."""
    weights = {1: 3, 2: 3, 3: 2, 4: 2}   # 10 picks from 7 voters choosing up to 2, or weighted ballots
    assert decide_choice(Rule(SIMPLE), weights, seats=2, cast=7, abstain=0, members=7).winners == []
    most = decide_choice(Rule(PLURALITY), weights, seats=2, cast=7, abstain=0, members=7)
    assert most.passed and most.winners == [1, 2] and most.reason == "elected" and most.required == 0
    tied = decide_choice(Rule(PLURALITY), {1: 3, 2: 2, 3: 2}, seats=2, cast=7, abstain=0, members=7)
    assert not tied.passed and tied.tie and tied.winners == [1] and tied.reason == "tie"
    one = decide_choice(Rule(PLURALITY), {1: 1, 2: 0}, seats=1, cast=5, abstain=4, members=9)
    assert one.passed and one.winners == [1] and one.base == 1   # one vote against none, abstentions aside
    assert decide_choice(Rule(PLURALITY, abstentions_count=True), {1: 0, 2: 0}, seats=1, cast=3, abstain=3,
                         members=9).reason == "no_votes"


def test_quorum_is_at_least_the_fraction_of_all_weight():
    assert quorum_reached(10, 20, 1, 2) and not quorum_reached(9, 20, 1, 2)
    assert quorum_reached(0, 20, None, None)
    assert quorum_required(21, 1, 2) == 11
