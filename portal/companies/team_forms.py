from flask_babel import lazy_gettext as _l
from wtforms.validators import DataRequired, ValidationError

from portal.forms import MultiCheckboxField, PortalForm

NOT_SHOWN = _l("Choose among the colleagues shown.")


class ColleaguesField(MultiCheckboxField):
    """The company's colleagues who share their name, set as choices by the route: an id that is
    not among them (hand-made, or a colleague who has since unlinked) is refused here, in the
    reader's language, before any service runs."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = []
            raise ValueError(NOT_SHOWN)

    def pre_validate(self, form):
        allowed = {value for value, _label in self.choices or ()}
        if any(value not in allowed for value in self.data or ()):
            raise ValidationError(NOT_SHOWN)


class TeamForm(PortalForm):
    people = ColleaguesField(_l("Colleagues on the team"), coerce=int,
                             description=_l("Only colleagues who have linked themselves to the company "
                                            "and agreed to share their name are shown."),
                             validators=[DataRequired(_l("Choose at least one colleague."))])
