//! TEMP STUB (replaced by the lexicon branch).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TopicType {
    Person,
    Organization,
    Place,
    Event,
    Product,
    Concept,
    Unknown,
}
impl TopicType {
    pub fn as_str(self) -> &'static str {
        match self {
            TopicType::Person => "person",
            TopicType::Organization => "organization",
            TopicType::Place => "place",
            TopicType::Event => "event",
            TopicType::Product => "product",
            TopicType::Concept => "concept",
            TopicType::Unknown => "unknown",
        }
    }
}
pub fn classify(_label: &str, _evidence: &[&str], is_story: bool) -> TopicType {
    if is_story {
        TopicType::Event
    } else {
        TopicType::Unknown
    }
}
