"""``childrenmatter manage demo_improvement --authority 806``: the synthetic demo plan."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from childrenmatter.errors import UserError
from childrenmatter.improvement.demo import set_up_demo_plan


class Command(BaseCommand):
    help = "Make a synthetic immediate assurance plan and councillors' questions for the demo"

    def add_arguments(self, parser):
        parser.add_argument("--authority", default="806", help="LA code (default: 806)")

    def handle(self, *args, authority: str, **options):
        try:
            plan = set_up_demo_plan(la_code=authority)
        except UserError as error:
            raise CommandError(str(error)) from error
        if plan is None:
            self.stdout.write(f"The demo plan for {authority} is there already")
        else:
            self.stdout.write(f"Made the demo plan for {authority}: /improvement/plans/{plan.pk}/")
