"""Reads for trajectories, in modules by concern: authoring, enrolments, learning."""
