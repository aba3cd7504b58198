//! The S3-compatible server on loopback (SeaweedFS) that the exchange tests share.

use std::net::TcpStream;

use crate::common::s3::{fresh_prefix, pid_file, s3_server};

#[test]
#[cfg_attr(
    not(all(target_os = "linux", target_env = "gnu")),
    ignore = "the S3 test server runs on Linux only"
)]
fn the_test_server_answers_on_loopback_and_dies_with_the_tests() {
    let s3 = s3_server();
    assert_eq!(s3.endpoint, "http://127.0.0.1:8333");
    TcpStream::connect("127.0.0.1:8333").expect("the S3 port should answer");
    // The server is this process's child (so the kernel kills it when the process ends),
    // and its pid is on file for the next run, should one be left.
    let pid = std::fs::read_to_string(pid_file()).unwrap();
    let stat = std::fs::read_to_string(format!("/proc/{}/stat", pid.trim())).unwrap();
    let ppid = stat.rsplit(')').next().unwrap().split_whitespace().nth(1);
    assert_eq!(ppid, Some(std::process::id().to_string().as_str()));
    assert_ne!(fresh_prefix("same test"), fresh_prefix("same test"));
}
