"""OAuth mailboxes: the provider presets, the admin's OAuth client, the grant's tokens and SASL XOAUTH2."""
