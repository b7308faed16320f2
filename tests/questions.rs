//! Open questions that stand alone (issue 13): each drop rule and each
//! repair with real-looking cases, and precision and recall on the labelled
//! set of real feed and page text in `tests/fixtures/questions_real.tsv`.

use std::path::Path;

use tricorder::analyse::questions::{find, find_in_item, usable};

fn dropped(cases: &[&str]) {
    let kept: Vec<(&str, String)> = cases
        .iter()
        .filter_map(|c| usable(c).map(|q| (*c, q)))
        .collect();
    assert!(kept.is_empty(), "kept: {kept:#?}");
}

fn kept(cases: &[&str]) {
    let lost: Vec<&str> = cases
        .iter()
        .copied()
        .filter(|c| usable(c).as_deref() != Some(*c))
        .collect();
    assert!(lost.is_empty(), "lost: {lost:#?}");
}

fn repaired(cases: &[(&str, &str)]) {
    for (found, want) in cases {
        assert_eq!(usable(found).as_deref(), Some(*want), "{found}");
    }
}

#[test]
fn keeps_the_fields_open_questions() {
    kept(&[
        "Will the EU's Digital Markets Act change how gatekeepers share ad data?",
        "Can retail media networks agree on a common measurement standard?",
        "What happens to UK pensions if the budget passes?",
        "Is it too late for Europe to build its own cloud champions?",
        "Why is it so hard to measure the sales effect of retail media?",
        "Will there be a recession in Germany this year?",
        "Is AI search here to stay for online shoppers?",
        "Why do brands keep funding influencers they cannot measure?",
        "Retail media: is the boom already over?",
        "After a record quarter for Amazon, can Walmart's ad business keep up?",
        "The question now is: Will publishers lean in, or push back?",
    ]);
}

#[test]
fn drops_interview_questions() {
    dropped(&[
        "Q: How did you go from there to stand-up comedy?",
        "How did you go from there to stand-up comedy?",
        "Q How exactly does someone go from being an electrical engineer to a standup comedian?",
        "What was it like growing up above your parents' shop in Leeds?",
        "What was it like working with Spielberg?",
        "What is it like to be constantly on the road and traveling?",
        "How does it feel to be back on stage after ten years?",
        "Q. What advice would you give a founder raising a first round today?",
        "So what made you leave a safe job at Unilever?",
        "Why did I wait so long to switch providers?",
        "A: We tried everything, so why would we stop now?",
    ]);
}

#[test]
fn drops_questions_that_need_the_article() {
    dropped(&[
        "Is this a top-tier issue?",
        "Will that independence continue?",
        "So what are they about?",
        "Will the deal go ahead?",
        "What does this mean for advertisers?",
        "Is it too late?",
        "Can they pull it off?",
        "Will these changes stick?",
        "Is that the right call?",
        "How will those plans affect smaller sellers?",
        "How did we get here?",
        "When did he first realise the company was in trouble?",
        "What does she make of the criticism from shareholders?",
        "Who are the winners and losers?",
        "Could the move backfire?",
    ]);
}

#[test]
fn drops_teasers_quizzes_and_hooks() {
    dropped(&[
        "How closely have you been following the news?",
        "Can you name the five biggest advertisers in Britain?",
        "Which of these brands spent the most on TikTok last year?",
        "How Well Do You Know This Week’s Current Events?",
        "What could possibly go wrong?",
        "What's the catch?",
        "Is your pension on track?",
        "Question 3: Which retailer launched the first media network in the UK?",
        "1. Which retailer launched the first media network in the UK?",
        "When is the next Fed meeting?",
        "What time is the match on BBC One?",
        "What is the Digital Markets Act?",
        "Who is Kevin Warsh?",
        "How does the new state pension work?",
    ]);
}

#[test]
fn drops_tv_plot_trivia() {
    dropped(&[
        "Will Nadia finally tell Sam the truth in Thursday's episode?",
        "Who will win Love Island this year?",
        "Is Dan the killer in the Traitors finale?",
        "Which EastEnders character is leaving Albert Square?",
    ]);
    kept(&["Will Netflix's live sport deals pull advertisers away from linear TV?"]);
}

#[test]
fn drops_page_furniture_and_its_labels() {
    dropped(&[
        "Do you have information you want to share with the BBC?",
        "Have your say: should the voting age be lowered to 16?",
        "QUIZ: How much do you know about the budget?",
        "POLL: Should councils scrap fortnightly bin collections?",
        "READ MORE: Is this the end of the high street?",
        "WATCH: What happened next will shock you?",
        "Why am I seeing this ad?",
        "Was this article helpful?",
    ]);
}

#[test]
fn cuts_furniture_labels_when_a_question_remains() {
    repaired(&[
        (
            "READ MORE: Will the Bank of England cut rates in March?",
            "Will the Bank of England cut rates in March?",
        ),
        (
            "OPINION: Can the BBC survive without the licence fee?",
            "Can the BBC survive without the licence fee?",
        ),
        (
            "Analysis | Is the retail media boom already over?",
            "Is the retail media boom already over?",
        ),
        (
            "WATCH Can lab-grown meat ever be cheaper than beef?",
            "Can lab-grown meat ever be cheaper than beef?",
        ),
        (
            "EXPLAINER: Why are UK energy bills rising again in April?",
            "Why are UK energy bills rising again in April?",
        ),
    ]);
}

#[test]
fn cuts_the_author_or_outlet_after_a_headline_question() {
    repaired(&[
        (
            "Will the budget fix Britain's broken public finances? | Larry Elliott",
            "Will the budget fix Britain's broken public finances?",
        ),
        (
            "Can the high street survive another rise in business rates? - BBC News",
            "Can the high street survive another rise in business rates?",
        ),
        (
            "Read more from Sky News: Will the Bank of England hold rates in May?",
            "Will the Bank of England hold rates in May?",
        ),
    ]);
    dropped(&[
        "Weekly news quiz: Which footballer signed for Saudi club Al-Hilal?",
        "Is this the end of cheap flights? | Simon Calder",
    ]);
}

#[test]
fn cuts_captions_and_bylines_glued_before_a_question() {
    repaired(&[
        (
            "Photograph: Dan Kitwood/Getty Images Will the cost of living crisis change how Britain shops?",
            "Will the cost of living crisis change how Britain shops?",
        ),
        (
            "By Jane Smith, Technology reporter Can Europe's chipmakers compete with TSMC?",
            "Can Europe's chipmakers compete with TSMC?",
        ),
    ]);
    dropped(&["Photograph: Getty Images What was it like?"]);
}

#[test]
fn drops_broken_splits() {
    dropped(&[
        "featured in an RT?",
        "S. who would benefit most from the tax cut?",
        "…and who pays for the new stadium in the end?",
        "(and will the regulator step in before the merger closes?",
        "so who are the real winners from this budget?",
    ]);
    // The splitter does not cut after an initial or inside a quoted question.
    assert_eq!(
        find("Will J. K. Rowling's publisher move the release date?"),
        vec!["Will J. K. Rowling's publisher move the release date?"]
    );
}

#[test]
fn drops_mojibake() {
    dropped(&[
        "Will CafÃ© chains pass the higher wage bill on to customers?",
        "Can Europeâ€™s carmakers survive the price war with BYD?",
        "Is Â£500m enough to rescue the steel works at Port Talbot?",
        "Will the caf\u{FFFD} chains pass the wage bill on?",
    ]);
    kept(&["Can São Paulo's fintechs keep growing without cheap credit?"]);
}

#[test]
fn strips_stray_quotation_marks() {
    repaired(&[
        (
            "\"Will advertisers follow X's users to Threads and Bluesky?",
            "Will advertisers follow X's users to Threads and Bluesky?",
        ),
        (
            "Can Ofcom regulate video-sharing platforms based outside the UK?”",
            "Can Ofcom regulate video-sharing platforms based outside the UK?",
        ),
        (
            "“Should schools ban smartphones during lessons?”",
            "Should schools ban smartphones during lessons?",
        ),
    ]);
    kept(&["\"AI slop\" – is it driving readers away from news sites?"]);
}

/// Reads a labelled set (label, kind, text; `#` lines are notes) and returns
/// (precision, recall, lines, mistakes).
fn score(path: &str) -> (f64, f64, usize, Vec<String>) {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap();
    let (mut tp, mut fp, mut fn_, mut n) = (0, 0, 0, 0);
    let mut mistakes = Vec::new();
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .skip_while(|l| l.starts_with("label"))
    {
        let mut parts = line.splitn(3, '\t');
        let (Some(label), Some(_kind), Some(sentence)) = (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        let truth = label == "1";
        let found = !find(sentence).is_empty();
        n += 1;
        match (truth, found) {
            (true, true) => tp += 1,
            (false, true) => {
                fp += 1;
                mistakes.push(format!("false positive: {sentence}"));
            }
            (true, false) => {
                fn_ += 1;
                mistakes.push(format!("missed: {sentence}"));
            }
            _ => {}
        }
    }
    (
        tp as f64 / (tp + fp).max(1) as f64,
        tp as f64 / (tp + fn_).max(1) as f64,
        n,
        mistakes,
    )
}

#[test]
fn precision_and_recall_on_real_text() {
    let (precision, recall, n, mistakes) = score("tests/fixtures/questions_real.tsv");
    eprintln!(
        "questions_real.tsv: precision {precision:.3}, recall {recall:.3} on {n} lines\n{}",
        mistakes.join("\n")
    );
    assert!(n >= 150, "the labelled set has only {n} lines");
    assert!(
        precision >= 0.95,
        "precision {precision:.3}\n{}",
        mistakes.join("\n")
    );
    assert!(recall >= 0.9, "recall {recall:.3}\n{}", mistakes.join("\n"));
}

#[test]
fn interviews_quizzes_and_listings_keep_only_a_title_question() {
    let interview = [
        "Q: Where did the idea for the shop come from?",
        "A: My grandmother ran a bakery on the same street.",
        "Q: Will independent bakeries survive the rise in energy costs?",
        "A: Some will, if landlords help.",
    ];
    assert!(find_in_item("Meet the baker who fed a village", interview).is_empty());
    assert!(find_in_item("The baker who fed a village", interview).is_empty());
    let quiz = [
        "Which city hosted the 1908 Summer Olympics?",
        "Which carmaker builds the Model Y?",
    ];
    assert!(find_in_item("Weekly news quiz: seven questions on the week", quiz).is_empty());
    let listing = ["Will Dev finally confess to Priya before the wedding?"];
    assert!(find_in_item("TV tonight: the best shows to watch", listing).is_empty());
    assert_eq!(
        find_in_item(
            "Q&A: Will the budget raise taxes on pensions?",
            ["Which pensions are affected by the new rules announced on Wednesday?"],
        ),
        vec!["Will the budget raise taxes on pensions?"]
    );
    // An ordinary report keeps its body's questions.
    assert_eq!(
        find_in_item(
            "Regulator fines ride-hailing firm",
            ["Will the fine change how gig platforms classify their drivers?"],
        ),
        vec!["Will the fine change how gig platforms classify their drivers?"]
    );
}

#[test]
fn drops_questions_that_point_back_quote_a_reader_or_argue() {
    dropped(&[
        // "the <noun>" that only the article can explain.
        "Will the merger survive a second look from regulators?",
        "Could the company have seen the losses coming sooner?",
        "Is the pilot worth extending to every store?",
        "Will the board back the proposal next month?",
        // A reader's or client's question, quoted.
        "Mark Oduya from Bristol asks: Should schools teach personal finance?",
        "One reader writes: Will energy bills ever come down?",
        // Rhetorical yes-or-no questions.
        "Is retail media really the answer to every budget question?",
        "Are marketers really that afraid of measurement?",
    ]);
    kept(&[
        "Will the Premier League's new spending cap survive a legal challenge?",
        "Will the plan to scrap stamp duty help first-time buyers?",
        "Why are so many young men leaving the workforce?",
        "Will the deal between Kestrel Media and Brightline face a competition review?",
        "What does the rise of retail media mean for agency margins?",
    ]);
}

/// The held-out set (`questions_heldout.tsv`) was written and labelled
/// before this round's rules and is never tuned on, so its floors sit below
/// the tuned sets' and what it reports is the honest estimate.
#[test]
fn precision_and_recall_on_the_held_out_set() {
    let (precision, recall, n, mistakes) = score("tests/fixtures/questions_heldout.tsv");
    eprintln!(
        "questions_heldout.tsv (held out): precision {precision:.3}, recall {recall:.3} on {n} lines\n{}",
        mistakes.join("\n")
    );
    assert!(n >= 60, "the held-out set has only {n} lines");
    assert!(precision >= 0.85, "precision {precision:.3}");
    assert!(recall >= 0.75, "recall {recall:.3}");
    let (precision, recall, n, mistakes) = score("tests/fixtures/questions_heldout_2.tsv");
    eprintln!(
        "questions_heldout_2.tsv (held out): precision {precision:.3}, recall {recall:.3} on {n} lines\n{}",
        mistakes.join("\n")
    );
    assert!(n >= 40, "the second held-out set has only {n} lines");
    assert!(precision >= 0.75, "precision {precision:.3}");
    assert!(recall >= 0.75, "recall {recall:.3}");
}

#[test]
fn drops_service_explainers_but_keeps_open_questions_with_a_label() {
    dropped(&[
        "Winter Covid plan: what are the rules for care home visits?",
        "What are the travel rules for Spain, Portugal and Malta?",
        "Energy rebate: who is eligible and how much will households get?",
        "Free school meals: who qualifies for the holiday vouchers?",
        "Budget 2026: what's in it for renters?",
        "Keira Bell case: What are puberty blockers?",
        "How much does the new Pixel cost and when does it go on sale?",
        "Heathrow strike: what are the new dates and which flights are affected?",
        "What is the energy price cap and why is it going up?",
        "What are the allegations against the former minister?",
        "Who is Kemi Adeyemi and what does she want?",
    ]);
    kept(&[
        "Climate change: Should green campaigners put more pressure on China to slash emissions?",
        "What are the risks of letting AI agents buy on a shopper's behalf?",
        "Retail media: who actually owns the shopper data?",
        "What is the future of the high street and who will pay to save it?",
        "Driverless cars: who is liable?",
        "Self-driving lorries are coming to the M6, but who is liable when one crashes?",
        "Which supermarkets will pass the packaging levy on to shoppers?",
    ]);
}

#[test]
fn drops_results_plots_trivia_and_now_hooks() {
    dropped(&[
        // Results teasers: the article has the one answer.
        "Who starred for Wales in the defeat to the All Blacks?",
        "Who impressed and who flopped in the derby at Anfield?",
        "I'm a Celebrity 2026: who was sent home from the jungle last night?",
        // TV plots.
        "Who killed the vicar in the Midsomer Murders special?",
        "Will Kat finally tell Alfie the truth about the affair?",
        // Quiz trivia.
        "Which country has the longest coastline in Europe?",
        "Which singer has the most number one albums in British chart history?",
        // Hooks that end in "now" and name almost nothing.
        "So where does the club go now?",
        "Is it time to panic now?",
        // Captions' events that only the picture explains.
        "Was the collision avoidable?",
        "Could the blaze have been prevented?",
        // Whereabouts, forecasts, reviews and guides: the article answers.
        "Where is the missing yachtsman Tom Brereton?",
        "Is it going to snow in Manchester this weekend?",
        "Is the new Dune film worth watching in IMAX?",
        "Where to watch the Ashes in London pubs?",
        "Who will be voted off Bake Off this week?",
        // People only the article introduces.
        "How did the couple meet?",
        "Was the driver over the limit?",
        // Lifestyle hooks and appeals.
        "What could be better than a long weekend in Cornwall?",
        "Who needs a passport when the Lake District is on the doorstep?",
        "Got a spare weekend in October?",
        "Can anyone identify the men in this photograph?",
    ]);
    dropped(&[
        "Merson's season preview: Who wins the title?",
        "Who won Strictly Come Dancing?",
        "Who won the Carabao Cup final at Wembley?",
    ]);
    kept(&[
        "Who gains and who loses from the packaging levy?",
        "Will the Bank of England cut rates again, and when?",
        "Who wins from the Premier League's new spending cap?",
        "How long can the Bank of England hold off raising interest rates?",
        "Is remote work here to stay for Wall Street banks?",
        "Where are house prices falling fastest in Britain?",
        "Is the open web still worth buying now that so much budget flows to walled gardens?",
        "What now for Britain's steel industry after the Port Talbot closure?",
        "Who pays when an autonomous delivery robot crashes into a parked car?",
        "Who will regulate AI models that are trained in one country and sold in another?",
    ]);
}
