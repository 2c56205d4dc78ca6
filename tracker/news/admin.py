"""Operators watch and tune sources; editors review what the news proposes."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import linebreaksbr
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext, pgettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from kombu.exceptions import OperationalError as KombuOperationalError

from .models import Article, Mention, NewsSource, ProposalEvidence, ProposalStatus, ProposedUpdate
from .proposals import ProposalNotApplicable, accept_proposal, reject_proposal
from .review import review_of

REASON_LENGTH = 500


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
        (_("Trust"), {"fields": ["allow_private_network", "auto_accept_confidence"]}),
        (_("Health"), {"fields": readonly_fields}),
    ]
    actions = ["poll_now"]

    @admin.display(description=_("last error"))
    def health(self, source):
        if source.last_error:  # as the server or the parser said it
            return format_html('<span lang="en">{}</span>', source.last_error[:120])
        if source.entries_left:  # a long feed read a cap at a time (entry_cap.py)
            return ngettext(
                "ok, %(count)s entry left for the next poll (the cap per poll)",
                "ok, %(count)s entries left for the next poll (the cap per poll)",
                source.entries_left,
            ) % {"count": source.entries_left}
        return gettext("ok") if source.last_success_at else gettext("not polled yet")

    @admin.action(description=_("Poll the selected sources now"), permissions=["change"])
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
                    gettext(
                        "Redis unreachable, poll not queued for %(source)s (%(error)s); %(queued)s source(s) queued "
                        "before it. Try again once Redis is back: the scheduler polls every enabled source at its "
                        "interval anyway."
                    )
                    % {"source": source, "error": error, "queued": queued},
                    messages.ERROR,
                )
                return
        self.message_user(
            request,
            ngettext("%(queued)s source(s) queued for polling.", "%(queued)s source(s) queued for polling.", queued)
            % {"queued": queued},
            messages.SUCCESS,
        )


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
    fields = ["article_link", "quote", "confidence"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    # An article's title and sentences are in the article's language.
    @admin.display(description=_("article"))
    def article_link(self, evidence):
        url = reverse("admin:news_article_change", args=[evidence.article_id])
        return format_html(
            '<span lang="{}"><a href="{}">{}</a></span>', evidence.article.language, url, evidence.article.title
        )

    @admin.display(description=ProposalEvidence._meta.get_field("sentence").verbose_name)
    def quote(self, evidence):
        return format_html('<span lang="{}">{}</span>', evidence.article.language, evidence.sentence)


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "source", "published_at", "language", "mention_count"]
    list_filter = ["source", "language"]
    search_fields = ["title", "url", "text"]
    date_hierarchy = "published_at"
    readonly_fields = [
        "source",
        "url",
        "guid",
        "headline",
        "published_at",
        "language",
        "main_text",
        "content_hash",
        "fetched_at",
        "updated_at",
    ]
    fields = readonly_fields
    inlines = [MentionInline]

    # The article's own words, in its language (Django's display of the fields, marked so).
    @admin.display(description=Article._meta.get_field("title").verbose_name)
    def headline(self, article):
        return format_html('<span lang="{}">{}</span>', article.language, article.title)

    @admin.display(description=Article._meta.get_field("text").verbose_name)
    def main_text(self, article):
        return format_html('<div lang="{}">{}</div>', article.language, linebreaksbr(article.text))

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source").annotate(mentions_total=Count("mentions"))

    @admin.display(description=_("mentions"), ordering="mentions_total")
    def mention_count(self, article):
        return article.mentions_total

    def has_add_permission(self, request):
        return False


@admin.register(ProposedUpdate)
class ProposedUpdateAdmin(admin.ModelAdmin):
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
            super().get_queryset(request).select_related("mission", "person").annotate(articles_total=Count("evidence"))
        )

    # The date at the precision the news gave (a raw date field would show "July 1, 2026" for "NET H2 2026").
    @admin.display(description=_("date"))
    def when(self, proposal):
        if proposal.date is None:
            return "-"
        return gettext("%(date)s (%(precision)s precision)") % {
            "date": proposal.date_display,
            "precision": proposal.get_precision_display(),
        }

    @admin.display(description=_("reported as"))
    def state(self, proposal):
        if proposal.happened:
            return pgettext("reported as", "happened")
        if proposal.no_earlier_than:
            return pgettext("reported as", "planned, no earlier than")
        return pgettext("reported as", "planned")

    @admin.display(description=_("articles"), ordering="articles_total")
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

    def _decide(self, request, pk, decide, done: str, refused: str):
        """`done` and `refused` are the messages, with %(proposal)s (and %(error)s)."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        proposal = get_object_or_404(ProposedUpdate, pk=pk)
        try:
            outcome = decide(proposal)
        except ProposalNotApplicable as error:
            self.message_user(request, refused % {"proposal": proposal, "error": error}, messages.ERROR)
        else:
            self.message_user(request, f"{done % {'proposal': proposal}} {outcome or ''}".strip(), messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:news_proposedupdate_change", args=[pk]))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        proposal = self.get_object(request, object_id)
        if proposal is not None and proposal.status == ProposalStatus.PENDING:
            extra_context = {
                "title": gettext("Review proposed update"),
                "review": review_of(proposal, now=timezone.now()),
                **(extra_context or {}),
            }
        elif proposal is not None:
            extra_context = {
                "title": gettext("Proposed update, %(status)s") % {"status": proposal.get_status_display()},
                **(extra_context or {}),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def accept_view(self, request, pk):
        return self._decide(
            request,
            pk,
            lambda p: accept_proposal(proposal=p, user=request.user),
            gettext("“%(proposal)s” accepted."),
            gettext("“%(proposal)s” was not accepted: %(error)s"),
        )

    def reject_view(self, request, pk):
        reason = " ".join(request.POST.get("reason", "").split())[:REASON_LENGTH]

        def reject(proposal):
            reject_proposal(proposal=proposal, user=request.user, reason=reason)
            return gettext("Reason: %(reason)s") % {"reason": reason} if reason else gettext("No reason given.")

        return self._decide(
            request,
            pk,
            reject,
            gettext("“%(proposal)s” rejected."),
            gettext("“%(proposal)s” was not rejected: %(error)s"),
        )

    # permissions: like the accept and reject views, only for those who may change proposals
    # (without it an admin action is offered to anyone who may view the list).
    @admin.action(description=_("Accept the selected proposals (apply them to the record)"), permissions=["change"])
    def accept_selected(self, request, queryset):
        done = 0
        for proposal in queryset.filter(status=ProposalStatus.PENDING):
            try:
                accept_proposal(proposal=proposal, user=request.user)
                done += 1
            except ProposalNotApplicable as error:
                self.message_user(
                    request,
                    gettext("“%(proposal)s” not accepted: %(error)s") % {"proposal": proposal, "error": error},
                    messages.ERROR,
                )
        self.message_user(
            request,
            ngettext("%(done)s proposal(s) accepted.", "%(done)s proposal(s) accepted.", done) % {"done": done},
            messages.SUCCESS,
        )

    @admin.action(description=_("Reject the selected proposals"), permissions=["change"])
    def reject_selected(self, request, queryset):
        done = 0
        for proposal in queryset.filter(status=ProposalStatus.PENDING):
            try:
                reject_proposal(proposal=proposal, user=request.user)
                done += 1
            except ProposalNotApplicable as error:  # another editor decided it meanwhile
                self.message_user(
                    request,
                    gettext("“%(proposal)s” not rejected: %(error)s") % {"proposal": proposal, "error": error},
                    messages.ERROR,
                )
        self.message_user(
            request,
            ngettext("%(done)s proposal(s) rejected.", "%(done)s proposal(s) rejected.", done) % {"done": done},
            messages.SUCCESS,
        )
