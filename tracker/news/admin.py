"""Operators watch and tune sources; editors review what the news proposes."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_POST
from kombu.exceptions import OperationalError as KombuOperationalError

from tracker.lib.paging import BoundedPaginator

from .models import Article, Mention, NewsSource, ProposalEvidence, ProposalStatus, ProposedUpdate
from .proposals import ProposalNotApplicable, accept_proposal, reject_proposal
from .review import review_of

REASON_LENGTH = 500


def count_of(model, field: str) -> Subquery:
    """How many `model` rows point at each listed row (by their `field`): a subquery per row
    of the page, where a COUNT annotation would group the whole table before paging it."""
    rows = model.objects.filter(**{field: OuterRef("pk")}).order_by().values(field)
    return Subquery(rows.annotate(total=Count("pk")).values("total"), output_field=IntegerField())


class LargeListAdmin(admin.ModelAdmin):
    """A changelist that may run to a hundred thousand rows: counted only as far as the page
    asked for needs (tracker/lib/paging.py; the pager then offers the pages counted, and
    the next), never counted in full beside the filtered count."""

    show_full_result_count = False

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        paginator = BoundedPaginator(queryset, per_page, orphans=orphans, allow_empty_first_page=allow_empty_first_page)
        # The changelist counts before it asks for a page: tell the paginator which one.
        paginator.asked = max(1, int(request.GET.get("p", 1))) if request.GET.get("p", "").isdigit() else 1
        return paginator


class LanguageFilter(admin.SimpleListFilter):
    """The languages the pipeline gives articles (extraction's detect_language): listed
    without asking the table, where Django's own filter would SELECT DISTINCT over it."""

    title = "language"
    parameter_name = "language"

    def lookups(self, request, model_admin):
        return [("en", "English"), ("ru", "Russian")]

    def queryset(self, request, queryset):
        return queryset.filter(language=self.value()) if self.value() else queryset


@admin.register(NewsSource)
class NewsSourceAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "kind",
        "enabled",
        "poll_interval",
        "last_checked_at",
        "last_success_at",
        "consecutive_failures",
        "articles_found",
        "health",
    ]
    list_filter = ["enabled", "kind"]
    search_fields = ["name", "url"]
    readonly_fields = [
        "last_checked_at",
        "last_success_at",
        "last_error",
        "consecutive_failures",
        "articles_found",
        "entries_left",
        "etag",
        "last_modified",
        "next_poll_at",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "url",
                    "kind",
                    "enabled",
                    "poll_interval",
                    "max_entries_per_poll",
                    "fetch_linked_pages",
                ]
            },
        ),
        ("Trust", {"fields": ["allow_private_network", "auto_accept_confidence"]}),
        ("Health", {"fields": readonly_fields}),
    ]
    actions = ["poll_now"]

    @admin.display(description="last error")
    def health(self, source):
        if source.last_error:
            return source.last_error[:120]
        if source.entries_left:
            return f"ok, {source.entries_left} entries left for the next poll (the cap per poll)"
        return "ok" if source.last_success_at else "not polled yet"

    @admin.action(description="Poll the selected sources now", permissions=["change"])
    def poll_now(self, request, queryset):
        from .tasks import poll_source

        queued = 0
        for source in queryset:
            try:
                poll_source.delay(source.pk)
                queued += 1
            except KombuOperationalError as error:  # Redis is down: say so, do not fail the page
                self.message_user(
                    request,
                    f"Redis unreachable, poll not queued for {source} ({error}); {queued} source(s) queued before it. "
                    "Try again once Redis is back: the scheduler polls every enabled source at its interval anyway.",
                    messages.ERROR,
                )
                return
        self.message_user(request, f"{queued} source(s) queued for polling.", messages.SUCCESS)


class MentionInline(admin.TabularInline):
    model = Mention
    fields = ["kind", "mission", "person", "vehicle", "evidence"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class EvidenceInline(admin.TabularInline):
    model = ProposalEvidence
    fields = ["article_link", "sentence", "confidence"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="article")
    def article_link(self, evidence):
        url = reverse("admin:news_article_change", args=[evidence.article_id])
        return format_html('<a href="{}">{}</a>', url, evidence.article.title)


@admin.register(Article)
class ArticleAdmin(LargeListAdmin):
    list_display = ["title", "source", "published_at", "language", "mention_count"]
    # Dates as fixed ranges (today, past 7 days, …): date_hierarchy would list the years
    # and months that have articles, a DISTINCT over the whole table on every page.
    list_filter = ["source", LanguageFilter, "published_at"]
    # Title words, or an exact address: the text (hundreds of KiB an article) is searched
    # on the public search page, with its own index, not by a LIKE over every article here.
    search_fields = ["title", "=url"]
    readonly_fields = [
        "source",
        "url",
        "guid",
        "title",
        "published_at",
        "language",
        "text",
        "content_hash",
        "fetched_at",
        "updated_at",
    ]
    inlines = [MentionInline]

    def get_queryset(self, request):
        return (
            super().get_queryset(request).select_related("source").annotate(mentions_total=count_of(Mention, "article"))
        )

    @admin.display(description="mentions", ordering="mentions_total")
    def mention_count(self, article):
        return article.mentions_total

    def has_add_permission(self, request):
        return False


@admin.register(ProposedUpdate)
class ProposedUpdateAdmin(LargeListAdmin):
    list_display = ["summary", "kind", "status", "confidence", "source_count", "created_at"]
    list_filter = ["status", "kind"]
    search_fields = ["summary", "mission__name", "person__name"]
    readonly_fields = [
        "kind",
        "mission",
        "person",
        "when",
        "state",
        "summary",
        "confidence",
        "status",
        "created_at",
        "decided_at",
        "decided_by",
        "outcome",
    ]
    fields = readonly_fields
    inlines = [EvidenceInline]
    actions = ["accept_selected", "reject_selected"]
    change_form_template = "admin/news/proposedupdate/change_form.html"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("mission", "person")
            .annotate(articles_total=count_of(ProposalEvidence, "proposal"))
        )

    # The date at the precision the news gave (a raw date field would show "July 1, 2026" for "NET H2 2026").
    @admin.display(description="date")
    def when(self, proposal):
        if proposal.date is None:
            return "-"
        return f"{proposal.date_display} ({proposal.get_precision_display()} precision)"

    @admin.display(description="reported as")
    def state(self, proposal):
        return "happened" if proposal.happened else "planned"

    @admin.display(description="articles", ordering="articles_total")
    def source_count(self, proposal):
        return proposal.articles_total

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # a rejected proposal is kept for the record

    def get_urls(self):
        urls = [
            path(
                "<int:pk>/accept/",
                self.admin_site.admin_view(require_POST(self.accept_view)),
                name="news_proposedupdate_accept",
            ),
            path(
                "<int:pk>/reject/",
                self.admin_site.admin_view(require_POST(self.reject_view)),
                name="news_proposedupdate_reject",
            ),
        ]
        return urls + super().get_urls()

    def _decide(self, request, pk, decide, done: str):
        if not self.has_change_permission(request):
            raise PermissionDenied
        proposal = get_object_or_404(ProposedUpdate, pk=pk)
        try:
            outcome = decide(proposal)
        except ProposalNotApplicable as error:
            self.message_user(request, f"“{proposal}” was not {done}: {error}", messages.ERROR)
        else:
            self.message_user(request, f"“{proposal}” {done}. {outcome or ''}".strip(), messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:news_proposedupdate_change", args=[pk]))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        proposal = self.get_object(request, object_id)
        if proposal is not None and proposal.status == ProposalStatus.PENDING:
            extra_context = {
                "title": "Review proposed update",
                "review": review_of(proposal, now=timezone.now()),
                **(extra_context or {}),
            }
        elif proposal is not None:
            extra_context = {"title": f"Proposed update, {proposal.get_status_display()}", **(extra_context or {})}
        return super().change_view(request, object_id, form_url, extra_context)

    def accept_view(self, request, pk):
        return self._decide(request, pk, lambda p: accept_proposal(proposal=p, user=request.user), "accepted")

    def reject_view(self, request, pk):
        reason = " ".join(request.POST.get("reason", "").split())[:REASON_LENGTH]

        def reject(proposal):
            reject_proposal(proposal=proposal, user=request.user, reason=reason)
            return f"Reason: {reason}" if reason else "No reason given."

        return self._decide(request, pk, reject, "rejected")

    # permissions: like the accept and reject views, only for those who may change proposals
    # (without it an admin action is offered to anyone who may view the list).
    @admin.action(description="Accept the selected proposals (apply them to the record)", permissions=["change"])
    def accept_selected(self, request, queryset):
        done = 0
        for proposal in queryset.filter(status=ProposalStatus.PENDING):
            try:
                accept_proposal(proposal=proposal, user=request.user)
                done += 1
            except ProposalNotApplicable as error:
                self.message_user(request, f"“{proposal}” not accepted: {error}", messages.ERROR)
        self.message_user(request, f"{done} proposal(s) accepted.", messages.SUCCESS)

    @admin.action(description="Reject the selected proposals", permissions=["change"])
    def reject_selected(self, request, queryset):
        done = 0
        for proposal in queryset.filter(status=ProposalStatus.PENDING):
            try:
                reject_proposal(proposal=proposal, user=request.user)
                done += 1
            except ProposalNotApplicable as error:  # another editor decided it meanwhile
                self.message_user(request, f"“{proposal}” not rejected: {error}", messages.ERROR)
        self.message_user(request, f"{done} proposal(s) rejected.", messages.SUCCESS)
