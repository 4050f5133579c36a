"""The signed-in user's own interface language, over the browser's."""

from django.utils import translation


class UserLanguageMiddleware:
    """Runs after authentication: a user who chose a language sees it on every device.

    LocaleMiddleware (earlier) has already picked the browser's or the
    cookie's language; this replaces it when the user has a saved choice.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        language = getattr(user, "language", "") if user is not None and user.is_authenticated else ""
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)
