"""Names, offices and the words people write, for the demo marketplace (plain data)."""

FIRST_NAMES = (
    "Aaliyah", "Aaron", "Abigail", "Adrian", "Aisha", "Alejandro", "Alex", "Alicia", "Amara", "Amir",
    "Ana", "Andre", "Andrea", "Angela", "Anh", "Anika", "Anthony", "Ari", "Ava", "Ben", "Bianca",
    "Brandon", "Brianna", "Caleb", "Camila", "Carlos", "Carmen", "Casey", "Chen", "Chloe", "Chris",
    "Claire", "Daniel", "Danielle", "Darius", "David", "Deja", "Derek", "Destiny", "Diego", "Dmitri",
    "Elena", "Eli", "Elijah", "Emily", "Emma", "Eric", "Esther", "Fatima", "Gabriel", "Grace",
    "Hana", "Hannah", "Hector", "Ian", "Imani", "Isaac", "Isabel", "Jamal", "James", "Jasmine",
    "Javier", "Jenna", "Jessica", "Jin", "Jordan", "Jose", "Joshua", "Julia", "Kai", "Keisha",
    "Kevin", "Kiara", "Laila", "Lauren", "Leah", "Leon", "Lucia", "Luis", "Maya", "Malik", "Marcus",
    "Maria", "Mateo", "Megan", "Mei", "Michael", "Miguel", "Mohammed", "Monique", "Nadia", "Naomi",
    "Nathan", "Nia", "Noah", "Olivia", "Omar", "Pablo", "Priya", "Rachel", "Rafael", "Rahul",
    "Raven", "Rebecca", "Ricardo", "Rosa", "Ryan", "Samantha", "Samuel", "Sara", "Sean", "Sofia",
    "Tamika", "Tariq", "Taylor", "Thomas", "Tiana", "Valeria", "Vanessa", "Victor", "Wei", "Xavier",
    "Yara", "Yusuf", "Zoe",
)
LAST_NAMES = (
    "Abbott", "Adeyemi", "Aguilar", "Ahmed", "Alvarez", "Anderson", "Bailey", "Baker", "Banks",
    "Bennett", "Brooks", "Brown", "Bui", "Campbell", "Carter", "Castillo", "Chang", "Chavez", "Chen",
    "Clark", "Coleman", "Collins", "Cooper", "Cruz", "Davis", "Delgado", "Diaz", "Dixon", "Edwards",
    "Evans", "Fernandez", "Fischer", "Flores", "Foster", "Garcia", "Gomez", "Gonzalez", "Green",
    "Gupta", "Hall", "Harris", "Hayes", "Hernandez", "Hill", "Hoang", "Howard", "Hughes", "Jackson",
    "James", "Jenkins", "Johnson", "Jones", "Kaur", "Kelly", "Khan", "Kim", "King", "Kowalski",
    "Lee", "Lewis", "Lopez", "Martin", "Martinez", "Mendoza", "Miller", "Mitchell", "Moore",
    "Morales", "Murphy", "Nakamura", "Nelson", "Nguyen", "Okafor", "Olson", "Ortiz", "Park", "Patel",
    "Perez", "Peterson", "Phillips", "Price", "Ramirez", "Ramos", "Reed", "Reyes", "Richardson",
    "Rivera", "Roberts", "Robinson", "Rodriguez", "Rossi", "Russell", "Sanchez", "Sanders", "Shah",
    "Silva", "Singh", "Smith", "Sullivan", "Tanaka", "Taylor", "Thomas", "Thompson", "Torres",
    "Tran", "Turner", "Vasquez", "Walker", "Washington", "Watson", "White", "Williams", "Wilson",
    "Wong", "Wright", "Yang", "Young", "Zhang",
)

MEMBER_TITLES = ("Campaign manager", "Finance director", "Communications director", "Field director",
                 "Candidate", "Digital director", "Volunteer coordinator")

# Volunteer personas: which skill categories they tend to have, and how they describe themselves.
PERSONAS = {
    "engineer": {
        "share": 0.27,
        "categories": {"engineering": 5.0, "data": 1.5, "design": 0.8, "crm": 0.4, "ops": 0.3},
        "headlines": (
            "Front-end engineer at a health-tech startup", "Full-stack developer, ex-agency",
            "Senior software engineer in fintech", "Web developer and WordPress freelancer",
            "QA engineer who loves breaking donation forms", "Backend engineer (Python) at a SaaS company",
            "Engineering manager, weekends free for democracy",
        ),
        "link": "https://github.com/{handle}",
    },
    "data": {
        "share": 0.16,
        "categories": {"data": 5.0, "crm": 2.0, "engineering": 1.0, "ops": 0.3},
        "headlines": (
            "Data analyst at a public-health nonprofit", "Analytics engineer (SQL, dbt)",
            "Former campaign data director, now in ed-tech", "GIS specialist at a city planning office",
            "Data scientist in retail forecasting", "BI developer who builds dashboards for a living",
        ),
        "link": "https://www.linkedin.com/in/{handle}",
    },
    "designer": {
        "share": 0.14,
        "categories": {"design": 5.0, "social": 1.5, "video": 1.0, "engineering": 0.6, "email": 0.4},
        "headlines": (
            "Product designer at a B2B startup", "Brand designer and illustrator",
            "UX researcher in government services", "Freelance graphic designer",
            "Content designer and copywriter", "Art director at a small agency",
        ),
        "link": "https://{handle}.portfolio.example",
    },
    "marketer": {
        "share": 0.20,
        "categories": {"email": 4.0, "digital_ads": 4.0, "social": 2.0, "design": 0.8, "data": 0.6},
        "headlines": (
            "Growth marketer at a consumer app", "Performance marketing lead (Meta and Google)",
            "Email marketing manager at an e-commerce brand", "Nonprofit development and fundraising pro",
            "Lifecycle marketer who loves an A/B test", "Digital strategist, former agency account lead",
        ),
        "link": "https://www.linkedin.com/in/{handle}",
    },
    "creator": {
        "share": 0.09,
        "categories": {"video": 5.0, "social": 3.0, "design": 1.0},
        "headlines": (
            "Video editor for documentary and branded content", "Social video producer",
            "Motion designer", "Photographer and videographer", "Creator with a growing TikTok audience",
        ),
        "link": "https://{handle}.portfolio.example",
    },
    "organizer": {
        "share": 0.14,
        "categories": {"crm": 4.0, "ops": 4.0, "email": 0.8, "data": 0.6, "social": 0.4},
        "headlines": (
            "Operations manager and former field organizer", "Program manager at a community foundation",
            "Salesforce admin at a nonprofit", "Union organizer turned ops lead",
            "Event producer", "Teacher and volunteer-coordination veteran",
        ),
        "link": "https://www.linkedin.com/in/{handle}",
    },
}

BIOS = (
    "{years} years in {field}. New to politics beyond voting; I want my skills to count for "
    "candidates in {place}.",
    "I've worked in {field} for {years} years and volunteered on two local races. Happy to lead or to "
    "quietly get things done.",
    "{years} years in {field}. I care most about {cause} and would love to work with a campaign near "
    "{place}.",
    "Grew up in {place}; now a few time zones away but still vote in every local election. {years} "
    "years in {field}.",
    "Parent of two, {years} years in {field}. Evenings and Saturday mornings are my volunteer time.",
)
PERSONA_FIELDS = {
    "engineer": "software engineering", "data": "data and analytics", "designer": "design",
    "marketer": "digital marketing", "creator": "video and content", "organizer": "operations and organizing",
}

# Office types: (level, office, district pattern, election dates as "YYYY-MM-DD", weight)
OFFICES = (
    ("state", "State House", "District {n}", ("2027-11-02",), 5),
    ("state", "State Senate", "District {n}", ("2027-11-02", "2027-03-02"), 2),
    ("municipal", "City Council", "Ward {n}", ("2027-11-02", "2027-04-06"), 4),
    ("municipal", "Mayor", "", ("2027-11-02", "2027-03-02"), 1),
    ("county", "County Commission", "District {n}", ("2027-11-02",), 3),
    ("school_board", "School Board", "Seat {n}", ("2027-11-02", "2027-04-06"), 3),
    ("federal", "U.S. House (special election)", "{state}-{n:02d}", ("2027-03-02",), 1),
    ("judicial", "Circuit Court Judge", "Circuit {n}", ("2027-04-06",), 1),
)
OFFICE_SHORT = {
    "State House": "State House", "State Senate": "State Senate", "City Council": "City Council",
    "Mayor": "Mayor", "County Commission": "County Commission", "School Board": "School Board",
    "U.S. House (special election)": "Congress", "Circuit Court Judge": "Judge",
}
# Battleground and down-ballot-heavy states first; a campaign list is spread across them.
CAMPAIGN_STATES = (
    "VA", "NC", "GA", "PA", "MI", "WI", "AZ", "NV", "TX", "FL", "OH", "MN", "CO", "NH", "IA", "KS",
    "MO", "SC", "NM", "WA", "NJ", "OR", "NE", "TN", "IN", "KY", "LA", "MS",
)
TECH_HUBS = (
    ("San Francisco", "CA"), ("Oakland", "CA"), ("Seattle", "WA"), ("New York City", "NY"),
    ("Brooklyn", "NY"), ("Austin", "TX"), ("Boston", "MA"), ("Denver", "CO"), ("Chicago", "IL"),
    ("Los Angeles", "CA"), ("Washington", "DC"), ("Atlanta", "GA"), ("Portland", "OR"),
    ("Minneapolis", "MN"), ("Raleigh", "NC"), ("Philadelphia", "PA"),
)

CAMPAIGN_BLURBS = (
    "{candidate} is a {job} running for {office} to bring {cause_lower} to the top of the agenda in {city}.",
    "First-time candidate {candidate}, a {job}, is running a grassroots, small-dollar campaign for {office}.",
    "{candidate} has lived in {city} for twenty years and is running for {office} on {cause_lower} and "
    "good local government.",
)
CANDIDATE_JOBS = (
    "public-school teacher", "nurse practitioner", "small-business owner", "union electrician",
    "Army veteran", "civil-rights attorney", "pastor", "city planner", "pediatrician", "firefighter",
    "community organizer", "farmer", "software engineer", "social worker",
)

# What campaigns write when they ask for help, by template slug.
GOALS = {
    "campaign-website": (
        "Our site is a one-page Squarespace from 2022 that can't take donations or volunteer sign-ups. "
        "We need a real site with issue pages before {candidate}'s launch event.",
        "We have a domain and a logo and that's it. We need a site voters in {city} can find, that "
        "works on phones, and that our staff can update without calling anyone.",
    ),
    "online-fundraising": (
        "Most of our money comes from call time. We want online giving to cover our digital budget, "
        "and we don't know which of our links actually raise money.",
        "Our ActBlue page is the default form with no ask ladder. We'd like recurring donors before "
        "the end-of-quarter deadline.",
    ),
    "email-program-launch": (
        "We have 1,800 email addresses in three spreadsheets and have never sent a newsletter. "
        "We want a weekly email that raises money and recruits volunteers.",
        "Our emails go to spam and nobody on staff knows why. We need a proper setup and a plan to "
        "election day.",
    ),
    "digital-ads-launch": (
        "We have about $15,000 for digital ads and no idea how to spend it well. We need our first "
        "Facebook and Google campaigns set up and reported honestly.",
        "Our opponent is outspending us online. We want a lean ads program that grows our list in "
        "{city} and persuades the voters we need.",
    ),
    "social-media-kit": (
        "{candidate} posts when there's time, which is rarely. We want a content plan, templates and "
        "a few videos so a volunteer can keep our accounts alive.",
        "We'd like to reach younger voters in {city} on Instagram and TikTok but have no one who "
        "knows short video.",
    ),
    "voter-file-cleanup": (
        "Our supporter lists live in five spreadsheets and none of them match VAN. We need clean "
        "universes for doors and phones before the field program starts.",
        "We just got VAN access from the state party and don't know how to build our target lists.",
    ),
    "p2p-texting-setup": (
        "We want to text every likely supporter in the district before early voting and have "
        "volunteers who would text, but no platform or scripts.",
        "Phone banks have terrible contact rates here. We'd like to try peer-to-peer texting for "
        "volunteer recruitment and GOTV.",
    ),
    "volunteer-crm-setup": (
        "Volunteers sign up and then we lose them. We need one place to track who signed up, who "
        "showed up, and who to call back.",
        "We run everything out of Google Sheets and a group chat. We want Mobilize shifts and "
        "automatic reminders before canvassing ramps up.",
    ),
    "video-package": (
        "We have no video of {candidate} at all. We'd like a bio video and a handful of short clips "
        "for social and ads.",
        "We need video that shows {candidate} talking with neighbors in {city}, cut for ads and "
        "for Instagram.",
    ),
    "field-dashboard": (
        "Our field director spends every morning copying VAN numbers into a spreadsheet. We want a "
        "dashboard that shows doors and IDs against goal by precinct.",
        "We can't tell which turfs are worth re-knocking. A map of contact rates would change how we "
        "deploy canvassers.",
    ),
    "gotv-digital-push": (
        "Early voting starts soon and we want a coordinated GOTV push online: ads, texts and emails "
        "that remind our supporters where and when to vote.",
    ),
    "website-accessibility-audit": (
        "A voter told us our site doesn't work with her screen reader. We want it fixed properly, "
        "and it's slow on phones too.",
    ),
    "events-toolkit": (
        "We want to hold a town hall in every neighborhood of {city} but each event is chaos. We "
        "need RSVPs, reminders and a checklist we can reuse.",
    ),
    "volunteer-onboarding": (
        "Lots of people sign up but few come back for a second shift. We want a real onboarding "
        "program, in English and Spanish.",
    ),
}
TIMING = (
    "As soon as possible; our launch event is in a month.",
    "Before early voting starts.",
    "We'd like this done within six weeks.",
    "Any time in the next two months, ideally before the holidays.",
    "Before the end-of-quarter fundraising deadline.",
)
CONSTRAINTS = (
    "The candidate approves all public copy; allow two days.",
    "Tool budget under $50 a month.",
    "Everything must be accessible and available in Spanish.",
    "Staff are only reachable evenings and weekends.",
    "No changes to the donation page without the treasurer's sign-off.",
    "",
)
DECLINED_REQUESTS = (
    ("We need someone to run our whole digital program full-time until the election.",
     "Open-ended and full-time: not something a volunteer team can commit to. Suggested the email "
     "program launch and the social media kit as two scoped phases instead."),
    ("Can your volunteers knock doors for us next weekend?",
     "Canvassing is outside what Barnstorm does; pointed them to the state party's volunteer hub."),
    ("We'd like an app that predicts how every voter in the district will vote.",
     "Not feasible with their data or timeline. Offered the voter-file cleanup and a field dashboard."),
)
CHANGES_REQUESTED = (
    "Can we cut the Spanish pages from this phase and add a volunteer sign-up form instead?",
    "The timeline is too long for us: can we get the first deliverables in three weeks?",
    "Please add the treasurer to the approval step for anything involving donations.",
    "We'd rather start after our launch event on the 15th.",
)

DONE_LINES = (
    "Paired on the hardest part on Wednesday evening.",
    "Reviewed drafts with the campaign manager on our weekly call.",
    "Closed out the feedback from last week's review.",
    "Documented everything in the shared folder as we went.",
    "Got the access we were waiting for and made up the lost time.",
)
BLOCKERS_AT_RISK = (
    "Still waiting on admin access from the campaign; two tasks are blocked.",
    "The candidate hasn't approved the copy yet, so we can't publish.",
    "One teammate was out sick this week; we're a few hours behind.",
    "The campaign changed priorities mid-week; we need to confirm scope on Monday's call.",
    "Vendor account verification is taking longer than expected.",
)
BLOCKERS_OFF_TRACK = (
    "We lost most of the week waiting for VAN access; we need a decision on scope by Friday.",
    "No response from the campaign in ten days. We can't continue without their approvals.",
    "Two members had work emergencies; we need to cut a deliverable or extend the next phase.",
)
ACK_COMMENTS = (
    "Thank you! This is exactly what we needed.",
    "Looks great. Can we see the draft before Thursday's call?",
    "The candidate loved it.",
    "Sorry for the slow access; our finance director is on it today.",
    "Let's talk scope on Monday; we're fine cutting the last item.",
    "Really appreciate the weekly updates.",
)
STAFF_NOTES = (
    "I've pinged the campaign manager about access; will follow up Tuesday.",
    "Flagging for the weekly risk review.",
    "Talked to the lead: plan is realistic, keep going.",
)
HANDOVER_NOTES = (
    "All logins are in the campaign's password manager; a 20-minute walkthrough was recorded.",
    "The editing guide is in the shared drive. The campaign's digital director owns it from here.",
    "We left a prioritised backlog for a possible next phase.",
    "Everything is documented; the campaign can run the weekly routine without us.",
)
CAMPAIGN_RATING_COMMENTS = (
    "Professional, on time, and kind to our overworked staff. Would do it again in a heartbeat.",
    "They delivered everything we asked for and taught us how to keep it going.",
    "Great work. The weekly check-ins kept us honest too.",
    "Good results; we were slow with approvals, which cost a week.",
    "Solid team. A few deliverables slipped but the lead kept us informed.",
)
VOLUNTEER_RATING_COMMENTS = (
    "Clear scope and a great lead. I knew exactly what I signed up for.",
    "Loved working with this campaign. Would join their next phase.",
    "Hard to get answers from the campaign some weeks, but worth it.",
    "My first political project and it won't be my last.",
    "Well organised; the six-week limit made it easy to say yes.",
)
DECLINE_REASONS = (
    "Work is busy this month; please ask me again in the spring.",
    "I'd rather work on a data project than this one.",
    "The hours don't fit with my kids' schedule right now.",
    "I'm already helping a campaign locally.",
    "Not my area of expertise, sorry!",
)
