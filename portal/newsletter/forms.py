"""The coordinator's newsletter form. The text fields are cleaned by PortalForm (one line for the
subjects, no control characters in the intros), so a pasted NUL never reaches PostgreSQL."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from portal.forms import PortalForm, danish_postcode, strip
from portal.web.forms import ConfirmForm  # noqa: F401  (one form, shared)

SUBJECT_MAX = 140
INTRO_MAX = 5000


class NewsletterForm(PortalForm):
    subject_da = StringField(_l("Subject in Danish"), filters=[strip],
                             description=_l("Short and concrete, for example “Julehjælp på Enggården”."),
                             validators=[DataRequired(_l("Write the subject in Danish.")), Length(max=SUBJECT_MAX)])
    subject_en = StringField(_l("Subject in English"), filters=[strip],
                             description=_l("For volunteers who read the portal in English."),
                             validators=[DataRequired(_l("Write the subject in English.")), Length(max=SUBJECT_MAX)])
    intro_da = TextAreaField(_l("Introduction in Danish"), filters=[strip],
                             description=_l("A few warm lines. An empty line starts a new paragraph. The needs of "
                                            "the next 14 days are added below it when the newsletter is sent."),
                             validators=[DataRequired(_l("Write a few lines in Danish.")), Length(max=INTRO_MAX)])
    intro_en = TextAreaField(_l("Introduction in English"), filters=[strip],
                             validators=[DataRequired(_l("Write a few lines in English.")), Length(max=INTRO_MAX)])
    category = SelectField(_l("Only volunteers interested in (optional)"),
                           description=_l("Leave it at “Everybody” to write to all who asked for the newsletter."),
                           validators=[Optional()])
    postcode = StringField(_l("Only volunteers with postcode (optional)"), filters=[strip],
                           description=_l("Four digits, for example 2791 for Dragør or 2770 for Kastrup."),
                           validators=[Optional(), danish_postcode])

    def set_categories(self, categories, locale: str) -> None:
        self.category.choices = [SelectChoice("", _l("Everybody"))] + [SelectChoice(str(c.id), c.name(locale))
                                                                       for c in categories]

    @property
    def category_id(self) -> int | None:
        value = self.category.data
        return int(value) if value and str(value).isdigit() and len(str(value)) < 10 else None
