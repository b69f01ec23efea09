"""Component weights and the tunable constants of the matching formulas.

The weights live here as defaults; the app's config may pass other weights. Every
constant that shapes a component is a field of `MatchParams`, so a test or a staff
experiment can change one without touching the formulas.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Optional

#: The score components, in the order they are reported.
COMPONENTS = ("skills", "affinity", "availability", "reliability", "fairness", "interest")

#: Default weights; they sum to 1 so a score is already in [0, 1]. Skills first:
#: skills * full_cover_share (0.225) > affinity (0.18), see components.py.
DEFAULT_WEIGHTS = {
    "skills": 0.45,
    "affinity": 0.18,
    "availability": 0.14,
    "reliability": 0.13,
    "fairness": 0.05,
    "interest": 0.05,
}


@dataclass(frozen=True)
class MatchParams:
    """Constants of the component formulas (see components.py for how each is used)."""

    # skills: share of the skills component earned only by meeting every needed level.
    # Keep weight(skills) * full_cover_share > weight(affinity): that is the skills-first rule.
    full_cover_share: float = 0.5
    # affinity: place part
    state_affinity: float = 0.6        # same state as the campaign, different city
    distance_d0_km: float = 150.0      # distance decay exp(-d / d0)
    # affinity: blend of place and causes (place dominates: where you live is what
    # campaigns ask for; causes only separate people at similar distances)
    place_share: float = 0.75
    # availability: full marks for hours only with this much headroom over the ask,
    # because someone who offers exactly the project's hours has no slack left
    hours_headroom: float = 1.5
    tz_span_hours: float = 12.0        # |offset difference| at which overlap reaches 0
    hours_share: float = 0.6           # hours vs time zone inside the date factor
    # reliability: Bayesian averages towards a neutral prior
    reliability_prior: float = 0.7
    checkin_strength: float = 4.0      # pseudo check-ins at the prior
    project_strength: float = 2.0      # pseudo projects at the prior
    rating_strength: float = 3.0       # pseudo campaign ratings at the prior
    # fairness
    fairness_base: float = 0.6         # people placed before
    fairness_new: float = 1.0          # people never placed
    open_invitation_damper: float = 0.5  # divide by (1 + k * open invitations + ...)
    # exposure memory over recent runs (the loader's window): invitations sent and
    # shortlists appeared on, so the same few people are not at the top of every list
    recent_invitation_damper: float = 0.25
    recent_shortlist_damper: float = 0.05
    # interest: a raised hand on the project scores 1, no signal scores interest_neutral;
    # recent declines whose reason fits this project divide it by (1 + k * declines)
    interest_neutral: float = 0.5
    decline_damper: float = 0.5
    # hard filters
    filter_no_date_overlap: bool = True


DEFAULT_PARAMS = MatchParams()


def normalize_weights(weights: Optional[Mapping[str, float]] = None) -> dict:
    """Return weights for every component, scaled to sum to 1.

    Missing components weigh 0; unknown names, negative weights or an all-zero
    mapping raise ValueError. Scaling keeps every score in [0, 1] whatever the
    config says, so scores stay comparable between runs.
    """
    weights = DEFAULT_WEIGHTS if weights is None else weights
    unknown = set(weights) - set(COMPONENTS)
    if unknown:
        raise ValueError(f"unknown matching components: {sorted(unknown)}")
    values = {name: float(weights.get(name, 0.0)) for name in COMPONENTS}
    if any(v < 0 or v != v for v in values.values()):
        raise ValueError("matching weights must be non-negative numbers")
    total = sum(values.values())
    if total <= 0:
        raise ValueError("at least one matching weight must be positive")
    return {name: v / total for name, v in values.items()}
