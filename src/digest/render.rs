//! Rendering a digest to HTML and plain text with the editable minijinja
//! templates in `config/templates/` (the copies built into the binary are
//! used when the folder has none).
//!
//! The HTML template is rendered with auto-escaping on: every value from a
//! feed is escaped, so a title such as `<script>` or `"><img src=…>` shows
//! as text and cannot add markup, scripts or tracking pixels to the mail.

use std::path::Path;

use anyhow::{Context, Result};
use minijinja::{AutoEscape, Environment};

use super::model::Digest;

const HTML: &str = "digest.html.j2";
const TEXT: &str = "digest.txt.j2";
const TOPIC: &str = "topic.html.j2";
const BUILTIN_HTML: &str = include_str!("../../config/templates/digest.html.j2");
const BUILTIN_TEXT: &str = include_str!("../../config/templates/digest.txt.j2");
const BUILTIN_TOPIC: &str = include_str!("../../config/templates/topic.html.j2");

/// The digest as an e-mail body in both forms.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub html: String,
    pub text: String,
    /// The topic page written beside the digest: (file name, HTML).
    pub topic_page: Option<(String, String)>,
}

/// Loads the templates from `dir` (falling back to the built-in ones).
pub struct Renderer {
    env: Environment<'static>,
}

impl Renderer {
    pub fn new(dir: &Path) -> Result<Renderer> {
        let mut env = Environment::new();
        env.set_auto_escape_callback(|name| {
            if name.ends_with(".html.j2") || name.ends_with(".html") {
                AutoEscape::Html
            } else {
                AutoEscape::None
            }
        });
        // `{{ t.name|headline }}`: a capital to start a heading, without
        // flattening the topic's own capitals ("TikTok Shop", "eBay").
        env.add_filter("headline", |s: String| super::starters::capitalise(&s));
        for (name, builtin) in [
            (HTML, BUILTIN_HTML),
            (TEXT, BUILTIN_TEXT),
            (TOPIC, BUILTIN_TOPIC),
        ] {
            let path = dir.join(name);
            let source = match std::fs::read_to_string(&path) {
                Ok(s) => s,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => builtin.to_owned(),
                Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
            };
            env.add_template_owned(name, source)
                .map_err(|e| anyhow::anyhow!("template {}: {e:#}", path.display()))?;
        }
        Ok(Renderer { env })
    }

    pub fn render(&self, digest: &Digest) -> Result<Rendered> {
        let render = |name: &str| -> Result<String> {
            self.env
                .get_template(name)?
                .render(minijinja::value::Serde(digest))
                .map_err(|e| anyhow::anyhow!("cannot render {name}: {e:#}"))
        };
        Ok(Rendered {
            html: render(HTML)?,
            text: render(TEXT)?,
            topic_page: self.topic_page(digest)?,
        })
    }

    /// Each topic's history on one page, or `None` for a digest composed
    /// without them.
    fn topic_page(&self, digest: &Digest) -> Result<Option<(String, String)>> {
        if digest.topic_pages.is_empty() {
            return Ok(None);
        }
        let pages: Vec<serde_json::Value> = digest
            .topics
            .iter()
            .zip(&digest.topic_pages)
            .enumerate()
            .map(|(i, (t, r))| {
                serde_json::json!({
                    "anchor": format!("topic-{}", i + 1),
                    "name": super::starters::capitalise(&t.name),
                    "command": t.command,
                    "report": r,
                })
            })
            .collect();
        let html = self
            .env
            .get_template(TOPIC)?
            .render(minijinja::value::Serde(serde_json::json!({
                "date_long": digest.date_long,
                "pages": pages,
            })))
            .map_err(|e| anyhow::anyhow!("cannot render {TOPIC}: {e:#}"))?;
        Ok(Some((super::record::topic_page_name(&digest.period), html)))
    }
}
