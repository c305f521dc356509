"""Website forms: definitions, public intake with spam defences, routing to a rep, and the speed-to-lead hand-off."""
