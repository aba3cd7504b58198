//! The handover packet for a neighborhood: its people, open promises, journal and concerns.
