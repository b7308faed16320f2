//! TEMP STUB (replaced by the lexicon branch).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelProblem {
    LoneCommonWord,
}
pub fn label_problem(display: &str) -> Option<LabelProblem> {
    let w: Vec<&str> = display.split_whitespace().collect();
    if w.len() == 1 && !w[0].chars().next().is_some_and(char::is_uppercase) {
        return Some(LabelProblem::LoneCommonWord);
    }
    None
}
