"""Dialogs and small widgets of the plan's tabs: responsibility matrix, resources, duty
roster, training and drills."""
