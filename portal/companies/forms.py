from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, EmailField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL, DataRequired, Email, Length, Optional, ValidationError

from portal.auth.forms import EMAIL_MSG
from portal.companies.errors import error_messages
from portal.core import leave
from portal.forms import DatePartsField, MultiCheckboxField, PortalForm, danish_postcode, phone_number, strip
from portal.models import LeaveScope, LeaveUnit, Skill, SupportKind
from portal.web.forms import ConfirmForm  # noqa: F401  (one form, shared)

SUPPORT_LABELS = {
    SupportKind.paid_leave: _l("Paid time off to volunteer"),
    SupportKind.team_days: _l("Team days"),
    SupportKind.skills: _l("Skills and know-how"),
    SupportKind.lending: _l("Lending things, such as a van or a room"),
    SupportKind.sponsorship: _l("Sponsorship in kind"),
}

SKILL_LABELS = {
    Skill.accounting: _l("Accounting"),
    Skill.it: _l("IT"),
    Skill.carpentry: _l("Carpentry"),
    Skill.painting: _l("Painting"),
    Skill.gardening: _l("Gardening"),
    Skill.cooking: _l("Cooking"),
    Skill.van: _l("A van with a driver"),
    Skill.communication: _l("Communication"),
    Skill.legal: _l("Legal advice"),
    Skill.languages: _l("Languages"),
}

UNIT_LABELS = {LeaveUnit.hours: _l("Hours a year"), LeaveUnit.days: _l("Days a year")}

SCOPE_LABELS = {
    LeaveScope.any_task: _l("Any task on the portal"),
    LeaveScope.chosen_causes: _l("Causes we have chosen"),
    LeaveScope.team_days: _l("Team days we arrange"),
}


def cvr_number(form, field):
    """Spaces as typed are fine; the service stores the compact 8 digits."""
    from stdnum.dk import cvr
    from stdnum.exceptions import InvalidChecksum, ValidationError as BadNumber

    if not field.data:
        return
    try:
        cvr.validate(field.data)
    except InvalidChecksum:
        raise ValidationError(error_messages["cvr_checksum"]) from None
    except BadNumber:
        raise ValidationError(error_messages["cvr_format"]) from None


class CompanyForm(PortalForm):
    name = StringField(_l("Name of the company"), filters=[strip],
                       validators=[DataRequired(_l("Enter the name of the company.")), Length(max=120)])
    cvr = StringField(_l("CVR number"), filters=[strip],
                      description=_l("8 digits. You can write it with spaces, as on your letterhead."),
                      validators=[DataRequired(_l("Enter the company's CVR number.")), Length(max=20), cvr_number])
    description = TextAreaField(
        _l("About the company"), filters=[strip],
        description=_l("What you do, and how you would like to support volunteering in Dragør. A few sentences are enough."),
        validators=[DataRequired(_l("Write a short description.")),
                    Length(min=20, max=4000)])
    address = StringField(_l("Street address"), filters=[strip],
                          validators=[DataRequired(_l("Enter the street address.")), Length(max=200)])
    postcode = StringField(_l("Postcode"), filters=[strip],
                           validators=[DataRequired(_l("Enter the postcode.")), danish_postcode])
    city = StringField(_l("Town"), filters=[strip],
                       validators=[DataRequired(_l("Enter the town.")), Length(max=80)])
    website = StringField(_l("Website (optional)"), filters=[strip],
                          validators=[Optional(), URL(message=_l("Enter a full web address, for example https://example.dk.")),
                                      Length(max=200)])
    contact_name = StringField(_l("Contact person"), filters=[strip],
                               description=_l("Shown on the company's public page, so associations can get in touch."),
                               validators=[DataRequired(_l("Enter the name of the contact person.")), Length(max=120)])
    contact_email = EmailField(_l("Contact person's e-mail"), filters=[strip],
                               validators=[DataRequired(_l("Enter the contact person's e-mail address.")),
                                           Email(EMAIL_MSG), Length(max=254)])
    contact_phone = StringField(_l("Contact person's phone"), filters=[strip],
                                validators=[DataRequired(_l("Enter the contact person's phone number.")), phone_number])
    supports = MultiCheckboxField(_l("What the company offers"),
                                  description=_l("Tick everything that fits. You can change it later."),
                                  choices=[SelectChoice(k.value, v) for k, v in SUPPORT_LABELS.items()])
    skills = MultiCheckboxField(_l("Skills your employees can offer (optional)"),
                                choices=[SelectChoice(k.value, v) for k, v in SKILL_LABELS.items()])
    logo = FileField(_l("Logo (optional)"),
                     description=_l("A PNG, JPEG or WebP file under 2 MB. We make it at most 400 × 400 pixels "
                                    "and remove any hidden information in the file."))


class CompanyEditForm(CompanyForm):
    remove_logo = BooleanField(_l("Remove the logo"))


def _tenths(message_key):
    def check(form, field):
        if field.data:
            field.tenths = leave.parse_tenths(field.data)
            if field.tenths is None:
                raise ValidationError(error_messages[message_key])
    return check


class PolicyForm(PortalForm):
    amount = StringField(_l("How much paid time off a year for each employee"), filters=[strip],
                         description=_l("A number with at most one decimal, for example 7.4 or 2."),
                         validators=[DataRequired(_l("Enter how much time off a year.")), Length(max=12),
                                     _tenths("amount")])
    unit = RadioField(_l("Counted in"), default=LeaveUnit.hours.value,
                      choices=[SelectChoice(k.value, v) for k, v in UNIT_LABELS.items()],
                      validators=[DataRequired(_l("Choose hours or days."))])
    hours_per_day = StringField(_l("Hours in a working day"), filters=[strip], default="7,4",
                                description=_l("Only used when you count in days. A Danish full-time day is 7.4 hours."),
                                validators=[Optional(), Length(max=12), _tenths("hours_per_day")])
    scope = RadioField(_l("What employees may volunteer for"), default=LeaveScope.any_task.value,
                       choices=[SelectChoice(k.value, v) for k, v in SCOPE_LABELS.items()],
                       validators=[DataRequired(_l("Choose what the time off may be used for."))])
    scope_note = TextAreaField(_l("The causes you have chosen"), filters=[strip],
                               description=_l("Only when you have chosen causes, for example: children and young people, nature."),
                               validators=[Length(max=1000)])
    how_to_ask = TextAreaField(_l("How employees ask for the time off"), filters=[strip],
                               description=_l("For example: agree the day with your manager and register it as volunteer leave."),
                               validators=[DataRequired(_l("Write how employees ask for the time off.")),
                                           Length(max=2000)])
    since = DatePartsField(_l("In force since"), validators=[DataRequired(_l("Enter the date the policy started."))])
    publish = BooleanField(_l("Show the policy on the company's public page"))


class InviteAdminForm(PortalForm):
    email = EmailField(_l("Colleague's e-mail address"), filters=[strip],
                       validators=[DataRequired(_l("Enter an e-mail address.")), Email(EMAIL_MSG),
                                   Length(max=254)])


class ConsentForm(PortalForm):
    share_name = BooleanField(_l("My employer may see my name"))
    count_hours = BooleanField(_l("My hours may count in the company's total"))


class ReasonForm(PortalForm):
    reason = TextAreaField(_l("Reason"), filters=[strip],
                           description=_l("The company sees this in the e-mail. Write plainly and kindly."),
                           validators=[DataRequired(_l("Write a reason.")), Length(max=2000)])
