"""The base layer's views: the 403 page every app's views show with a reason, the language switch, and the signed-in
user's own account (notice language, password)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.i18n import set_language

from .forms import LoginForm, NewPasswordForm, NoticeLanguageForm
from .services import user_language_set


def render_forbidden(request, message: str):
    """A 403 page with the reason in the user's language (Django's default 403 shows no message)."""
    return render(request, "dashboards/forbidden.html", {"message": message}, status=403)


def language_choose(request):
    """The pages' language switch (Django's `set_language`: the language cookie, back to the page). A logged-in user's
    choice is also recorded as the language of their notices and notice e-mails (`User.language`)."""
    response = set_language(request)
    chosen = request.POST.get("language", "") if request.method == "POST" else ""
    if request.user.is_authenticated and chosen in dict(settings.LANGUAGES):
        user_language_set(user=request.user, language=chosen)
    return response


class LoginView(auth_views.LoginView):
    """The login page; a user who chose a language on another browser finds the pages in it on this one too (unless
    this browser has a language chosen already)."""

    authentication_form = LoginForm

    def form_valid(self, form):
        response = super().form_valid(form)
        language = form.get_user().language
        if language and settings.LANGUAGE_COOKIE_NAME not in self.request.COOKIES:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response


@login_required
def account(request):
    """The signed-in user's own account: who they are in the portal (role, unit, e-mail: set by the office), the
    language of their notices, and the way to a new password."""
    user = request.user
    form = NoticeLanguageForm(request.POST or None, initial={"language": user.notice_language})
    if request.method == "POST" and form.is_valid():
        user_language_set(user=user, language=form.cleaned_data["language"])
        messages.success(request, _("通知语言已保存。"))
        return redirect("account")
    unit = user.department or user.zone or user.county
    return render(request, "registration/account.html", {"form": form, "unit": unit})


class PasswordChangeView(auth_views.PasswordChangeView):
    """A new password: the current one, then the new one twice, held to the portal's password rules and not the
    current one (`NewPasswordForm`); the user stays signed in on this browser."""

    template_name = "registration/password_change_form.html"
    form_class = NewPasswordForm
    success_url = reverse_lazy("account")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("密码已修改。"))
        return response
