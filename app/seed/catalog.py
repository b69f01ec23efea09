"""The menu's contents: the skills taxonomy, the causes, and the project templates.

Plain data, loaded into the database by `app.seed.menu.load_menu` (upsert by slug).
Slugs are stable identifiers: rename a skill's name freely, never its slug.
"""

# (slug, name, category, description)
SKILLS = (
    # engineering
    ("react", "React", "engineering",
     "Builds interactive front ends in React and modern JavaScript/TypeScript."),
    ("python-django", "Python / Django", "engineering",
     "Writes back ends, scripts and integrations in Python, often with Django or Flask."),
    ("wordpress", "WordPress", "engineering",
     "Builds and maintains WordPress sites: themes, plugins, forms, hosting and updates."),
    ("site-builders", "Squarespace / Wix site builders", "engineering",
     "Launches polished sites quickly on Squarespace, Wix or Webflow without custom code."),
    ("accessibility", "Accessibility (WCAG)", "engineering",
     "Audits and fixes sites against WCAG 2.1 AA: contrast, keyboard use, screen readers, alt text."),
    ("qa-testing", "QA testing", "engineering",
     "Tests forms, donation flows and pages across browsers and phones, and files clear bug reports."),
    ("seo-performance", "SEO and web performance", "engineering",
     "Makes pages fast and findable: metadata, page speed, Google Search Console, local search."),
    # data
    ("sql", "SQL", "data",
     "Queries, joins and cleans data in SQL (PostgreSQL, BigQuery, Redshift, Civis)."),
    ("data-analysis", "Data analysis (pandas / R)", "data",
     "Turns messy spreadsheets into answers with pandas, R or advanced Excel."),
    ("data-visualization", "Data visualization", "data",
     "Builds dashboards and charts people actually read, in Looker Studio, Tableau or Metabase."),
    ("voter-file-analysis", "Voter-file analysis", "data",
     "Works with voter files and vote history: universes, turnout targets, persuasion and GOTV lists."),
    ("gis-mapping", "Geocoding and mapping (GIS)", "data",
     "Geocodes addresses and maps turf, precincts and districts in QGIS, ArcGIS or Carto."),
    ("web-analytics", "Web analytics (GA4 / Tag Manager)", "data",
     "Sets up GA4, Tag Manager and conversion tracking so every page and donation is measured."),
    # design
    ("ux-research", "UX research", "design",
     "Runs quick user interviews and usability tests and turns them into concrete fixes."),
    ("ui-design", "UI and visual design (Figma)", "design",
     "Designs clean, on-brand pages, graphics and components in Figma."),
    ("brand-design", "Brand and logo design", "design",
     "Creates logos, color palettes, type and a simple brand guide a campaign can reuse."),
    ("copywriting", "Copywriting", "design",
     "Writes short, persuasive copy for pages, emails, ads and posts in the candidate's voice."),
    ("print-design", "Print and mail design", "design",
     "Lays out walk pieces, palm cards, yard signs and mailers that pass the printer's checks."),
    # digital ads
    ("meta-ads", "Facebook / Instagram ads", "digital_ads",
     "Plans, launches and optimises Meta ad campaigns, including political ad authorisation."),
    ("google-ads", "Google Ads", "digital_ads",
     "Runs Google search and YouTube campaigns, including the Google Ad Grants rules."),
    ("programmatic-ctv", "Programmatic / CTV ads", "digital_ads",
     "Buys programmatic display and connected-TV inventory against voter-file audiences."),
    ("ad-analytics", "Ad analytics and attribution", "digital_ads",
     "Tracks cost per acquisition, lift and return on ad spend, and reports what is working."),
    # email
    ("email-marketing", "Email marketing (Mailchimp)", "email",
     "Builds lists, templates and automated series in Mailchimp, Action Network or EveryAction."),
    ("actblue", "ActBlue fundraising pages", "email",
     "Sets up ActBlue forms, refcodes, recurring asks and express-donor flows."),
    ("email-deliverability", "Email deliverability", "email",
     "Keeps email out of spam: SPF/DKIM/DMARC, list hygiene, warm-up and sending cadence."),
    ("ab-testing", "A/B testing", "email",
     "Designs and reads A/B tests of subject lines, asks and pages with sound sample sizes."),
    # social
    ("social-strategy", "Social media strategy", "social",
     "Plans content calendars and channel strategy across Instagram, Facebook, X and TikTok."),
    ("short-form-video", "Short-form video (TikTok / Reels)", "social",
     "Shoots and cuts vertical video that fits TikTok, Reels and Shorts."),
    ("community-management", "Community management", "social",
     "Moderates comments, answers messages and grows an engaged online community."),
    ("social-graphics", "Social graphics (Canva)", "social",
     "Produces fast, on-brand social graphics and templates in Canva or Adobe Express."),
    # video
    ("video-editing", "Video editing", "video",
     "Edits interviews and b-roll into finished spots in Premiere, Final Cut or DaVinci Resolve."),
    ("motion-graphics", "Motion graphics", "video",
     "Animates titles, lower thirds and explainer graphics in After Effects."),
    ("video-production", "Video production", "video",
     "Plans and shoots video: script, lighting, sound and interviews on a small budget."),
    ("photography", "Photography", "video",
     "Shoots candidate portraits and event photos and keeps a usable photo library."),
    # CRM and voter-file tools
    ("ngp-van", "NGP VAN / VoteBuilder", "crm",
     "Works in VAN: lists, turf cutting, MiniVAN, codes, saved searches and exports."),
    ("p2p-texting", "Peer-to-peer texting (Hustle / ThruText / Spoke)", "crm",
     "Sets up P2P texting campaigns, scripts, opt-outs and texter onboarding."),
    ("action-network", "Action Network / Mobilize", "crm",
     "Runs events, sign-up forms and volunteer shifts in Action Network and Mobilize."),
    ("crm-admin", "Salesforce / NationBuilder CRM", "crm",
     "Configures and cleans a CRM: fields, imports, deduplication, reports and permissions."),
    ("no-code-automation", "No-code automation (Zapier / Airtable)", "crm",
     "Connects tools with Zapier or Make and builds lightweight Airtable bases."),
    # operations
    ("project-management", "Project management", "ops",
     "Keeps a small team on scope and schedule: plans, boards, weekly check-ins, risks."),
    ("volunteer-coordination", "Volunteer coordination", "ops",
     "Recruits, schedules and follows up with volunteers so shifts actually get filled."),
    ("event-logistics", "Event logistics", "ops",
     "Runs the logistics of town halls, canvass launches and fundraisers: venue, RSVPs, run-of-show."),
    ("training-facilitation", "Training and facilitation", "ops",
     "Designs and leads short trainings, live or on Zoom, and writes the one-page guide."),
    ("spanish-translation", "Spanish translation", "ops",
     "Translates and adapts campaign materials into natural, accurate Spanish."),
)

# (slug, name, bit) -- the bit is fixed forever once given (matching packs causes into 64 bits).
CAUSES = (
    ("voting-rights", "Voting rights", 0),
    ("climate", "Climate", 1),
    ("healthcare", "Healthcare", 2),
    ("education", "Education", 3),
    ("housing", "Housing", 4),
    ("immigration", "Immigration", 5),
    ("criminal-justice-reform", "Criminal justice reform", 6),
    ("economic-opportunity", "Economic opportunity", 7),
    ("reproductive-rights", "Reproductive rights", 8),
    ("gun-safety", "Gun safety", 9),
    ("lgbtq-equality", "LGBTQ+ equality", 10),
    ("veterans", "Veterans", 11),
    ("rural-broadband", "Rural broadband", 12),
    ("labor", "Labor", 13),
)


def _m(name, unit, target):
    return {"name": name, "unit": unit, "target": target}


# Each template: a repeatable, well-scoped phase of work (<= 8 weeks, team of 3-5).
# "skills": [(skill slug, level 1..4, weight)]
TEMPLATES = (
    {
        "slug": "campaign-website",
        "title": "Campaign website build",
        "category": "website",
        "summary": (
            "Design and launch a fast, accessible campaign website the staff can update themselves. "
            "It tells the candidate's story, explains the issues, and turns visitors into donors and "
            "volunteers. The team hands over a short editing guide and the keys to every account."
        ),
        "deliverables": [
            "Site map and page copy approved by the candidate",
            "Home, About, Issues, Volunteer and Donate pages live on the campaign domain",
            "Volunteer sign-up form feeding the campaign's list",
            "Accessibility and mobile check of every page (WCAG 2.1 AA)",
            "Editing guide and handover call with campaign staff",
        ],
        "metrics": [
            _m("Monthly unique visitors", "visitors", 2500),
            _m("Volunteer sign-ups through the site", "sign-ups", 150),
            _m("Mobile accessibility score (Lighthouse)", "score", 95),
        ],
        "campaign_provides": (
            "Domain registrar access, candidate bio and photos, issue positions, logo and colors, "
            "and a staff member who approves copy within two days."
        ),
        "team_min": 3, "team_max": 4, "hours_per_week": 6, "weeks": 6,
        "skills": [("wordpress", 3, 2.5), ("ui-design", 2, 1.5), ("copywriting", 2, 1.0),
                   ("accessibility", 2, 1.0)],
    },
    {
        "slug": "online-fundraising",
        "title": "Online fundraising page and ActBlue optimisation",
        "category": "fundraising",
        "summary": (
            "Rebuild the campaign's online donation path, from the Donate button to the thank-you page. "
            "The team sets up tracked ActBlue forms with smart ask amounts and recurring asks, then "
            "tests what raises more. Every dollar is attributed to a source by refcode."
        ),
        "deliverables": [
            "ActBlue forms for the site, email and ads, each with its own refcode",
            "Ask ladders and a recurring-donation upsell tested on the main form",
            "Post-donation thank-you page with share and volunteer asks",
            "Weekly fundraising dashboard by source",
        ],
        "metrics": [
            _m("Online donations raised", "USD", 40000),
            _m("Donation page conversion rate", "%", 12),
            _m("Recurring donors", "donors", 150),
        ],
        "campaign_provides": (
            "ActBlue account access, the compliance contact, fundraising goals by month, and past "
            "donation exports."
        ),
        "team_min": 3, "team_max": 4, "hours_per_week": 5, "weeks": 5,
        "skills": [("actblue", 3, 2.5), ("ab-testing", 2, 1.5), ("copywriting", 2, 1.0),
                   ("web-analytics", 2, 1.0)],
    },
    {
        "slug": "email-program-launch",
        "title": "Email program launch",
        "category": "email",
        "summary": (
            "Stand up an email program that grows the list and raises money every week. "
            "The team sets up the sending platform and authentication, builds templates and a welcome "
            "series, and runs the first weeks of fundraising and volunteer emails with the campaign."
        ),
        "deliverables": [
            "Email platform configured with SPF, DKIM and DMARC",
            "Branded, mobile-friendly templates for fundraising and news emails",
            "Five-email welcome series for new sign-ups",
            "Content calendar to election day and two weeks of drafted emails",
            "Weekly report of list growth, opens and dollars raised",
        ],
        "metrics": [
            _m("Email list size", "subscribers", 5000),
            _m("Average open rate", "%", 25),
            _m("Dollars raised by email", "USD", 15000),
        ],
        "campaign_provides": (
            "Existing contact lists with consent status, the sending domain's DNS access, ActBlue "
            "access, and a weekly 30-minute review with the candidate or manager."
        ),
        "team_min": 3, "team_max": 4, "hours_per_week": 5, "weeks": 6,
        "skills": [("email-marketing", 3, 2.5), ("copywriting", 3, 2.0),
                   ("email-deliverability", 2, 1.0), ("ab-testing", 2, 1.0)],
    },
    {
        "slug": "digital-ads-launch",
        "title": "Digital ads launch",
        "category": "digital_ads",
        "summary": (
            "Plan and launch the campaign's first paid digital program on Meta and Google. "
            "The team gets the ad accounts authorised, builds audiences from the voter file, produces "
            "creative, and optimises spend weekly against list-building and persuasion goals."
        ),
        "deliverables": [
            "Meta and Google ad accounts authorised for political ads",
            "Custom audiences built from the voter file and the email list",
            "Three creative sets (static, video, carousel) with A/B variants",
            "Weekly spend and results report with recommendations",
        ],
        "metrics": [
            _m("Email sign-ups from ads", "sign-ups", 2500),
            _m("Video completions", "views", 50000),
            _m("Cost per sign-up", "USD", 3),
        ],
        "campaign_provides": (
            "Ad budget and approval process, the candidate's ID for ad authorisation, brand assets, "
            "and voter-file exports of target universes."
        ),
        "team_min": 3, "team_max": 5, "hours_per_week": 6, "weeks": 6,
        "skills": [("meta-ads", 3, 2.5), ("google-ads", 2, 1.5), ("ad-analytics", 2, 1.5),
                   ("social-graphics", 2, 1.0)],
    },
    {
        "slug": "social-media-kit",
        "title": "Social media kit and content calendar",
        "category": "social",
        "summary": (
            "Give the campaign a social presence it can keep up on its own. The team sets the "
            "channel strategy, builds reusable templates, and produces and schedules the first month "
            "of posts and short videos with the candidate."
        ),
        "deliverables": [
            "Channel strategy and voice guide for Instagram, Facebook and TikTok",
            "Twenty reusable graphic templates in the campaign's brand",
            "Four-week content calendar with drafted posts",
            "Eight short vertical videos featuring the candidate",
        ],
        "metrics": [
            _m("New followers across channels", "followers", 1500),
            _m("Average engagement rate", "%", 4),
            _m("Posts published", "posts", 60),
        ],
        "campaign_provides": (
            "Logins to every social account, two hours of the candidate's time for filming, and "
            "a staff member who approves posts daily."
        ),
        "team_min": 3, "team_max": 4, "hours_per_week": 5, "weeks": 4,
        "skills": [("social-strategy", 3, 2.0), ("short-form-video", 2, 1.5),
                   ("social-graphics", 2, 1.5), ("copywriting", 2, 1.0)],
    },
    {
        "slug": "voter-file-cleanup",
        "title": "Voter-file and data cleanup",
        "category": "data",
        "summary": (
            "Clean and organise the campaign's voter and supporter data so field and digital work "
            "from the same lists. The team deduplicates contacts, matches them to the voter file, "
            "and builds the target universes the campaign will use through election day."
        ),
        "deliverables": [
            "Supporter and donor lists deduplicated and matched to the voter file",
            "Persuasion, GOTV and volunteer-prospect universes saved in VAN",
            "Data dictionary and a one-page guide to the saved lists",
            "Refresh procedure the staff can run monthly",
        ],
        "metrics": [
            _m("Records cleaned and matched", "records", 40000),
            _m("Phone match rate", "%", 55),
            _m("Target universes built", "universes", 6),
        ],
        "campaign_provides": (
            "VAN/VoteBuilder access from the state party, spreadsheets of past contacts, and the "
            "campaign's vote goal and targeting plan."
        ),
        "team_min": 3, "team_max": 4, "hours_per_week": 6, "weeks": 5,
        "skills": [("voter-file-analysis", 3, 2.5), ("ngp-van", 3, 2.0), ("sql", 2, 1.5),
                   ("data-analysis", 2, 1.0)],
    },
    {
        "slug": "p2p-texting-setup",
        "title": "Peer-to-peer texting program setup",
        "category": "texting",
        "summary": (
            "Set up a peer-to-peer texting program volunteers can run every week. The team picks and "
            "configures the platform, writes tested scripts and opt-out handling, and trains the first "
            "group of volunteer texters."
        ),
        "deliverables": [
            "Texting platform configured with compliant opt-out handling",
            "Scripts and canned replies for ID, volunteer recruitment and GOTV",
            "Texter training session recorded with a one-page guide",
            "Results synced back to VAN after each send",
        ],
        "metrics": [
            _m("Texts sent", "texts", 50000),
            _m("Reply rate", "%", 8),
            _m("Volunteer texters trained", "texters", 40),
        ],
        "campaign_provides": (
            "A texting budget, VAN access for list pulls, script approval within a day, and a "
            "volunteer coordinator to schedule texting shifts."
        ),
        "team_min": 3, "team_max": 5, "hours_per_week": 5, "weeks": 4,
        "skills": [("p2p-texting", 3, 2.5), ("ngp-van", 2, 1.5), ("copywriting", 2, 1.0),
                   ("volunteer-coordination", 2, 1.0)],
    },
    {
        "slug": "volunteer-crm-setup",
        "title": "Volunteer management CRM setup",
        "category": "crm",
        "summary": (
            "Replace spreadsheets with a volunteer pipeline the campaign can run itself. "
            "The team configures Action Network and Mobilize, automates follow-ups, and trains staff "
            "to recruit, schedule and thank volunteers from one place."
        ),
        "deliverables": [
            "Mobilize events and shifts for canvassing, phone banks and texting",
            "Action Network forms, tags and automated follow-up emails",
            "Existing volunteer spreadsheets imported and deduplicated",
            "Staff training and a written playbook",
        ],
        "metrics": [
            _m("Volunteers in the CRM", "volunteers", 800),
            _m("Shifts booked through Mobilize", "shifts", 300),
            _m("Staff trained", "people", 8),
        ],
        "campaign_provides": (
            "Admin access to Action Network and Mobilize (or budget for them), existing volunteer "
            "lists, and two hours of staff time for training."
        ),
        "team_min": 3, "team_max": 4, "hours_per_week": 5, "weeks": 6,
        "skills": [("action-network", 3, 2.0), ("crm-admin", 2, 1.5),
                   ("no-code-automation", 2, 1.5), ("training-facilitation", 2, 1.0)],
    },
    {
        "slug": "video-package",
        "title": "Campaign video package",
        "category": "video",
        "summary": (
            "Produce a small library of campaign videos for ads, social and the website. "
            "The team scripts and shoots one half-day session with the candidate and cuts it into a "
            "bio video, issue spots and short vertical clips."
        ),
        "deliverables": [
            "Shot list and scripts approved by the campaign",
            "Two-minute candidate bio video",
            "Three 30-second issue spots with captions",
            "Ten vertical clips for Reels and TikTok",
        ],
        "metrics": [
            _m("Videos delivered", "videos", 14),
            _m("Total views", "views", 100000),
            _m("Average view-through rate", "%", 35),
        ],
        "campaign_provides": (
            "A half-day of the candidate's time, locations and permissions, music budget, and a "
            "staff member who reviews cuts within two days."
        ),
        "team_min": 3, "team_max": 4, "hours_per_week": 7, "weeks": 6,
        "skills": [("video-production", 3, 2.0), ("video-editing", 3, 2.5),
                   ("motion-graphics", 2, 1.5), ("short-form-video", 2, 1.0)],
    },
    {
        "slug": "field-dashboard",
        "title": "Field data dashboard",
        "category": "data",
        "summary": (
            "Build a dashboard that shows the field team where it stands against its vote goal, "
            "every morning, without anyone copying numbers by hand. The team pipes VAN exports into "
            "a small database and a Looker Studio report with turf maps."
        ),
        "deliverables": [
            "Automated daily export from VAN into a shared database",
            "Dashboard of doors, calls, IDs and shifts against goals by region",
            "Turf map of contact rates by precinct",
            "Handover guide for the data or field director",
        ],
        "metrics": [
            _m("Field reports automated", "reports", 5),
            _m("Staff hours saved per week", "hours", 6),
            _m("Precincts mapped", "precincts", 60),
        ],
        "campaign_provides": (
            "VAN API key or export access, the field plan and vote goal, and the field director's "
            "feedback on the first version."
        ),
        "team_min": 3, "team_max": 4, "hours_per_week": 6, "weeks": 5,
        "skills": [("data-visualization", 3, 2.5), ("sql", 3, 2.0), ("ngp-van", 2, 1.5),
                   ("gis-mapping", 2, 1.0)],
    },
    {
        "slug": "gotv-digital-push",
        "title": "GOTV digital push",
        "category": "digital_ads",
        "summary": (
            "Run the last three weeks of get-out-the-vote outreach online. The team coordinates "
            "ads, texts and emails around early voting and election day, targets low-propensity "
            "supporters, and reports reach daily."
        ),
        "deliverables": [
            "GOTV plan with dates for early voting, mail ballots and election day",
            "Ads targeted at low-propensity supporters from the voter file",
            "Texting and email sends with polling-place lookup links",
            "Daily reach and pledge report",
        ],
        "metrics": [
            _m("Supporters reached", "voters", 60000),
            _m("Plan-to-vote pledges", "pledges", 3000),
            _m("Texts sent", "texts", 80000),
        ],
        "campaign_provides": (
            "GOTV universe from the voter file, ad and texting budget, and quick approvals during "
            "the final weeks."
        ),
        "team_min": 4, "team_max": 5, "hours_per_week": 8, "weeks": 3,
        "skills": [("meta-ads", 3, 2.0), ("p2p-texting", 2, 1.5), ("email-marketing", 2, 1.5),
                   ("voter-file-analysis", 2, 1.0), ("social-strategy", 2, 1.0)],
    },
    {
        "slug": "website-accessibility-audit",
        "title": "Website accessibility and performance tune-up",
        "category": "website",
        "summary": (
            "Make an existing campaign site usable by everyone and fast on a cheap phone. "
            "The team audits the site against WCAG, fixes what it finds, speeds up the pages, and "
            "sets up search and analytics properly."
        ),
        "deliverables": [
            "Accessibility audit with every issue ranked by severity",
            "Fixes to contrast, headings, forms, alt text and keyboard use",
            "Images and scripts optimised; pages load in under three seconds on 4G",
            "Search Console and analytics verified",
        ],
        "metrics": [
            _m("Accessibility issues fixed", "issues", 40),
            _m("Mobile performance score (Lighthouse)", "score", 90),
            _m("Organic search visits per month", "visits", 800),
        ],
        "campaign_provides": (
            "Admin access to the site and its hosting, and a staff contact to approve changes."
        ),
        "team_min": 3, "team_max": 3, "hours_per_week": 4, "weeks": 3,
        "skills": [("accessibility", 3, 2.5), ("qa-testing", 3, 2.0), ("seo-performance", 2, 1.0),
                   ("wordpress", 2, 1.0)],
    },
    {
        "slug": "events-toolkit",
        "title": "Events and town hall toolkit",
        "category": "ops",
        "summary": (
            "Help the campaign run a steady rhythm of events that bring in volunteers and voters. "
            "The team builds the RSVP and reminder flow, a reusable run-of-show, and staffs the "
            "logistics of the first events with campaign volunteers."
        ),
        "deliverables": [
            "RSVP pages and automatic reminders for every event",
            "Reusable run-of-show, checklist and sign-in sheet",
            "Post-event follow-up that asks attendees to volunteer",
            "Calendar of events through election day",
        ],
        "metrics": [
            _m("Events held", "events", 6),
            _m("RSVPs", "RSVPs", 600),
            _m("RSVP show-up rate", "%", 60),
        ],
        "campaign_provides": (
            "Candidate availability, venue contacts and budget, and a volunteer lead on site at each "
            "event."
        ),
        "team_min": 3, "team_max": 4, "hours_per_week": 4, "weeks": 6,
        "skills": [("event-logistics", 3, 2.5), ("action-network", 2, 1.5),
                   ("volunteer-coordination", 2, 1.5), ("social-graphics", 1, 0.5)],
    },
    {
        "slug": "volunteer-onboarding",
        "title": "Volunteer onboarding and training program",
        "category": "ops",
        "summary": (
            "Turn first-time sign-ups into regular volunteers. The team designs a welcome call "
            "script, short trainings for canvassing, phone banking and texting, and a follow-up "
            "routine, in English and Spanish."
        ),
        "deliverables": [
            "Welcome call script and first-shift guide",
            "Three 30-minute trainings with slides and recordings",
            "Spanish versions of every guide",
            "Follow-up routine that asks for a second shift within a week",
        ],
        "metrics": [
            _m("Volunteers onboarded", "volunteers", 120),
            _m("Second-shift return rate", "%", 50),
            _m("Training sessions held", "sessions", 6),
        ],
        "campaign_provides": (
            "The volunteer list, the field director's priorities, and Zoom or a room for trainings."
        ),
        "team_min": 3, "team_max": 4, "hours_per_week": 4, "weeks": 5,
        "skills": [("training-facilitation", 3, 2.5), ("volunteer-coordination", 3, 2.0),
                   ("spanish-translation", 2, 1.0), ("project-management", 2, 1.0)],
    },
)
