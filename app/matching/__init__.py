"""Matching core: rank volunteers for a project, explain, suggest a team, batch-assign.

Pure numpy/scipy, no Flask or database: a loader builds `VolunteerFeatures` and
`ProjectNeeds`, calls these functions, and stores what they return.
"""
from .batch import BatchAssignment, batch_match, hours_by_volunteer, total_score
from .components import haversine_km
from .features import (OPEN_FROM, OPEN_UNTIL, InvalidMatchInput, Labels, Need, ProjectNeeds, VolunteerFeatures,
                       day_to_date, epoch_day)
from .filters import FILTERS
from .scoring import prepare_features
from .ranking import Candidate, RankResult, explain_volunteers, rank_volunteers
from .synthetic import synthetic_features, synthetic_labels, synthetic_project, synthetic_projects
from .team import TeamSuggestion, suggest_team
from .weights import COMPONENTS, DEFAULT_PARAMS, DEFAULT_WEIGHTS, MatchParams, normalize_weights
from .whynot import WhyNot, why_not

__all__ = [
    "BatchAssignment", "batch_match", "hours_by_volunteer", "total_score",
    "haversine_km", "InvalidMatchInput", "OPEN_FROM", "OPEN_UNTIL", "Labels", "Need", "ProjectNeeds", "VolunteerFeatures",
    "day_to_date", "epoch_day", "FILTERS", "prepare_features", "Candidate", "RankResult", "explain_volunteers", "rank_volunteers",
    "synthetic_features", "synthetic_labels", "synthetic_project", "synthetic_projects",
    "TeamSuggestion", "suggest_team", "COMPONENTS", "DEFAULT_PARAMS", "DEFAULT_WEIGHTS",
    "MatchParams", "normalize_weights", "WhyNot", "why_not",
]
