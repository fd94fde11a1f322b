"""Models of the parties app, one module per topic; import them from ``triangle.models``."""

from triangle.models.parties import (  # noqa: F401
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
