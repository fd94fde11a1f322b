from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created by organisation admins, never by self sign-up."""

    def is_open_for_signup(self, request) -> bool:
        return False
