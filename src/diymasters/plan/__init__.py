"""Planning: the cheapest set of catalog resources that covers a target, ordered and scheduled.

Selection is a mixed-integer program solved by HiGHS: choose resources (binary) to cover
the target skills (all those any resource teaches, or a demand-weighted share of the
demand), for the least hours, cost, or a weighted sum of both, within a budget and an hours
cap, each chosen resource's prerequisites met. The schedule lays the chosen resources one
after another in prerequisite order on the learner's calendar (hours per weekday, minus
breaks), so each item gets a start and finish date and the plan a finish date. Progress
against a saved plan compares the hours studied with the hours the calendar had room for,
and projects a finish date from the pace so far.

The modules, from the bottom: `options` (the limits, the calendar, and the inputs kept with
a plan), `select` (the mixed-integer program and its solver), `order` (prerequisite order
and the schedule), `results` (the report, as shown and as kept), and over those `progress`
(against a saved plan), `adopt` (a plan's resources into the curriculum), `pace` (the learner's
observed pace against the estimates) and `ics` (the iCalendar file).
"""

from __future__ import annotations

from diymasters.plan.adopt import AdoptedResource, PlanAdopted, home_domain, to_adopt
from diymasters.plan.ics import (
    ICS_PRODID,
    StudySession,
    dropped_sessions,
    is_plan_ics,
    plan_ics,
    study_sessions,
)
from diymasters.plan.options import (
    HOURS_IN_A_DAY,
    WEEKDAYS,
    Objective,
    PlanInputs,
    PlanOptions,
    StudyCalendar,
    parse_break,
    parse_weekday_hours,
)
from diymasters.plan.order import (
    ScheduledItem,
    Task,
    committed_tasks,
    finish_date,
    order,
    schedule,
)
from diymasters.plan.pace import PACE_RULE, Pace, at_pace, observed_pace
from diymasters.plan.progress import (
    PROGRESS_RULE,
    ItemProgress,
    PlanProgress,
    hours_studied,
    plan_progress,
    studied_before,
)
from diymasters.plan.results import (
    CalendarWritten,
    CancelledSession,
    PlanItem,
    PlanRecord,
    PlanReport,
    plan_report,
)
from diymasters.plan.select import (
    PlanInfeasibleError,
    Selection,
    greedy,
    load_solver,
    select,
)

__all__ = [
    "HOURS_IN_A_DAY",
    "ICS_PRODID",
    "PACE_RULE",
    "PROGRESS_RULE",
    "WEEKDAYS",
    "AdoptedResource",
    "CalendarWritten",
    "CancelledSession",
    "ItemProgress",
    "Objective",
    "Pace",
    "PlanAdopted",
    "PlanInfeasibleError",
    "PlanInputs",
    "PlanItem",
    "PlanOptions",
    "PlanProgress",
    "PlanRecord",
    "PlanReport",
    "ScheduledItem",
    "Selection",
    "StudyCalendar",
    "StudySession",
    "Task",
    "at_pace",
    "committed_tasks",
    "dropped_sessions",
    "finish_date",
    "greedy",
    "home_domain",
    "hours_studied",
    "is_plan_ics",
    "load_solver",
    "observed_pace",
    "order",
    "parse_break",
    "parse_weekday_hours",
    "plan_ics",
    "plan_progress",
    "plan_report",
    "schedule",
    "select",
    "studied_before",
    "study_sessions",
    "to_adopt",
]
