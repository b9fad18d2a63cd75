from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, RadioField
from wtforms.validators import DataRequired, Length

from portal.forms import PortalForm
from portal.web.forms import ConfirmForm  # noqa: F401  (one form, shared)

ALL_TIME = "all"


class CertificateForm(PortalForm):
    """Which period the certificate of volunteering covers: all my time, or one year with hours."""
    period = RadioField(_l("Period"), default=ALL_TIME,
                        description=_l("The certificate shows your hours, the organisations and the period as "
                                       "they are today. Anyone with the code can check it."))

    def set_years(self, years: list[int]) -> None:
        self.period.choices = [(ALL_TIME, _l("All my time as a volunteer"))] + [
            (str(year), str(year)) for year in years]

    def chosen_year(self) -> int | None:
        return None if self.period.data == ALL_TIME else int(self.period.data)


class MilestoneForm(PortalForm):
    milestone_mails = BooleanField(_l("Send me a short thank-you when I reach a milestone (my first task, "
                                      "10, 50 and 100 hours)"))


class WithdrawForm(PortalForm):
    code = HiddenField(validators=[DataRequired(), Length(max=32)])
