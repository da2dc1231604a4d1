//! Site settings. Read once at start: built-in defaults, then `newsdesk.toml` in the data
//! directory (or the file named by `--config`), then `NEWSDESK_*` environment variables. Raw
//! values are parsed into [`RawSite`] and validated into [`SiteConfig`], so the rest of the
//! program only ever sees settings that make sense.

use crate::domain::Lang;
use jiff::tz::TimeZone;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Settings that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read the config file {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("the config file {path} is not valid: {message}")]
    Parse { path: PathBuf, message: String },
    #[error("setting {key}: {message}")]
    Invalid { key: &'static str, message: String },
}

/// The settings file as written by an operator; every field optional.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RawSite {
    /// The site's name per language code.
    pub name: BTreeMap<String, String>,
    /// Absolute URL the site is reached at, used in feeds, canonical links and sitemaps.
    pub base_url: Option<String>,
    pub languages: Option<Vec<String>>,
    pub default_language: Option<String>,
    /// IANA time zone name; dates are shown and entered in it.
    pub time_zone: Option<String>,
    /// Items per list page.
    pub page_size: Option<u32>,
}

/// The `[webhooks]` table as written by an operator.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RawWebhooks {
    /// Whether webhooks may be sent to loopback, private and other internal addresses.
    pub allow_private_targets: Option<bool>,
}

impl RawWebhooks {
    /// Applies `NEWSDESK_WEBHOOKS_*` overrides from the environment.
    pub fn apply_env(&mut self, get: impl Fn(&str) -> Option<String>) -> Result<(), ConfigError> {
        if let Some(v) = get("NEWSDESK_WEBHOOKS_ALLOW_PRIVATE") {
            let allow = match v.trim().to_ascii_lowercase().as_str() {
                "true" | "1" | "yes" => true,
                "false" | "0" | "no" => false,
                _ => {
                    return Err(ConfigError::Invalid {
                        key: "NEWSDESK_WEBHOOKS_ALLOW_PRIVATE",
                        message: format!("'{v}' is neither true nor false"),
                    });
                }
            };
            self.allow_private_targets = Some(allow);
        }
        Ok(())
    }

    pub fn validate(self) -> WebhookSettings {
        WebhookSettings { allow_private_targets: self.allow_private_targets.unwrap_or(false) }
    }
}

/// Validated webhook settings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WebhookSettings {
    /// Off by default: a subscription could otherwise make the server call into its own
    /// network (server-side request forgery). On for tests and intranet receivers.
    pub allow_private_targets: bool,
}

/// The `[server]` table as written by an operator.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RawServer {
    /// Addresses and networks of the load balancers and proxies in front of the node
    /// (`"10.0.0.0/8"`, `"127.0.0.1"`): only from them are `Forwarded` and `X-Forwarded-For`
    /// believed.
    pub trusted_proxies: Option<Vec<String>>,
    /// Where `/metrics` is served instead of the site's own address (`"127.0.0.1:9100"`), so
    /// that only the monitoring network reaches it.
    pub metrics_address: Option<String>,
}

impl RawServer {
    /// Applies `NEWSDESK_TRUSTED_PROXIES` (comma-separated) from the environment.
    pub fn apply_env(&mut self, get: impl Fn(&str) -> Option<String>) {
        if let Some(v) = get("NEWSDESK_TRUSTED_PROXIES") {
            self.trusted_proxies =
                Some(v.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect());
        }
        if let Some(v) = get("NEWSDESK_METRICS_ADDR") {
            self.metrics_address = Some(v.trim().to_string());
        }
    }

    /// The separate address for `/metrics`, if one is set.
    pub fn metrics_address(&self) -> Result<Option<std::net::SocketAddr>, ConfigError> {
        self.metrics_address
            .as_deref()
            .map(|raw| {
                raw.parse().map_err(|_| ConfigError::Invalid {
                    key: "server.metrics_address",
                    message: format!("'{raw}' is not an address and port such as 127.0.0.1:9100"),
                })
            })
            .transpose()
    }

    pub fn validate(self) -> Result<TrustedProxies, ConfigError> {
        let mut nets = Vec::new();
        for raw in self.trusted_proxies.unwrap_or_default() {
            let net = raw
                .parse::<ipnet::IpNet>()
                .or_else(|_| raw.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                .map_err(|_| ConfigError::Invalid {
                    key: "server.trusted_proxies",
                    message: format!("'{raw}' is neither an IP address nor a network such as 10.0.0.0/8"),
                })?;
            nets.push(net);
        }
        Ok(TrustedProxies(nets))
    }
}

/// The proxies whose forwarding headers are believed (none by default: a client could
/// otherwise claim any address and slip past the sign-in throttle).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(pub Vec<ipnet::IpNet>);

impl TrustedProxies {
    pub fn trusts(&self, ip: std::net::IpAddr) -> bool {
        let ip = canonical(ip);
        self.0.iter().any(|net| net.contains(&ip))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// An IPv4 address carried in IPv6 (`::ffff:10.0.0.1`, as a dual-stack socket reports it) is
/// the IPv4 address.
pub fn canonical(ip: std::net::IpAddr) -> std::net::IpAddr {
    match ip {
        std::net::IpAddr::V6(v6) => v6.to_ipv4_mapped().map(std::net::IpAddr::V4).unwrap_or(ip),
        v4 => v4,
    }
}

/// The whole config file: `[site]`, `[server]` and `[webhooks]`; later sections add mail,
/// media and so on.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RawConfig {
    pub site: RawSite,
    pub server: RawServer,
    pub webhooks: RawWebhooks,
    pub media: RawMedia,
    pub search: RawSearch,
}

/// The `[search]` table.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RawSearch {
    /// How often, in hours, a node publishes the search index's snapshot to the shared media
    /// store for new nodes to start from (with `[media] store = "s3"` only); 0 never does.
    pub snapshot_hours: Option<u32>,
}

/// How often the search index's snapshot is published unless `[search] snapshot_hours` says.
pub const DEFAULT_SNAPSHOT_HOURS: u32 = 6;

impl RawSearch {
    /// Applies `NEWSDESK_SEARCH_SNAPSHOT_HOURS`.
    pub fn apply_env(&mut self, get: impl Fn(&str) -> Option<String>) -> Result<(), ConfigError> {
        if let Some(v) = get("NEWSDESK_SEARCH_SNAPSHOT_HOURS") {
            let hours = v.trim().parse().map_err(|_| ConfigError::Invalid {
                key: "NEWSDESK_SEARCH_SNAPSHOT_HOURS",
                message: format!("'{v}' is not a whole number of hours (0 turns snapshots off)"),
            })?;
            self.snapshot_hours = Some(hours);
        }
        Ok(())
    }

    /// How often the snapshot is published; `None` when never.
    pub fn snapshot_every(&self) -> Option<std::time::Duration> {
        match self.snapshot_hours.unwrap_or(DEFAULT_SNAPSHOT_HOURS) {
            0 => None,
            hours => Some(std::time::Duration::from_secs(u64::from(hours) * 3600)),
        }
    }
}

/// The `[media]` table: where photos live.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RawMedia {
    /// `local` (the default: `DATA/media`) or `s3`.
    pub store: Option<String>,
    pub bucket: Option<String>,
    pub endpoint: Option<String>,
    pub region: Option<String>,
    /// Where readers fetch photos instead of through the node (a CDN before the bucket).
    pub public_url: Option<String>,
}

impl RawMedia {
    /// Applies `NEWSDESK_MEDIA_STORE`, `NEWSDESK_MEDIA_S3_ENDPOINT`, `NEWSDESK_MEDIA_S3_BUCKET`,
    /// `NEWSDESK_MEDIA_S3_REGION` and `NEWSDESK_MEDIA_PUBLIC_URL`.
    pub fn apply_env(&mut self, get: impl Fn(&str) -> Option<String>) {
        let fields: [(&str, &mut Option<String>); 5] = [
            ("NEWSDESK_MEDIA_STORE", &mut self.store),
            ("NEWSDESK_MEDIA_S3_ENDPOINT", &mut self.endpoint),
            ("NEWSDESK_MEDIA_S3_BUCKET", &mut self.bucket),
            ("NEWSDESK_MEDIA_S3_REGION", &mut self.region),
            ("NEWSDESK_MEDIA_PUBLIC_URL", &mut self.public_url),
        ];
        for (name, field) in fields {
            if let Some(v) = get(name) {
                *field = Some(v.trim().to_string());
            }
        }
    }

    /// The store these settings describe; S3 credentials come from `AWS_ACCESS_KEY_ID` and
    /// `AWS_SECRET_ACCESS_KEY` (never from the file, which is often readable by more people).
    pub fn validate(
        self,
        get: impl Fn(&str) -> Option<String>,
    ) -> Result<crate::media::StoreConfig, ConfigError> {
        use crate::media::{S3Config, StoreConfig};
        let invalid = |key: &'static str, message: String| ConfigError::Invalid { key, message };
        match self.store.as_deref().map(str::trim).unwrap_or("local") {
            "local" | "" => Ok(StoreConfig::Local),
            "s3" => {
                let required = |value: Option<String>, key: &'static str, env: &str| {
                    value.filter(|v| !v.trim().is_empty()).ok_or_else(|| {
                        invalid(key, format!("is required with media.store = \"s3\" (or set {env})"))
                    })
                };
                let endpoint = required(self.endpoint, "media.endpoint", "NEWSDESK_MEDIA_S3_ENDPOINT")?;
                if !(endpoint.starts_with("http://") || endpoint.starts_with("https://")) {
                    return Err(invalid(
                        "media.endpoint",
                        format!("'{endpoint}' is not an http(s) address such as http://127.0.0.1:3900"),
                    ));
                }
                let bucket = required(self.bucket, "media.bucket", "NEWSDESK_MEDIA_S3_BUCKET")?;
                let region = self.region.filter(|r| !r.is_empty()).unwrap_or_else(|| "us-east-1".into());
                let credential = |name: &str| {
                    get(name).filter(|v| !v.trim().is_empty()).ok_or_else(|| {
                        invalid(
                            "media.store",
                            "\"s3\" needs the bucket's credentials in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
                                .into(),
                        )
                    })
                };
                let (access_key, secret_key) =
                    (credential("AWS_ACCESS_KEY_ID")?, credential("AWS_SECRET_ACCESS_KEY")?);
                let public_url =
                    self.public_url.filter(|u| !u.is_empty()).map(|u| u.trim_end_matches('/').to_string());
                if let Some(u) = &public_url
                    && !(u.starts_with("https://") || u.starts_with("http://"))
                {
                    return Err(invalid("media.public_url", format!("'{u}' is not an http(s) address")));
                }
                Ok(StoreConfig::S3(S3Config { endpoint, bucket, region, access_key, secret_key, public_url }))
            }
            other => Err(invalid("media.store", format!("'{other}' is neither \"local\" nor \"s3\""))),
        }
    }
}

/// Validated site settings.
#[derive(Debug, Clone)]
pub struct SiteConfig {
    pub names: BTreeMap<String, String>,
    /// Without a trailing slash.
    pub base_url: String,
    /// Whether an operator set `base_url` (else it is a default that `serve` replaces with the
    /// address it listens on).
    pub base_url_configured: bool,
    pub languages: Vec<Lang>,
    pub default_language: Lang,
    pub time_zone: TimeZone,
    pub time_zone_name: String,
    pub page_size: u32,
    /// Kept here so every part of a node that has the site settings has these too.
    pub webhooks: WebhookSettings,
    pub trusted_proxies: TrustedProxies,
    /// Where `/metrics` is served when not at the site's own address.
    pub metrics_address: Option<std::net::SocketAddr>,
    /// How often the search index's snapshot is published to a shared store (`[search]`).
    pub search_snapshot_every: Option<std::time::Duration>,
}

impl SiteConfig {
    /// The site's name in `lang`, falling back to the default language's.
    pub fn name(&self, lang: &Lang) -> &str {
        self.names
            .get(lang.as_str())
            .or_else(|| self.names.get(self.default_language.as_str()))
            .map(String::as_str)
            .unwrap_or("Newsdesk")
    }

    /// The language for a path segment, if the site runs in it.
    pub fn language(&self, code: &str) -> Option<&Lang> {
        self.languages.iter().find(|l| l.as_str() == code)
    }

    /// Whether links and cookies should be marked secure.
    pub fn is_https(&self) -> bool {
        self.base_url.starts_with("https://")
    }

    /// Defaults for tests and first runs: English and Russian, Moscow time.
    pub fn default_for_test() -> SiteConfig {
        RawSite::default().validate().expect("defaults are valid")
    }
}

impl RawSite {
    /// Applies `NEWSDESK_*` overrides from the environment.
    pub fn apply_env(&mut self, get: impl Fn(&str) -> Option<String>) {
        if let Some(v) = get("NEWSDESK_BASE_URL") {
            self.base_url = Some(v);
        }
        if let Some(v) = get("NEWSDESK_LANGUAGES") {
            self.languages = Some(v.split(',').map(|s| s.trim().to_string()).collect());
        }
        if let Some(v) = get("NEWSDESK_DEFAULT_LANGUAGE") {
            self.default_language = Some(v);
        }
        if let Some(v) = get("NEWSDESK_TIME_ZONE") {
            self.time_zone = Some(v);
        }
        if let Some(v) = get("NEWSDESK_PAGE_SIZE").and_then(|v| v.parse().ok()) {
            self.page_size = Some(v);
        }
        for lang in self.languages.clone().unwrap_or_else(|| vec!["en".into(), "ru".into()]) {
            if let Some(v) = get(&format!("NEWSDESK_SITE_NAME_{}", lang.to_ascii_uppercase())) {
                self.name.insert(lang.to_ascii_lowercase(), v);
            }
        }
    }

    /// Checks every value and fills in defaults.
    pub fn validate(self) -> Result<SiteConfig, ConfigError> {
        let invalid = |key, message: String| ConfigError::Invalid { key, message };
        let codes = self.languages.unwrap_or_else(|| vec!["en".into(), "ru".into()]);
        let mut languages = Vec::new();
        for code in &codes {
            let lang = Lang::parse(code).map_err(|e| invalid("site.languages", e.to_string()))?;
            if !languages.contains(&lang) {
                languages.push(lang);
            }
        }
        if languages.is_empty() {
            return Err(invalid("site.languages", "at least one language is needed".into()));
        }
        let default_language = match self.default_language {
            Some(code) => Lang::parse(&code).map_err(|e| invalid("site.default_language", e.to_string()))?,
            None => languages[0].clone(),
        };
        if !languages.contains(&default_language) {
            return Err(invalid(
                "site.default_language",
                format!("'{default_language}' is not among site.languages"),
            ));
        }
        let base_url_configured = self.base_url.is_some();
        let base_url = self.base_url.unwrap_or_else(|| "http://127.0.0.1:8080".into());
        let base_url = base_url.trim_end_matches('/').to_string();
        if !(base_url.starts_with("http://") || base_url.starts_with("https://"))
            || base_url.contains(char::is_whitespace)
            || base_url.len() < "http://x".len()
        {
            return Err(invalid("site.base_url", format!("'{base_url}' is not an http(s) URL")));
        }
        let time_zone_name = self.time_zone.unwrap_or_else(|| "Europe/Moscow".into());
        let time_zone = TimeZone::get(&time_zone_name).map_err(|_| {
            invalid("site.time_zone", format!("'{time_zone_name}' is not a known IANA time zone"))
        })?;
        let page_size = self.page_size.unwrap_or(20);
        if !(1..=200).contains(&page_size) {
            return Err(invalid("site.page_size", format!("{page_size} is not between 1 and 200")));
        }
        let mut names = self.name;
        names.entry("en".into()).or_insert_with(|| "Newsdesk".into());
        names.entry("ru".into()).or_insert_with(|| "Ньюсдеск".into());
        Ok(SiteConfig {
            names,
            base_url,
            base_url_configured,
            languages,
            default_language,
            time_zone,
            time_zone_name,
            page_size,
            webhooks: WebhookSettings::default(),
            trusted_proxies: TrustedProxies::default(),
            metrics_address: None,
            search_snapshot_every: RawSearch::default().snapshot_every(),
        })
    }
}

/// Everything a command needs to find its data and settings.
#[derive(Debug, Clone)]
pub struct Config {
    pub data_dir: PathBuf,
    pub database_url: String,
    pub site: SiteConfig,
    /// Where photos live.
    pub media: crate::media::StoreConfig,
}

impl Config {
    /// Loads settings for the given data directory; `config_file` overrides the default
    /// location (`DATA/newsdesk.toml`), which may be absent.
    pub fn load(
        data_dir: &Path,
        database_url: Option<String>,
        config_file: Option<&Path>,
    ) -> Result<Config, ConfigError> {
        let default_file = data_dir.join("newsdesk.toml");
        let (path, required) = match config_file {
            Some(p) => (p.to_path_buf(), true),
            None => (default_file, false),
        };
        let raw: RawConfig = match std::fs::read_to_string(&path) {
            Ok(text) => toml::from_str(&text)
                .map_err(|e| ConfigError::Parse { path: path.clone(), message: e.message().to_string() })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => RawConfig::default(),
            Err(source) => return Err(ConfigError::Read { path, source }),
        };
        let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        let mut site = raw.site;
        site.apply_env(env);
        let mut site = site.validate()?;
        let mut webhooks = raw.webhooks;
        webhooks.apply_env(env)?;
        site.webhooks = webhooks.validate();
        let mut server = raw.server;
        server.apply_env(env);
        site.metrics_address = server.metrics_address()?;
        site.trusted_proxies = server.validate()?;
        let mut search = raw.search;
        search.apply_env(env)?;
        site.search_snapshot_every = search.snapshot_every();
        let mut media = raw.media;
        media.apply_env(env);
        let media = media.validate(env)?;
        let database_url =
            database_url.unwrap_or_else(|| format!("sqlite://{}", data_dir.join("newsdesk.db").display()));
        Ok(Config { data_dir: data_dir.to_path_buf(), database_url, site, media })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_need_no_configuration() {
        let site = SiteConfig::default_for_test();
        assert_eq!(site.languages.len(), 2);
        assert_eq!(site.default_language.as_str(), "en");
        assert_eq!(site.time_zone_name, "Europe/Moscow");
        assert_eq!(site.base_url, "http://127.0.0.1:8080");
    }

    #[test]
    fn environment_overrides_the_file() {
        let mut raw: RawConfig =
            toml::from_str("[site]\nbase_url = \"https://a.example/\"\nlanguages = [\"ru\", \"en\"]\n")
                .unwrap();
        raw.site.apply_env(|k| match k {
            "NEWSDESK_TIME_ZONE" => Some("Asia/Almaty".into()),
            "NEWSDESK_SITE_NAME_RU" => Some("Пресс-служба".into()),
            _ => None,
        });
        let site = raw.site.validate().unwrap();
        assert_eq!(site.base_url, "https://a.example");
        assert_eq!(site.default_language.as_str(), "ru");
        assert_eq!(site.time_zone_name, "Asia/Almaty");
        assert_eq!(site.name(&Lang::parse("ru").unwrap()), "Пресс-служба");
        assert!(site.is_https());
    }

    #[test]
    fn bad_values_are_named() {
        let cases = [
            ("[site]\ntime_zone = \"Mars/Olympus\"", "site.time_zone"),
            ("[site]\nlanguages = [\"english\"]", "site.languages"),
            ("[site]\ndefault_language = \"de\"", "site.default_language"),
            ("[site]\nbase_url = \"ftp://x\"", "site.base_url"),
            ("[site]\npage_size = 0", "site.page_size"),
        ];
        for (text, key) in cases {
            let raw: RawConfig = toml::from_str(text).unwrap();
            match raw.site.validate() {
                Err(ConfigError::Invalid { key: k, .. }) => assert_eq!(k, key),
                other => panic!("{text}: {other:?}"),
            }
        }
        assert!(toml::from_str::<RawConfig>("[site]\nunknown = 1").is_err());
    }

    #[test]
    fn search_snapshots_every_six_hours_unless_told() {
        let hours = |raw: &RawSearch| raw.snapshot_every().map(|d| d.as_secs() / 3600);
        assert_eq!(hours(&RawSearch::default()), Some(6));
        let raw: RawConfig = toml::from_str("[search]\nsnapshot_hours = 0").unwrap();
        assert_eq!(hours(&raw.search), None, "0 turns them off");
        let mut raw = RawSearch::default();
        raw.apply_env(|k| (k == "NEWSDESK_SEARCH_SNAPSHOT_HOURS").then(|| " 24 ".into())).unwrap();
        assert_eq!(hours(&raw), Some(24));
        for bad in ["soon", "-1", "1.5"] {
            let err = RawSearch::default()
                .apply_env(|k| (k == "NEWSDESK_SEARCH_SNAPSHOT_HOURS").then(|| bad.into()))
                .unwrap_err();
            assert!(err.to_string().contains("NEWSDESK_SEARCH_SNAPSHOT_HOURS"), "{bad}: {err}");
        }
        assert!(toml::from_str::<RawConfig>("[search]\nsnapshot_hours = \"six\"").is_err());
    }

    #[test]
    fn private_webhook_targets_are_refused_unless_allowed() {
        assert!(!SiteConfig::default_for_test().webhooks.allow_private_targets);
        let raw: RawConfig = toml::from_str("[webhooks]\nallow_private_targets = true").unwrap();
        assert!(raw.webhooks.validate().allow_private_targets);
        let mut raw: RawConfig = toml::from_str("[webhooks]\nallow_private_targets = true").unwrap();
        raw.webhooks.apply_env(|k| (k == "NEWSDESK_WEBHOOKS_ALLOW_PRIVATE").then(|| "false".into())).unwrap();
        assert!(!raw.webhooks.validate().allow_private_targets);
        let mut raw = RawWebhooks::default();
        assert!(raw.apply_env(|_| Some("maybe".into())).is_err());
        assert!(toml::from_str::<RawConfig>("[webhooks]\nallow_private = true").is_err());
    }

    #[test]
    fn media_on_s3_needs_a_bucket_an_endpoint_and_credentials() {
        use crate::media::{S3Config, StoreConfig};
        let creds = |k: &str| match k {
            "AWS_ACCESS_KEY_ID" => Some("GK1".to_string()),
            "AWS_SECRET_ACCESS_KEY" => Some("s3cret".to_string()),
            _ => None,
        };
        assert_eq!(RawMedia::default().validate(creds).unwrap(), StoreConfig::Local);
        let raw: RawConfig = toml::from_str(
            "[media]\nstore = \"s3\"\nbucket = \"photos\"\nendpoint = \"http://127.0.0.1:3900\"\n\
             public_url = \"https://cdn.example.org/photos/\"",
        )
        .unwrap();
        let StoreConfig::S3(s3) = raw.media.validate(creds).unwrap() else { panic!("s3 expected") };
        assert_eq!(
            (s3.bucket.as_str(), s3.region.as_str(), s3.access_key.as_str()),
            ("photos", "us-east-1", "GK1")
        );
        assert_eq!(s3.public_url.as_deref(), Some("https://cdn.example.org/photos"));

        let mut env_only = RawMedia::default();
        env_only.apply_env(|k| match k {
            "NEWSDESK_MEDIA_STORE" => Some("s3".into()),
            "NEWSDESK_MEDIA_S3_ENDPOINT" => Some("http://garage:3900".into()),
            "NEWSDESK_MEDIA_S3_BUCKET" => Some("b".into()),
            "NEWSDESK_MEDIA_S3_REGION" => Some("garage".into()),
            _ => None,
        });
        assert!(
            matches!(env_only.validate(creds), Ok(StoreConfig::S3(S3Config { ref region, .. })) if region == "garage")
        );

        let err =
            |raw: RawMedia, env: &dyn Fn(&str) -> Option<String>| raw.validate(env).unwrap_err().to_string();
        let s3 = |bucket: Option<&str>, endpoint: Option<&str>| RawMedia {
            store: Some("s3".into()),
            bucket: bucket.map(Into::into),
            endpoint: endpoint.map(Into::into),
            ..RawMedia::default()
        };
        assert!(err(s3(None, Some("http://h:1")), &creds).contains("media.bucket"));
        assert!(err(s3(Some("b"), None), &creds).contains("media.endpoint"));
        assert!(err(s3(Some("b"), Some("h:1")), &creds).contains("not an http(s) address"));
        assert!(err(s3(Some("b"), Some("http://h:1")), &|_| None).contains("AWS_ACCESS_KEY_ID"));
        assert!(
            err(RawMedia { store: Some("ftp".into()), ..RawMedia::default() }, &creds)
                .contains("media.store")
        );
    }

    #[test]
    fn trusted_proxies_are_addresses_or_networks() {
        let raw: RawConfig =
            toml::from_str("[server]\ntrusted_proxies = [\"10.0.0.0/8\", \"192.0.2.7\", \"::1\"]").unwrap();
        let trusted = raw.server.validate().unwrap();
        assert!(trusted.trusts("10.20.30.40".parse().unwrap()));
        assert!(trusted.trusts("::ffff:192.0.2.7".parse().unwrap()), "IPv4 seen through a dual-stack socket");
        assert!(!trusted.trusts("192.0.2.8".parse().unwrap()));
        let mut raw = RawServer::default();
        raw.apply_env(|k| (k == "NEWSDESK_TRUSTED_PROXIES").then(|| "127.0.0.1, 10.1.0.0/16".into()));
        assert_eq!(raw.validate().unwrap().0.len(), 2);
        let bad =
            RawServer { trusted_proxies: Some(vec!["the load balancer".into()]), ..RawServer::default() }
                .validate();
        assert!(matches!(bad, Err(ConfigError::Invalid { key: "server.trusted_proxies", .. })));
        assert!(SiteConfig::default_for_test().trusted_proxies.is_empty(), "nobody is trusted by default");
    }
}
