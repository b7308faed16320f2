#!/usr/bin/env python3
"""Deterministic generator for tricorder's offline demo corpus.

Writes one feed file per fictional publication into the folder this script
lives in (data/demo/).  Standard library only.  Re-running it produces
byte-identical output: all randomness comes from random.Random(20261116)
and every collection is iterated in a fixed order.

    python3 data/demo/generate.py

See README.md beside this file for what the corpus contains.
"""

import datetime as dt
import email.utils
import html
import json
import os
import random
import re
import sys
import unicodedata
import uuid

SEED = 20261116
OUT_DIR = os.path.dirname(os.path.abspath(__file__))

# The demo's "as of" date: end of day UTC.
REF_END = dt.datetime(2026, 11, 16, 23, 59, 59, tzinfo=dt.timezone.utc)
WINDOW_START = dt.date(2026, 10, 2)
WINDOW_END = dt.date(2026, 11, 16)
SURGE_START = dt.date(2026, 11, 10)  # last 7 days: 2026-11-10 .. 2026-11-16

rng = random.Random(SEED)

# ---------------------------------------------------------------------------
# Fictional names
# ---------------------------------------------------------------------------

BRANDS = [
    "Larkspur Home", "Brightwater Coffee", "Kestrel Outdoor", "Juniper & Vale",
    "Tidewell Pet Supply", "Orchard Lane Beauty", "Halcyon Bikes",
    "Fernhill Pantry", "Copperleaf Apparel", "Marlowe Sleep",
    "Quillstone Software", "Ridgeway Analytics", "Beacon Hill Insurance",
    "Saltmarsh Travel", "Pinecrest Health", "Bluefin Logistics",
    "Cobalt Street Bank", "Meadowlark Toys", "Silverbirch Wines",
    "Amberfield Kitchens", "Northgate Tools", "Wrenfield Books",
    "Palisade Fitness", "Harrowgate Tea",
]
AGENCIES = [
    "Foxglove Media", "Lanternfish Agency", "Harbor & Kite", "Redwing Collective",
    "Tallgrass Digital", "Ostrander Partners", "Blue Heron Creative",
]
FIRST = [
    "Dana", "Marcus", "Priya", "Tomasz", "Aisha", "Gareth", "Lena", "Rafael",
    "Mei", "Jonah", "Farah", "Colin", "Ingrid", "Dev", "Nadia", "Owen",
    "Sofia", "Kwame", "Hannah", "Ravi", "Elise", "Tobias", "Yara", "Felix",
    "Maren", "Andre", "Keiko", "Luca", "Imogen", "Samir",
]
LAST = [
    "Whitfield", "Okafor", "Lindqvist", "Moreno", "Castellano", "Brennan",
    "Novak", "Hargreaves", "Adeyemi", "Kowalczyk", "Tan", "Ferreira",
    "Albright", "Mistry", "Holloway", "Quinlan", "Sato", "Varga", "Duarte",
    "Ellison", "Petrakis", "Ashworth", "Nakamura", "Oyelaran", "Fairbanks",
]
ROLES = [
    "head of growth", "VP of marketing", "chief marketing officer",
    "director of lifecycle marketing", "head of performance marketing",
    "senior marketing analyst", "founder", "head of content",
    "director of digital", "e-commerce director", "head of brand",
    "marketing operations lead",
]
AUDIENCES = [
    "B2B marketers", "retail brands", "in-house teams", "agency planners",
    "DTC founders", "lifecycle marketers", "performance teams", "growth leads",
    "small marketing teams", "enterprise marketers", "e-commerce managers",
    "content strategists",
]
CITIES = ["Leeds", "Austin", "Rotterdam", "Melbourne", "Denver", "Lyon",
          "Glasgow", "Portland", "Toronto", "Cork"]
VERTICALS = ["travel", "home goods", "personal finance", "health", "software",
             "recipes", "consumer electronics", "fashion"]

# ---------------------------------------------------------------------------
# Generic sentence templates (work for any noun-phrase topic {P})
# Markup: [[anchor|url]] -> link, **x** -> strong, "~" -> non-breaking space.
# ---------------------------------------------------------------------------

GENERIC_LEDES = [
    "Questions about {P} keep coming up in planning meetings this autumn, and {audience} say the reasons are practical rather than fashionable.",
    "When {brand} reviewed its Q3 results, the team found that {P} explained more of the swing than any single campaign.",
    "A new survey of {n} {audience} puts {P} near the top of next year's priority list, just behind cost control.",
    "For many {audience}, work on {P} has quietly moved from a side project to a weekly line on the agenda.",
    "The conversation about {P} has shifted from whether to invest to how to do it without adding headcount.",
    "{brand} has spent the past {months}~months rebuilding its approach to {P}, and the early numbers are encouraging.",
    "Few subjects generate as many reader emails as {P}, so we asked practitioners what is actually working.",
    "Budgets are tight, but {audience} are still carving out time for {P}.",
    "Ask ten {audience} about {P} and you will get ten different definitions — but the same handful of complaints.",
    "It has been a busy {month} for anyone responsible for {P}.",
    "Most of the advice about {P} was written for companies far larger than {brand}, which is why its experience is worth a closer look.",
]
GENERIC_DATA = [
    "In the survey, {pct}% of respondents said they planned to spend more time on {P} in 2027, while {pct2}% expected to cut back.",
    "{brand} says its key numbers improved by {pct_small}% within a quarter, although the team cautions that seasonality played a part.",
    "Practitioners we spoke to said the hardest part was not the tooling but agreeing on who owns {P} internally.",
    "Vendors have noticed: at least {small_n}~new products pitched at {P} launched this quarter alone.",
    "Smaller teams tend to start with a spreadsheet and a monthly review before buying anything.",
    "The gap between the best and worst performers in the data was wide, and it was not explained by budget.",
    "Roughly {pct}% of the teams in the sample had no written process for {P} at all.",
    "Results were strongest where marketing, sales and finance looked at the same numbers every week.",
]
QUOTE_FRAMES = [
    "\"{quote}\" said {person}, {role} at {brand}.",
    "\"{quote}\" {person}, {role} at {brand}, told {pub}.",
    "{person}, {role} at {brand}, put it bluntly: \"{quote}\"",
    "\"{quote}\" said {person}, who leads the work at {brand} as {role}.",
]
FOLLOW_UPS = [
    "Nobody we spoke to had a complete answer yet.",
    "Answers varied widely depending on company size and sales cycle.",
    "It is a question more teams will have to settle before 2027 budgets are locked.",
    "Most practitioners said it depends, which is honest but not very helpful.",
    "We will come back to this once more results are in.",
    "Several readers have asked the same thing in recent weeks.",
]
LIST_INTROS = [
    "Teams that have made progress on {P} tend to do a few things the same way:",
    "Practitioners shared a short list of habits that help:",
    "If you are starting from scratch, three steps came up repeatedly:",
    "**What to do this quarter:**",
]
TIPS = [
    "Name a single owner for {P} and give them a monthly slot with leadership.",
    "Agree on a baseline before changing anything, so results can be compared.",
    "Share early results with finance instead of waiting for a perfect report.",
    "Write down what you stopped doing, not only what you started.",
    "Test on one segment or region before rolling changes out everywhere.",
    "Keep a short log of decisions so the next person understands why.",
    "Review the numbers weekly, but only change course monthly.",
]
CLOSERS = [
    "We will keep tracking {P} through the end of the year; reply to this post with your own numbers.",
    "Expect more on {P} as 2027 planning wraps up.",
    "Our [[earlier coverage of {P}|{site}topics/{pslug}/]] has more background.",
    "The full results are on [[our research page|{site}research/]].",
    "{brand} plans to publish a fuller write-up early next year.",
    "**Bottom line:** work on {P} rewards patience more than spend.",
]
SURGE_CLOSERS = [
    "We will keep tracking {P} through the holiday season; reply to this post with your own numbers.",
    "Our [[earlier coverage of {P}|{site}topics/{pslug}/]] has more background.",
    "Expect more on {P} as the holiday season gets under way.",
    "**Bottom line:** nobody has the full picture on {P} yet, and anyone claiming otherwise is selling something.",
]
SOCIAL_MEDIA_LINES = [
    "As with most things in marketing, the debate spilled onto social media within hours.",
    "Social media remains the first place many teams test a new message before it goes anywhere else.",
    "Several practitioners shared their own results on social media, with mixed reactions.",
    "Spending on social media has stayed roughly flat, according to the same survey.",
    "Social media managers, as usual, were asked to explain it to everyone else.",
    "Expect the usual round of hot takes on social media.",
    "The team also repurposes the material for social media, where it gets a second life.",
    "Not everything needs a social media angle, but this one clearly had one.",
]
GENERIC_TITLES = [
    "{Pc}: what {audience} are changing for 2027",
    "Five lessons on {P} from {brand}",
    "What we learned about {P} from {n} {audience}",
    "{Pc} in practice: notes from {city}",
    "The state of {P}, {month} edition",
    "{Pc} without the hype: a field guide for {audience}",
    "Inside {brand}'s approach to {P}",
    "{Pc}: an end-of-year checklist for {audience}",
    "Our readers' biggest questions about {P}, answered",
    "{Pc}: a reading list for {audience}",
]
GENERIC_QTITLES = [
    "What should {audience} do about {P} before the new year?",
    "Where should {P} sit in a 2027 plan?",
    "How are {audience} approaching {P} this quarter?",
]

# Marketing boilerplate calls to action (to be filtered out of "questions").
CTAS = [
    "<p><strong>Want to learn more?</strong> <a href=\"{site}guides/\">Download our free guide</a>.</p>",
    "<p>Ready to get started? <a href=\"{site}demo/\">Book a demo today</a>.</p>",
    "<p>Have questions? <a href=\"{site}contact/\">Contact us.</a></p>",
]

# ---------------------------------------------------------------------------
# Topics
# ---------------------------------------------------------------------------


def topic(phrase, cats, titles, qtitles, facts, quotes, questions):
    return dict(phrase=phrase, cats=cats, titles=titles, qtitles=qtitles,
                facts=facts, quotes=quotes, questions=questions)


T = {}

# --- steady background topics (every feed, whole window) -------------------
T["email deliverability"] = topic(
    "email deliverability", ["Email", "Deliverability"],
    ["Email deliverability slips for {audience} as inbox providers tighten rules",
     "{brand} rebuilt its sending domain and fixed email deliverability in six weeks",
     "The email deliverability checklist we wish we had in Q3",
     "Email deliverability after the bulk-sender rules: {pct}% of senders still not aligned",
     "Why email deliverability problems start with your sign-up form",
     "Email deliverability lessons from {brand}'s holiday warm-up"],
    ["Is your email deliverability problem really a content problem?",
     "How often should you audit email deliverability?"],
    ["Inbox providers now look closely at complaint rates, and anything above a fraction of a percent can push a sender into the spam folder.",
     "Authentication is table stakes: SPF, DKIM and DMARC records need to be in place and aligned before any content tweak will help.",
     "{brand} found that a single re-engagement blast to old contacts damaged its sender reputation for almost a month.",
     "Seed-list tests only tell part of the story; engagement from real subscribers matters more for inbox placement.",
     "Warming up a new sending domain slowly, over several weeks, is still the safest route to good email deliverability."],
    ["Email deliverability is earned slowly and lost in an afternoon.",
     "We stopped mailing people who had not opened in a year and our revenue per send went up."],
    ["How do you prove the value of email deliverability work to a team that only looks at open rates?",
     "Should marketers still be sending to subscribers who have not engaged in six months?"])

T["marketing budgets"] = topic(
    "marketing budgets", ["Budgets", "Strategy"],
    ["Marketing budgets hold steady for 2027, but the mix keeps shifting",
     "CFOs want proof before approving marketing budgets for 2027",
     "{audience} plan flat marketing budgets and more in-house work",
     "Marketing budgets as a share of revenue: {n} companies compared",
     "How {brand} defended its marketing budgets in a down quarter",
     "Marketing budgets move {pct_small}% toward owned channels, planners say"],
    ["Are marketing budgets finally recovering?",
     "Where should marketing budgets go when growth slows?"],
    ["Most teams expect marketing budgets to stay flat in nominal terms, which means a real-terms cut once media inflation is included.",
     "Finance teams are asking for payback periods rather than reach figures, and marketers are adjusting how they pitch.",
     "Spending is drifting from paid social toward search, retail media and owned channels such as email.",
     "{brand} now ties every line of its marketing budget to a named business outcome, a change its CMO calls overdue.",
     "Contingency lines are disappearing from marketing budgets, leaving little room for tests that come up mid-year."],
    ["Marketing budgets are not shrinking so much as being asked to explain themselves.",
     "The budget conversation is now a conversation about evidence."],
    ["How much of next year's marketing budget should be held back for tests that have not been planned yet?",
     "Should brand and performance spend sit in the same budget at all?"])

T["brand safety"] = topic(
    "brand safety", ["Brand Safety", "Media"],
    ["Brand safety tools still block too much news, advertisers admit",
     "Brand safety in Q4: the categories buyers are excluding",
     "{brand} rewrites its brand safety rules to stop defunding local news",
     "Brand safety reports show {pct}% of blocked impressions were on harmless pages",
     "Brand safety settings nobody has reviewed since 2021",
     "{agency} publishes its brand safety exclusion list"],
    ["Is brand safety blocking costing you reach?",
     "Do keyword blocklists still make sense for brand safety?"],
    ["Keyword blocklists remain the blunt instrument of brand safety, and they routinely catch harmless articles about health, politics and sport.",
     "Buyers are moving to contextual suitability tiers, which let a brand accept some topics while avoiding others.",
     "Audits found that much of the spend blocked on brand safety grounds was rerouted to low-quality sites with heavy ad loads.",
     "{brand} now reviews its brand safety settings quarterly instead of leaving years-old defaults in place.",
     "Publishers say over-blocking hits hard news hardest, which is exactly the journalism advertisers claim to value."],
    ["Brand safety used to mean avoiding the worst of the web. Somewhere along the way it started to mean avoiding the news.",
     "We had blocked the word shooting and then wondered why our sports campaign underdelivered."],
    ["Who inside a brand should own brand safety decisions: media, legal or communications?",
     "How do you measure the reach you lose to over-blocking?"])

T["customer retention"] = topic(
    "customer retention", ["Retention", "Lifecycle"],
    ["Customer retention beats acquisition for {audience}, new data shows",
     "{brand} cut churn by {pct_small}% with a simpler onboarding sequence",
     "The customer retention metrics finance actually trusts",
     "Customer retention playbook: what to do in the first 30 days",
     "Customer retention is the quiet winner in {brand}'s 2027 plan",
     "Win-back campaigns versus customer retention: where {audience} spend"],
    ["Is customer retention the most underfunded job in marketing?",
     "When does a customer retention programme start paying back?"],
    ["Keeping an existing customer is still cheaper than finding a new one, yet most teams spend far more time on acquisition.",
     "Repeat purchase rate and time to second order are the two customer retention numbers that predict lifetime value best.",
     "{brand} found that customers who received a personal thank-you note with their first order came back {pct_small}% more often.",
     "Subscription businesses are pairing cancellation flows with pause options, which recover a surprising share of would-be churners.",
     "Customer retention work often stalls because nobody owns the period between the first and second purchase."],
    ["Customer retention is what happens when the product and the marketing tell the same story.",
     "We stopped discounting to win people back and started asking why they left."],
    ["How should customer retention be split between marketing, product and support?",
     "What is a realistic churn target for a business that sells once a year?"])

T["influencer marketing"] = topic(
    "influencer marketing", ["Influencers", "Social"],
    ["Influencer marketing budgets shift to smaller creators",
     "{brand} measures influencer marketing by sales, not views",
     "Influencer marketing contracts get stricter on usage rights",
     "Influencer marketing rates rise {pct_small}% ahead of peak season",
     "Influencer marketing disclosure: regulators send a fresh round of letters",
     "What {brand} learned from a year of influencer marketing in {city}"],
    ["Is influencer marketing still worth it for B2B brands?",
     "How do you vet creators before an influencer marketing deal?"],
    ["Brands are spreading influencer marketing budgets across dozens of smaller creators instead of one big name.",
     "Usage rights have become the sticking point in negotiations, with creators charging more for paid amplification of their posts.",
     "Disclosure rules are being enforced more often, and brands share liability when a sponsored post is not labelled.",
     "{brand} tracks influencer marketing through unique discount codes and post-purchase surveys rather than reach.",
     "Agencies say influencer marketing briefs have become shorter and more specific about the outcome expected."],
    ["Influencer marketing works best when the creator would have talked about the product anyway.",
     "We pay for outcomes now. Views are a nice bonus."],
    ["How do you compare influencer marketing results with paid social when the metrics differ?",
     "Should brands own the content creators make for them?"])

T["content calendar"] = topic(
    "content calendar", ["Content", "Planning"],
    ["How {brand} plans a content calendar six weeks ahead",
     "The content calendar template our readers keep asking for",
     "Content calendar fatigue: why teams are publishing less",
     "Building a content calendar around 2027 product launches",
     "A content calendar for teams of one",
     "{brand} leaves a fifth of its content calendar empty on purpose"],
    ["Does your content calendar still need daily posts?",
     "Who should own the content calendar?"],
    ["A content calendar is less about dates than about decisions: what gets made, who approves it and what gets dropped.",
     "Teams that plan themes by month and individual pieces by week report fewer last-minute scrambles.",
     "{brand} cut its publishing frequency by a third and saw engagement per post rise.",
     "Shared calendars work best when they include distribution slots, not just publishing dates.",
     "Seasonal moments fill the content calendar quickly, so teams reserve them months in advance."],
    ["A content calendar is a promise to your audience. Break it too often and they stop checking.",
     "We leave twenty percent of the calendar empty on purpose, for things we cannot predict."],
    ["How far ahead should a small team plan its content calendar?",
     "What should come off the content calendar when priorities change mid-quarter?"])

T["marketing attribution"] = topic(
    "marketing attribution", ["Measurement", "Analytics"],
    ["Marketing attribution models disagree, and {audience} are tired of it",
     "{brand} drops last-click marketing attribution for incrementality tests",
     "Marketing attribution after cookies: what still works",
     "A practical guide to marketing attribution for lean teams",
     "Marketing attribution reports overstate sales by {pct_small}%, audit finds",
     "{brand} and the spreadsheet that replaced its marketing attribution tool"],
    ["Is multi-touch marketing attribution worth the effort?",
     "Can marketing attribution ever satisfy the CFO?"],
    ["Last-click marketing attribution still dominates reporting, even at companies that say they have moved on from it.",
     "Holdout tests and media mix models are back in fashion because they do not depend on tracking individual users.",
     "{brand} runs a geo-split test every quarter and uses the result to calibrate its platform-reported numbers.",
     "Platforms tend to claim credit for the same conversion, so the sum of reported results often exceeds actual sales.",
     "Marketing attribution debates usually end when someone runs a proper holdout."],
    ["Marketing attribution is a negotiation between channels, not a measurement.",
     "We trust the holdout test. Everything else is a hint."],
    ["How do you get channel owners to accept marketing attribution results that cut their budgets?",
     "Should small businesses bother with media mix modelling?"])

T["CRM data"] = topic(
    "CRM data", ["CRM", "Data"],
    ["Dirty CRM data costs {audience} more than they think",
     "{brand} cleans up ten years of CRM data before a migration",
     "CRM data hygiene: a quarterly routine that works",
     "Sales and marketing finally agree on CRM data fields at {brand}",
     "CRM data decay: {pct}% of B2B contacts change every year",
     "The CRM data fields {audience} should delete first"],
    ["Who owns CRM data quality?",
     "Is your CRM data ready for AI tools?"],
    ["Duplicate records, stale job titles and missing consent flags are the three most common CRM data problems teams report.",
     "Every new tool connected to the CRM adds fields, and few teams ever retire the old ones.",
     "{brand} found that {pct}% of its contacts had not been updated in two years.",
     "Clean CRM data makes everything downstream cheaper, from email segmentation to sales forecasting.",
     "Enrichment vendors can fill gaps in CRM data, but they also add records nobody asked for."],
    ["Our CRM data was a museum. Everything was in there, nothing was labelled.",
     "Bad CRM data does not break loudly. It just makes every campaign a bit worse."],
    ["How often should CRM data be audited, and by whom?",
     "What is the minimum set of fields a CRM record actually needs?"])

BACKGROUND = ["email deliverability", "marketing budgets", "brand safety",
              "customer retention", "influencer marketing", "content calendar",
              "marketing attribution", "CRM data"]

# --- beat topics (steady, feed-specific) -------------------------------------
T["martech stack"] = topic(
    "martech stack", ["Martech"],
    ["{brand} trims its martech stack from {small_n2} tools to {small_n}",
     "Martech stack consolidation is the theme of 2027 planning",
     "The martech stack audit: a one-page template",
     "Renewal season exposes the unused corners of the martech stack"],
    ["Is your martech stack too big for your team?"],
    ["Most teams use a fraction of the features they pay for, and renewal season is when that becomes visible.",
     "Consolidation is driven as much by security reviews as by cost.",
     "{brand} replaced three point solutions with features already included in its CRM.",
     "Integration work, not licence fees, is usually the largest cost in a martech stack."],
    ["Every tool in the martech stack needs an owner, or it becomes shelfware."],
    ["How do you decide which martech tools to cut when every team says theirs is essential?"])

T["marketing automation"] = topic(
    "marketing automation", ["Martech", "Automation"],
    ["Marketing automation workflows that survived our autumn clean-out",
     "{brand} rebuilds its marketing automation around lifecycle stages",
     "Marketing automation mistakes that quietly cost revenue",
     "Marketing automation audit: {pct}% of workflows had no owner"],
    ["Has marketing automation made email worse?"],
    ["Old nurture flows tend to keep running long after anyone remembers why they were built.",
     "Triggered messages based on behaviour outperform scheduled batches in almost every test we have seen.",
     "{brand} now reviews every automated workflow twice a year and deletes anything that cannot justify itself.",
     "Marketing automation platforms have added AI features faster than most teams can evaluate them."],
    ["Marketing automation should remove work, not hide it."],
    ["How many automated journeys can a team realistically maintain?"])

T["customer data platform"] = topic(
    "customer data platform", ["Martech", "Data"],
    ["Customer data platform projects run long, buyers say",
     "{brand} picks a composable customer data platform",
     "What a customer data platform will not fix",
     "Customer data platform buyers start from the warehouse"],
    ["Do you still need a customer data platform if you have a warehouse?"],
    ["Buyers increasingly start from their data warehouse and add activation tools on top.",
     "Identity resolution remains the hardest part of any customer data platform rollout.",
     "{brand} took {months}~months to move from signed contract to first live audience.",
     "Vendors now sell the customer data platform as a set of modules rather than a single product."],
    ["A customer data platform is a plumbing project with a marketing budget."],
    ["Who should run a customer data platform day to day: marketing or data engineering?"])

T["technical SEO"] = topic(
    "technical SEO", ["SEO"],
    ["Technical SEO fixes that moved rankings for {brand}",
     "Crawl budget and other technical SEO myths",
     "A technical SEO audit for sites with fewer than {big_n} pages",
     "Technical SEO for {vertical} sites: the recurring problems"],
    ["Does technical SEO still matter for small sites?"],
    ["Slow templates and broken internal links remain the most common technical SEO problems on mid-size sites.",
     "Structured data helps search engines understand pages, but it does not guarantee rich results.",
     "{brand} consolidated thousands of thin category pages and saw crawl activity concentrate on the pages that sell.",
     "JavaScript-heavy templates still cause indexing delays that only show up in server logs."],
    ["Technical SEO is housekeeping. Nobody notices until it is not done."],
    ["How should technical SEO work be prioritised against new content?"])

T["core update"] = topic(
    "core update", ["SEO", "Google"],
    ["Core update volatility: winners and losers in {vertical}",
     "What the latest core update rewarded",
     "Recovering from a core update without panicking",
     "{brand} regains {pct_small}% of lost visibility after the core update"],
    ["Should you change anything after a core update?"],
    ["Rank trackers showed heavy movement for about two weeks before settling.",
     "Sites with original research and clear authorship tended to hold their positions.",
     "{brand} lost visibility on comparison pages and regained most of it after consolidating overlapping articles.",
     "Forum and community pages continued to gain ground in the results after the core update."],
    ["After a core update, the worst thing you can do is rewrite everything at once."],
    ["How long should a site wait before reacting to a core update?"])

T["link building"] = topic(
    "link building", ["SEO", "Digital PR"],
    ["Link building with digital PR: what still earns coverage",
     "{brand} earned {small_n2} links from one data study",
     "Link building outreach emails journalists ignore",
     "Link building budgets move from guest posts to research"],
    ["Is link building still worth paying for?"],
    ["Journalists respond to original data and a clear angle, not to templated outreach.",
     "Paid links remain risky, and most agencies we spoke to have stopped offering them.",
     "{brand} publishes an annual pricing index that now earns links every time it updates.",
     "Unlinked brand mentions are the cheapest link building opportunity most teams ignore."],
    ["The best link building is having something worth citing."],
    ["How do you report link building results without counting links?"])

T["organic reach"] = topic(
    "organic reach", ["Social"],
    ["Organic reach on brand pages keeps sliding",
     "{brand} doubled organic reach by posting less",
     "Organic reach benchmarks by platform, {month} update",
     "Organic reach and the comment-bait problem"],
    ["Is organic reach on social platforms gone for good?"],
    ["Page posts now reach a small slice of followers unless they spark conversation early.",
     "Native video and carousel posts still outperform links on most platforms.",
     "{brand} moved from daily posts to three strong posts a week and saw reach per post climb.",
     "Employee advocacy programmes are filling some of the gap left by falling organic reach."],
    ["Organic reach rewards posts people want to share, not posts the brand wants to publish."],
    ["How should teams report organic reach when platforms keep changing the definition?"])

T["short-form video"] = topic(
    "short-form video", ["Social", "Video"],
    ["Short-form video production on a small budget",
     "{brand} films a month of short-form video in one day",
     "Short-form video hooks that kept viewers past three seconds",
     "Short-form video benchmarks for {audience}"],
    ["Does every brand need short-form video?"],
    ["The first two seconds decide whether a clip gets watched, so teams are front-loading the payoff.",
     "Captions are no longer optional; most short-form video is watched with the sound off.",
     "{brand} batches filming and edits variations for each platform rather than reposting the same cut.",
     "Lo-fi phone footage often outperforms polished edits in short-form video tests."],
    ["Short-form video is closer to radio than to television. The hook is everything."],
    ["How do you measure whether short-form video builds the brand or just fills the feed?"])

T["community management"] = topic(
    "community management", ["Social", "Community"],
    ["Community management is becoming a customer service channel",
     "{brand} hires its first community manager",
     "Community management playbook for product launches",
     "Community management burnout: {pct}% of managers plan to move on"],
    ["Who should handle complaints in the comments?"],
    ["Replies in comments are now public customer service, and response times are visible to everyone.",
     "Brands with active communities see fewer support tickets because members answer each other.",
     "{brand} publishes a weekly roundup of community questions and the answers it gave.",
     "Moderation guidelines written in plain language make community management easier to hand over."],
    ["Community management is listening at scale, then proving you listened."],
    ["When should a brand step into a conversation its community is having without it?"])

T["retail media networks"] = topic(
    "retail media networks", ["Retail Media"],
    ["Retail media networks promise closed-loop measurement; buyers want proof",
     "{brand} consolidates spend across three retail media networks",
     "Retail media networks open up off-site inventory",
     "Retail media networks standardise metrics, slowly"],
    ["Are there too many retail media networks?"],
    ["Retail media networks sell access to shoppers at the point of purchase, backed by the retailer's own sales data.",
     "Buyers complain that each network reports results differently, making comparisons hard.",
     "{brand} moved {pct_small}% of its trade marketing budget into retail media this year.",
     "Smaller retailers are launching networks with outsourced technology and thin sales teams."],
    ["Retail media networks are great at claiming credit. We need them to be great at proving it."],
    ["How should brands compare retail media networks that use different attribution windows?"])

T["sponsored products"] = topic(
    "sponsored products", ["Retail Media", "Search Ads"],
    ["Sponsored products ads get pricier in Q4",
     "{brand} cuts wasted spend on sponsored products with negative keywords",
     "Sponsored products versus display: where the returns are",
     "Sponsored products bidding for {vertical} sellers"],
    ["Are sponsored products ads just a tax on sellers?"],
    ["Cost per click on sponsored products listings tends to climb steadily from October onward.",
     "Negative keywords and tighter match types are the cheapest optimisation most sellers skip.",
     "{brand} found that defending its own brand terms accounted for a third of its sponsored products spend.",
     "Dayparting sponsored products campaigns helped several sellers stretch holiday budgets."],
    ["Sponsored products are the new shelf placement fee."],
    ["How much of sponsored products spend is incremental, and how would you know?"])

T["account-based marketing"] = topic(
    "account-based marketing", ["B2B", "ABM"],
    ["Account-based marketing programmes shrink their target lists",
     "{brand} runs account-based marketing with a team of two",
     "Account-based marketing metrics sales will accept",
     "Account-based marketing in {city}: a regional playbook"],
    ["Is account-based marketing just sales prospecting with a bigger budget?"],
    ["Teams are shrinking target account lists so that each account gets genuinely tailored attention.",
     "Intent data helps prioritise accounts, but sales still need a reason to call.",
     "{brand} measures account-based marketing by pipeline created in target accounts, not by clicks.",
     "Direct mail has made a modest comeback inside account-based marketing programmes."],
    ["Account-based marketing only works if sales agrees on the list before marketing starts."],
    ["How many accounts can an account-based marketing programme realistically cover?"])

T["pipeline generation"] = topic(
    "pipeline generation", ["B2B", "Demand Gen"],
    ["Pipeline generation slows as buyers stay anonymous for longer",
     "{brand} rebuilds pipeline generation around webinars",
     "Pipeline generation targets for 2027: what {audience} are committing to",
     "Pipeline generation without gated content"],
    ["Should marketing own a pipeline generation number?"],
    ["B2B buyers now do most of their research before talking to a salesperson.",
     "Gated content fills the database, but fewer of those leads become opportunities.",
     "{brand} dropped its lead targets and now reports marketing-sourced pipeline only.",
     "Partner marketing is a growing share of pipeline generation for mid-market software firms."],
    ["Pipeline generation is a team sport with a very public scoreboard."],
    ["How do you credit pipeline generation when buyers touch a dozen channels?"])

T["ad fraud"] = topic(
    "ad fraud", ["Ad Fraud", "Verification"],
    ["Ad fraud schemes target connected TV apps",
     "{brand} recovers spend lost to ad fraud",
     "Ad fraud rates by channel: Q3 data",
     "Ad fraud ring spoofed {small_n2} premium apps, researchers say"],
    ["How much ad fraud is hiding in your reports?"],
    ["Spoofed apps and fake device signals remain the most common forms of ad fraud in video.",
     "Verification vendors disagree on fraud rates, sometimes by a factor of two.",
     "{brand} negotiated refunds after a supply path audit found invalid traffic on several resellers.",
     "Click fraud on search campaigns is less discussed but just as costly for small advertisers."],
    ["Ad fraud is a tax paid by people who do not read log files."],
    ["Should advertisers insist on refunds for ad fraud, or on cleaner supply in the first place?"])

T["ad verification"] = topic(
    "ad verification", ["Verification"],
    ["Ad verification costs add up for smaller advertisers",
     "Ad verification vendors add attention metrics",
     "{brand} switches ad verification providers",
     "Ad verification and the viewability standard that never changed"],
    ["Is ad verification worth the fee?"],
    ["Ad verification fees are usually charged per thousand impressions, which adds up quickly on cheap inventory.",
     "Viewability standards have barely changed in a decade, even as ad formats have.",
     "{brand} found its verification vendor and its ad server disagreed on viewability for {pct_small}% of impressions.",
     "Pre-bid filtering has replaced post-bid blocking for most large buyers."],
    ["Ad verification tells you what happened, not what to do about it."],
    ["Who checks the checkers in ad verification?"])

T["creator partnerships"] = topic(
    "creator partnerships", ["Creators"],
    ["Creator partnerships move from one-off posts to retainers",
     "{brand} signs year-long creator partnerships",
     "How to brief creators for partnerships that feel native",
     "Creator partnerships with revenue share: early results"],
    ["What makes creator partnerships last?"],
    ["Brands are offering creators longer contracts in exchange for exclusivity in a category.",
     "Creators increasingly ask for creative control and a share of sales.",
     "{brand} runs its creator partnerships through a small roster of people who actually use the product.",
     "Talent managers say the best creator partnerships start with a paid trial rather than a long contract."],
    ["Creator partnerships work when the brief is short and the trust is long."],
    ["How should brands price creator partnerships that span several platforms?"])

T["user-generated content"] = topic(
    "user-generated content", ["Creators", "UGC"],
    ["User-generated content outperforms studio shoots in {brand} tests",
     "User-generated content rights: a checklist",
     "Turning customer reviews into user-generated content ads",
     "User-generated content marketplaces grow up"],
    ["Can user-generated content scale without losing authenticity?"],
    ["Ads built from customer videos often beat polished creative on cost per acquisition.",
     "Rights management is the hidden cost; brands need permission before reusing customer posts.",
     "{brand} pays a flat fee to customers whose videos it turns into ads.",
     "Professional UGC creators now outnumber genuine customers in some ad libraries."],
    ["User-generated content is the closest thing to word of mouth you can put in a media plan."],
    ["When does user-generated content stop being user-generated if the brand pays for it?"])

T["subject lines"] = topic(
    "subject lines", ["Email", "Copywriting"],
    ["Subject lines that lifted clicks for {brand}",
     "Subject lines with emoji: what the data says",
     "Writing subject lines for the promotions tab",
     "Subject lines for the holiday inbox: {n} sends analysed"],
    ["Do subject lines still matter when open rates are unreliable?"],
    ["Privacy protections inflate open rates, so subject line tests need click or revenue metrics to be meaningful.",
     "Short, specific subject lines continue to beat clever ones in most tests.",
     "{brand} writes five subject lines per send and tests two on a small sample first.",
     "Preheader text is the most neglected part of the subject line."],
    ["A subject line is a promise. The email has to keep it."],
    ["How long should a subject line test run before you trust the result?"])

T["list hygiene"] = topic(
    "list hygiene", ["Email"],
    ["List hygiene routines for busy email teams",
     "{brand} removes {pct}% of its list and grows revenue",
     "List hygiene before the holiday peak",
     "List hygiene for B2B databases that never shrink"],
    ["How often should you clean your email list?"],
    ["Inactive subscribers drag down engagement rates and, over time, sender reputation.",
     "Sunset policies work best when subscribers get a clear chance to stay before removal.",
     "{brand} now suppresses contacts after six months of inactivity and sends them one last check-in.",
     "Role addresses and typo domains are the easiest wins in any list hygiene pass."],
    ["List hygiene is the least glamorous work in email and the most valuable."],
    ["Is a smaller, cleaner list always better for revenue?"])

T["customer experience"] = topic(
    "customer experience", ["CX"],
    ["Customer experience scores slip as support queues lengthen",
     "{brand} maps its customer experience end to end",
     "Customer experience metrics that predict churn",
     "Customer experience budgets move from surveys to fixes"],
    ["Who owns customer experience when every team touches it?"],
    ["Customer experience problems usually surface first in support tickets, long before they show up in survey scores.",
     "Journey mapping exercises often reveal handoffs that nobody owns.",
     "{brand} connected its support data to its CRM so marketers can see unresolved complaints before sending promotions.",
     "Survey fatigue is real: response rates to post-purchase surveys keep falling."],
    ["Customer experience is the sum of a hundred small promises kept."],
    ["How do you put a revenue number on customer experience improvements?"])

T["loyalty programs"] = topic(
    "loyalty programs", ["Loyalty", "CX"],
    ["Loyalty programs rethink points in favour of experiences",
     "{brand} relaunches its loyalty program with paid tiers",
     "Loyalty programs that customers actually use",
     "Loyalty programs in {vertical}: {n} schemes compared"],
    ["Are loyalty programs just discounts in disguise?"],
    ["Most members of loyalty programs never redeem, which makes headline membership numbers misleading.",
     "Paid tiers with free shipping or early access are growing faster than classic points schemes.",
     "{brand} found that members who redeemed once were far more likely to stay active.",
     "Coalition schemes are fading as brands want to own the customer relationship themselves."],
    ["A loyalty program should reward behaviour you want, not behaviour you would have got anyway."],
    ["How do you measure whether loyalty programs change behaviour or just reward existing customers?"])

T["agency pitches"] = topic(
    "agency pitches", ["Agencies", "New Business"],
    ["Agency pitches get shorter as clients cut review budgets",
     "{agency} wins the {brand} account after a two-week pitch",
     "Unpaid agency pitches: what they really cost",
     "Agency pitches now start with procurement"],
    ["Should agencies stop doing free pitch work?"],
    ["Clients are running leaner reviews with fewer agencies invited and tighter timelines.",
     "Chemistry meetings increasingly decide the result before creative is shown.",
     "{agency} now declines reviews that require speculative creative without a fee.",
     "Procurement teams are asking for rate cards before strategy in many agency pitches."],
    ["The pitch is the most expensive ad an agency ever makes."],
    ["What should a fair pitch fee cover?"])

T["in-housing"] = topic(
    "in-housing", ["Agencies", "In-house"],
    ["In-housing continues as brands build creative studios",
     "{brand} brings media buying in-house",
     "The hybrid model: in-housing with agency support",
     "In-housing reversals: why some brands go back to agencies"],
    ["Is in-housing cheaper once you count salaries?"],
    ["Brands are bringing routine production in-house while keeping agencies for strategy and big campaigns.",
     "Hiring and retaining specialist media buyers is the hardest part of in-housing.",
     "{brand} saved on fees but found it needed to rebuild relationships with media owners.",
     "In-house teams report being stretched thin in the fourth quarter."],
    ["In-housing is not about cutting the agency. It is about owning the knowledge."],
    ["Which marketing capabilities should never be in-housed?"])

T["checkout conversion"] = topic(
    "checkout conversion", ["E-commerce", "Conversion"],
    ["Checkout conversion improves with fewer form fields",
     "{brand} lifts checkout conversion {pct_small}% with express pay",
     "Checkout conversion benchmarks for Q4",
     "Checkout conversion on mobile: the stubborn gap"],
    ["Is guest checkout still the biggest checkout conversion lever?"],
    ["Every extra form field in checkout costs some share of buyers, especially on mobile.",
     "Surprise shipping costs remain the top reason shoppers abandon at checkout.",
     "{brand} moved delivery estimates onto the product page and saw fewer drop-offs at checkout.",
     "Address autocomplete is a small change with a measurable effect on checkout conversion."],
    ["Checkout conversion is where all your marketing either pays off or leaks."],
    ["How do you balance fraud checks against checkout conversion?"])

T["product feeds"] = topic(
    "product feeds", ["E-commerce", "Shopping Ads"],
    ["Product feeds: the unglamorous work behind shopping ads",
     "{brand} fixes product feed errors that blocked {pct_small}% of listings",
     "Product feeds optimisation for the holiday catalogue",
     "Product feeds for {vertical} retailers: attribute checklist"],
    ["Who should own product feeds: e-commerce or marketing?"],
    ["Missing identifiers and inconsistent titles are the most common reasons product feeds get rejected.",
     "Rich attributes such as material, size and colour make listings show up for more specific searches.",
     "{brand} rewrote titles across its product feed and saw shopping ad impressions rise.",
     "Feed management tools now sit between the catalogue and every channel that sells it."],
    ["Your product feed is your storefront for every channel you do not control."],
    ["How often should product feeds be refreshed during peak season?"])

T["marketplace sellers"] = topic(
    "marketplace sellers", ["E-commerce", "Marketplaces"],
    ["Marketplace sellers face higher fees in Q4",
     "{brand} expands to a second marketplace",
     "Marketplace sellers weigh fulfilment options",
     "Marketplace sellers and the price-parity squeeze"],
    ["Should brands sell on marketplaces at all?"],
    ["Fee changes on large marketplaces have pushed many sellers to raise prices or cut ad spend.",
     "Sellers are testing multi-channel fulfilment to reduce reliance on a single platform.",
     "{brand} keeps its hero products off marketplaces to protect its own margins.",
     "Unauthorised resellers remain a headache for brands selling through marketplaces."],
    ["A marketplace gives you customers, but it never gives you the relationship."],
    ["How do marketplace sellers protect their brand when resellers undercut them?"])

T["consent management"] = topic(
    "consent management", ["Privacy", "Consent"],
    ["Consent management banners get simpler under regulator pressure",
     "{brand} raises consent rates with a redesigned banner",
     "Consent management platforms compared",
     "Consent management fines: {small_n}~cases to learn from"],
    ["Are dark patterns in consent banners finally over?"],
    ["Regulators have made clear that rejecting tracking must be as easy as accepting it.",
     "Consent rates vary widely by country and by banner design.",
     "{brand} found that plain-language banners did not lower consent rates as much as it feared.",
     "Consent signals now need to flow to every tag and partner, which is where most setups break."],
    ["Consent management is where privacy law meets user interface design."],
    ["How should marketers model the audience they lose to consent refusals?"])

T["first-party data"] = topic(
    "first-party data", ["Privacy", "Data"],
    ["First-party data strategies move beyond email capture",
     "{brand} builds first-party data through a product quiz",
     "First-party data partnerships between retailers and brands",
     "First-party data clean rooms: who is using them"],
    ["Is first-party data overrated?"],
    ["Brands are trading value for data: quizzes, loyalty perks and useful tools in exchange for preferences.",
     "First-party data is only useful if it is consented, connected and kept up to date.",
     "{brand} collects preferences at sign-up and uses them to personalise its welcome series.",
     "Clean rooms let partners match first-party data without handing over raw customer lists."],
    ["First-party data is a relationship, not a list."],
    ["How much first-party data does a brand need before it is useful?"])

T["third-party cookies"] = topic(
    "third-party cookies", ["Privacy", "Adtech"],
    ["Third-party cookies linger, but buyers plan as if they are gone",
     "{brand} tests cookieless targeting",
     "What replaces third-party cookies in measurement",
     "Third-party cookies: {pct}% of traffic already goes without"],
    ["Will third-party cookies ever actually disappear?"],
    ["Some browsers have blocked third-party cookies for years, so a large share of traffic is already cookieless.",
     "Contextual targeting and publisher first-party segments are the main alternatives buyers are testing.",
     "{brand} runs every new campaign with a cookieless control cell.",
     "Measurement vendors are shifting to modelled conversions to fill the gaps."],
    ["We stopped waiting for the deadline and started testing."],
    ["How do you measure reach when third-party cookies only work on some browsers?"])

T["content workflows"] = topic(
    "content workflows", ["Content Ops"],
    ["Content workflows that cut review time in half",
     "{brand} maps its content workflows before buying tools",
     "Content workflows for regulated industries",
     "Content workflows: the {small_n}-step version that stuck"],
    ["How many approval steps is too many?"],
    ["Most delays in content production come from unclear approvals rather than slow writing.",
     "Teams that define a single owner per piece ship faster and argue less.",
     "{brand} moved legal review earlier in the process and cut revisions sharply.",
     "Templates for briefs do more for speed than any new writing tool."],
    ["A content workflow is only as fast as its slowest approver."],
    ["Where should AI writing tools sit in content workflows, if anywhere?"])

T["content audits"] = topic(
    "content audits", ["Content Ops", "SEO"],
    ["Content audits: prune, merge or keep?",
     "{brand} deletes {pct}% of its blog and traffic holds",
     "The content audit spreadsheet we use",
     "Content audits for {vertical} publishers"],
    ["Should you delete old blog posts?"],
    ["Old posts that attract no traffic and no links are candidates for merging or removal.",
     "A content audit often surfaces duplicates that compete with each other in search.",
     "{brand} redirected hundreds of outdated posts to updated guides.",
     "The best content audits end with a shorter list of topics the team wants to own."],
    ["A content audit is a chance to decide what you want to be known for."],
    ["How often should a content library be audited?"])

T["programmatic advertising"] = topic(
    "programmatic advertising", ["Programmatic", "Adtech"],
    ["Programmatic advertising buyers cut reseller paths",
     "{brand} brings programmatic advertising in-house",
     "Programmatic advertising fees under scrutiny again",
     "Programmatic advertising in Q4: bid density and what it means"],
    ["How much of programmatic advertising spend reaches publishers?"],
    ["Studies of the supply chain keep finding that a sizeable share of spend disappears in fees.",
     "Buyers are building inclusion lists of trusted publishers instead of relying on open exchanges.",
     "{brand} audited its log-level data and found unknown intermediaries on many paths.",
     "Curated marketplaces are the fastest-growing part of programmatic advertising this year."],
    ["Programmatic advertising should be boring plumbing. Right now it is a maze."],
    ["Should buyers demand log-level data from every partner?"])

T["connected TV"] = topic(
    "connected TV", ["CTV", "Video"],
    ["Connected TV ad prices soften ahead of the holidays",
     "{brand} tests shoppable connected TV ads",
     "Connected TV measurement still lags",
     "Connected TV frequency caps: {n} households studied"],
    ["Is connected TV the new linear TV or the new display?"],
    ["Connected TV inventory has grown faster than demand this year, easing prices.",
     "Frequency capping across apps remains a problem, and viewers notice repeated ads.",
     "{brand} used connected TV with a holdout region to measure lift in site visits.",
     "Ad-supported streaming tiers have added a large pool of new connected TV inventory."],
    ["Connected TV has the screen of television and the measurement problems of the open web."],
    ["How should advertisers cap frequency across connected TV apps they cannot see?"])

T["supply path optimization"] = topic(
    "supply path optimization", ["Programmatic"],
    ["Supply path optimization saves {brand} {pct_small}% on fees",
     "Supply path optimization moves to the sell side",
     "A beginner's guide to supply path optimization",
     "Supply path optimization and the small publisher problem"],
    ["Does supply path optimization hurt small publishers?"],
    ["Buyers are cutting the number of exchanges they use to reach the same publisher.",
     "Direct paths reduce fees but also reduce the bargaining power of smaller publishers.",
     "{brand} reduced its active exchanges from {small_n2} to {small_n}.",
     "Sellers.json and supply chain objects have made paths easier to audit."],
    ["Supply path optimization is just asking where the money goes."],
    ["Who benefits most from supply path optimization: buyers, sellers or intermediaries?"])

# --- the three surging topics (last 7 days, many feeds) -----------------------
SURGE = {}
SURGE["agentic commerce"] = dict(
    phrase="agentic commerce", cats=["Agentic Commerce", "AI", "E-commerce"],
    titles=[
        ("Agentic commerce arrives early: retailers scramble to make product feeds agent-readable", ['commerce', 'retail', 'martech']),
        "{brand} lets AI shopping agents complete checkout for the first time",
        "What agentic commerce means for holiday promotions",
        "AI shopping agents are already comparing prices on {n} retail sites, study finds",
        ("Retailers test agent-only checkout lanes as agentic commerce traffic jumps", ['commerce', 'retail', 'martech', 'cx']),
        ("Payments firms race to verify AI shopping agents before the holiday rush", ['commerce', 'privacy', 'martech']),
        ("Agentic commerce puts structured product data back at the top of the agenda", ['martech', 'commerce']),
        ("Retail media networks weigh ad formats for AI shopping agents", ['retail', 'adtech']),
        ("Privacy questions pile up as AI shopping agents store card details", ['privacy']),
        ("Email marketers brace for AI shopping agents reading their promotions", ['email']),
        ("CX teams prepare for customers who send an agent instead", ['cx']),
        "Agentic commerce week: {pct_small}% of {brand} orders placed by AI shopping agents",
        ("The agentic commerce checklist for retailers before Black Friday", ['commerce', 'retail']),
        "Agentic commerce and the return of the boring product page",
        ("AI shopping agents skip the banner ads, and advertisers notice", ['adtech', 'retail']),
    ],
    qtitles=[
        "How should brands market to AI shopping agents?",
        "Who owns the customer when AI shopping agents do the buying?",
        "Is agentic commerce the end of the abandoned-cart email?",
        "Are retailers ready for agentic commerce?",
    ],
    facts=[
        "Agentic commerce, in which AI shopping agents search, compare and pay on a shopper's behalf, went from conference slide to live traffic in the space of a week.",
        "{brand} said AI shopping agents accounted for {pct_small}% of completed checkouts on its site over the weekend, up from effectively zero a month ago.",
        "Retailers that publish clean product feeds — accurate prices, stock levels and delivery times — are the ones the agents are choosing.",
        "Several merchants reported AI shopping agents abandoning carts when delivery dates were missing from the product page.",
        "Payment providers are rushing out tokens that let AI agents pay without ever seeing the shopper's card number.",
        "For marketers, agentic commerce removes the moment where a banner, a badge or a bundle could sway a human shopper.",
        "Loyalty points are a sticking point: AI shopping agents do not collect them unless the retailer exposes them in the feed.",
        "Early server logs show AI shopping agents reading return policies and reviews far more carefully than most people do.",
        "Retailers are split between blocking agent traffic and building dedicated checkout paths for it.",
    ],
    quotes=[
        "We spent ten years optimising the checkout for thumbs. Now we have to optimise it for software.",
        "Agentic commerce is a product data problem before it is a marketing problem.",
        "If an agent cannot parse your delivery promise, you do not exist on that shopping trip.",
        "The agents are polite, patient and completely immune to urgency messaging.",
    ],
    questions=[
        "How will retailers measure conversions when an agent does the buying?",
        "Who is liable when an AI shopping agent buys the wrong size?",
        "Should brands pay to be recommended by AI shopping agents, and would shoppers ever know?",
        "What happens to retail media budgets if agents ignore sponsored listings?",
        "How do you build loyalty with a customer who never visits your site?",
        "Will agentic commerce make promotional email irrelevant for routine purchases?",
    ],
    bridge="It is the clearest sign yet that agentic commerce is moving from pilots to real orders.",
    angles={
        "martech": "For martech teams, the immediate job is making product and offer data available through APIs that agents can call, rather than through pages built for people.",
        "retail": "Retail media networks are already being asked how sponsored placements will work when the shopper is a piece of software that ignores banners.",
        "email": "Email teams worry that AI shopping agents will summarise or skip promotional messages entirely, leaving subject lines with no human reader.",
        "cx": "CX leaders say the relationship gets harder to read when the first contact is an agent asking structured questions about returns and delivery.",
        "commerce": "Checkout teams are adding machine-readable delivery promises, clear return windows and stable product identifiers, because agents drop retailers that leave gaps.",
        "privacy": "Privacy lawyers point out that an agent holding payment details and purchase history on a shopper's behalf is a new kind of data processor, and consent flows were not designed for it.",
        "adtech": "Ad buyers are asking a simpler question about agentic commerce: if the shopper is an agent, who is the impression for?",
    })

SURGE["AI Mode"] = dict(
    phrase="AI Mode", cats=["Google", "AI Mode", "SEO"],
    titles=[
        ("Publishers report referral drops of up to {pct}% as Google AI Mode expands", ['search', 'adtech', 'brandsafety', 'content']),
        "Google AI Mode shows up on more commercial queries; organic traffic falls",
        ("Zero-click search hits holiday gift guides as AI Mode answers shopping queries", ['search', 'content', 'martech']),
        "How to explain organic traffic losses from AI Mode to your CFO",
        ("AI Mode citations: what we learned tracking {n} queries for a week", ['search', 'content']),
        ("B2B sites see demo requests hold steady even as AI Mode cuts clicks", ['b2b']),
        ("Zero-click search is reshaping ad supply on open-web publishers", ['adtech', 'brandsafety']),
        ("Content teams rewrite their briefs for Google AI Mode", ['content']),
        "Google AI Mode and the publisher referral cliff",
        "{brand} loses a third of its blog traffic to zero-click search in a week",
        ("Agencies field client calls as Google AI Mode rolls out wider", ['agency']),
        ("Zero-click search at scale: first week of AI Mode data", ['search', 'martech', 'adtech']),
        ("Brand safety buyers watch publishers chase pageviews after AI Mode", ['brandsafety']),
        ("The AI Mode reporting template SEO teams are sharing", ['search', 'martech', 'b2b']),
    ],
    qtitles=[
        ("Can publishers survive zero-click search?", ['search', 'adtech', 'brandsafety', 'content', 'martech']),
        "Why is organic traffic falling when rankings have not moved?",
        "Does Google AI Mode cite your site, and does it matter?",
    ],
    facts=[
        "Google's AI Mode, which answers queries in a conversational panel instead of a page of links, is now showing up for a much larger share of commercial searches.",
        "Publishers tracking referrals say clicks from Google fell by {pct}% week over week, with the steepest drops on how-to and comparison pages.",
        "In many cases rankings did not change; the clicks simply stopped arriving, a pattern SEOs are calling zero-click search at scale.",
        "AI Mode does cite sources, but the citations sit below a long generated answer and attract a fraction of the clicks a top organic result used to.",
        "Search Console does not yet separate AI Mode impressions from regular results, which leaves teams guessing at the size of the effect.",
        "Some sites are shifting effort toward newsletters and communities they own, on the assumption that zero-click search will not reverse.",
        "Gift guides and product comparisons, usually a reliable source of holiday organic traffic, were among the first pages hit by AI Mode.",
    ],
    quotes=[
        "Our rankings are flat and our traffic is down by a third. That is what zero-click search looks like on a dashboard.",
        "AI Mode is not a new search feature. It is a new front page for the web, and we are not on it.",
        "We used to optimise for the click. Now we are optimising to be quoted.",
        "Every publisher I know had the same week: the graphs bent and nobody had changed anything.",
    ],
    questions=[
        "How do you measure the value of an AI Mode citation that never turns into a visit?",
        "Will Google share AI Mode click data in Search Console, and when?",
        "If zero-click search becomes the norm, what is a blog post actually for?",
        "Should publishers block AI Mode from using their content, and what would it cost them?",
        "How do you forecast organic traffic when the results page changes every week?",
    ],
    bridge="The cause, by most accounts, is Google's AI Mode and the zero-click search it encourages.",
    angles={
        "martech": "Martech teams are rebuilding dashboards so that organic traffic losses from AI Mode are not mistaken for a tracking bug.",
        "search": "SEO teams are splitting reports into queries where AI Mode appears and queries where it does not, which is the only way to see the real effect on organic traffic.",
        "b2b": "B2B sites say top-of-funnel blog traffic is hit hardest by AI Mode, while branded searches and demo pages hold up.",
        "brandsafety": "As publisher referrals from search fall, some sites are adding ad units and recirculation widgets, which raises fresh brand safety and quality concerns for buyers.",
        "agency": "Agencies are fielding calls from clients asking why organic traffic fell while rankings held, and whether paid search budgets should rise to compensate for AI Mode.",
        "content": "Content teams are rethinking briefs: fewer generic explainers that AI Mode can summarise, more original reporting, data and opinion that it has to cite.",
        "adtech": "For open-web publishers, fewer referrals from Google AI Mode mean fewer pageviews to sell, and programmatic buyers are already seeing inventory shift.",
    })

SURGE["TikTok Shop"] = dict(
    phrase="TikTok Shop", cats=["TikTok Shop", "Social Commerce", "Holiday"],
    titles=[
        "TikTok Shop bets on live shopping marathons for the holiday season",
        "TikTok Shop sellers report record live shopping sessions ahead of Black Friday",
        "{brand} moves {pct_small}% of its holiday budget to TikTok Shop",
        ("TikTok Shop affiliate creators are the new holiday catalogue", ['creator', 'social']),
        "Live shopping on TikTok Shop: five lessons from the first holiday weekend",
        ("Retail media teams add TikTok Shop to holiday plans", ['retail']),
        ("Agencies build TikTok Shop war rooms for peak season", ['agency']),
        ("TikTok Shop subsidies undercut holiday prices elsewhere", ['commerce', 'retail']),
        ("TikTok Shop shipping windows squeeze small sellers", ['commerce']),
        ("Creators schedule nightly live shopping streams as TikTok Shop holiday push begins", ['creator', 'social']),
        "TikTok Shop holiday sales: {brand} sells out in a single live stream",
    ],
    qtitles=[
        "Is TikTok Shop ready for holiday returns?",
        "Should brands run their own live shopping streams or pay creators?",
        "Can TikTok Shop sales be measured properly?",
    ],
    facts=[
        "TikTok Shop has started its holiday push early, with daily live shopping events, platform-funded discounts and a flood of affiliate videos.",
        "Sellers say live shopping sessions that drew a few hundred viewers in October are now pulling in thousands.",
        "The platform is subsidising shipping on many holiday orders, which makes TikTok Shop prices hard for other channels to match.",
        "Brands report that creator affiliate commissions on TikTok Shop have climbed to {pct_small}% for giftable categories.",
        "Fulfilment is the pressure point: sellers who miss TikTok Shop's shipping windows see their products pushed down in the feed.",
        "For small brands, TikTok Shop offers reach that used to require a retail listing, but margins are thin once fees and commissions are paid.",
        "{brand} said its first holiday live shopping stream on TikTok Shop sold more units in an hour than its website does in a typical week.",
    ],
    quotes=[
        "Live shopping finally clicked for us this month. TikTok Shop in the holiday season feels like a different channel from the one we tested last year.",
        "TikTok Shop is a marketplace, a media channel and a creator network at the same time. Most teams are only staffed for one of those.",
        "We treat every live shopping stream like a product launch now.",
    ],
    questions=[
        "Can TikTok Shop sales be attributed properly when the same video drives purchases on other sites?",
        "What happens to margins when the platform stops subsidising holiday discounts?",
        "Should brands build an in-house live shopping team or rely on affiliate creators?",
        "How much of TikTok Shop's holiday volume will come back as returns in January?",
    ],
    bridge="It is all part of the holiday push on TikTok Shop, where live shopping has become the main event.",
    angles={
        "social": "Social teams are being pulled into commerce whether they like it or not, with community managers now answering sizing and shipping questions in live shopping chats.",
        "retail": "Retail media teams are adding TikTok Shop to holiday plans alongside the big retail networks, often with budget pulled from paid social.",
        "creator": "Creators on TikTok Shop are treating the holiday season like a sales job, with affiliate links in nearly every post and nightly live shopping slots.",
        "agency": "Agencies are staffing dedicated TikTok Shop teams for peak season, covering live production, affiliate management and customer service.",
        "commerce": "Commerce teams are connecting TikTok Shop orders to their inventory systems to avoid overselling during live shopping spikes.",
    })

# --- decoy: surges in ONE feed only ------------------------------------------
DECOY_PODCAST = dict(
    phrase="podcast sponsorships", cats=["Podcasts", "Creators"],
    titles=[
        "Podcast sponsorships sell out for Q1 as creators bundle shows",
        "Why podcast sponsorships are the creator economy's quiet earner",
        "Mid-size shows raise rates on host-read podcast sponsorships",
        "Video podcasts change the maths on podcast sponsorships",
        "Podcast sponsorships: {brand} books a full season in advance",
    ],
    qtitles=["Are podcast sponsorships worth it for DTC brands?"],
    facts=[
        "Podcast sponsorships for the first quarter are selling out earlier than usual, according to several independent networks.",
        "Host-read podcast sponsorships continue to outperform pre-produced spots on promo-code redemptions.",
        "Creators are bundling several shows into one package, which makes podcast sponsorships easier to buy for smaller brands.",
        "{brand} booked a full season of podcast sponsorships after a four-episode test paid back within a month.",
        "Video versions of shows have added a second inventory stream, and podcast sponsorships now often include both.",
    ],
    quotes=[
        "Podcast sponsorships are the one channel where listeners thank us for the ad.",
        "We price podcast sponsorships on trust, and trust is scarce.",
    ],
    questions=[
        "How should brands measure podcast sponsorships when most listeners never click anything?",
        "Will podcast sponsorships get more expensive as video shows grow?",
    ])

# ---------------------------------------------------------------------------
# Feeds
# ---------------------------------------------------------------------------

FEEDS = [
    dict(slug="martech-ledger", file="martech-ledger.xml", name="Martech Ledger",
         fmt="rss2-cdata", site="https://martechledger.example/", beat="martech",
         tags=["martech"], tz=0, desc="News and analysis on marketing technology, data and operations.",
         topics=["martech stack", "marketing automation", "customer data platform"],
         surge={"agentic commerce": 2, "AI Mode": 1}, entities=True,
         footer_appeared=True, base=(34, 44)),
    dict(slug="search-signal-weekly", file="search-signal-weekly.xml", name="Search Signal Weekly",
         fmt="rss2-escaped", site="https://searchsignal.example/", beat="search",
         tags=["seo", "search"], tz=-5, desc="Search marketing news, SEO analysis and Google updates.",
         topics=["technical SEO", "core update", "link building"],
         surge={"AI Mode": 3}, entities=True, footer_readmore=True, base=(32, 42)),
    dict(slug="the-social-desk", file="the-social-desk.xml", name="The Social Desk",
         fmt="atom-base", site="https://thesocialdesk.example/", beat="social",
         tags=["social"], tz=0, desc="Daily notes for social media managers and community teams.",
         topics=["organic reach", "short-form video", "community management"],
         surge={"TikTok Shop": 3}, base=(32, 44)),
    dict(slug="retail-media-brief", file="retail-media-brief.xml", name="Retail Media Brief",
         fmt="rss2-cdata", site="https://retailmediabrief.example/", beat="retail",
         tags=["retail-media", "commerce"], tz=-5, desc="The briefing on retail media networks and commerce advertising.",
         topics=["retail media networks", "sponsored products"],
         surge={"agentic commerce": 2, "TikTok Shop": 1}, base=(28, 38)),
    dict(slug="b2b-growth-notes", file="b2b-growth-notes.xml", name="B2B Growth Notes",
         fmt="atom", site="https://b2bgrowthnotes.example/", beat="b2b",
         tags=["b2b"], tz=-8, desc="Practical notes on B2B demand generation and account-based marketing.",
         topics=["account-based marketing", "pipeline generation"],
         surge={"AI Mode": 1}, ctas=True, base=(26, 36)),
    dict(slug="brand-safety-monitor", file="brand-safety-monitor.xml", name="Brand Safety Monitor",
         fmt="rss1", site="https://brandsafetymonitor.example/", beat="brandsafety",
         tags=["brand-safety", "adtech"], tz=1, desc="Tracking brand safety, ad fraud and verification.",
         topics=["ad fraud", "ad verification", "brand safety"],
         surge={"AI Mode": 1}, entities=True, base=(26, 34)),
    dict(slug="creator-economy-digest", file="creator-economy-digest.xml", name="Creator Economy Digest",
         fmt="rss2-escaped", site="https://creatoreconomydigest.example/", beat="creator",
         tags=["creators", "social"], tz=0, desc="The business of creators, influencers and the platforms that pay them.",
         topics=["creator partnerships", "user-generated content", "influencer marketing"],
         surge={"TikTok Shop": 2}, podcast_decoy=5, entities=True, gmt=True, base=(28, 38)),
    dict(slug="email-craft", file="email-craft.json", name="Email Craft",
         fmt="json", site="https://emailcraft.example/", beat="email",
         tags=["email"], tz=0, desc="Email marketing craft: deliverability, copy and lifecycle.",
         topics=["subject lines", "list hygiene", "email deliverability"],
         surge={"agentic commerce": 1}, ctas=True, base=(28, 38), json_ids="url"),
    dict(slug="cx-quarterly", file="cx-quarterly.json", name="CX Quarterly",
         fmt="json", site="https://cxquarterly.example/", beat="cx",
         tags=["cx", "loyalty"], tz=-5, desc="Customer experience, loyalty and retention research.",
         topics=["customer experience", "loyalty programs", "customer retention"],
         surge={"agentic commerce": 1}, ctas=True, curly=True, base=(26, 34), json_ids="opaque"),
    dict(slug="agency-pulse", file="agency-pulse.xml", name="Agency Pulse",
         fmt="rss2-escaped", encoding="windows-1252", site="https://agencypulse.example/", beat="agency",
         tags=["agencies"], tz=0, desc="Agency news: pitches, people and the business of advertising.",
         topics=["agency pitches", "in-housing"],
         surge={"TikTok Shop": 1, "AI Mode": 1}, curly=True, accents=True, base=(26, 36)),
    dict(slug="commerce-circuit", file="commerce-circuit.xml", name="Commerce Circuit",
         fmt="rss2-cdata", site="https://commercecircuit.example/", beat="commerce",
         tags=["commerce", "retail"], tz=-6, desc="E-commerce growth: checkout, feeds and marketplaces.",
         topics=["checkout conversion", "product feeds", "marketplace sellers"],
         surge={"agentic commerce": 3, "TikTok Shop": 2}, base=(30, 40)),
    dict(slug="data-privacy-wire", file="data-privacy-wire.xml", name="Data & Privacy Wire",
         fmt="rss1-content", site="https://dataprivacywire.example/", beat="privacy",
         tags=["privacy", "data"], tz=1, desc="Privacy regulation and data strategy for marketers.",
         topics=["consent management", "first-party data", "third-party cookies"],
         surge={"agentic commerce": 1}, base=(26, 34)),
    dict(slug="content-ops-journal", file="content-ops-journal.xml", name="Content Ops Journal",
         fmt="atom-base", site="https://contentopsjournal.example/blog/", beat="content",
         tags=["content"], tz=0, desc="How content teams plan, produce and measure.",
         topics=["content workflows", "content audits", "content calendar"],
         surge={"AI Mode": 2}, curly=True, relative_body_links=True, base=(26, 36)),
    dict(slug="adtech-field-notes", file="adtech-field-notes.xml", name="Adtech Field Notes",
         fmt="rss2-escaped", site="https://adtechfieldnotes.example/", beat="adtech",
         tags=["adtech", "programmatic"], tz=-5, desc="Field notes from programmatic advertising and CTV.",
         topics=["programmatic advertising", "connected TV", "supply path optimization"],
         surge={"agentic commerce": 1, "AI Mode": 1}, entities=True, no_guid=True, base=(28, 38)),
]

# Items mentioning a surging topic BEFORE the surge window (low baseline).
BASELINE_MENTIONS = [
    dict(feed="search-signal-weekly", date=dt.date(2026, 10, 8), surge="AI Mode",
         title="Google brings AI Mode to more countries; SEOs wait and see",
         sentence="Google has expanded AI Mode, its conversational search experience, to more countries, though most SEOs we asked have not yet seen a measurable change in organic traffic."),
    dict(feed="the-social-desk", date=dt.date(2026, 10, 21), surge="TikTok Shop",
         title="TikTok Shop quietly tests new tools for sellers",
         sentence="TikTok Shop has started testing scheduling tools for sellers, a small change that few social teams have had time to try."),
    dict(feed="creator-economy-digest", date=dt.date(2026, 10, 28), surge="TikTok Shop",
         title="Affiliate links creep into more creator contracts",
         sentence="Some creators now ask for an affiliate rate on TikTok Shop alongside their flat fee, though it is still the exception."),
    dict(feed="martech-ledger", date=dt.date(2026, 10, 19), surge="agentic commerce",
         title="Conference notebook: the demos everyone was talking about",
         sentence="One vendor showed a slick agentic commerce demo in which software completed a purchase unaided, but nobody in the room claimed to be using it yet."),
]

# Fixed question titles that must exist (feed -> (surge topic, title)).
FIXED_TITLES = [
    ("search-signal-weekly", "AI Mode", "Is SEO dead in the age of AI Mode?"),
    ("commerce-circuit", "agentic commerce", "Will agentic commerce break the checkout funnel?"),
    ("the-social-desk", "TikTok Shop", "What does TikTok Shop mean for small brands?"),
]

ACCENT_PEOPLE = ["Renée Marchand", "José Ortega", "Chloé Bernard", "Zoë Hartley",
                 "Inès Lefèvre", "Björn Åkesson"]
ACCENT_LINES = [
    "The agency’s new studio, a converted café near the station, now hosts most client workshops.",
    "Staff say the résumé pile for strategy roles has doubled since the summer.",
    "The holding company’s décor budget, one rival joked, would fund a small pitch.",
    "Executives described the mood as cautiously optimistic — “not naïve, just busy”.",
]

# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------

USED_TITLES = []  # list, not set: deterministic and small enough


# Article-bearing forms of some topic phrases, for the generic templates.
GENERIC_FORMS = {
    "martech stack": "the martech stack",
    "customer data platform": "customer data platforms",
    "core update": "core updates",
    "content calendar": "the content calendar",
    "marketplace sellers": "marketplace selling",
    "AI Mode": "Google's AI Mode",
}


def cap(s):
    return s[:1].upper() + s[1:]


def slugify(s, maxlen=70):
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode("ascii")
    s = s.lower().replace("&", " and ").replace("'", "").replace("\u2019", "")
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    if len(s) > maxlen:
        s = s[:maxlen].rsplit("-", 1)[0]
    return s


def window_days():
    d = WINDOW_START
    out = []
    while d <= WINDOW_END:
        out.append(d)
        d += dt.timedelta(days=1)
    return out


DAYS = window_days()
SURGE_DAYS = [d for d in DAYS if d >= SURGE_START]


def day_weight(d):
    return {5: 0.3, 6: 0.2}.get(d.weekday(), 1.0)


def pick_day(days):
    return rng.choices(days, weights=[day_weight(d) for d in days])[0]


def pick_time(day):
    hour = rng.choice([7, 8, 9, 9, 10, 10, 11, 12, 13, 14, 14, 15, 16, 17, 18, 20])
    minute = rng.choice(range(0, 60, 5))
    t = dt.datetime(day.year, day.month, day.day, hour, minute, rng.randint(0, 59),
                    tzinfo=dt.timezone.utc)
    return min(t, REF_END)


def person(feed):
    if feed.get("accents") and rng.random() < 0.5:
        return rng.choice(ACCENT_PEOPLE)
    return rng.choice(FIRST) + " " + rng.choice(LAST)


def make_slots(feed, phrase, when):
    b = rng.sample(BRANDS, 2)
    return dict(
        P=GENERIC_FORMS.get(phrase, phrase), Pc=cap(GENERIC_FORMS.get(phrase, phrase)), brand=b[0], brand2=b[1],
        agency=rng.choice(AGENCIES), person=person(feed), role=rng.choice(ROLES),
        audience=rng.choice(AUDIENCES), city=rng.choice(CITIES),
        vertical=rng.choice(VERTICALS), pct=rng.randint(14, 62), pct2=rng.randint(5, 13),
        pct_small=rng.randint(4, 19), n=rng.choice(N_CHOICES),
        big_n=rng.choice([500, 1000, 5000]), small_n=rng.randint(3, 6),
        small_n2=rng.randint(9, 18), months=rng.randint(4, 14),
        month=when.strftime("%B"), pub=feed["name"], site=feed["site"],
        pslug=slugify(phrase),
    )


def fill(tpl, slots):
    # "Halcyon Bikes's" -> "Halcyon Bikes'"
    return re.sub(r"s's\b", "s'", tpl.format(**slots))


USED_TEMPLATES = []  # (template, phrase) pairs already used for a title
N_CHOICES = ["120", "240", "300", "450", "600", "850", "1,200"]


def for_beat(titles, beat):
    """Title pools may hold (title, [beats]) pairs: keep the ones that fit."""
    out = []
    for t in titles:
        if isinstance(t, tuple):
            if beat in t[1]:
                out.append(t[0])
        else:
            out.append(t)
    return out


def unique_title(candidates, slots, tries=60):
    """Pick a title template, fill it, and make sure the result is unused.
    Templates not yet used for this topic are preferred, so the corpus does
    not repeat the same headline with a different brand name."""
    phrase = slots["P"]
    fresh = [c for c in candidates if (c, phrase) not in USED_TEMPLATES]
    for attempt in range(tries):
        pool = fresh if (fresh and attempt < tries // 2) else candidates
        tpl = rng.choice(pool)
        # re-roll the slot values that make titles differ
        s = dict(slots)
        s["brand"] = rng.choice(BRANDS)
        s["audience"] = rng.choice(AUDIENCES)
        s["city"] = rng.choice(CITIES)
        s["vertical"] = rng.choice(VERTICALS)
        s["n"] = rng.choice(N_CHOICES)
        t = fill(tpl, s)
        if t.lower() not in USED_TITLES:
            USED_TITLES.append(t.lower())
            USED_TEMPLATES.append((tpl, phrase))
            slots.update({k: s[k] for k in ("brand", "audience", "city", "vertical", "n")})
            return t
    return None


def pick_n(pool, k):
    return rng.sample(pool, min(k, len(pool)))


# ---------------------------------------------------------------------------
# Body construction.  A body is a list of blocks:
#   ("p", [sentence, ...])   ("ul", intro, [item, ...])   ("raw", html)
# Sentences are plain text with the light markup described above.
# ---------------------------------------------------------------------------

def quote_sentence(quote, slots):
    frame = rng.choice(QUOTE_FRAMES)
    if frame.startswith('"{quote}"') and quote.endswith("."):
        quote = quote[:-1] + ","  # "Quote," said X.
    return fill(frame, dict(slots, quote=quote))


def base_body(feed, tp, slots):
    P = tp["phrase"]
    facts = pick_n(tp["facts"], 3)
    blocks = []
    p1 = [fill(rng.choice(GENERIC_LEDES), slots), fill(facts[0], slots)]
    blocks.append(("p", p1))
    p2 = [quote_sentence(fill(rng.choice(tp["quotes"]), slots), slots),
          fill(facts[1], slots)]
    if rng.random() < 0.6:
        p2.append(fill(rng.choice(GENERIC_DATA), slots))
    blocks.append(("p", p2))
    r = rng.random()
    if r < 0.25:
        tips = [fill(t, slots) for t in pick_n(TIPS, 3)]
        blocks.append(("ul", fill(rng.choice(LIST_INTROS), slots), tips))
    if rng.random() < 0.55:
        q = fill(rng.choice(tp["questions"]), slots)
        blocks.append(("p", [fill(facts[2], slots), q, rng.choice(FOLLOW_UPS)]))
    else:
        blocks.append(("p", [fill(facts[2], slots)]))
    if rng.random() < 0.65:
        blocks.append(("p", [fill(rng.choice(CLOSERS), slots)]))
    return blocks


def surge_body(feed, sp, slots, extra_question=True):
    lede = rng.choice(sp["facts"][:3])  # the first three facts work as ledes
    facts = [lede] + pick_n([f for f in sp["facts"] if f != lede], 2)
    blocks = []
    p1 = [fill(facts[0], slots)]
    angle = sp.get("angles", {}).get(feed["beat"])
    if angle:
        p1.append(angle)
    blocks.append(("p", p1))
    blocks.append(("p", [quote_sentence(fill(rng.choice(sp["quotes"]), slots), slots),
                         fill(facts[1], slots)]))
    qs = pick_n(sp["questions"], 2 if extra_question else 1)
    blocks.append(("p", [fill(facts[2], slots)] + qs + [rng.choice(FOLLOW_UPS)]))
    if rng.random() < 0.3:
        tips = [fill(t, slots) for t in pick_n(TIPS, 3)]
        blocks.append(("ul", fill(rng.choice(LIST_INTROS), slots), tips))
    blocks.append(("p", [fill(rng.choice(SURGE_CLOSERS), slots)]))
    return blocks


def ensure_phrase(item, sp):
    """Every surge item must use the topic's main phrase in its title or body."""
    ph = sp["phrase"].lower()
    if ph not in item["title"].lower() and not has_phrase(item["blocks"], ph):
        item["blocks"][0][1].insert(1, sp["bridge"])


def word_count(blocks):
    n = 0
    for b in blocks:
        if b[0] == "p":
            n += sum(len(s.split()) for s in b[1])
        elif b[0] == "ul":
            n += len(b[1].split()) + sum(len(s.split()) for s in b[2])
    return n


def has_phrase(blocks, phrase):
    ph = phrase.lower()
    for b in blocks:
        if b[0] == "p" and any(ph in s.lower() for s in b[1]):
            return True
        if b[0] == "ul" and (ph in b[1].lower() or any(ph in s.lower() for s in b[2])):
            return True
    return False


# ---------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------

def smart_quotes(s):
    out = []
    for i, ch in enumerate(s):
        if ch == '"':
            prev = s[i - 1] if i > 0 else " "
            out.append("\u201c" if prev in " (\u2014[" else "\u201d")
        elif ch == "'":
            out.append("\u2019")
        else:
            out.append(ch)
    return "".join(out)


def plain(s, feed):
    """Plain-text rendering (titles, summaries)."""
    s = re.sub(r"\[\[([^|\]]+)\|[^\]]+\]\]", r"\1", s)
    s = s.replace("**", "").replace("~", " ")
    if feed.get("curly"):
        s = smart_quotes(s)
    return s


def render_sentence(s, feed):
    if feed.get("curly"):
        s = smart_quotes(s)
    s = html.escape(s, quote=False)
    s = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", s)

    def link(m):
        text, url = m.group(1), m.group(2)
        if feed.get("relative_body_links") and url.startswith(feed["site"]):
            url = "/" + url[len("https://contentopsjournal.example/"):]
        return '<a href="%s">%s</a>' % (url, text)

    s = re.sub(r"\[\[([^|\]]+)\|([^\]]+)\]\]", link, s)
    if feed.get("entities"):
        s = s.replace("~", "&nbsp;").replace("\u2014", "&mdash;")
    else:
        s = s.replace("~", "\u00a0" if feed.get("curly") else " ")
    return s


def render_html(blocks, feed):
    parts = []
    for b in blocks:
        if b[0] == "p":
            parts.append("<p>" + " ".join(render_sentence(s, feed) for s in b[1]) + "</p>")
        elif b[0] == "ul":
            parts.append("<p>" + render_sentence(b[1], feed) + "</p>")
            parts.append("<ul>" + "".join("<li>" + render_sentence(s, feed) + "</li>"
                                          for s in b[2]) + "</ul>")
        elif b[0] == "raw":
            parts.append(b[1])
    return "\n".join(parts)


def summary_text(blocks, feed, words=32):
    first = next(b for b in blocks if b[0] == "p")
    text = plain(" ".join(first[1]), feed)
    ws = text.split()
    if len(ws) <= words:
        return text
    return " ".join(ws[:words]) + " [\u2026]"


def xml_text(s):
    return html.escape(s, quote=False)


def xml_attr(s):
    return html.escape(s, quote=True)


def local_time(t, feed):
    return t.astimezone(dt.timezone(dt.timedelta(hours=feed["tz"])))


def rfc822(t, feed):
    if feed.get("gmt"):
        return email.utils.format_datetime(t.astimezone(dt.timezone.utc), usegmt=True)
    return email.utils.format_datetime(local_time(t, feed))


def rfc3339(t, feed):
    s = local_time(t, feed).isoformat()
    return s.replace("+00:00", "Z")


def cdata(s):
    assert "]]>" not in s
    return "<![CDATA[" + s + "]]>"


# ---------------------------------------------------------------------------
# Item generation
# ---------------------------------------------------------------------------

def link_for(feed, title, when, seq):
    s = slugify(title)
    y, m, d = when.strftime("%Y"), when.strftime("%m"), when.strftime("%d")
    slug = feed["slug"]
    if slug == "martech-ledger":
        return "https://martechledger.example/%s/%s/%s/%s/" % (y, m, d, s)
    if slug == "search-signal-weekly":
        return "https://searchsignal.example/news/%s-%d" % (s, 40100 + seq)
    if slug == "the-social-desk":
        return "%s/%s/%s/" % (y, m, s)  # relative, resolved against xml:base
    if slug == "retail-media-brief":
        return "https://retailmediabrief.example/briefs/%s" % s
    if slug == "b2b-growth-notes":
        return "https://b2bgrowthnotes.example/notes/%s/" % s
    if slug == "brand-safety-monitor":
        return "https://brandsafetymonitor.example/reports/%s/%s.html" % (y, s)
    if slug == "creator-economy-digest":
        return "https://creatoreconomydigest.example/p/%s" % s
    if slug == "email-craft":
        return "https://emailcraft.example/articles/%s/" % s
    if slug == "cx-quarterly":
        return "https://cxquarterly.example/insights/%s" % s
    if slug == "agency-pulse":
        return "https://agencypulse.example/%s/%s/%s/" % (y, m, s)
    if slug == "commerce-circuit":
        return "https://commercecircuit.example/stories/%s/" % s
    if slug == "data-privacy-wire":
        return "https://dataprivacywire.example/wire/%s%s%s-%s" % (y, m, d, s)
    if slug == "content-ops-journal":
        return "posts/%s.html" % s  # relative, resolved against xml:base
    if slug == "adtech-field-notes":
        return "https://adtechfieldnotes.example/notes/%s/" % s
    raise KeyError(slug)


def new_item(feed, when, title, blocks, cats, kind, topic_phrase):
    return dict(when=when, title=title, blocks=blocks, cats=cats, kind=kind,
                topic=topic_phrase, author=person(feed))


def stratified_days(n, days):
    """n weekday-weighted days spread evenly over `days` (stratified sampling),
    so that weekly volume stays steady instead of drifting at random."""
    weights = [day_weight(d) for d in days]
    total = sum(weights)
    cum = []
    acc = 0.0
    for w in weights:
        acc += w / total
        cum.append(acc)
    out = []
    for i in range(n):
        u = (i + rng.random()) / n
        j = 0
        while j < len(cum) - 1 and cum[j] < u:
            j += 1
        out.append(days[j])
    return out


def plan_base_items():
    """Dates and topics for every feed's regular items.

    Each feed gets a weekday-weighted, evenly spread set of dates.  About 45%
    of its items (chosen by a steady alternation) are about one of the
    background topics, the rest about the feed's own beat, cycled in a
    shuffled order.  Background topics are dealt out round-robin across ALL
    feeds in date order, so each one recurs at a near-constant weekly rate
    across the corpus instead of clustering by chance."""
    plans = {}
    bg_slots = []
    for feed in FEEDS:
        n = rng.randint(*feed["base"])
        times = sorted(pick_time(d) for d in stratified_days(n, DAYS))
        beat = list(feed["topics"])
        rng.shuffle(beat)
        off = rng.random()
        plan = []
        nk = 0
        for i, t in enumerate(times):
            if int((i + 1) * 0.45 + off) > int(i * 0.45 + off):
                plan.append([t, None])
                bg_slots.append((t, feed["slug"], i))
            else:
                plan.append([t, beat[nk % len(beat)]])
                nk += 1
        plans[feed["slug"]] = plan
    bg = list(BACKGROUND)
    rng.shuffle(bg)
    bg_slots.sort()
    for k, (t, slug, i) in enumerate(bg_slots):
        plans[slug][i][1] = bg[k % len(bg)]
    return plans


def gen_base_item(feed, when, phrase):
    tp = T[phrase]
    slots = make_slots(feed, phrase, when)
    title = None
    if rng.random() < 0.08:
        title = unique_title(tp["qtitles"] + GENERIC_QTITLES, slots)
    if title is None:
        pool = tp["titles"] if rng.random() < 0.65 else GENERIC_TITLES
        title = unique_title(pool, slots) or unique_title(tp["titles"] + GENERIC_TITLES, slots)
    assert title, phrase
    blocks = base_body(feed, tp, slots)
    return new_item(feed, when, title, blocks, tp["cats"], "base", phrase)


def gen_surge_item(feed, name, when, forced_title=None):
    sp = SURGE[name] if name in SURGE else DECOY_PODCAST
    slots = make_slots(feed, sp["phrase"], when)
    if forced_title:
        title = forced_title
        USED_TITLES.append(title.lower())
    else:
        title = None
        if rng.random() < 0.25:
            title = unique_title(for_beat(sp["qtitles"], feed["beat"]), slots)
        if title is None:
            title = unique_title(for_beat(sp["titles"], feed["beat"]), slots)
    assert title, name
    blocks = surge_body(feed, sp, slots)
    kind = "decoy" if sp is DECOY_PODCAST else "surge"
    it = new_item(feed, when, title, blocks, sp["cats"], kind, sp["phrase"])
    if kind == "surge":
        ensure_phrase(it, sp)
    return it


def gen_baseline_mention(feed, bm):
    when = pick_time(bm["date"])
    phrase = rng.choice(feed["topics"])
    tp = T[phrase]
    slots = make_slots(feed, phrase, when)
    USED_TITLES.append(bm["title"].lower())
    blocks = [("p", [bm["sentence"], fill(tp["facts"][0], slots)]),
              ("p", [quote_sentence(fill(tp["quotes"][0], slots), slots),
                     fill(rng.choice(GENERIC_DATA), slots)]),
              ("p", [fill(tp["facts"][1], slots), rng.choice(FOLLOW_UPS)])]
    return new_item(feed, when, bm["title"], blocks, tp["cats"], "baseline", bm["surge"])


def build_feed(feed, plan):
    items = []
    for when, phrase in plan:
        items.append(gen_base_item(feed, when, phrase))
    for bm in BASELINE_MENTIONS:
        if bm["feed"] == feed["slug"]:
            items.append(gen_baseline_mention(feed, bm))
    for name, count in feed.get("surge", {}).items():
        for i in range(count):
            forced = None
            for fslug, fname, ftitle in FIXED_TITLES:
                if fslug == feed["slug"] and fname == name and i == 0:
                    forced = ftitle
            items.append(gen_surge_item(feed, name, pick_time(pick_day(SURGE_DAYS)), forced))
    for i in range(feed.get("podcast_decoy", 0)):
        items.append(gen_surge_item(feed, "podcast", pick_time(pick_day(SURGE_DAYS))))

    # Keep bodies inside ~120-300 words: pad short ones with generic lines,
    # appended to the existing paragraphs rather than as one-line paragraphs.
    for it in items:
        slots = make_slots(feed, it["topic"], it["when"])
        pool = [fill(x, slots) for x in GENERIC_DATA]
        rng.shuffle(pool)
        k = 0
        while word_count(it["blocks"]) < 125:
            line = pool.pop()
            target = [b for b in it["blocks"] if b[0] == "p"][k % 2]
            if not any(line in b[1] for b in it["blocks"] if b[0] == "p"):
                target[1].append(line)
            k += 1

    # Decoy: "social media" in roughly 40% of items, and in every feed every week.
    # (Only regular items get it, so the extra surge-week items do not make
    # the phrase itself look like it is rising.)
    for it in items:
        if rng.random() < 0.4 and it["kind"] in ("base", "baseline"):
            it["blocks"][0][1].append(rng.choice(SOCIAL_MEDIA_LINES))
    for wk in range(7):
        hi = WINDOW_END - dt.timedelta(days=7 * wk)
        lo = hi - dt.timedelta(days=6)
        bucket = [it for it in items if lo <= it["when"].date() <= hi and it["kind"] == "base"]
        if bucket and not any(has_phrase(it["blocks"], "social media") for it in bucket):
            rng.choice(bucket)["blocks"][0][1].append(rng.choice(SOCIAL_MEDIA_LINES))

    # Agency Pulse: some accented characters for the windows-1252 test.
    if feed.get("accents"):
        for it in items:
            if rng.random() < 0.35:
                it["blocks"][1][1].append(rng.choice(ACCENT_LINES))

    items.sort(key=lambda it: it["when"], reverse=True)

    # Stable ids / links.
    for seq, it in enumerate(reversed(items)):
        it["seq"] = seq
        it["link"] = link_for(feed, it["title"], it["when"], seq)

    # HTML rendering, with per-feed boilerplate.
    for it in items:
        body = render_html(it["blocks"], feed)
        if feed.get("ctas") and rng.random() < 0.5:
            body += "\n" + rng.choice(CTAS).format(site=feed["site"])
        if feed.get("footer_appeared"):
            body += "\n<p>The post %s appeared first on Martech Ledger.</p>" % xml_text(
                plain(it["title"], feed))
        if feed.get("footer_readmore"):
            body += ('\n<p><a href="%s">Read more</a></p>\n'
                     "<p>Subscribe to our newsletter for the week's search news every Friday.</p>"
                     % it["link"])
        it["html"] = body
        it["summary"] = summary_text(it["blocks"], feed)
        it["title_text"] = plain(it["title"], feed)
    return items


def inject_script_style(items):
    """Martech Ledger: one body carries a <style> and a <script> block."""
    base = [it for it in items if it["kind"] == "base"]
    target = base[len(base) // 2]
    style = ("<style type=\"text/css\">.ml-promo{border:1px solid #d0d0d0;padding:12px}"
             ".ml-promo strong{color:#b0003a}</style>")
    script = ("<script type=\"text/javascript\">window.mlTrackingQueue = window.mlTrackingQueue || [];"
              " mlTrackingQueue.push({event: \"article_view\", section: \"martech\"});</script>")
    first_end = target["html"].index("</p>") + len("</p>")
    target["html"] = (target["html"][:first_end] + "\n" + style + "\n" + script
                      + target["html"][first_end:])
    target["script_style"] = True
    return target


# ---------------------------------------------------------------------------
# Writers
# ---------------------------------------------------------------------------

def write_rss2(feed, items):
    site = feed["site"]
    L = []
    enc = feed.get("encoding", "UTF-8")
    L.append('<?xml version="1.0" encoding="%s"?>' % enc)
    L.append('<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
             'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">')
    L.append("<channel>")
    L.append("  <title>%s</title>" % xml_text(feed["name"]))
    L.append("  <link>%s</link>" % site)
    L.append("  <description>%s</description>" % xml_text(feed["desc"]))
    L.append("  <language>en-us</language>")
    L.append("  <lastBuildDate>%s</lastBuildDate>" % rfc822(items[0]["when"], feed))
    L.append('  <atom:link href="%sfeed/" rel="self" type="application/rss+xml"/>' % site)
    L.append("  <generator>%s publishing system</generator>" % xml_text(feed["name"]))
    for it in items:
        L.append("  <item>")
        L.append("    <title>%s</title>" % xml_text(it["title_text"]))
        L.append("    <link>%s</link>" % xml_text(it["link"]))
        slug = feed["slug"]
        if slug in ("martech-ledger", "retail-media-brief", "creator-economy-digest"):
            L.append("    <dc:creator>%s</dc:creator>" % cdata(it["author"]))
        else:
            user = slugify(it["author"]).replace("-", ".")
            L.append("    <author>%s@%s (%s)</author>" % (
                user, site.split("//")[1].rstrip("/"), xml_text(it["author"])))
        L.append("    <pubDate>%s</pubDate>" % rfc822(it["when"], feed))
        for c in it["cats"]:
            if feed["fmt"] == "rss2-cdata":
                L.append("    <category>%s</category>" % cdata(c))
            else:
                L.append("    <category>%s</category>" % xml_text(c))
        if slug == "martech-ledger":
            L.append('    <guid isPermaLink="false">https://martechledger.example/?p=%d</guid>'
                     % (18200 + it["seq"] * 7))
        elif slug == "retail-media-brief":
            L.append('    <guid isPermaLink="false">rmb-%s-%03d</guid>'
                     % (it["when"].strftime("%Y%m%d"), it["seq"]))
        elif slug == "creator-economy-digest":
            L.append('    <guid isPermaLink="true">%s</guid>' % xml_text(it["link"]))
        elif feed.get("no_guid"):
            pass
        else:
            L.append("    <guid>%s</guid>" % xml_text(it["link"]))
        if feed["fmt"] == "rss2-cdata":
            L.append("    <description>%s</description>" % cdata(it["summary"]))
            L.append("    <content:encoded>%s</content:encoded>" % cdata(it["html"]))
        else:
            L.append("    <description>%s</description>" % xml_text(it["html"]))
        L.append("  </item>")
    L.append("</channel>")
    L.append("</rss>")
    return "\n".join(L) + "\n"


def write_atom(feed, items):
    site = feed["site"]
    base = feed["fmt"] == "atom-base"
    host = site.split("//")[1].split("/")[0]
    L = ['<?xml version="1.0" encoding="utf-8"?>']
    if base:
        L.append('<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en" xml:base="%s">' % site)
        L.append('  <link rel="alternate" type="text/html" href="./"/>')
    else:
        L.append('<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">')
        L.append('  <link rel="alternate" type="text/html" href="%s"/>' % site)
    L.append("  <title>%s</title>" % xml_text(feed["name"]))
    L.append("  <subtitle>%s</subtitle>" % xml_text(feed["desc"]))
    L.append('  <link rel="self" type="application/atom+xml" href="%sfeed.atom"/>' % site)
    L.append("  <id>tag:%s,2019:feed</id>" % host)
    L.append("  <updated>%s</updated>" % rfc3339(items[0]["when"], feed))
    L.append("  <generator>Handmade</generator>")
    for it in items:
        L.append("  <entry>")
        L.append('    <title type="text">%s</title>' % xml_text(it["title_text"]))
        L.append('    <link rel="alternate" type="text/html" href="%s"/>' % xml_attr(it["link"]))
        if feed["slug"] == "b2b-growth-notes":
            u = uuid.UUID(int=rng.getrandbits(128), version=4)
            L.append("    <id>urn:uuid:%s</id>" % u)
        elif feed["slug"] == "the-social-desk":
            L.append("    <id>tag:%s,%s:/%s</id>" % (host, it["when"].strftime("%Y-%m-%d"),
                                                    it["link"].rstrip("/")))
        else:
            L.append("    <id>%s%s</id>" % (site, it["link"]))
        L.append("    <published>%s</published>" % rfc3339(it["when"], feed))
        upd = it["when"] + dt.timedelta(minutes=rng.choice([0, 0, 0, 12, 45, 180]))
        L.append("    <updated>%s</updated>" % rfc3339(min(upd, REF_END), feed))
        L.append("    <author><name>%s</name></author>" % xml_text(it["author"]))
        for c in it["cats"]:
            L.append('    <category term="%s"/>' % xml_attr(c))
        L.append('    <summary type="text">%s</summary>' % xml_text(it["summary"]))
        L.append('    <content type="html">%s</content>' % xml_text(it["html"]))
        L.append("  </entry>")
    L.append("</feed>")
    return "\n".join(L) + "\n"


def write_rss1(feed, items):
    site = feed["site"]
    L = ['<?xml version="1.0" encoding="UTF-8"?>',
         '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
         'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/" '
         'xmlns:content="http://purl.org/rss/1.0/modules/content/">',
         '  <channel rdf:about="%s">' % site,
         "    <title>%s</title>" % xml_text(feed["name"]),
         "    <link>%s</link>" % site,
         "    <description>%s</description>" % xml_text(feed["desc"]),
         "    <dc:language>en</dc:language>",
         "    <dc:date>%s</dc:date>" % rfc3339(items[0]["when"], feed),
         "    <items>",
         "      <rdf:Seq>"]
    for it in items:
        L.append('        <rdf:li rdf:resource="%s"/>' % xml_attr(it["link"]))
    L += ["      </rdf:Seq>", "    </items>", "  </channel>"]
    for it in items:
        L.append('  <item rdf:about="%s">' % xml_attr(it["link"]))
        L.append("    <title>%s</title>" % xml_text(it["title_text"]))
        L.append("    <link>%s</link>" % xml_text(it["link"]))
        if feed["fmt"] == "rss1-content":
            L.append("    <description>%s</description>" % xml_text(it["summary"]))
            L.append("    <content:encoded>%s</content:encoded>" % cdata(it["html"]))
        else:
            L.append("    <description>%s</description>" % xml_text(it["html"]))
        L.append("    <dc:creator>%s</dc:creator>" % xml_text(it["author"]))
        L.append("    <dc:date>%s</dc:date>" % rfc3339(it["when"], feed))
        for c in it["cats"]:
            L.append("    <dc:subject>%s</dc:subject>" % xml_text(c))
        L.append("  </item>")
    L.append("</rdf:RDF>")
    return "\n".join(L) + "\n"


def write_json(feed, items):
    site = feed["site"]
    out = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": feed["name"],
        "home_page_url": site,
        "feed_url": site + "feed.json",
        "description": feed["desc"],
        "language": "en-US",
        "authors": [{"name": feed["name"] + " editors"}],
        "items": [],
    }
    for it in items:
        if feed["json_ids"] == "url":
            iid = it["link"]
        else:
            iid = "cxq-%s-%04d" % (it["when"].strftime("%Y"), 310 + it["seq"])
        out["items"].append({
            "id": iid,
            "url": it["link"],
            "title": it["title_text"],
            "content_html": it["html"],
            "summary": it["summary"],
            "date_published": rfc3339(it["when"], feed),
            "authors": [{"name": it["author"]}],
            "tags": it["cats"],
        })
    return json.dumps(out, indent=2, ensure_ascii=False) + "\n"


def write_broken():
    """An RSS file that no XML parser can read: a mismatched end tag in the
    first item, and the document is truncated in the middle of an element."""
    return """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>Funnel Friday</title>
  <link>https://funnelfriday.example/</link>
  <description>Conversion rate optimisation, one funnel at a time.</description>
  <language>en-us</language>
  <lastBuildDate>Fri, 13 Nov 2026 09:00:00 +0000</lastBuildDate>
  <item>
    <title>Landing page tests that paid off for Fernhill Pantry</description>
    <link>https://funnelfriday.example/2026/11/landing-page-tests</link>
    <pubDate>Fri, 13 Nov 2026 09:00:00 +0000</pubDate>
    <dc:creator>Colin Brennan</dc:creator>
    <description>&lt;p&gt;Fernhill Pantry ran eleven landing page tests this autumn.&lt;/p&gt;</title>
  </item>
  <item>
    <title>Pricing page copy: what changed after we removed the comparison table</title>
    <link>https://funnelfriday.example/2026/11/pricing-page-copy</link>
    <pubDate>Fri, 06 Nov 2026 09:00:00 +0000</pubDate>
    <description>&lt;p&gt;Removing the comparison table raised trial starts by a small but steady margin, and the team
"""


# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------

def build_all():
    plans = plan_base_items()
    return {feed["slug"]: build_feed(feed, plans[feed["slug"]]) for feed in FEEDS}


def main():
    all_items = build_all()
    for feed in FEEDS:
        items = all_items[feed["slug"]]
        if feed["slug"] == "martech-ledger":
            inject_script_style(items)
        all_items[feed["slug"]] = items

    for feed in FEEDS:
        items = all_items[feed["slug"]]
        fmt = feed["fmt"]
        if fmt.startswith("rss2"):
            text = write_rss2(feed, items)
        elif fmt.startswith("atom"):
            text = write_atom(feed, items)
        elif fmt.startswith("rss1"):
            text = write_rss1(feed, items)
        else:
            text = write_json(feed, items)
        data = text.encode(feed.get("encoding", "utf-8").replace("windows-1252", "cp1252"))
        with open(os.path.join(OUT_DIR, feed["file"]), "wb") as f:
            f.write(data)
    with open(os.path.join(OUT_DIR, "broken-feed.xml"), "wb") as f:
        f.write(write_broken().encode("utf-8"))

    check(all_items)
    report(all_items)


def check(all_items):
    """Self-checks so a change to this script cannot silently break the demo."""
    for feed in FEEDS:
        items = all_items[feed["slug"]]
        assert 25 <= len(items) <= 60, (feed["slug"], len(items))
        for it in items:
            assert WINDOW_START <= it["when"].date() <= WINDOW_END
            wc = word_count(it["blocks"])
            assert 120 <= wc <= 300, (feed["slug"], it["title"], wc)
        assert not any("podcast sponsorships" in it["html"].lower() for it in items) or \
            feed["slug"] == "creator-economy-digest"
    for name in SURGE:
        ph = name.lower()
        recent_feeds = []
        before = 0
        for feed in FEEDS:
            for it in all_items[feed["slug"]]:
                if ph in (it["title"] + " " + it["html"]).lower():
                    if it["when"].date() >= SURGE_START:
                        if feed["slug"] not in recent_feeds:
                            recent_feeds.append(feed["slug"])
                    else:
                        before += 1
        assert len(recent_feeds) >= 4, (name, recent_feeds)
        assert before <= 3, (name, before)
    titles = [it["title_text"].lower() for f in FEEDS for it in all_items[f["slug"]]]
    assert len(titles) == len(set(titles)), "duplicate titles"


def report(all_items):
    total = 0
    q = 0
    for feed in FEEDS:
        items = all_items[feed["slug"]]
        total += len(items)
        q += sum(1 for it in items if it["title_text"].endswith("?"))
        print("%-28s %-12s %3d items" % (feed["file"], feed["fmt"], len(items)))
    print("broken-feed.xml              (broken)")
    print("total items: %d, question titles: %d (%.0f%%)" % (total, q, 100.0 * q / total))


if __name__ == "__main__":
    sys.exit(main())
