"""Every table, imported in one place so Alembic and the app see the whole schema."""
from sequencer.models.crm import Company, Persona, Prospect, ProspectStatus, Suppression
from sequencer.models.deliverability import DomainCheck, MailboxPool
from sequencer.models.enrollments import Enrollment, EnrollmentStatus, StepRun, StepRunState
from sequencer.models.events import Event
from sequencer.models.forms import Form, FormConsent, FormRotation, FormSubmission
from sequencer.models.goals import AcquisitionCost, Goal, GoalSummarySent
from sequencer.models.imports import ImportedProspect, ImportMapping, ImportRowIssue, ImportStatus, ProspectImport
from sequencer.models.inbound import ImapFolderState, InboundMessage
from sequencer.models.mail import Mailbox
from sequencer.models.oauth import OAuthApp
from sequencer.models.one_off import OneOffEmail, OneOffState
from sequencer.models.opportunities import Opportunity, Stage, StageChange
from sequencer.models.scoring import Activity, ScoreEntry, ScoringConfig
from sequencer.models.sequences import ExperimentDecision, Sequence, SequenceStatus, Step, StepType, Variant
from sequencer.models.tasks import Task, TaskStatus
from sequencer.models.users import ApiToken, Role, TimeOff, User
from sequencer.models.webhooks import WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEvent
from sequencer.models.workspace import Workspace

__all__ = [
    "AcquisitionCost", "Activity", "ApiToken", "Company", "DomainCheck", "Enrollment", "EnrollmentStatus", "Event",
    "ExperimentDecision", "Form", "FormConsent", "FormRotation", "FormSubmission", "Goal", "GoalSummarySent",
    "ImapFolderState", "ImportMapping", "ImportRowIssue", "ImportStatus", "ImportedProspect", "InboundMessage", "Mailbox",
    "MailboxPool", "OAuthApp", "OneOffEmail", "OneOffState",
    "Opportunity", "Persona", "Prospect", "ProspectImport", "ProspectStatus", "Role", "ScoreEntry", "ScoringConfig", "Sequence", "SequenceStatus",
    "Stage", "StageChange", "Step", "StepRun", "StepRunState", "StepType", "Suppression", "Task",
    "TaskStatus", "TimeOff", "User", "Variant", "WebhookAttempt", "WebhookDelivery", "WebhookEndpoint", "WebhookEvent",
    "Workspace",
]
