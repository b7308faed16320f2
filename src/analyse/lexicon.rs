//! Word lists shipped with tricorder, so that label checks ([`super::labels`])
//! and topic typing ([`super::types`]) need no download at run time.
//!
//! Every list is lower case; every `is_*` function lower-cases its argument,
//! so callers may pass words as written. Multi-word entries ("prime minister",
//! "middle east") are stored with single spaces and looked up the same way.
//! The lists aim at news wires and marketing trade press, not at English at
//! large: a word belongs in a list when, in those texts, it nearly always
//! plays that role.

use std::sync::LazyLock;

use rustc_hash::FxHashSet;

type Set = LazyLock<FxHashSet<&'static str>>;

fn lower(word: &str) -> std::borrow::Cow<'_, str> {
    let w = word.trim_end_matches("'s").trim_end_matches("\u{2019}s");
    if w.chars().any(char::is_uppercase) {
        w.to_lowercase().into()
    } else {
        w.into()
    }
}

fn set(words: &[&'static [&'static str]]) -> FxHashSet<&'static str> {
    words.iter().flat_map(|w| w.iter().copied()).collect()
}

/// Words NLTK's list lacks but that never carry a topic: prepositions,
/// determiners and connectives of news prose.
#[rustfmt::skip]
const FUNCTION_EXTRA: &[&str] = &[
    "about", "according", "across", "after", "against", "ahead", "along", "alongside", "amid",
    "amidst", "among", "amongst", "another", "anybody", "anyone", "anything", "around", "as",
    "beside", "besides", "beyond", "despite", "either", "every", "everybody", "everyone",
    "everything", "hence", "however", "inside", "instead", "less", "many", "may", "meanwhile",
    "might", "minus", "much", "must", "near", "neither", "nobody", "nor", "none", "nothing", "onto",
    "outside", "per", "shall", "several", "since", "somebody", "someone",
    "something", "such", "therefore", "though", "thus", "toward", "towards", "unless", "unlike",
    "upon", "versus", "via", "vs", "whereas", "whether", "within", "without", "would", "could",
    "should", "cannot", "can't", "won't", "isn't", "aren't", "wasn't", "weren't", "don't",
    "doesn't", "didn't", "it's", "that's", "there's", "here's", "what's", "i'm", "we're", "they're",
    "you're", "let's", "yet", "whose", "whom", "whatever", "whichever", "whoever", "upto", "etc",
    "eg", "ie",
];

static FUNCTION: Set = LazyLock::new(|| {
    let mut s: FxHashSet<&'static str> = stop_words::get("en").iter().copied().collect();
    s.extend(FUNCTION_EXTRA);
    // NLTK lists "now", "very", "just" and friends as stop words; they are
    // adverbs here, so a label that ends on one reports the truer reason.
    for w in ADVERBS {
        s.remove(w);
    }
    s
});

/// Prepositions, articles, conjunctions, pronouns, auxiliaries (NLTK's
/// English list, extended).
pub fn is_function_word(word: &str) -> bool {
    FUNCTION.contains(&*lower(word))
}

/// Base forms of verbs common in news and trade press whose inflections
/// follow the spelling rules in [`inflect`].
#[rustfmt::skip]
const VERBS_REGULAR: &[&str] = &[
    "expand", "reduce", "increase", "predict", "sue", "steer", "tout", "debut", "pledge", "plead",
    "spark", "fuel", "trigger", "cite", "tumble", "climb", "spur", "weigh", "mull", "sack", "axe",
    "ditch", "overhaul", "revamp", "bolster", "court", "woo", "rebrand", "merge", "unlock",
    "embrace", "explore", "reshape", "transform", "threaten", "vote", "elect", "appoint",
    "postpone", "recall", "restore", "resume", "retire", "evacuate", "investigate", "question",
    "accept", "accuse", "acquire", "add", "admit", "adopt", "agree", "aim", "allow", "announce",
    "appear", "apply", "approve", "argue", "arrest", "arrive", "ask", "assure", "attempt", "avoid",
    "back", "ban", "believe", "blame", "block", "boost", "call", "cancel", "cause", "claim",
    "clash", "close", "confirm", "consider", "continue", "convict", "create", "criticise",
    "criticize", "cry", "decide", "declare", "decline", "defend", "delay", "deliver", "deny",
    "describe", "die", "disclose", "dismiss", "double", "drive", "drop", "earn", "ease", "end",
    "enter", "explain", "expect", "face", "fail", "file", "fire", "force", "gain", "grab", "halt",
    "happen", "help", "hire", "hope", "ignore", "include", "insist", "introduce", "invest", "join",
    "jump", "kill", "land", "last", "launch", "lift", "like", "list", "live", "look", "love",
    "manage", "miss", "move", "name", "need", "note", "offer", "open", "order", "outline", "own",
    "pass", "pick", "plan", "plunge", "point", "post", "praise", "prepare", "present", "probe",
    "promise", "prove", "provide", "publish", "pull", "push", "quit", "raise", "reach", "receive",
    "reject", "release", "remain", "remove", "replace", "report", "require", "resign", "respond",
    "return", "reveal", "rule", "save", "score", "secure", "seem", "serve", "settle", "shift",
    "sign", "slam", "slash", "slump", "soar", "start", "stay", "step", "stop", "struggle",
    "suggest", "support", "surge", "suspend", "talk", "target", "test", "thank", "try", "turn",
    "unveil", "urge", "use", "vow", "wait", "walk", "want", "warn", "welcome", "work", "worry",
    "yield",
];

/// Forms the spelling rules get wrong or miss (irregular pasts, doubled
/// consonants), listed whole.
#[rustfmt::skip]
const VERBS_IRREGULAR: &[&str] = &[
    "be", "is", "are", "was", "were", "been", "being", "have", "has", "had", "do", "does", "did",
    "done", "become", "becomes", "became", "begin", "begins", "began", "begun", "bring", "brings",
    "brought", "build", "builds", "built", "buy", "buys", "bought", "catch", "catches", "caught",
    "choose", "chooses", "chose", "chosen", "come", "comes", "came", "cut", "cuts", "dropped",
    "eye", "eyes", "eyed", "fall", "falls", "fell", "fallen", "feel", "feels", "felt", "find",
    "finds", "found", "get", "gets", "got", "gotten", "give", "gives", "gave", "given", "go",
    "goes", "went", "gone", "grow", "grows", "grew", "grown", "hit", "hits", "hold", "holds",
    "held", "keep", "keeps", "kept", "know", "knows", "knew", "known", "lead", "leads", "led",
    "leave", "leaves", "left", "lose", "loses", "lost", "make", "makes", "made", "mean", "means",
    "meant", "meet", "meets", "met", "pay", "pays", "paid", "put", "puts", "quits", "read",
    "reads", "rise", "rises", "rose", "risen", "run", "runs", "ran", "say", "says", "said", "see",
    "sees", "saw", "seen", "seek", "seeks", "sought", "sell", "sells", "sold", "send", "sends",
    "sent", "set", "sets", "show", "showed", "shown", "shut", "shuts", "sink", "sinks", "sank",
    "speak", "speaks", "spoke", "spoken", "spend", "spends", "spent", "stand", "stands", "stood",
    "steal", "steals", "stole", "stolen", "strike", "strikes", "struck", "swear", "swears",
    "swore", "take", "takes", "took", "taken", "tell", "tells", "told", "think", "thinks",
    "thought", "win", "wins", "won", "write", "writes", "wrote", "written", "stopped", "slammed",
    "planned", "banned", "grabbed", "stepped", "quitted", "admitted", "dropped",
];

/// Inflected forms that, in labels, are nearly always nouns. "plans" is the
/// hard case: "Meta plans" is a headline verb, but "media plans", "pricing
/// plans" and "retirement plans" are what marketers read about, and a verb
/// reading at the end of a label is caught more cheaply by the story stage
/// than a lost label is recovered; so these count as nouns.
#[rustfmt::skip]
const VERB_FORMS_THAT_ARE_NOUNS: &[&str] = &[
    "plans", "plan", "cuts", "cut", "launch", "launches", "ban", "bans", "report", "reports",
    "test", "tests", "offer", "offers", "return", "returns", "work", "list", "lists", "order",
    "orders", "post", "posts", "support", "target", "fire", "file", "files", "name", "names",
    "need", "needs", "end", "release", "releases", "rule", "rules", "probe", "move", "moves",
    "talk", "talks", "shift", "shifts", "start", "surge", "slump", "drop", "gain", "gains", "love",
    "help", "hope", "use", "uses", "live", "like", "step", "steps", "score", "scores", "double",
    "point", "points", "land", "turn", "call", "calls", "face", "faces", "back", "claim", "claims",
    "pay", "show", "shows", "strike", "strikes", "lead", "leads", "set", "sets", "hit", "hits",
    "run", "read", "cry", "yield", "yields", "block", "blocks", "clash", "clashes", "approval",
    "close", "look", "looks", "walk", "jump", "wait", "sign", "signs", "present", "last", "ease",
    "delay", "delays", "struggle", "worry", "worries", "promise", "promises", "welcome", "manage",
    "drive", "drives", "rise", "fall", "eye", "eyes", "win", "wins", "buy", "sale", "boost",
    "boosts", "push", "pull", "open", "stop", "stops",
];

/// Past participles that start noun phrases as adjectives ("connected TV",
/// "paid media", "owned channels"); at the end of a label they are verbs
/// ("Patrick Ellery made", "sales dropped").
#[rustfmt::skip]
const ADJECTIVAL_PARTICIPLES: &[&str] = &[
    "connected", "paid", "owned", "earned", "sponsored", "targeted", "branded", "licensed",
    "limited", "advanced", "automated", "integrated", "personalised", "personalized", "generated",
    "based", "listed", "released", "unreleased", "planned", "expected", "known", "unknown", "given",
    "shared", "mixed", "closed", "open", "used", "united", "published", "registered", "proposed",
    "left", "lost", "found", "held", "set", "cut", "built", "read", "grown", "fallen", "spoken",
    "written", "sold", "made", "done",
];

/// Applies English spelling rules for the -s and -ed forms of `base`.
fn inflect(base: &'static str) -> [String; 2] {
    let consonant_y =
        base.ends_with('y') && !base[..base.len() - 1].ends_with(['a', 'e', 'i', 'o', 'u']);
    if consonant_y {
        let stem = &base[..base.len() - 1];
        [format!("{stem}ies"), format!("{stem}ied")]
    } else if base.ends_with('e') {
        [format!("{base}s"), format!("{base}d")]
    } else if base.ends_with(['s', 'x', 'z']) || base.ends_with("sh") || base.ends_with("ch") {
        [format!("{base}es"), format!("{base}ed")]
    } else {
        [format!("{base}s"), format!("{base}ed")]
    }
}

static VERBS: LazyLock<FxHashSet<String>> = LazyLock::new(|| {
    let mut s: FxHashSet<String> = VERBS_IRREGULAR.iter().map(|w| w.to_string()).collect();
    for base in VERBS_REGULAR {
        s.insert(base.to_string());
        s.extend(inflect(base));
    }
    for w in VERB_FORMS_THAT_ARE_NOUNS {
        s.remove(*w);
    }
    s
});

/// A base, -s, past or past-participle form of a common news verb that
/// cannot end a noun-phrase label ("said", "unveils", "took"). Forms
/// usually read as nouns ("plans", "cuts", "launch") are not verbs here; for
/// a label's first word use [`is_verb_form_at_start`].
pub fn is_verb_form(word: &str) -> bool {
    VERBS.contains(&*lower(word))
}

static ADJECTIVAL: Set = LazyLock::new(|| set(&[ADJECTIVAL_PARTICIPLES]));
static NOUN_LIKE: Set = LazyLock::new(|| set(&[VERB_FORMS_THAT_ARE_NOUNS]));

/// Like [`is_verb_form`], but for a label's first word, where the -s forms
/// spared above read as verbs: "shifts dollars to customer", "plans to
/// expand" are cut-off sentences, while "budget shifts" and "media plans"
/// are labels. Base forms stay nouns ("live shopping", "launch event"), and
/// participles are adjectives ("connected TV", "paid media").
pub fn is_verb_form_at_start(word: &str) -> bool {
    let w = lower(word);
    if ADJECTIVAL.contains(&*w) {
        return false;
    }
    is_verb_form(&w) || (NOUN_LIKE.contains(&*w) && w.ends_with('s') && !w.ends_with("ss"))
}

/// Adverbs without the -ly ending, and -ly adverbs common enough to list.
#[rustfmt::skip]
const ADVERBS: &[&str] = &[
    "almost", "already", "also", "always", "anyway", "else", "even", "ever", "far", "fast", "hard",
    "here", "just", "later", "maybe", "much", "never", "now", "often", "once", "only", "perhaps",
    "quite", "rather", "really", "seldom", "sometimes", "soon", "still", "then", "there", "today",
    "together", "tomorrow", "too", "very", "well", "yesterday", "again", "abroad", "ago", "anymore",
    "elsewhere", "meanwhile", "nonetheless", "nevertheless", "otherwise", "somewhat", "twice",
    "yet", "instead", "indeed", "nearly", "mostly", "largely",
];

/// -ly words that are not adverbs in labels: nouns, names, adjectives.
#[rustfmt::skip]
const LY_NOT_ADVERBS: &[&str] = &[
    "family", "supply", "italy", "july", "rally", "ally", "early", "daily", "weekly", "monthly",
    "quarterly", "yearly", "hourly", "nightly", "friendly", "holy", "lovely", "likely", "unlikely",
    "lonely", "silly", "belly", "jelly", "bully", "fly", "reply", "apply", "comply", "multiply",
    "rely", "imply", "assembly", "anomaly", "monopoly", "butterfly", "firefly", "lily", "emily",
    "kelly", "billy", "holly", "molly", "sally", "polly", "beverly", "kimberly", "shelly", "costly",
    "deadly", "elderly", "orderly", "timely", "lively", "ugly", "curly", "bubbly", "chilly",
    "hilly", "homily", "dolly", "tally", "folly", "gully", "wally", "doily", "reilly", "lilly",
    "manly", "only", "kindly", "bodily", "oily", "wily", "sly", "smelly", "scholarly", "fly",
    "underbelly", "melancholy", "panoply", "dally", "bully", "jolly", "sully", "tully", "nelly",
    "ally", "waverly", "ely", "disorderly", "unruly", "burly",
];

static ADVERB_SET: Set = LazyLock::new(|| set(&[ADVERBS]));
static LY_EXCEPTIONS: Set = LazyLock::new(|| set(&[LY_NOT_ADVERBS]));

/// An adverb: listed, or an -ly word of five letters or more that is not a
/// known noun, name or adjective ("family", "Italy", "daily").
pub fn is_adverb(word: &str) -> bool {
    let w = lower(word);
    ADVERB_SET.contains(&*w)
        || (w.ends_with("ly")
            && w.chars().count() >= 5
            && w.chars().all(|c| c.is_ascii_alphabetic())
            && !LY_EXCEPTIONS.contains(&*w))
}

/// Is `word` in the hand-made adverb list (no -ly guess)? For capitalised
/// words, where "Kelly" or "Lilly" is likelier a name than an adverb.
pub fn is_listed_adverb(word: &str) -> bool {
    ADVERB_SET.contains(&*lower(word))
}

#[rustfmt::skip]
const HONORIFICS: &[&str] = &[
    "mr", "mrs", "ms", "miss", "dr", "prof", "professor", "sir", "dame", "lord", "lady", "rev",
    "reverend", "father", "sister", "president", "prime minister", "chancellor", "minister",
    "secretary", "senator", "sen", "rep", "representative", "congressman", "congresswoman",
    "governor", "gov", "mayor", "king", "queen", "prince", "princess", "duke", "duchess", "pope",
    "cardinal", "bishop", "archbishop", "sheikh", "emir", "sultan", "ceo", "cfo", "cmo", "cto",
    "coo", "chief executive", "chief", "chairman", "chairwoman", "chair", "founder", "co-founder",
    "cofounder", "director", "coach", "manager", "judge", "justice", "general", "gen", "colonel",
    "col", "captain", "capt", "lieutenant", "sergeant", "officer", "detective", "inspector",
    "commissioner", "ambassador", "spokesman", "spokeswoman", "spokesperson", "chancellor", "vice",
    "deputy", "speaker", "leader", "mp", "mep", "attorney general", "attorney", "saint", "st",
    "head", "boss", "vp", "svp", "evp", "executive", "analyst", "editor", "author", "star",
    "singer", "actor", "actress", "rapper", "striker", "goalkeeper", "defender", "midfielder",
    "player",
];
static HONORIFIC_SET: Set = LazyLock::new(|| set(&[HONORIFICS]));

/// An honorific, title or role written before a name ("Mr", "President",
/// "chief executive", "coach").
pub fn is_honorific(word: &str) -> bool {
    HONORIFIC_SET.contains(&*lower(word))
}

#[rustfmt::skip]
const GIVEN_NAMES: &[&str] = &[
    // English
    "james", "john", "robert", "michael", "william", "david", "richard", "joseph", "thomas",
    "charles", "christopher", "daniel", "matthew", "anthony", "mark", "donald", "steven", "paul",
    "andrew", "joshua", "kenneth", "kevin", "brian", "george", "timothy", "ronald", "edward",
    "jason", "jeffrey", "ryan", "jacob", "gary", "nicholas", "eric", "jonathan", "stephen", "larry",
    "justin", "scott", "brandon", "benjamin", "samuel", "gregory", "alexander", "frank", "patrick",
    "raymond", "jack", "dennis", "jerry", "tyler", "aaron", "jose", "adam", "nathan", "henry",
    "douglas", "zachary", "peter", "kyle", "ethan", "walter", "noah", "jeremy", "christian",
    "keith", "roger", "terry", "gerald", "harold", "sean", "austin", "carl", "arthur", "lawrence",
    "dylan", "jesse", "jordan", "bryan", "billy", "joe", "bruce", "gabriel", "logan", "albert",
    "willie", "alan", "juan", "wayne", "elijah", "randy", "roy", "vincent", "ralph", "eugene",
    "russell", "bobby", "mason", "philip", "louis", "harry", "oliver", "charlie", "oscar", "alfie",
    "leo", "archie", "freddie", "theo", "tom", "tim", "ben", "sam", "bill", "bob", "jim", "mike",
    "dave", "steve", "nick", "chris", "matt", "rob", "tony", "andy", "will", "hope", "faith",
    "greg", "jeff", "ted", "elon", "sundar", "satya", "rishi", "keir", "boris", "rachel", "mary",
    "patricia", "jennifer", "linda", "elizabeth", "barbara", "susan", "jessica", "sarah", "karen",
    "lisa", "nancy", "betty", "margaret", "sandra", "ashley", "kimberly", "emily", "donna",
    "michelle", "carol", "amanda", "dorothy", "melissa", "deborah", "stephanie", "rebecca",
    "sharon", "laura", "cynthia", "kathleen", "amy", "angela", "shirley", "anna", "brenda",
    "pamela", "emma", "nicole", "helen", "samantha", "katherine", "christine", "debra", "catherine",
    "carolyn", "janet", "ruth", "maria", "heather", "diane", "virginia", "julie", "joyce",
    "victoria", "olivia", "kelly", "christina", "lauren", "joan", "evelyn", "judith", "megan",
    "cheryl", "andrea", "hannah", "martha", "jacqueline", "frances", "gloria", "ann", "teresa",
    "kathryn", "sara", "janice", "jean", "alice", "madison", "doris", "abigail", "julia", "judy",
    "grace", "denise", "amber", "marilyn", "beverly", "danielle", "theresa", "sophia", "marie",
    "diana", "brittany", "natalie", "isabella", "charlotte", "rose", "alexis", "kayla", "taylor",
    "kate", "jane", "lucy", "ella", "amelia", "mia", "chloe", "ava", "isla", "poppy", "holly",
    "zoe", "kamala", "hillary", "oprah", "beyonce", "rihanna", "adele", "kim", "meghan", "liz",
    "nikki",
    // Spanish, Portuguese, Italian
    "carlos", "luis", "miguel", "javier", "alejandro", "pablo", "diego", "sergio", "jorge",
    "fernando", "rafael", "manuel", "antonio", "francisco", "pedro", "andres", "raul", "lionel",
    "cristiano", "joao", "marco", "giuseppe", "giovanni", "luca", "matteo", "alessandro", "lucia",
    "sofia", "valentina", "camila", "isabel", "carmen", "pilar", "ana", "paula", "elena",
    "gabriela", "giorgia", "francesca", "chiara", "giulia", "claudia", "pedro",
    // French
    "jean", "pierre", "michel", "philippe", "alain", "nicolas", "francois", "emmanuel", "olivier",
    "julien", "antoine", "laurent", "sebastien", "thierry", "marine", "camille", "manon",
    "juliette", "sophie", "celine", "amelie", "chloe", "margaux", "isabelle", "brigitte",
    "nathalie", "valerie",
    // German, Dutch, Nordic
    "hans", "klaus", "jurgen", "wolfgang", "dieter", "helmut", "stefan", "thomas", "lukas", "felix",
    "maximilian", "friedrich", "olaf", "angela", "ursula", "annalena", "greta", "heike", "katrin",
    "sabine", "jan", "pieter", "joost", "sander", "bram", "daan", "sem", "lieke", "sanne", "femke",
    "mark", "geert", "dick", "rob", "frans", "wopke", "lars", "sven", "erik", "nils", "anders",
    "magnus", "ingrid", "astrid", "freya", "mette",
    // Indian
    "raj", "rahul", "amit", "arjun", "vijay", "anil", "sunil", "sanjay", "ravi", "ramesh", "suresh",
    "rajesh", "vikram", "aditya", "rohan", "karan", "narendra", "mukesh", "ratan", "gautam",
    "virat", "sachin", "priya", "anjali", "deepika", "pooja", "neha", "sunita", "kavya", "ananya",
    "aishwarya", "indra", "nandan", "shashi", "arvind", "nirmala",
    // Chinese romanised, Japanese, Korean
    "wei", "jun", "li", "ming", "hui", "xin", "yan", "jing", "lei", "tao", "yang", "xi", "jack",
    "xiaomei", "zhang", "jian", "hong", "lin", "chen", "feng", "yu", "hiroshi", "takeshi", "kenji",
    "yuki", "haruki", "akira", "naomi", "shinzo", "fumio", "ji-hoon", "min-jun", "seo-yeon",
    "jae-yong",
    // Arabic, Turkish, Persian
    "mohammed", "muhammad", "mohamed", "ahmed", "ahmad", "ali", "omar", "hassan", "hussein",
    "khalid", "abdullah", "mahmoud", "youssef", "yusuf", "ibrahim", "mustafa", "tariq", "karim",
    "faisal", "salman", "fatima", "aisha", "layla", "mariam", "noor", "yasmin", "zainab", "leila",
    "recep", "emre", "mehmet", "reza", "hamid",
    // African
    "kwame", "kofi", "chinedu", "emeka", "oluwaseun", "tunde", "femi", "chidi", "jomo", "uhuru",
    "cyril", "thabo", "sipho", "nelson", "desmond", "bola", "ngozi", "chimamanda", "amara",
    "adaeze", "wanjiru", "akosua", "abena", "thandiwe", "lupita", "yaw", "kojo", "abiy", "paul",
    "william", "samia", "ellen", "ama", "nana",
];
static GIVEN_NAME_SET: Set = LazyLock::new(|| set(&[GIVEN_NAMES]));

/// A common given name ("Patrick", "Priya", "Mohammed", "Kwame").
pub fn is_given_name(word: &str) -> bool {
    GIVEN_NAME_SET.contains(&*lower(word))
}

#[rustfmt::skip]
const COUNTRIES: &[&str] = &[
    "afghanistan", "albania", "algeria", "angola", "argentina", "armenia", "australia", "austria",
    "azerbaijan", "bahrain", "bangladesh", "belarus", "belgium", "bolivia", "bosnia", "botswana",
    "brazil", "bulgaria", "cambodia", "cameroon", "canada", "chile", "china", "colombia", "congo",
    "croatia", "cuba", "cyprus", "czechia", "czech republic", "denmark", "ecuador", "egypt",
    "estonia", "ethiopia", "finland", "france", "georgia", "germany", "ghana", "greece",
    "guatemala", "haiti", "honduras", "hungary", "iceland", "india", "indonesia", "iran", "iraq",
    "ireland", "israel", "italy", "ivory coast", "jamaica", "japan", "jordan", "kazakhstan",
    "kenya", "kosovo", "kuwait", "laos", "latvia", "lebanon", "libya", "lithuania", "luxembourg",
    "madagascar", "malawi", "malaysia", "mali", "malta", "mexico", "moldova", "mongolia",
    "montenegro", "morocco", "mozambique", "myanmar", "namibia", "nepal", "netherlands", "holland",
    "new zealand", "nicaragua", "niger", "nigeria", "north korea", "norway", "oman", "pakistan",
    "palestine", "panama", "paraguay", "peru", "philippines", "poland", "portugal", "qatar",
    "romania", "russia", "rwanda", "saudi arabia", "senegal", "serbia", "singapore", "slovakia",
    "slovenia", "somalia", "south africa", "south korea", "korea", "spain", "sri lanka", "sudan",
    "south sudan", "sweden", "switzerland", "syria", "taiwan", "tanzania", "thailand", "tunisia",
    "turkey", "turkiye", "uganda", "ukraine", "united arab emirates", "uae", "united kingdom", "uk",
    "britain", "great britain", "united states", "us", "usa", "america", "uruguay", "uzbekistan",
    "venezuela", "vietnam", "yemen", "zambia", "zimbabwe", "gaza", "west bank", "hong kong",
    "macau", "vatican",
];

#[rustfmt::skip]
const CITIES: &[&str] = &[
    "london", "paris", "berlin", "madrid", "rome", "amsterdam", "brussels", "vienna", "prague",
    "warsaw", "budapest", "lisbon", "dublin", "edinburgh", "cardiff", "belfast", "glasgow",
    "manchester", "birmingham", "liverpool", "leeds", "bristol", "copenhagen", "stockholm", "oslo",
    "helsinki", "athens", "istanbul", "ankara", "moscow", "kyiv", "kiev", "minsk", "bucharest",
    "sofia", "belgrade", "zagreb", "geneva", "zurich", "munich", "frankfurt", "hamburg", "cologne",
    "milan", "naples", "barcelona", "valencia", "seville", "marseille", "lyon", "nice", "cannes",
    "rotterdam", "the hague", "antwerp", "new york", "nyc", "los angeles", "chicago", "houston",
    "phoenix", "philadelphia", "san antonio", "san diego", "dallas", "austin", "san francisco",
    "seattle", "boston", "miami", "atlanta", "denver", "detroit", "las vegas", "nashville",
    "portland", "washington", "new orleans", "baltimore", "toronto", "montreal", "vancouver",
    "ottawa", "calgary", "mexico city", "havana", "bogota", "lima", "santiago", "buenos aires",
    "sao paulo", "rio de janeiro", "brasilia", "caracas", "quito", "tokyo", "osaka", "kyoto",
    "seoul", "busan", "beijing", "shanghai", "shenzhen", "guangzhou", "wuhan", "taipei", "manila",
    "jakarta", "bangkok", "hanoi", "ho chi minh city", "kuala lumpur", "mumbai", "delhi",
    "new delhi", "bangalore", "bengaluru", "chennai", "kolkata", "hyderabad", "karachi", "lahore",
    "islamabad", "dhaka", "kabul", "tehran", "baghdad", "damascus", "beirut", "amman", "jerusalem",
    "tel aviv", "riyadh", "jeddah", "dubai", "abu dhabi", "doha", "muscat", "cairo", "alexandria",
    "casablanca", "tunis", "algiers", "lagos", "abuja", "accra", "nairobi", "addis ababa",
    "kampala", "kigali", "johannesburg", "cape town", "durban", "pretoria", "dakar", "luanda",
    "kinshasa", "khartoum", "sydney", "melbourne", "brisbane", "perth", "auckland", "wellington",
    "davos", "silicon valley", "hollywood", "wall street", "westminster", "brooklyn", "manhattan",
    "kathmandu", "colombo", "singapore", "hong kong",
];

#[rustfmt::skip]
const REGIONS: &[&str] = &[
    // US states
    "alabama", "alaska", "arizona", "arkansas", "california", "colorado", "connecticut", "delaware",
    "florida", "georgia", "hawaii", "idaho", "illinois", "indiana", "iowa", "kansas", "kentucky",
    "louisiana", "maine", "maryland", "massachusetts", "michigan", "minnesota", "mississippi",
    "missouri", "montana", "nebraska", "nevada", "new hampshire", "new jersey", "new mexico",
    "new york state", "north carolina", "north dakota", "ohio", "oklahoma", "oregon",
    "pennsylvania", "rhode island", "south carolina", "south dakota", "tennessee", "texas", "utah",
    "vermont", "virginia", "west virginia", "wisconsin", "wyoming",
    // UK nations and regions
    "england", "scotland", "wales", "northern ireland", "yorkshire", "cornwall", "kent", "essex",
    "midlands", "east anglia", "home counties",
    // Continents and regions
    "europe", "asia", "africa", "north america", "south america", "latin america", "antarctica",
    "oceania", "middle east", "gulf", "balkans", "caribbean", "scandinavia", "nordics", "baltics",
    "sahel", "asia pacific", "apac", "emea", "latam", "eu", "european union", "eurozone",
    "southeast asia", "east asia", "central asia", "sub-saharan africa", "north africa",
    "west africa", "east africa", "mediterranean", "arctic", "pacific", "atlantic", "siberia",
    "crimea", "donbas", "kashmir", "tibet", "xinjiang", "catalonia", "bavaria", "flanders",
    "quebec", "ontario", "punjab", "bengal", "sinai", "golan",
];
static PLACE_SET: Set = LazyLock::new(|| set(&[COUNTRIES, CITIES, REGIONS]));

/// A country, capital, major city, US state, UK nation or region, continent
/// or world region ("Jordan", "Cannes", "Middle East").
pub fn is_place(word: &str) -> bool {
    PLACE_SET.contains(&*lower(word))
}

#[rustfmt::skip]
const DEMONYMS: &[&str] = &[
    "afghan", "albanian", "algerian", "american", "argentine", "argentinian", "armenian",
    "australian", "austrian", "bangladeshi", "belgian", "bolivian", "bosnian", "brazilian",
    "british", "bulgarian", "burmese", "cambodian", "canadian", "chilean", "chinese", "colombian",
    "congolese", "croatian", "cuban", "cypriot", "czech", "danish", "dutch", "ecuadorian",
    "egyptian", "emirati", "english", "estonian", "ethiopian", "european", "filipino", "finnish",
    "french", "georgian", "german", "ghanaian", "greek", "haitian", "hungarian", "icelandic",
    "indian", "indonesian", "iranian", "iraqi", "irish", "israeli", "italian", "jamaican",
    "japanese", "jordanian", "kazakh", "kenyan", "korean", "kuwaiti", "latvian", "lebanese",
    "libyan", "lithuanian", "malaysian", "maltese", "mexican", "moroccan", "nepalese", "nigerian",
    "norwegian", "pakistani", "palestinian", "panamanian", "peruvian", "polish", "portuguese",
    "qatari", "romanian", "russian", "rwandan", "saudi", "scottish", "senegalese", "serbian",
    "singaporean", "slovak", "slovenian", "somali", "spanish", "sudanese", "swedish", "swiss",
    "syrian", "taiwanese", "thai", "tunisian", "turkish", "ugandan", "ukrainian", "uruguayan",
    "venezuelan", "vietnamese", "welsh", "yemeni", "zambian", "zimbabwean", "african", "asian",
    "arab", "latin", "nordic", "scandinavian", "western", "eastern", "northern", "southern", "gulf",
    "texan", "californian", "parisian", "londoner",
];
static DEMONYM_SET: Set = LazyLock::new(|| set(&[DEMONYMS]));

/// A demonym or place adjective ("Dutch", "French", "Jordanian").
pub fn is_demonym(word: &str) -> bool {
    DEMONYM_SET.contains(&*lower(word))
}

#[rustfmt::skip]
const COMPASS: &[&str] = &[
    "north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest",
    "north-east", "north-west", "south-east", "south-west", "northern", "southern", "eastern",
    "western", "central", "upper", "lower", "greater", "inner", "outer",
];
static COMPASS_SET: Set = LazyLock::new(|| set(&[COMPASS]));

/// A compass or position word that modifies a place ("South", "Greater").
pub fn is_compass(word: &str) -> bool {
    COMPASS_SET.contains(&*lower(word))
}

#[rustfmt::skip]
const ORG_CUES: &[&str] = &[
    "inc", "inc.", "corp", "corp.", "corporation", "co", "co.", "company", "ltd", "ltd.", "limited",
    "plc", "llc", "llp", "lp", "gmbh", "ag", "sa", "nv", "bv", "spa", "ab", "oy", "pty", "group",
    "media", "bank", "ministry", "department", "dept", "council", "party", "university", "college",
    "school", "agency", "commission", "association", "institute", "foundation", "fc", "afc", "cf",
    "united", "city", "labs", "lab", "studios", "studio", "holdings", "network", "networks",
    "airlines", "airways", "air", "motors", "police", "court", "parliament", "senate", "congress",
    "union", "federation", "league", "board", "fund", "capital", "partners", "ventures",
    "technologies", "technology", "tech", "systems", "software", "solutions", "services",
    "industries", "entertainment", "pictures", "records", "press", "news", "times", "post",
    "journal", "herald", "telegraph", "guardian", "tribune", "broadcasting", "communications",
    "telecom", "energy", "oil", "pharma", "pharmaceuticals", "therapeutics", "biosciences",
    "health", "healthcare", "hospital", "insurance", "bancorp", "financial", "securities", "trust",
    "authority", "office", "service", "bureau", "committee", "assembly", "cabinet", "government",
    "administration", "reserve", "army", "navy", "force", "forces", "guard", "alliance",
    "coalition", "society", "club", "team", "consortium", "collective", "cooperative", "brands",
    "retail", "stores", "foods", "beverages", "motor", "automotive", "logistics", "agencies",
    "worldwide", "international", "global", "interactive", "digital", "marketing", "advertising",
];
static ORG_SET: Set = LazyLock::new(|| set(&[ORG_CUES]));

/// A word that ends or heads an organization's name ("Inc", "Media",
/// "Bank", "Ministry", "FC", "Holdings").
pub fn is_org_cue(word: &str) -> bool {
    ORG_SET.contains(&*lower(word))
}

#[rustfmt::skip]
const EVENT_NOUNS: &[&str] = &[
    "election", "elections", "vote", "poll", "polls", "referendum", "primary", "primaries",
    "caucus", "summit", "budget", "strike", "strikes", "walkout", "attack", "attacks", "bombing",
    "shooting", "stabbing", "massacre", "raid", "ruling", "verdict", "trial", "hearing",
    "sentencing", "visit", "trip", "tour", "conference", "convention", "congress", "forum",
    "festival", "fest", "awards", "award", "ceremony", "gala", "expo", "fair", "show", "week",
    "olympics", "games", "cup", "final", "finals", "semi-final", "derby", "match", "grand prix",
    "open", "marathon", "championship", "championships", "tournament", "season", "storm",
    "hurricane", "typhoon", "cyclone", "tornado", "earthquake", "quake", "tsunami", "flood",
    "floods", "flooding", "fire", "fires", "wildfire", "wildfires", "drought", "heatwave",
    "eruption", "crash", "collapse", "explosion", "blast", "derailment", "spill", "merger",
    "acquisition", "takeover", "buyout", "ipo", "listing", "launch", "deal", "bailout",
    "bankruptcy", "layoffs", "protest", "protests", "demonstration", "riot", "riots", "march",
    "war", "invasion", "offensive", "ceasefire", "truce", "coup", "siege", "scandal", "inquiry",
    "investigation", "probe", "recall", "outage", "breach", "hack", "cyberattack", "leak",
    "lawsuit", "settlement", "fine", "ban", "tariffs", "tariff", "sanctions", "death", "funeral",
    "wedding", "coronation", "inauguration", "resignation", "impeachment", "debate", "rally",
    "keynote", "event", "premiere", "release", "auction", "sale", "boycott", "shutdown", "crisis",
    "pandemic", "outbreak", "rescue", "kidnapping", "killing", "killings", "murder",
    "assassination", "arrest", "arrests", "hike", "cut", "cuts", "announcement", "reshuffle",
    "negotiations", "talks", "agreement", "treaty", "accord", "hearings", "mission", "landing",
    "eclipse", "day", "black friday", "cyber monday", "super bowl", "world cup",
];
static EVENT_SET: Set = LazyLock::new(|| set(&[EVENT_NOUNS]));

/// A noun that makes a phrase an event when it heads it ("election",
/// "summit", "attack", "merger", "awards").
pub fn is_event_noun(word: &str) -> bool {
    EVENT_SET.contains(&*lower(word))
}

#[rustfmt::skip]
const PRODUCT_CUES: &[&str] = &[
    "app", "apps", "model", "models", "phone", "smartphone", "feature", "features", "tool", "tools",
    "platform", "version", "update", "beta", "plugin", "plug-in", "extension", "chip", "chips",
    "processor", "console", "device", "devices", "service", "subscription", "tier", "plan", "mode",
    "assistant", "chatbot", "bot", "agent", "agents", "api", "sdk", "suite", "studio", "editor",
    "browser", "headset", "glasses", "watch", "laptop", "tablet", "tv", "speaker", "earbuds",
    "camera", "car", "ev", "vehicle", "drone", "game", "edition", "release", "pro", "max", "mini",
    "ultra", "plus", "lite", "os", "software", "firmware", "dashboard", "builder", "manager",
    "analytics", "ads", "search", "shop", "marketplace", "wallet", "pay", "card", "store", "engine",
    "generator", "integration", "add-on", "widget", "template", "kit", "tracker", "card",
];
static PRODUCT_SET: Set = LazyLock::new(|| set(&[PRODUCT_CUES]));

/// A word that marks a product, feature or release ("app", "model",
/// "Mode", "beta", "Pro").
pub fn is_product_cue(word: &str) -> bool {
    PRODUCT_SET.contains(&*lower(word))
}

#[rustfmt::skip]
const MONTHS: &[&str] = &[
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec",
];
#[rustfmt::skip]
const WEEKDAYS: &[&str] = &[
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "mon", "tue",
    "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
];
static MONTH_SET: Set = LazyLock::new(|| set(&[MONTHS]));
static WEEKDAY_SET: Set = LazyLock::new(|| set(&[WEEKDAYS]));

/// A month name or its abbreviation ("March", "Sept").
pub fn is_month(word: &str) -> bool {
    MONTH_SET.contains(&*lower(word))
}

/// A weekday name or its abbreviation ("Monday", "Thurs").
pub fn is_weekday(word: &str) -> bool {
    WEEKDAY_SET.contains(&*lower(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn function_words_extend_nltk() {
        for w in ["the", "of", "and", "unlike", "despite", "Would", "they"] {
            assert!(is_function_word(w), "{w}");
        }
        for w in ["now", "just", "very", "marketing", "said"] {
            assert!(!is_function_word(w), "{w}");
        }
    }

    #[test]
    fn verb_forms_are_inflected_and_nouns_spared() {
        for w in [
            "said",
            "says",
            "took",
            "takes",
            "made",
            "announced",
            "launched",
            "unveils",
            "warns",
            "urges",
            "vows",
            "slams",
            "backs",
            "seeks",
            "reveals",
            "confirms",
            "denies",
            "raises",
            "drops",
            "loses",
            "gets",
            "tells",
            "admits",
            "becomes",
            "helps",
            "wants",
            "keeps",
            "finds",
            "gives",
            "puts",
            "tries",
            "tried",
            "dropped",
            "Announces",
        ] {
            assert!(is_verb_form(w), "{w}");
        }
        for w in ["plans", "cuts", "launch", "marketing", "shows"] {
            assert!(!is_verb_form(w), "{w}");
        }
        assert!(is_verb_form("paid") && !is_verb_form_at_start("paid"));
        assert!(!is_verb_form_at_start("connected") && is_verb_form_at_start("said"));
        assert!(is_verb_form_at_start("shifts") && is_verb_form_at_start("Plans"));
        assert!(!is_verb_form_at_start("launch") && !is_verb_form_at_start("live"));
    }

    #[test]
    fn adverbs_by_list_and_suffix() {
        for w in [
            "almost",
            "still",
            "soon",
            "really",
            "quickly",
            "reportedly",
            "also",
        ] {
            assert!(is_adverb(w), "{w}");
        }
        for w in [
            "family", "supply", "Italy", "July", "rally", "ally", "early", "daily", "fly",
        ] {
            assert!(!is_adverb(w), "{w}");
        }
        assert!(!is_listed_adverb("Kelly") && is_listed_adverb("Now"));
    }

    #[test]
    fn names_places_and_cues() {
        assert!(is_honorific("Mr") && is_honorific("prime minister") && is_honorific("CEO"));
        assert!(is_given_name("Patrick") && is_given_name("Priya") && is_given_name("Kwame"));
        assert!(is_place("Jordan") && is_place("middle east") && is_place("Cannes"));
        assert!(is_place("Texas") && is_place("Wales") && !is_place("marketing"));
        assert!(is_demonym("Dutch") && is_demonym("french") && !is_demonym("Dutchman"));
        assert!(is_compass("South") && !is_compass("Southall"));
        assert!(is_org_cue("Inc") && is_org_cue("holdings") && is_org_cue("FC"));
        assert!(is_event_noun("election") && is_event_noun("Olympics"));
        assert!(is_product_cue("app") && is_product_cue("Mode"));
        assert!(is_month("December") && is_weekday("Monday") && !is_month("Monday"));
    }

    #[test]
    fn possessives_are_looked_up_by_their_word() {
        assert!(is_place("Britain's") && is_place("Jordan\u{2019}s"));
    }
}
