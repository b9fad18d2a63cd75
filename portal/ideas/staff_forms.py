"""Forms of staff's side of the ideas box."""

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from portal.forms import PortalForm, strip
from portal.ideas.answers import STATE_LABELS
from portal.ideas.moderation import RULE_LABELS
from portal.models import IdeaChannel, IdeaState, ReportReason
from portal.web.forms import ConfirmForm  # noqa: F401  (one form, shared)

CHANNEL_LABELS = {
    IdeaChannel.library: _l("At the library"),
    IdeaChannel.volunteer_day: _l("On the volunteer day"),
    IdeaChannel.paper: _l("On paper or in a conversation"),
    IdeaChannel.phone: _l("By phone"),
}


def _whole_number(label, low, high, hint):
    return IntegerField(label, description=hint, validators=[
        InputRequired(_l("Enter a whole number.")),
        NumberRange(min=low, max=high, message=_l("Enter a number from %(min)s to %(max)s."))])


class SettingsForm(PortalForm):
    support_threshold = _whole_number(_l("Supports needed"), 1, 100000,
                                      _l("How many supports put an idea on your list, for example 25."))
    window_days = _whole_number(_l("Within how many days"), 1, 3660,
                                _l("Only supports given within this many days count, for example 91 (three months)."))
    answer_days = _whole_number(_l("Days to answer"), 1, 366,
                                _l("The answer date promised publicly, counted from the day the idea passes."))


class AnswerForm(PortalForm):
    state = RadioField(_l("The answer"), choices=[SelectChoice(s.value, STATE_LABELS[s]) for s in IdeaState
                                                  if s is not IdeaState.new],
                       validators=[InputRequired(_l("Choose what the answer is."))])
    answer = TextAreaField(_l("What you answer"), filters=[strip],
                           description=_l("Plain words to the author and the supporters. Required for "
                                          "“Not now” and “Declined”: say why."),
                           validators=[Optional(), Length(max=4000)])
    link = StringField(_l("Link (for “Already exists”)"), filters=[strip],
                       description=_l("Another idea (/ideas/12), a page on this site (/tasks/40) or an address "
                                      "that begins with https://."),
                       validators=[Optional(), Length(max=300)])
    save = SubmitField(_l("Save draft"))
    publish = SubmitField(_l("Publish the answer"))


class HideForm(PortalForm):
    rule = RadioField(_l("The house rule it breaks"), choices=[SelectChoice(r.value, label) for r, label in RULE_LABELS.items()],
                      validators=[InputRequired(_l("Choose the house rule."))])
    reason = TextAreaField(_l("Reason the author sees"), filters=[strip],
                           description=_l("Kind and concrete, for example “The comment names a neighbour. "
                                          "Write it again without the name.”"),
                           validators=[DataRequired(_l("Write the reason.")), Length(min=5, max=1000)])


class PaperIdeaForm(PortalForm):
    title = StringField(_l("Title"), filters=[strip], validators=[DataRequired(_l("Write a title.")),
                                                                   Length(max=140)])
    body = TextAreaField(_l("What the idea is"), filters=[strip],
                         validators=[DataRequired(_l("Write what the idea is.")), Length(min=10, max=4000)])
    who_it_helps = TextAreaField(_l("Who it would help"), filters=[strip], validators=[Optional(), Length(max=1000)])
    category = SelectField(_l("Category (optional)"), validators=[Optional()])
    author_name = StringField(_l("The author's name (optional)"), filters=[strip],
                              description=_l("Shown with the idea. Leave it empty and it says “a citizen”. "
                                             "Write only what the author agreed to."),
                              validators=[Optional(), Length(max=120)])
    channel = RadioField(_l("Where did the idea come from?"),
                         choices=[SelectChoice(c.value, label) for c, label in CHANNEL_LABELS.items()],
                         validators=[InputRequired(_l("Choose where the idea came from."))])

    def set_categories(self, categories, locale):
        self.category.choices = [SelectChoice("", _l("No category"))] + [
            SelectChoice(str(c.id), c.name(locale)) for c in categories]


class TakeOnForm(PortalForm):
    organisation = SelectField(_l("For which organisation?"),
                               validators=[DataRequired(_l("Choose the organisation."))])
