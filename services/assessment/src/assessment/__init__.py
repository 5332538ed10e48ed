"""Assessment service: the event-sourced write side of the yearly evaluation."""
