"""What apps above events may listen to, so nothing below has to import them.

``learning_event_recorded`` is sent by ``learning_event_record`` with ``event=``
inside the transaction that wrote it: a receiver's writes commit or roll back
with the event (goals complete a plan activity linked to a completed unit, say).
"""

from django.dispatch import Signal

learning_event_recorded = Signal()
