"""The microlearning JSON API, one module per concern: units, authoring, learning, catalogue."""
