"""Survey models, split by concern: the questionnaire, the answers, the distribution."""

from vinculo.surveys.models.distribution import (
    ContactPolicy,
    Distribution,
    Invitation,
    TriggerRule,
)
from vinculo.surveys.models.responses import Answer, Response, ResponseChange
from vinculo.surveys.models.survey import Question, Survey, SurveyVersion

__all__ = [
    "Answer",
    "ContactPolicy",
    "Distribution",
    "Invitation",
    "Question",
    "Response",
    "ResponseChange",
    "Survey",
    "SurveyVersion",
    "TriggerRule",
]
