"""All models, importable from one place (Alembic and features import from here)."""

from portal.models.base import UTCDateTime, utcnow
from portal.models.organisations import (
    MUNICIPAL_KINDS,
    Invitation,
    Membership,
    MembershipRole,
    MembershipStatus,
    Organisation,
    OrganisationKind,
    OrganisationStatus,
)
from portal.models.celebration import (AwardCategory, AwardWinner, AwardYear, Certificate, CertificateKind,
                                       Donation, Donor, DonorKind, Event, EventItem, EventKind, FundSettings,
                                       JuryConflict, JuryMember, JuryScore, MilestoneMail, Nomination,
                                       NominationConsent, NominationHeart, NomineeKind, Payout, Picture, Story)
from portal.models.companies import (Badge, Company, CompanyInvitation, CompanyMembership, CompanySkill,
                                     CompanyStatus, CompanySupport, Deal, DealSide, DealStatus, EmployeeLink,
                                     ExchangeStatus, LeavePolicy, LeaveScope, LeaveUnit, Offer, Skill,
                                     SupportKind, TeamSignup, Wish)
from portal.models.outbox import OutboxMessage
from portal.models.signups import (SEAT_HOLDING, Attendance, Clearance, ClearanceStatus,
                                   HoursEntry, HoursStatus, Signup, SignupState)
from portal.models.tasks import Category, PhysicalDemand, Slot, SlotStatus, Task, TaskKind, TaskStatus
from portal.models.users import Consent, ConsentKind, User, email_key
from portal.models.volunteers import TaskInvitation, VolunteerProfile, volunteer_interests
from portal.models.workbench import (Agreement, AgreementEvaluation, AgreementStatus, AssistedProfile,
                                     AuditEvent, AuditSubject, CallListItem, CodeAcceptance, CodeOfConduct,
                                     ConsentMethod, DisplacementReview, EvaluationRole, ExcludedDuty, Message,
                                     MessageRecipient, Newsletter, NewsletterStatus, ReviewStatus, agreement_tasks)
from portal.models.voice import (Call, CallAnswer, CallAudience, CallStatus, HelpKind, HelpOffer, HelpPledge,
                                 HelpRequest, HelpRequestStatus, Idea, IdeaChannel, IdeaComment, IdeaCorrection,
                                 IdeaSettings, IdeaState, IdeaSupport, Report, ReportReason)

__all__ = [
    "Agreement", "AgreementEvaluation", "AgreementStatus", "AssistedProfile", "AuditEvent", "AuditSubject",
    "CallListItem", "CodeAcceptance", "CodeOfConduct", "ConsentMethod", "DisplacementReview", "EvaluationRole",
    "ExcludedDuty", "Message", "MessageRecipient", "Newsletter", "NewsletterStatus", "ReviewStatus",
    "agreement_tasks",
    "AwardCategory", "AwardWinner", "AwardYear", "Certificate", "CertificateKind", "Donation", "Donor",
    "DonorKind", "Event", "EventItem", "EventKind", "FundSettings", "JuryConflict", "JuryMember", "JuryScore",
    "MilestoneMail", "Nomination", "NominationConsent", "NominationHeart", "NomineeKind", "Payout", "Picture",
    "Story",
    "Call", "CallAnswer", "CallAudience", "CallStatus", "HelpKind", "HelpOffer", "HelpPledge", "HelpRequest",
    "HelpRequestStatus", "Idea", "IdeaChannel", "IdeaComment", "IdeaCorrection", "IdeaSettings", "IdeaState",
    "IdeaSupport", "Report", "ReportReason",
    "Badge", "Company", "CompanyInvitation", "CompanyMembership", "CompanySkill", "CompanyStatus",
    "CompanySupport", "Deal", "DealSide", "DealStatus", "EmployeeLink", "ExchangeStatus", "LeavePolicy",
    "LeaveScope", "LeaveUnit", "Offer", "Skill", "SupportKind", "TeamSignup", "Wish",
    "SEAT_HOLDING", "Attendance", "Category", "Clearance", "ClearanceStatus", "HoursEntry",
    "HoursStatus", "PhysicalDemand", "Signup", "SignupState", "Slot", "SlotStatus", "Task",
    "TaskInvitation", "TaskKind", "TaskStatus", "VolunteerProfile", "volunteer_interests",
    "Consent", "ConsentKind", "Invitation", "Membership", "MembershipRole", "MembershipStatus",
    "MUNICIPAL_KINDS", "Organisation", "OrganisationKind", "OrganisationStatus", "OutboxMessage", "User",
    "UTCDateTime", "email_key", "utcnow",
]
