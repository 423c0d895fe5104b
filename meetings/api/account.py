"""A page where a logged-in person creates the API token for their account."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import transaction
from django.utils.cache import add_never_cache_headers
from django.views.generic import TemplateView
from rest_framework.authtoken.models import Token


class TokenView(LoginRequiredMixin, TemplateView):
    """GET says whether a token exists; POST replaces it and shows the new key.

    The key is shown once, in the answer to the POST, and never again: a lost
    token is replaced, not recovered.
    """

    template_name = "meetings/account_token.html"

    def get_context_data(self, **kwargs):
        existing = Token.objects.filter(user=self.request.user).first()
        return super().get_context_data(
            token_created=existing.created if existing else None, **kwargs
        )

    def post(self, request, *args, **kwargs):
        with transaction.atomic():
            Token.objects.filter(user=request.user).delete()
            token = Token.objects.create(user=request.user)
        response = self.render_to_response(self.get_context_data(new_key=token.key))
        add_never_cache_headers(response)
        return response
