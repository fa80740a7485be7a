"""The trajectories API: authoring, enrolments, the learner's steps."""
