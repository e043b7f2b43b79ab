"""Payload schemas (pydantic) for creating votes and casting ballots, shared by HTTP routes and sockets."""
from __future__ import annotations

from typing import Any, Literal

from flask_babel import lazy_gettext as _l
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from app.errors import BadInput, Term
from app.i18n import N_
from app.validation import Id

# The fields of the vote form as its screen names them, for the sentences that refuse a value.
FIELD_WORDS = {
    "question": Term("vote form field", "question"), "method": Term("vote form field", "kind of vote"),
    "options": Term("vote form field", "options"), "abstain_label": Term("vote form field", "abstain label"),
    "max_choices": Term("vote form field", "seats to fill"), "rule": Term("vote form field", "majority"),
    "fraction": Term("vote form field", "fraction"), "quorum": Term("vote form field", "quorum"),
    "duration_seconds": Term("vote form field", "timer"),
}


# The sentence that refuses a fraction that is not a pair of whole numbers (refused once, not once per number).
ABSTAIN = N_("Abstain")
PAIR_WORDS = {"fraction": N_("the majority fraction needs two whole numbers, such as [2, 3] for two thirds"),
              "quorum": N_("the quorum needs two whole numbers, such as [1, 2] for one half")}


class VoteSpec(BaseModel):
    """What the chair fills in to prepare a vote. Strict types: a JSON number or boolean, never a string for one."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, strict=True)

    question: str = Field(min_length=1, max_length=500)
    method: Literal["motion", "choice", "election"] = "motion"
    options: list[str] = Field(default_factory=list, max_length=100)
    abstain_option: bool = True
    abstain_label: str | None = Field(default=None, max_length=200)
    max_choices: int = Field(default=1, ge=1, le=100)
    secret: bool = False
    rule: Literal["simple", "absolute", "two_thirds", "fraction", "plurality"] = "simple"
    fraction: tuple[int, int] = (1, 2)
    abstentions_count: bool = False
    quorum: tuple[int, int] | None = None
    allow_change: bool = True
    duration_seconds: int | None = Field(default=None, ge=5, le=24 * 3600)
    agenda_item_id: Id | None = None

    @field_validator("options")
    @classmethod
    def _labels(cls, value: list[str]) -> list[str]:
        labels = [v.strip() for v in value]
        if any(not v or len(v) > 200 for v in labels):
            raise ValueError(N_("every option needs a label of 1 to 200 characters"))
        if len(set(labels)) != len(labels):
            raise ValueError(N_("two options have the same label"))
        return labels

    @field_validator("fraction", "quorum", mode="before")
    @classmethod
    def _pair(cls, value: Any, info: ValidationInfo) -> Any:
        """[num, den] as two whole numbers (a JSON list, or a tuple from Python), or null for no quorum."""
        if value is None and info.field_name == "quorum":
            return None
        if (isinstance(value, (list, tuple)) and len(value) == 2
                and all(isinstance(n, int) and not isinstance(n, bool) for n in value)):
            return tuple(value)
        raise ValueError(PAIR_WORDS[info.field_name])

    def abstain_text(self) -> str:
        """The label of the abstain option of a choice or an election: the one given, or the catalogue's
        “Abstain”, stored as it is and shown in each reader's language (see service.DEFAULT_MOTION)."""
        return self.abstain_label or ABSTAIN

    @model_validator(mode="after")
    def _consistent(self) -> "VoteSpec":
        if not (0 < self.fraction[0] <= self.fraction[1] <= 1000):
            raise ValueError(N_("the majority must be a fraction between 0 and 1, such as 1/2 or 2/3"))
        if self.quorum is not None and not (0 < self.quorum[0] <= self.quorum[1] <= 1000):
            raise ValueError(N_("the quorum must be a fraction between 0 and 1, such as 1/2 or 2/3"))
        if self.rule == "plurality" and self.method == "motion":
            raise ValueError(N_("“most votes” decides between options or candidates; a motion needs a majority rule"))
        if self.method == "motion" and self.options and len(self.options) != 3:
            raise ValueError(N_("a motion has three answers (For, Against, Abstain); rename them or leave them empty"))
        if self.method != "motion" and len(self.options) < 2:
            raise ValueError(N_("give at least two options or candidates"))
        # the default abstain label clashes in the catalogue's words and in the preparer's
        abstain = {self.abstain_text()} if self.abstain_label else {ABSTAIN, str(_l(ABSTAIN))}
        if self.method != "motion" and self.abstain_option and abstain & set(self.options):
            raise ValueError(N_("an option has the same label as the abstain option; rename one of them or turn the "
                                "abstain option off"))
        if self.method == "election" and self.max_choices >= len(self.options):
            raise ValueError(N_("an election fills fewer seats than there are candidates"))
        return self


class BallotIn(BaseModel):
    """One ballot from a tablet: the body of POST /api/votes/<id>/ballot. The vote is the one in the address,
    so a "vote_id" in the body is refused as an unknown field."""

    model_config = ConfigDict(extra="forbid", strict=True)

    option_ids: list[Id] = Field(min_length=1, max_length=100)
    on_behalf_of: Id | None = None


class AnnulIn(BaseModel):
    """Why a vote is annulled."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, strict=True)

    reason: str = Field(default="", max_length=500)


class ProxyIn(BaseModel):
    """The secretary gives a proxy."""

    model_config = ConfigDict(extra="forbid", strict=True)

    giver_id: Id
    holder_id: Id


def parse(model: type[BaseModel], data: object):
    """Validate a payload; BadInput with a readable sentence when it does not fit."""
    from pydantic import ValidationError

    from app.validation import problems

    if not isinstance(data, dict):
        raise BadInput("The request must be a JSON object.")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise BadInput("Check the form: %(problems)s.", problems=problems(exc, FIELD_WORDS, limit=5))
