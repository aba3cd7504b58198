//! Where a squad's bundles are kept: an S3-compatible bucket (AWS S3, or a department's own
//! Ceph, SeaweedFS or MinIO) or a plain folder (a network drive, a folder Syncthing keeps in
//! step). Both are reached through `object_store`, so the exchange has one code path.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::path::Path as ObjectPath;
use object_store::{BackoffConfig, ClientOptions, ObjectStore, RetryConfig};
use serde::{Deserialize, Serialize};

use super::ExchangeError;

/// The storage a squad exchanges through, as set with `exchange set` or in Settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Target {
    S3 {
        bucket: String,
        /// The folder inside the bucket ("" for the bucket's top).
        prefix: String,
        endpoint: Option<String>,
        region: Option<String>,
        /// Plain http (loopback test servers only); https otherwise.
        allow_http: bool,
    },
    Folder {
        path: PathBuf,
    },
}

/// An access key for S3 storage, kept sealed in the log.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct Credentials {
    pub access_key_id: String,
    pub secret_access_key: zeroize::Zeroizing<String>,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Credentials { .. }")
    }
}

/// The target with the credentials kept for it, as the log keeps them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetSettings {
    pub target: Target,
    pub credentials: Option<Credentials>,
}

impl Target {
    /// Reads `s3://BUCKET/PREFIX` or a folder path.
    pub fn parse(
        text: &str,
        endpoint: Option<String>,
        region: Option<String>,
        allow_http: bool,
    ) -> Result<Target, ExchangeError> {
        let text = text.trim();
        if let Some(rest) = text.strip_prefix("s3://") {
            let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
            if bucket.is_empty() {
                return Err(ExchangeError::BadTarget(
                    "an s3:// target needs a bucket name, as in s3://squad-bucket/beatbook".into(),
                ));
            }
            if let Some(url) = &endpoint {
                if url.starts_with("http://") && !allow_http {
                    return Err(ExchangeError::BadTarget(
                        "the endpoint is plain http, which sends everything unprotected; \
                         add --allow-http only for a test server on this computer"
                            .into(),
                    ));
                }
            }
            return Ok(Target::S3 {
                bucket: bucket.to_string(),
                prefix: prefix.trim_matches('/').to_string(),
                endpoint,
                region,
                allow_http,
            });
        }
        if text.is_empty() {
            return Err(ExchangeError::BadTarget(
                "give an s3://bucket/prefix or a folder".into(),
            ));
        }
        let path = PathBuf::from(text);
        let path = if path.is_absolute() {
            path
        } else {
            std::env::current_dir()
                .map_err(|e| {
                    ExchangeError::BadTarget(format!("the current folder is unknown ({e})"))
                })?
                .join(path)
        };
        Ok(Target::Folder { path })
    }

    /// In words, without credentials ("s3://squad-bucket/beatbook at https://s3.example.org").
    pub fn describe(&self) -> String {
        match self {
            Target::S3 {
                bucket,
                prefix,
                endpoint,
                ..
            } => {
                let at = endpoint
                    .as_deref()
                    .map(|e| format!(" at {e}"))
                    .unwrap_or_default();
                format!("s3://{bucket}/{prefix}{at}")
            }
            Target::Folder { path } => format!("the folder {}", path.display()),
        }
    }
}

/// The storage itself, and the path inside it under which the squad's objects are kept.
pub(crate) struct Opened {
    pub store: Arc<dyn ObjectStore>,
    pub root: ObjectPath,
}

/// How long the exchange waits on the storage before calling it unreachable: a laptop offline
/// must not sit in retries for minutes.
fn client_options() -> ClientOptions {
    ClientOptions::new()
        .with_connect_timeout(Duration::from_secs(5))
        .with_timeout(Duration::from_secs(60))
}

fn retry() -> RetryConfig {
    RetryConfig {
        backoff: BackoffConfig::default(),
        max_retries: 2,
        retry_timeout: Duration::from_secs(20),
    }
}

impl TargetSettings {
    pub(crate) fn open(&self) -> Result<Opened, ExchangeError> {
        match &self.target {
            Target::Folder { path } => {
                if !path.is_dir() {
                    return Err(ExchangeError::Unreachable(format!(
                        "the folder {} is not there (is the network drive connected?)",
                        path.display()
                    )));
                }
                let store = LocalFileSystem::new_with_prefix(path)
                    .map_err(|e| ExchangeError::Unreachable(e.to_string()))?;
                Ok(Opened {
                    store: Arc::new(store),
                    root: ObjectPath::from("beatbook"),
                })
            }
            Target::S3 {
                bucket,
                prefix,
                endpoint,
                region,
                allow_http,
            } => {
                // The standard AWS environment variables first, then what the log keeps, then
                // the profile files.
                let mut builder = AmazonS3Builder::from_env()
                    .with_bucket_name(bucket)
                    // Client options first: allow_http is one of them.
                    .with_client_options(client_options())
                    .with_allow_http(*allow_http)
                    .with_retry(retry());
                if let Some(endpoint) = endpoint {
                    builder = builder.with_endpoint(endpoint);
                }
                builder = builder.with_region(
                    region
                        .clone()
                        .or_else(|| std::env::var("AWS_REGION").ok())
                        .or_else(|| std::env::var("AWS_DEFAULT_REGION").ok())
                        .unwrap_or_else(|| "us-east-1".into()),
                );
                let from_env = [
                    "AWS_ACCESS_KEY_ID",
                    "AWS_WEB_IDENTITY_TOKEN_FILE",
                    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
                ]
                .iter()
                .any(|name| std::env::var_os(name).is_some());
                if !from_env {
                    // A laptop has no instance to ask for a key: without one, say so rather
                    // than wait on the cloud's metadata service.
                    let c = self
                        .credentials
                        .clone()
                        .or_else(profile_credentials)
                        .ok_or(ExchangeError::NoCredentials)?;
                    builder = builder
                        .with_access_key_id(c.access_key_id)
                        .with_secret_access_key(c.secret_access_key.as_str());
                }
                let store = builder
                    .build()
                    .map_err(|e| ExchangeError::BadTarget(e.to_string()))?;
                Ok(Opened {
                    store: Arc::new(store),
                    root: ObjectPath::from(prefix.as_str()),
                })
            }
        }
    }
}

/// The access key of the AWS profile (`AWS_PROFILE`, else "default") in the shared
/// credentials file (`AWS_SHARED_CREDENTIALS_FILE`, else ~/.aws/credentials).
fn profile_credentials() -> Option<Credentials> {
    let file = std::env::var_os("AWS_SHARED_CREDENTIALS_FILE")
        .map(PathBuf::from)
        .or_else(|| directories::BaseDirs::new().map(|d| d.home_dir().join(".aws/credentials")))?;
    let text = std::fs::read_to_string(file).ok()?;
    let profile = std::env::var("AWS_PROFILE").unwrap_or_else(|_| "default".into());
    credentials_in(&text, &profile)
}

fn credentials_in(text: &str, profile: &str) -> Option<Credentials> {
    let mut in_profile = false;
    let (mut id, mut secret) = (None, None);
    for line in text.lines().map(str::trim) {
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            in_profile = name.trim() == profile;
            continue;
        }
        if !in_profile {
            continue;
        }
        if let Some((k, v)) = line.split_once('=') {
            match k.trim() {
                "aws_access_key_id" => id = Some(v.trim().to_string()),
                "aws_secret_access_key" => secret = Some(v.trim().to_string()),
                _ => {}
            }
        }
    }
    Some(Credentials {
        access_key_id: id?,
        secret_access_key: zeroize::Zeroizing::new(secret?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_profile_file_gives_the_named_profile_s_key() {
        let text = "[default]\naws_access_key_id = A1\naws_secret_access_key = S1\n\
                    [squad]\naws_access_key_id=A2\naws_secret_access_key=S2\n";
        let c = credentials_in(text, "squad").unwrap();
        assert_eq!(c.access_key_id, "A2");
        assert_eq!(c.secret_access_key.as_str(), "S2");
        assert!(credentials_in(text, "other").is_none());
    }

    #[test]
    fn targets_are_read_and_plain_http_needs_to_be_asked_for() {
        let t = Target::parse("s3://b/squad/4", None, None, false).unwrap();
        assert!(
            matches!(t, Target::S3 { ref bucket, ref prefix, .. } if bucket == "b" && prefix == "squad/4")
        );
        let err = Target::parse("s3://b", Some("http://127.0.0.1:8333".into()), None, false)
            .unwrap_err()
            .to_string();
        assert!(err.contains("--allow-http"), "{err}");
        assert!(Target::parse("s3:///x", None, None, false).is_err());
    }
}
