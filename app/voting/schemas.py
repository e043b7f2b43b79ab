"""Payload schemas (pydantic) for creating votes and casting ballots, shared by HTTP routes and sockets."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from app.errors import BadInput


class VoteSpec(BaseModel):
    """What the chair fills in to prepare a vote."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    question: str = Field(min_length=1, max_length=500)
    method: Literal["motion", "choice", "election"] = "motion"
    options: list[str] = Field(default_factory=list, max_length=100)
    abstain_option: bool = True
    abstain_label: str | None = Field(default=None, max_length=200)
    max_choices: int = Field(default=1, ge=1, le=100)
    secret: bool = False
    rule: Literal["simple", "absolute", "two_thirds", "fraction"] = "simple"
    fraction: tuple[int, int] = (1, 2)
    abstentions_count: bool = False
    quorum: tuple[int, int] | None = None
    allow_change: bool = True
    duration_seconds: int | None = Field(default=None, ge=5, le=24 * 3600)
    agenda_item_id: int | None = None

    @field_validator("options")
    @classmethod
    def _labels(cls, value: list[str]) -> list[str]:
        labels = [v.strip() for v in value]
        if any(not v or len(v) > 200 for v in labels):
            raise ValueError("every option needs a label of 1 to 200 characters")
        if len(set(labels)) != len(labels):
            raise ValueError("two options have the same label")
        return labels

    @model_validator(mode="after")
    def _consistent(self) -> "VoteSpec":
        for name in ("fraction", "quorum"):
            frac = getattr(self, name)
            if frac is not None and not (0 < frac[0] <= frac[1] <= 1000):
                raise ValueError(f"the {name} must be a fraction between 0 and 1, such as 1/2 or 2/3")
        if self.method == "motion" and self.options and len(self.options) != 3:
            raise ValueError("a motion has three answers (For, Against, Abstain); rename them or leave them empty")
        if self.method != "motion" and len(self.options) < 2:
            raise ValueError("give at least two options or candidates")
        if self.method == "election" and self.max_choices >= len(self.options):
            raise ValueError("an election fills fewer seats than there are candidates")
        return self


class BallotIn(BaseModel):
    """One ballot from a tablet."""

    model_config = ConfigDict(extra="forbid")

    vote_id: int
    option_ids: list[int] = Field(min_length=1, max_length=100)
    on_behalf_of: int | None = None


class AnnulIn(BaseModel):
    """Why a vote is annulled."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    reason: str = Field(default="", max_length=500)


class ProxyIn(BaseModel):
    """The secretary gives a proxy."""

    model_config = ConfigDict(extra="forbid")

    giver_id: int
    holder_id: int


def parse(model: type[BaseModel], data: object):
    """Validate a payload; BadInput with a readable sentence when it does not fit."""
    from pydantic import ValidationError

    if not isinstance(data, dict):
        raise BadInput("The request must be a JSON object.")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        parts = []
        for err in exc.errors()[:5]:
            where = ".".join(str(p) for p in err["loc"]) or "request"
            msg = err["msg"].removeprefix("Value error, ")
            parts.append(f"{where}: {msg}")
        raise BadInput("Check the form: " + "; ".join(parts) + ".")
