//! The handover packet as plain text, for printing or pasting into an email.
