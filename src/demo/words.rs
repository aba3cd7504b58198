//! The word lists the synthetic precinct is made from: names, places, sentences, promises.

use crate::model::{ContactKind, Tone};

pub(super) const FIRST_NAMES: [&str; 60] = [
    "Maria",
    "James",
    "Aisha",
    "Wei",
    "Carlos",
    "Fatima",
    "John",
    "Priya",
    "Tyrone",
    "Mei",
    "Luis",
    "Hannah",
    "Omar",
    "Grace",
    "Dmitri",
    "Keisha",
    "Samuel",
    "Ana",
    "Kwame",
    "Rosa",
    "Patrick",
    "Leila",
    "Marcus",
    "Yuki",
    "Elena",
    "Andre",
    "Sofia",
    "Darnell",
    "Ngozi",
    "Thomas",
    "Lucia",
    "Hiroshi",
    "Jasmine",
    "Miguel",
    "Abdul",
    "Claire",
    "Jamal",
    "Linh",
    "Robert",
    "Esperanza",
    "Kevin",
    "Amara",
    "Daniel",
    "Ifeoma",
    "Frank",
    "Mariam",
    "Victor",
    "Tanya",
    "George",
    "Rania",
    "Hector",
    "Beatriz",
    "Joseph",
    "Chloe",
    "Xavier",
    "Nadia",
    "Terrence",
    "Olga",
    "Brian",
    "Zainab",
];

pub(super) const LAST_NAMES: [&str; 50] = [
    "Martinez",
    "Johnson",
    "Nguyen",
    "Okafor",
    "Kowalski",
    "Chen",
    "Rodriguez",
    "Williams",
    "Patel",
    "Haddad",
    "Brown",
    "Kim",
    "Garcia",
    "O'Brien",
    "Smith",
    "Jackson",
    "Lopez",
    "Ivanova",
    "Murphy",
    "Washington",
    "Hernandez",
    "Tanaka",
    "Ali",
    "Davis",
    "Rossi",
    "Mensah",
    "Nowak",
    "Cohen",
    "Park",
    "Singh",
    "Thompson",
    "Reyes",
    "Moore",
    "Adeyemi",
    "Schmidt",
    "Flores",
    "Baker",
    "Lee",
    "Morales",
    "Walker",
    "Hassan",
    "Greene",
    "Diaz",
    "Sullivan",
    "Yamamoto",
    "Clarke",
    "Ortiz",
    "Novak",
    "Bennett",
    "Castillo",
];

pub(super) const INITIALS: &str = "ABCDEFGHJKLMNPRSTVW";

pub(super) const HOOD_NAMES: [&str; 24] = [
    "Riverside",
    "Elm Park",
    "Northgate",
    "Cedar Heights",
    "Old Town",
    "Millbrook",
    "Southport",
    "Harbor View",
    "Lincoln Square",
    "Maple Grove",
    "Eastfield",
    "Westbrook",
    "Fairview",
    "Oak Hollow",
    "Union Flats",
    "Kingsley",
    "Brighton Hill",
    "Stonebridge",
    "Willow Creek",
    "Market District",
    "Parkside",
    "Highland",
    "Bayview",
    "Foundry Row",
];

pub(super) const HOOD_SUFFIXES: [&str; 4] = ["East", "West", "North", "South"];

pub(super) const STREETS: [&str; 24] = [
    "Elm St",
    "Maple Ave",
    "5th St",
    "Oak St",
    "Main St",
    "Pine St",
    "Washington Blvd",
    "Cedar Ln",
    "Lincoln Ave",
    "Park Ave",
    "3rd St",
    "River Rd",
    "Church St",
    "Mill St",
    "Grant Ave",
    "12th St",
    "Birch St",
    "Spring St",
    "Harrison St",
    "Walnut St",
    "Franklin Ave",
    "7th St",
    "Cherry Ln",
    "Jefferson Ave",
];

pub(super) const BUSINESSES: [&str; 28] = [
    "Rosa's Bakery",
    "Lucky Star Laundromat",
    "Kim's Corner Market",
    "Eastside Barbershop",
    "Golden Dragon Takeout",
    "Quick Stop Gas",
    "Sunrise Diner",
    "Main Street Pharmacy",
    "Bella Pizza",
    "Hillside Hardware",
    "Tony's Auto Repair",
    "Green Leaf Cafe",
    "Dollar Corner",
    "Medina Tire Shop",
    "Blue Door Bookshop",
    "Lotus Nail Salon",
    "Casa Oaxaca Taqueria",
    "Corner Liquors",
    "Family Dental Clinic",
    "Halal Meat Market",
    "Second Chance Thrift",
    "Paradise Beauty Supply",
    "Northside Check Cashing",
    "Mama Ngozi's Kitchen",
    "Sparkle Car Wash",
    "Fresh Fields Grocery",
    "Iron Works Gym",
    "Little Saigon Pho",
];

pub(super) const PARKS: [&str; 12] = [
    "Riverside Park",
    "Memorial Park",
    "Veterans Field",
    "the community garden",
    "Lincoln Playground",
    "Cedar Park",
    "the skate park",
    "Millpond Park",
    "the dog run",
    "Harbor Green",
    "Pocket park on Mill St",
    "Union Square",
];

pub(super) const SCHOOLS: [&str; 10] = [
    "Lincoln Elementary",
    "Roosevelt Middle School",
    "Central High School",
    "Washington Elementary",
    "Boys & Girls Club",
    "the rec center gym",
    "Hope Charter School",
    "St. Anne's School",
    "Garfield Elementary",
    "the public library teen room",
];

pub(super) const MEETING_PLACES: [&str; 9] = [
    "the community center",
    "St. Mark's Church hall",
    "the library meeting room",
    "Mount Zion Baptist Church",
    "the VFW hall",
    "the senior center",
    "the apartment lobby at 410 Grant Ave",
    "Masjid Al-Noor community room",
    "the union hall",
];

pub(super) const GROUP_KINDS: [&str; 7] = [
    "Neighbors Association",
    "Tenants Union",
    "Business Alliance",
    "Block Club",
    "Youth Soccer League",
    "Community Garden Group",
    "Seniors Club",
];

pub(super) const DESCRIPTIONS: [&str; 12] = [
    "Older man with the terrier",
    "Woman who runs the fruit stand",
    "Teen on the red bike",
    "Night-shift nurse",
    "Man who feeds the pigeons",
    "Crossing guard at the school",
    "Mail carrier on the morning route",
    "Woman with the twins in the stroller",
    "Retired teacher on the corner",
    "Food truck owner",
    "Guy who fixes bikes on his porch",
    "Building superintendent",
];

pub(super) const OPENERS: [(ContactKind, &[&str]); 8] = [
    (
        ContactKind::Conversation,
        &[
            "Stopped to talk with {who} at {place}.",
            "Walk-and-talk along {street}.",
            "Chatted with {who} at {place}.",
            "{Who} waved me over near {place}.",
            "Ran into {who} at {place}.",
            "Short chat with {who} while walking the beat.",
        ],
    ),
    (
        ContactKind::BusinessCheck,
        &[
            "Business check at {place}.",
            "Checked in with the owner at {place}.",
            "Walked through {place} and spoke with staff.",
            "Stopped into {place} during the afternoon rush.",
        ],
    ),
    (
        ContactKind::CommunityMeeting,
        &[
            "Attended the monthly meeting at {place}.",
            "About {n} people at the meeting at {place}.",
            "Gave a short safety update at {place}.",
            "Sat in on the block club meeting.",
        ],
    ),
    (
        ContactKind::Event,
        &[
            "Stopped by {event} at {place}.",
            "{Event} at {place}.",
            "Handed out stickers and junior badges to kids at {event}.",
            "Helped out at {event}.",
        ],
    ),
    (
        ContactKind::YouthEngagement,
        &[
            "Shot hoops with a group of teens at {place}.",
            "Read to a second-grade class at {place}.",
            "Talked with students at lunch.",
            "Career day visit at {place}.",
            "Helped coach practice at {place}.",
        ],
    ),
    (
        ContactKind::ConcernReported,
        &[
            "{Who} flagged a problem near {place}.",
            "Resident stopped me to report a concern.",
            "{Who} came up to the car with a concern.",
            "Concern reported near {place}.",
        ],
    ),
    (
        ContactKind::FollowUpVisit,
        &[
            "Went back to close the loop with {who}.",
            "Follow-up visit on last week's concern.",
            "Returned with an answer from public works.",
            "Stopped by to check whether things had improved.",
        ],
    ),
    (
        ContactKind::PhoneOrMessage,
        &[
            "Called {who} back.",
            "Got a text from {who}.",
            "Returned a voicemail from {who}.",
            "Email from {who}.",
        ],
    ),
];

pub(super) const EVENTS: [&str; 7] = [
    "the block party",
    "National Night Out",
    "the community cleanup",
    "Coffee with a Cop",
    "the back-to-school fair",
    "the farmers market",
    "the church festival",
];

/// Sentences about each default topic. Topics added by officers get the generic ones.
pub(super) const TOPIC_SENTENCES: [(&str, &[&str]); 12] = [
    (
        "noise",
        &[
            "Loud music late at night from a house on {street}.",
            "Complaints about a barking dog on {street}.",
            "Neighbors say parties run past 2 am on weekends.",
        ],
    ),
    (
        "traffic",
        &[
            "Cars run the stop sign at {street} & {street2} during school drop-off.",
            "Heavy truck traffic cutting through {street}.",
        ],
    ),
    (
        "speeding",
        &[
            "Drivers speeding on {street}; asked about a speed bump.",
            "Wants more patrols for speeders near {school}.",
        ],
    ),
    (
        "lighting",
        &[
            "Streetlight out at {street} & {street2} for two weeks.",
            "The alley behind {street} is very dark at night.",
        ],
    ),
    (
        "graffiti",
        &[
            "New tags on the wall behind {business}.",
            "Graffiti on the bus shelter at {street} & {street2}.",
        ],
    ),
    (
        "drugs",
        &[
            "Suspected dealing near {park} in the evenings.",
            "Found needles near the playground at {park}.",
        ],
    ),
    (
        "youth activities",
        &[
            "Kids asking for more open gym hours.",
            "The summer program at the rec center is already full.",
        ],
    ),
    (
        "housing",
        &[
            "Landlord not fixing the heat in the building on {street}.",
            "Worried about rent increases and evictions on the block.",
        ],
    ),
    (
        "property crime",
        &[
            "Two car break-ins on {street} this week.",
            "Package thefts from porches on {street}.",
            "Bike stolen from the rack outside {business}.",
        ],
    ),
    (
        "parking",
        &[
            "Cars blocking driveways on {street}.",
            "Abandoned car on {street} for a month.",
        ],
    ),
    (
        "homelessness",
        &[
            "Encampment growing under the bridge by {park}.",
            "Man sleeping in the doorway of {business}; offered outreach info.",
        ],
    ),
    (
        "trash and dumping",
        &[
            "Mattresses dumped in the alley off {street}.",
            "Overflowing trash cans at {park}.",
        ],
    ),
];

pub(super) const GENERIC_TOPIC: [&str; 2] =
    ["Brought up {topic}.", "Asked what we can do about {topic}."];

pub(super) const FILLERS: [&str; 10] = [
    "Gave out my card.",
    "Will mention it at roll call.",
    "Shared the date of the next community meeting.",
    "Lots of foot traffic today.",
    "Cold and quiet afternoon.",
    "Passed on the non-emergency number.",
    "Said the block has been calmer lately.",
    "Asked about the new officer on the beat.",
    "Kids were out on bikes.",
    "Talked about the weekend farmers market.",
];

pub(super) const TONE_CLOSERS: [(Tone, &[&str]); 5] = [
    (
        Tone::Hostile,
        &[
            "Was angry and did not want to talk for long.",
            "Said police never do anything around here.",
        ],
    ),
    (
        Tone::Guarded,
        &["Kept it short; seemed wary.", "Polite but guarded."],
    ),
    (Tone::Neutral, &["Routine.", "Nothing further."]),
    (
        Tone::Friendly,
        &["Good conversation.", "Thanked us for stopping by."],
    ),
    (
        Tone::Warm,
        &[
            "Invited me in for coffee.",
            "Always good to see {who}.",
            "Offered to help organize the next block meeting.",
        ],
    ),
];

pub(super) const ONE_WORD: [&str; 6] = [
    "Quiet.", "Routine.", "Hello.", "Coffee.", "Fine.", "Nothing.",
];

pub(super) const TOPIC_PROMISES: [(&str, &str); 12] = [
    ("noise", "Check back on the noise on {street} next weekend"),
    (
        "traffic",
        "Ask about a crossing guard at {street} & {street2}",
    ),
    (
        "speeding",
        "Ask the traffic unit for a speed survey on {street}",
    ),
    (
        "lighting",
        "Report the streetlight at {street} & {street2} to the city",
    ),
    ("graffiti", "Request graffiti removal behind {business}"),
    (
        "drugs",
        "Ask parks to fix the lighting and trim the hedges in {park}",
    ),
    (
        "youth activities",
        "Find out about open gym hours at the rec center",
    ),
    ("housing", "Get the tenant hotline number for {who}"),
    (
        "property crime",
        "Share the car break-in pattern at roll call",
    ),
    ("parking", "Have parking enforcement look at {street}"),
    (
        "homelessness",
        "Connect the outreach team with the camp near {park}",
    ),
    (
        "trash and dumping",
        "Call sanitation about the dumping off {street}",
    ),
];

pub(super) const GENERIC_PROMISES: [&str; 5] = [
    "Call back with an answer",
    "Drop off crime prevention flyers",
    "Bring the community meeting schedule",
    "Find out who owns the vacant lot on {street}",
    "Introduce {who} to the block captain",
];

pub(super) const DONE_OUTCOMES: [&str; 5] = [
    "Done; the city fixed it within a week.",
    "Called back and shared the answer.",
    "Done. Resident was happy with the result.",
    "Work order filed and completed.",
    "Dropped off the information in person.",
];

pub(super) const DROPPED_OUTCOMES: [&str; 4] = [
    "Could not reach the resident after three tries.",
    "Resident moved away.",
    "Handled by another unit.",
    "No longer needed; the issue resolved itself.",
];

pub(super) const JOURNAL_TEMPLATES: [&str; 8] = [
    "Monthly meeting at {meeting}: about {n} attended. Main topics were {topic} and {topic2}.",
    "Ongoing: {topic} around {park}. Residents keep raising it.",
    "Met the new manager at {business}. Open to hosting Coffee with a Cop.",
    "Who to know: {who}, good contact for anything about {topic}.",
    "Quiet week. Foot patrol on {street} during school dismissal.",
    "Public works confirmed repairs on {street} are scheduled for next month.",
    "Walked {street} end to end with {who}. Pointed out problem spots: {business}, {park}.",
    "{topic}: calls are down since the last meeting, but people still mention it.",
];

// ---------------------------------------------------------------------------------------------
