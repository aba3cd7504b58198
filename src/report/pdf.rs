//! Printable PDF reports: the review report with its charts, and the handover packet.
