"""Every read model the projector keeps and the web reads."""

from __future__ import annotations

from projections.accounts import AccountsList
from projections.base import Projection
from projections.calendar import Calendar
from projections.centres import CentresDirectory
from projections.network import NetworkGovernance
from projections.plans import Plans
from projections.practices import PracticeLibrary
from projections.projects import ProjectRegister
from projections.timeline import Timeline


def all_projections() -> tuple[Projection, ...]:
    return (CentresDirectory(), Calendar(), Timeline(), AccountsList(), NetworkGovernance(), Plans(), PracticeLibrary(), ProjectRegister())
