"""Serializers of the microlearning API: units and assignments, and the authoring payloads."""
