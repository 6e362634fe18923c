"""Who may use the service, and for which authorities."""
