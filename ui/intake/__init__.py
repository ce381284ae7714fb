"""The intake tab's parts (事件登记): form sections, the fraud transactions table model and
the draft store. `ui.tabs.intake_tab.IntakeTab` puts them together."""
