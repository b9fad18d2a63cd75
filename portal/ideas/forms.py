import unicodedata

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, EmailField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from portal.forms import PortalForm, danish_postcode, strip
from portal.hardening import as_id
from portal.models import IdeaState, ReportReason
from portal.web.forms import ConfirmForm  # noqa: F401  (one form, shared)

STATE_LABELS = {
    IdeaState.new: _l("New"),
    IdeaState.considering: _l("Being considered"),
    IdeaState.accepted: _l("Accepted"),
    IdeaState.not_now: _l("Not now"),
    IdeaState.declined: _l("Declined"),
    IdeaState.exists: _l("Already exists"),
    IdeaState.done: _l("Carried out"),   # not "Done": the catalogue's "Done" is the button word
}

REASON_LABELS = {
    ReportReason.personal_data: _l("It tells private things about other people"),
    ReportReason.advertising: _l("It is advertising"),
    ReportReason.hate: _l("It is hateful or offensive"),
    ReportReason.other: _l("Something else breaks the house rules"),
}

EMAIL_MSG = _l("Enter an e-mail address like name@example.dk.")


def ascii_digits(value):
    """A postcode typed on an Arabic, Persian or fullwidth keyboard ("٢٧٩١", "２７９１") as 0-9: the
    shared validator accepts any Unicode digit, and the idea (and the task it may become) would
    carry a postcode nothing else can match. (The same filter as calls' and help's forms.)"""
    if not isinstance(value, str):
        return value
    value = unicodedata.normalize("NFKC", value)
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in value)


def _title():
    return StringField(_l("Title"), filters=[strip],
                       description=_l("One short line, for example “Chess with the residents of Enggården”."),
                       validators=[DataRequired(_l("Give the idea a title.")), Length(max=140)])


def _body():
    return TextAreaField(_l("What is the idea?"), filters=[strip],
                         description=_l("Tell it as you would to a neighbour: what should happen, and where?"),
                         validators=[DataRequired(_l("Write what the idea is.")), Length(min=10, max=4000)])


def _who():
    return TextAreaField(_l("Who would it help?"), filters=[strip],
                         description=_l("For example “lonely older people”, “children at the school” or "
                                        "“everyone who walks by the harbour”."),
                         validators=[DataRequired(_l("Write who the idea would help.")), Length(max=1000)])


class IdeaForm(PortalForm):
    title = _title()
    body = _body()
    who_it_helps = _who()
    category = SelectField(_l("Category (optional)"), choices=[], validate_choice=False)
    place_name = StringField(_l("Place (optional)"), filters=[strip],
                             description=_l("For example “Dragør Havn” or “the library”."),
                             validators=[Optional(), Length(max=120)])
    postcode = StringField(_l("Postcode (optional)"), filters=[strip, ascii_digits],
                           validators=[Optional(), danish_postcode])
    picture = FileField(_l("Picture (optional)"),
                        description=_l("A PNG, JPEG or WebP file under 5 MB. We make it smaller and remove any "
                                       "hidden information in the file, such as where it was taken."))
    picture_alt = StringField(_l("Describe the picture"), filters=[strip],
                              description=_l("Needed with a picture: a short sentence for people who cannot see "
                                             "it, for example “The empty bench by the harbour”."),
                              validators=[Optional(), Length(max=200)])

    def set_categories(self, categories, locale: str) -> None:
        self._category_ids = {str(c.id) for c in categories}
        self.category.choices = [SelectChoice("", _l("No category"))] + [
            SelectChoice(str(c.id), c.name(locale)) for c in categories]

    def validate_category(self, field):
        if field.data and field.data not in getattr(self, "_category_ids", set()):
            raise ValidationError(_l("Choose one of the categories."))

    def category_id(self) -> int | None:
        return as_id(self.category.data) if self.category.data else None


class IdeaEditForm(IdeaForm):
    remove_picture = BooleanField(_l("Remove the picture"))


class SendIdeaForm(PortalForm):
    """The short form for people without an account."""
    name = StringField(_l("Your name (optional)"), filters=[strip],
                       description=_l("Shown with the idea as you write it. Leave it empty to be shown as "
                                      "“A citizen”."),
                       validators=[Optional(), Length(max=120)])
    email = EmailField(_l("Your e-mail address"), filters=[strip],
                       description=_l("Never shown to anyone. We send you a link to publish the idea, and "
                                      "later the municipality's answer."),
                       validators=[DataRequired(_l("Enter your e-mail address.")), Email(EMAIL_MSG),
                                   Length(max=254)])
    title = _title()
    body = _body()
    who_it_helps = _who()


class CorrectionForm(PortalForm):
    body = TextAreaField(_l("Your correction"), filters=[strip],
                         description=_l("Shown under the idea with today's date. The idea itself stays as "
                                        "people supported it."),
                         validators=[DataRequired(_l("Write the correction.")), Length(min=5, max=2000)])


# The idea page holds both forms: each checkbox needs an id of its own, or both labels name the first.
class SupportForm(PortalForm):
    notify = BooleanField(_l("Tell me what happens to the idea"), default=True, id="support-notify")


class PledgeForm(PortalForm):
    note = TextAreaField(_l("What time could you give? (optional)"), filters=[strip],
                         description=_l("For example “two hours on Thursday afternoons” or “a weekend in spring”."),
                         validators=[Optional(), Length(max=500)])
    notify = BooleanField(_l("Tell me what happens to the idea"), default=True, id="pledge-notify")


class CommentForm(PortalForm):
    body = TextAreaField(_l("Your comment"), filters=[strip],
                         description=_l("Plain text. Keep to the house rules: nothing private about others, "
                                        "no advertising, no hate."),
                         validators=[DataRequired(_l("Write a comment.")), Length(min=2, max=2000)])


class ReportForm(PortalForm):
    reason = RadioField(_l("What is wrong?"),
                        choices=[SelectChoice(r.value, label) for r, label in REASON_LABELS.items()],
                        validators=[DataRequired(_l("Choose what is wrong."))])
    note = TextAreaField(_l("Tell us more (optional)"), filters=[strip],
                         validators=[Optional(), Length(max=1000)])
