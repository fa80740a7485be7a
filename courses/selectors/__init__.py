"""Reads for trajectories, in modules by concern: authoring, enrolments, learning.

What other apps ask of courses is exported here, so they need not know the modules.
"""

from .learning import is_learner_step, step_for, steps_for_learner

__all__ = ["is_learner_step", "step_for", "steps_for_learner"]
