//! Bytes as lower-case hexadecimal: checksums, hash chains and backup entries.

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
