"""API shapes for trajectories; rules live in the services."""
