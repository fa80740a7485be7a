"""Writes for trajectories, in modules by concern: authoring, enrolments, learning."""
