"""The search page: the form, the ranked hits, their pages."""

from django.conf import settings
from django.core.paginator import Paginator
from django.views.generic import TemplateView

from meetings.search import SearchForm, search
from meetings.views.pages import ReadAccessMixin


class SearchView(ReadAccessMixin, TemplateView):
    template_name = "meetings/search.html"

    def get_context_data(self, **kwargs):
        form = SearchForm(self.request.GET)
        context = super().get_context_data(form=form, **kwargs)
        if not form.is_valid() or form.cleaned_data["q"] is None:
            return context

        filters = dict(form.cleaned_data)
        results = search(self.request.user, filters.pop("q"), **filters)
        number = self.request.GET.get("page")
        results.expect_page(number, settings.MINUTES_PAGE_SIZE)
        paginator = Paginator(results, settings.MINUTES_PAGE_SIZE)
        page = paginator.get_page(number)
        query = self.request.GET.copy()
        query.pop("page", None)
        return {
            **context,
            "query": results.query,
            "paginator": paginator,
            "page_obj": page,
            "hits": page.object_list,
            "querystring": query.urlencode(),
        }
