"""All models, imported here so Alembic and the app see the whole schema."""
from app.models.audit import AuditEntry
from app.models.campaign_team import CampaignInvitation, PartnerInvitation
from app.models.campaigns import Campaign, CampaignMember, HelpRequest, campaign_causes
from app.models.organisations import (
    ApiKey,
    ContactConsent,
    Partner,
    PartnerCampaign,
    PartnerMember,
    WebhookDelivery,
    WebhookEndpoint,
)
from app.models.leads import LeadApplication, LeadTrainer, LeadTraining, TrainingSeat, TrainingSession
from app.models.matching import HandRaise, MatchCandidate, MatchRun
from app.models.notifications import Notification, NotificationPreference
from app.models.outbox import OutboxEmail
from app.models.projects import Deliverable, Metric, Project, ProjectSkill, ProjectTemplate, TemplateSkill
from app.models.skills import Cause, Skill
from app.models.submissions import FormSubmission
from app.models.teams import (
    CheckIn,
    CheckInHours,
    CheckInNote,
    DeliverableProgress,
    FinalReport,
    Invitation,
    MetricValue,
    Rating,
    Sprint,
    TeamMembership,
)
from app.models.users import User
from app.models.volunteers import VolunteerProfile, VolunteerSkill, volunteer_causes

__all__ = [
    "AuditEntry", "Campaign", "CampaignMember", "HelpRequest", "campaign_causes", "MatchCandidate",
    "MatchRun", "Notification", "NotificationPreference", "OutboxEmail", "Deliverable", "Metric", "Project", "ProjectSkill", "ProjectTemplate",
    "TemplateSkill", "Cause", "Skill", "CheckIn", "CheckInHours", "CheckInNote", "DeliverableProgress",
    "FinalReport", "Invitation", "MetricValue", "Rating", "Sprint", "TeamMembership", "User",
    "VolunteerProfile", "VolunteerSkill", "volunteer_causes", "FormSubmission",
    "LeadApplication", "LeadTrainer", "LeadTraining", "TrainingSeat", "TrainingSession",
    "HandRaise",
    "CampaignInvitation", "PartnerInvitation", "ApiKey", "ContactConsent", "Partner", "PartnerCampaign", "PartnerMember",
    "WebhookDelivery", "WebhookEndpoint",
]
