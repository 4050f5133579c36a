"""Write a report draft for a mechanism and a period as a Word document.

manage.py draft_report --mechanism UPR --from 2022-01-01 --to 2024-12-31 --out draft.docx
manage.py draft_report --mechanism CEDAW --from 2023-03-01 --to 2025-03-01 --by theme --report follow_up \
    --out cedaw.docx
"""

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from rectrack.planning.models import Project
from rectrack.recommendations.models import Mechanism
from rectrack.reporting.drafts import GROUPINGS, DraftRequest, build_draft
from rectrack.reporting.models import ReportKind
from rectrack.reporting.templating import draft_docx
from rectrack.taxonomy.models import Term, VocabularyKind


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"“{value}” is not a date (YYYY-MM-DD).") from None


class Command(BaseCommand):
    help = "Write a report draft (.docx) for a mechanism and a period, from the database."

    def add_arguments(self, parser):
        parser.add_argument("--mechanism", required=True, help="Acronym: UPR, CEDAW, CRC…")
        parser.add_argument("--from", dest="start", required=True, help="First day of the period (YYYY-MM-DD).")
        parser.add_argument("--to", dest="end", required=True, help="Last day of the period (YYYY-MM-DD).")
        parser.add_argument("--project", type=int, help="Only the recommendations of this project (its id).")
        parser.add_argument("--cluster", type=int, help="Only the recommendations of this national cluster (its id).")
        parser.add_argument("--by", choices=GROUPINGS, default="cluster", help="Group by national cluster or theme.")
        parser.add_argument(
            "--report",
            choices=ReportKind.values,
            default=ReportKind.PARLIAMENT,
            help="The kind of report, whose template (uploaded, else built in) the draft is written into.",
        )
        parser.add_argument("--title", default="", help="The draft's title.")
        parser.add_argument("--out", required=True, help="The .docx file to write.")

    def handle(self, *args, mechanism, start, end, project, cluster, by, report, title, out, **options):
        chosen = Mechanism.objects.filter(acronym__iexact=mechanism).first()
        if chosen is None:
            known = ", ".join(Mechanism.objects.order_by("acronym").values_list("acronym", flat=True))
            raise CommandError(f"No mechanism “{mechanism}”. Known: {known}.")
        period_start, period_end = _day(start), _day(end)
        if period_start > period_end:
            raise CommandError("The period ends before it starts.")
        request = DraftRequest(
            mechanism=chosen,
            period_start=period_start,
            period_end=period_end,
            project=self._get(Project.objects.all(), project, "project"),
            cluster=self._get(
                Term.objects.filter(vocabulary__kind=VocabularyKind.NATIONAL_CLUSTER), cluster, "cluster"
            ),
            group_by=by,
        )
        draft = build_draft(request)
        path = Path(out)
        path.write_bytes(draft_docx(draft, report=report, title=title))
        self.stdout.write(
            f"Wrote {path}: {draft.count} recommendations in {len(draft.sections)} sections, "
            f"{len(draft.without_activity)} with no activity in the period."
        )

    @staticmethod
    def _get(queryset, pk, what):
        if pk is None:
            return None
        found = queryset.filter(pk=pk).first()
        if found is None:
            raise CommandError(f"No {what} with id {pk}.")
        return found
