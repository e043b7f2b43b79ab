"""Majority arithmetic as pure functions over integer weights (no floats decide a result).

Definitions (docs/architecture.md, "Voting"):
- base: the weight the threshold is measured against. `absolute`: the voting weight of all members.
  Otherwise the weight of the ballots cast, without abstentions unless `abstentions_count`.
- simple / absolute: more than half of the base (a tie fails).
- two_thirds: at least two thirds of the base.
- fraction num/den: at least num/den of the base.
- plurality (a choice or an election only): the options with the most votes win, however few (relative
  majority); abstentions never count; a tie at the last place elects none of the tied.
- A base of 0 (nobody voted, or only abstentions that do not count) decides nothing: it fails.
- quorum num/den: the weight present is at least num/den of all members' weight.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

SIMPLE, ABSOLUTE, TWO_THIRDS, FRACTION, PLURALITY = "simple", "absolute", "two_thirds", "fraction", "plurality"


@dataclass(frozen=True)
class Rule:
    """The majority rule of a vote."""

    kind: str = SIMPLE
    num: int = 1
    den: int = 2
    abstentions_count: bool = False

    def threshold(self) -> Fraction:
        """The fraction of the base to reach (strictly more for simple and absolute)."""
        if self.kind in (SIMPLE, ABSOLUTE):
            return Fraction(1, 2)
        if self.kind == TWO_THIRDS:
            return Fraction(2, 3)
        return Fraction(self.num, self.den)

    def strict(self) -> bool:
        """True when the threshold must be exceeded, not merely reached."""
        return self.kind in (SIMPLE, ABSOLUTE)


def meets(rule: Rule, weight: int, base: int) -> bool:
    """Does `weight` reach the rule's threshold of `base`? Exact integer comparison."""
    if base <= 0 or weight <= 0:
        return False
    if rule.kind == PLURALITY:   # any vote at all: the ranking decides
        return True
    t = rule.threshold()
    if rule.strict():
        return weight * t.denominator > base * t.numerator
    return weight * t.denominator >= base * t.numerator


def required_weight(rule: Rule, base: int) -> int:
    """The smallest whole weight that meets the rule for this base (0 when the base is 0)."""
    if base <= 0 or rule.kind == PLURALITY:
        return 0
    t = rule.threshold()
    need = -(-base * t.numerator // t.denominator)  # ceil
    if rule.strict() and need * t.denominator == base * t.numerator:
        need += 1
    return max(need, 1)


def base_weight(rule: Rule, cast_weight: int, abstain_weight: int, members_weight: int) -> int:
    """The weight the threshold is measured against."""
    if rule.kind == ABSOLUTE:
        return members_weight
    if rule.kind == PLURALITY:
        return cast_weight - abstain_weight
    return cast_weight if rule.abstentions_count else cast_weight - abstain_weight


def quorum_reached(present_weight: int, members_weight: int, num: int | None, den: int | None) -> bool:
    """At least num/den of all members' weight is present (always true without a quorum)."""
    if not num or not den:
        return True
    return present_weight * den >= members_weight * num


def quorum_required(members_weight: int, num: int | None, den: int | None) -> int:
    """The present weight a quorum needs."""
    if not num or not den:
        return 0
    return -(-members_weight * num // den)


@dataclass
class Outcome:
    """What a tally decides: whether it passed, and which options won."""

    passed: bool
    base: int
    required: int
    winners: list[int] = field(default_factory=list)  # option ids
    tie: bool = False
    reason: str = ""


def decide_motion(rule: Rule, yes: int, cast: int, abstain: int, members: int) -> Outcome:
    """A motion passes when the weight For meets the rule."""
    base = base_weight(rule, cast, abstain, members)
    need = required_weight(rule, base)
    if base <= 0:
        return Outcome(False, base, need, reason="no_votes")
    passed = meets(rule, yes, base)
    return Outcome(passed, base, need, reason="majority" if passed else "no_majority")


def decide_choice(rule: Rule, weights: dict[int, int], seats: int, cast: int, abstain: int,
                  members: int) -> Outcome:
    """Options (candidates) that win `seats` places: the strongest that meet the rule; a tie at the
    last place elects none of the tied (the chair calls a run-off)."""
    base = base_weight(rule, cast, abstain, members)
    need = required_weight(rule, base)
    if base <= 0:
        return Outcome(False, base, need, reason="no_votes")
    ranked = sorted(((w, oid) for oid, w in weights.items() if meets(rule, w, base)), key=lambda x: (-x[0], x[1]))
    winners: list[int] = []
    tie = False
    if len(ranked) <= seats:
        winners = [oid for _, oid in ranked]
    else:
        cutoff = ranked[seats - 1][0]
        if ranked[seats][0] == cutoff:
            tie = True
            winners = [oid for w, oid in ranked if w > cutoff]
        else:
            winners = [oid for _, oid in ranked[:seats]]
    passed = len(winners) == seats
    reason = "elected" if passed else ("tie" if tie else "no_majority")
    return Outcome(passed, base, need, winners, tie, reason)
