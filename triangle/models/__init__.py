"""Models of the parties app, one module per topic; import them from ``triangle.models``."""

from triangle.models.parties import (  # noqa: F401, I001
    JOB_CENTRE_ROLES,
    PROVIDER_ROLES,
    STAFF_ROLES,
    ContactEntry,
    FederalState,
    Membership,
    Organisation,
    Role,
    Team,
    User,
)
from triangle.models.notifications import Notification  # noqa: F401, E402
from triangle.models.participants import Participant  # noqa: F401, E402
from triangle.models.consent import Consent, ParticipantAccount  # noqa: F401, E402
from triangle.models.audit import AccessLog  # noqa: F401, E402
