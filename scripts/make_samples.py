"""Generate the sample Partnership Registers used in the README, the tests and demos.

    python scripts/make_samples.py

writes, relative to the repository root whatever the current directory:

* ``sample_register.xlsx``: Harborough District Council's register for 2026/27, laid out the way an
  officer keeps it (title rows, renamed and extra columns, notes under the table, guidance and
  lookup sheets) with officers' typing habits (text dates, ``£5,605 + VAT``, ``✓``, ``cabinet``...).
  Most rows are clean when checked as of 2026-11-25; the rest carry a spread of findings, listed
  row by row in ``INTENDED``.
* ``samples/sample_register_2025.xlsx``: the same register as it stood in November 2025, derived
  from this year's data by the explicit edits below, for ``scrutiny``/``risks --previous``.

The content is fixed: no randomness and a fixed created/modified date, so the bytes only change
when this file does.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import xlsxwriter

REPO_ROOT = Path(__file__).resolve().parent.parent
AS_OF = date(2026, 11, 25)  # the date INTENDED is worked out for
D = date
Y, N = "Y", "N"

# Header as typed in the workbook, the key used in the data below, column width.
# Mostly the SPEC §2.1 template headers; a few renamed with listed aliases; two extras (DQ009).
COLUMNS = [
    ("Partnership ID", "ref", 10), ("Partnership name", "name", 34),
    ("Partner organisations", "partners", 38), ("Arrangement type", "arrangement", 15),
    ("Purpose", "purpose", 40), ("Council priority", "priority", 24), ("Service area", "service_area", 16),
    ("Lead / responsible officer", "lead_officer", 17), ("Portfolio holder", "lead_member", 18),
    ("Contact email", "email", 30),
    ("External funding or investment", "ben0", 10), ("Cashable savings or income", "ben1", 10),
    ("Increased service quality", "ben2", 10), ("Improved speed or throughput", "ben3", 10),
    ("Risk mitigation", "ben4", 10), ("Benefit description", "benefit_detail", 40),
    ("Hard or soft benefit", "benefit_kind", 9), ("Council contribution (£ a year)", "direct", 13),
    ("Indirect contribution (officer time)", "indirect", 22), ("In existing budget", "budgeted", 9),
    ("Approved by", "approved_by", 13), ("Approval date", "approval_date", 11),
    ("Risk likelihood (1-5)", "rl", 9), ("Risk impact (1-5)", "ri", 9), ("Key risks", "risks", 40),
    ("Control measures", "controls", 40), ("Opportunity likelihood (1-5)", "ol", 11),
    ("Opportunity impact (1-5)", "oi", 11), ("Key opportunities", "opportunities", 32),
    ("Governance arrangements", "governance", 34), ("Council role", "council_role", 15),
    ("Statutory", "statutory", 9), ("Start date", "start", 11), ("End date", "end", 11),
    ("Last reviewed", "last_review", 11), ("Next review due", "next_review", 11), ("Status", "status", 10),
    ("Exit reason", "exit_reason", 16), ("Exit strategy", "exit_strategy", 30),
    ("Exit decided by", "exit_decided_by", 13), ("External funding ends", "funding_ends", 11),
    ("Officer RAG rating", "rag", 8), ("Notes", "notes", 30),
]
HEADERS = [h for h, _, _ in COLUMNS]
EXTRA_HEADERS = ["Officer RAG rating"]  # no field: DQ009 ("Contact email" is lead_officer_email, SPEC §2.1)
HEADER_ROW = 4  # Excel row; the data starts on the next row
MONEY_KEYS = {"direct"}

PEOPLE = "Health and wellbeing"
PLACE = "A sustainable environment"
PROSPERITY = "A growing local economy"
COMMUNITY = "Safe and connected communities"
COUNCIL = "An efficient and effective council"
PORTFOLIO = {  # service area → portfolio holder, unless a row names its own
    "Community & Wellbeing": "Cllr Helen Ashby", "Finance": "Cllr Graham Lowe",
    "Planning": "Cllr Fiona Reddy", "Environment": "Cllr Martin Eyre",
    "Regeneration": "Cllr Anita Shaw", "Housing": "Cllr Colin Bright",
    "Corporate Services": "Cllr Ruth Ingram (Leader)",
}
LCC = "Leicestershire County Council"
DISTRICTS = ("Blaby District Council; Charnwood Borough Council; Hinckley and Bosworth Borough Council; "
             "Melton Borough Council; North West Leicestershire District Council; Oadby and Wigston Borough Council")

# One partnership per entry. ben = the five benefit columns in policy order (funding, savings,
# quality, speed, risk mitigation); risk/opp = (likelihood, impact). Missing keys are blank cells.
PARTNERSHIPS: list[dict] = [
    dict(ref="HDC-001", name="Harborough Community Safety Partnership", partners="Leicestershire Police; Leicestershire Fire and Rescue Service; " + LCC + "; Probation Service; Leicester, Leicestershire and Rutland ICB",
         arrangement="Partnership", purpose="Statutory partnership to reduce crime, disorder and anti-social behaviour in the district.", priority=COMMUNITY,
         service_area="Community & Wellbeing", lead_officer="Sarah Whitfield", ben=(Y, "", Y, "", Y), benefit_detail="Police and Crime Commissioner grant (about £40k a year); joint ASB case management; fewer repeat victims.", benefit_kind="Both",
         direct=8000, indirect="0.5 FTE community safety officer", budgeted=Y, approved_by="Not required", risk=(2, 4), risks="PCC grant reduced; partners withdraw staff.", controls="Annual funding agreement; strategic assessment; quarterly performance report to the board.",
         opp=(3, 3), opportunities="Joint bids to the Safer Streets fund.", governance="Statutory CSP (Crime and Disorder Act 1998); terms of reference reviewed each year.", council_role="Lead or accountable body", statutory="yes",
         start=D(1998, 12, 1), last_review=D(2026, 6, 18), next_review=D(2027, 6, 18), status="Active"),
    dict(ref="HDC-002", name="Leicestershire Revenues and Benefits Partnership", partners="Hinckley and Bosworth Borough Council (host)\nNorth West Leicestershire District Council",
         arrangement="shared service", purpose="Joint delivery of council tax, business rates and housing benefit administration.", priority=COUNCIL,
         service_area="Finance", lead_officer="Raj Patel", ben=("", Y, Y, Y, Y), benefit_detail="Shared management and systems save about £180k a year; resilience across three councils.", benefit_kind="Hard",
         direct="£148,500", indirect="Client-side finance officer", budgeted=Y, approved_by="Council", approval_date="26/02/2011", risk=(3, 5), risks="Service failure at the host authority; system outage; welfare reform.", controls="Partnership agreement with SLA; joint committee oversight; business continuity plan.",
         opp=(3, 3), opportunities="Extend to a fourth council.", governance="Joint committee under a partnership agreement (2011).", council_role="Member", statutory=N,
         start=D(2011, 4, 1), last_review="14-Mar-2026", status="Active", rag="A"),
    dict(ref="HDC-003", name="Leicester and Leicestershire Enterprise Partnership (LLEP)", partners="Leicester City Council; " + LCC + "; Leicestershire district councils; private sector board members",
         arrangement="Partnership", purpose="Strategic economic growth partnership for Leicester and Leicestershire.", priority=PROSPERITY,
         service_area="Regeneration", lead_officer="Emma Collins", ben=("x", "", "", "", "x"), benefit_detail="Access to Growth Deal and UKSPF funding for district schemes.", benefit_kind="Hard",
         direct="5k", budgeted="yes", risk=(2, 2), risks="Funding priorities favour the city.", controls="Member on the investment panel; district officer group.",
         opp=(4, 4), opportunities="Enterprise zone and growth funding.", governance="LLEP assurance framework and board terms of reference.", council_role="Member", statutory=N,
         start=D(2011, 6, 1), last_review="26/02/2026", status="Active", funding_ends=D(2028, 3, 31)),
    dict(ref="HDC-004", name="Harborough Health and Wellbeing Partnership", partners="Leicestershire County Council Public Health\nLeicester, Leicestershire and Rutland ICB\nVoluntary Action LeicesterShire\nHarborough Primary Care Network",
         arrangement="Partnership", purpose="Improve health outcomes and reduce health inequalities in the district.", priority=PEOPLE,
         service_area="Community & Wellbeing", lead_officer="Priya Sharma", ben=("✓", "", "✓", "", "✓"), benefit_detail="Public health grant for physical activity and social prescribing; joined-up referrals.", benefit_kind="Both",
         direct="nil", indirect="Officer time (about 2 days a month)", risk=(2, 2), risks="Partners' priorities diverge.", controls="Shared action plan monitored quarterly.",
         opp=(3, 4), opportunities="ICB place-based funding.", governance="Terms of reference agreed by partners (2023).", council_role="Member", statutory=N,
         start=D(2014, 4, 1), last_review=D(2026, 5, 12), status="Active"),
    dict(ref="HDC-005", name="Leicestershire & Rutland Sport (Active Together)", partners="Active Together; " + LCC + "; Sport England",
         arrangement="Partnership", purpose="Increase participation in sport and physical activity.", priority=PEOPLE,
         service_area="Community & Wellbeing", lead_officer="Tom Hale", ben=(Y, "", Y, "", ""), benefit_detail="Sport England funding for Harborough activity programmes; coaching network.", benefit_kind="Soft",
         direct="£5,605 + VAT", budgeted=Y, risk=(1, 3), risks="Programme funding not renewed.", controls="Annual delivery plan.",
         opp=(3, 3), opportunities="Place partnership funding.", governance="Memorandum of understanding.", council_role="Member", statutory=N,
         start=D(2008, 4, 1), last_review="Jul 2026", status="Active", funding_ends=D(2027, 9, 30)),
    dict(ref="HDC-006", name="Leicestershire Waste Partnership", partners=LCC + "; " + DISTRICTS,
         arrangement="Partnership", purpose="Joint municipal waste strategy, recycling targets and disposal arrangements across the county.", priority=PLACE,
         service_area="Environment", lead_officer="David Marsh", ben=("", Y, "", "", Y), benefit_detail="Recycling credits income; shared disposal contracts avoid landfill tax.", benefit_kind="Hard",
         direct=0, indirect="Officer attendance at the quarterly board", risk=(3, 3), risks="Changes to national waste policy (Simpler Recycling).", controls="Joint strategy refresh; member board.",
         opp=(3, 3), opportunities="Extended producer responsibility payments.", governance="Joint Municipal Waste Management Strategy; member board terms of reference.", council_role="Member", statutory="Y",
         start=D(2002, 1, 1), last_review="2026-04-22", status="Active"),
    dict(ref="HDC-007", name="Market Harborough Town Centre Partnership", partners="Market Harborough Business Improvement Group; Leicestershire County Council (Highways); Market Harborough Civic Society; town centre traders",
         arrangement="Partnership", purpose="Promote a vibrant, safe and well-used town centre.", priority=PROSPERITY,
         service_area="Regeneration", lead_officer="Gemma Lloyd", ben=("", "", Y, "", ""), benefit_detail="Events programme; footfall up 6% on 2024.", benefit_kind="Soft",
         direct=7500, budgeted=N, approved_by="Portfolio Holder", approval_date="14.03.25", risk=(3, 3), risks="Vacant units; traders disengage.", controls="Business engagement plan; events steering group.",
         opp=(4, 3), opportunities="High street accelerator funding.", governance="Steering group terms of reference.", council_role="Lead or accountable body", statutory="no",
         start=D(2016, 5, 1), last_review=D(2026, 9, 8), status="Active"),
    dict(ref="HDC-008", name="Lutterworth Regeneration Partnership (Lutterworth East SDA)", partners=LCC + " (landowner and promoter); Homes England; Lutterworth Town Council",
         arrangement="Partnership", purpose="Deliver the Lutterworth East urban extension (2,750 homes) and town centre improvements.", priority=PROSPERITY,
         service_area="Planning", lead_officer="Mark Thornton", ben=(Y, Y, "", Y, ""), benefit_detail="Housing Infrastructure Fund investment; New Homes Bonus; planning performance agreement income.", benefit_kind="Hard",
         direct=25000, indirect="Planning officer (0.5 FTE)", budgeted=Y, risk=(4, 4), risks="Infrastructure costs rise; developer viability; delivery delays.", controls="Delivery board; PPA milestones; viability review each year.",
         opp=(4, 5), opportunities="New homes and jobs; bypass.", governance="Planning performance agreement; Lutterworth East delivery board terms of reference.", council_role="Member", statutory=N,
         start=D(2017, 9, 1), last_review=D(2026, 3, 3), status="Active", funding_ends=D(2029, 3, 31), rag="A"),
    dict(ref="HDC-009", name="Leicestershire Building Control Partnership", partners="Blaby District Council (host); Hinckley and Bosworth Borough Council",
         arrangement="Shared service", purpose="Shared building control service for three councils.", priority=COUNCIL,
         service_area="Planning", lead_officer="Chris Rowley", ben=("", "yes", "yes", "yes", ""), benefit_detail="Fee income retained; a larger team improves response times.", benefit_kind="Hard",
         direct=42000, budgeted=Y, approved_by="cabinet", approval_date="26/02/2015", risk=(2, 4), risks="Loss of market share to approved inspectors; staff retention.", controls="Business plan; joint recruitment.",
         opp=(2, 3), opportunities="Trade more services.", governance="Inter-authority agreement (s.101 Local Government Act 1972); partnership board.", council_role="Member", statutory="Y",
         start=D(2015, 4, 1), last_review=D(2026, 7, 21), status="Active"),
    dict(ref="HDC-010", name="Superfast Leicestershire (rural broadband)", partners=LCC + "; Building Digital UK (BDUK); Openreach",
         arrangement="Partnership", purpose="Extend gigabit-capable broadband to rural communities.", priority=PROSPERITY,
         service_area="Regeneration", lead_officer="Emma Collins", ben=(Y, "", "", Y, ""), benefit_detail="BDUK investment in rural connectivity; fewer not-spots.", benefit_kind="Hard",
         direct="£12,000", budgeted=Y, risk=(2, 2), risks="Supplier under-delivers on rural premises.", controls="Contract managed by the county council; quarterly roll-out reports.",
         opp=(3, 4), opportunities="Project Gigabit vouchers.", governance="Funding agreement with the county council.", council_role="Member", statutory=N,
         start=D(2013, 1, 1), last_review="30.04.26", status="active", funding_ends=D(2028, 3, 31)),
    dict(ref="HDC-011", name="Leicestershire Homelessness Trailblazer", partners=DISTRICTS + "; Falcon Centre; P3 Charity",
         arrangement="Partnership", purpose="Prevent homelessness earlier through a county-wide trailblazer team.", priority=PEOPLE,
         service_area="Housing", lead_officer="Aisha Begum", ben=(Y, "", Y, "", Y), benefit_detail="MHCLG trailblazer grant; earlier prevention cases.", benefit_kind="Both",
         direct=0, indirect="Housing options officer (0.2 FTE)", risk=(3, 3), risks="Demand rises after grant ends.", controls="Mainstreaming plan; monthly case review.",
         opp=(2, 3), opportunities="Evidence for future bids.", governance="Grant agreement; county homelessness group.", council_role="Member", statutory=N,
         start=D(2023, 4, 1), end=D(2026, 3, 31), last_review=D(2026, 2, 20), status="Active", exit_strategy="Mainstream prevention work into the housing options team.", funding_ends="31/03/2026",
         notes="Grant ended March; still meeting informally"),
    dict(ref="HDC-013", name="Harborough Youth Partnership", partners="Leicestershire County Council Children and Family Wellbeing Service; Harborough Youth Forum; local youth clubs; Leicestershire Police",
         arrangement="Partnership", purpose="Positive activities and early help for young people.", priority=PEOPLE,
         service_area="Community & Wellbeing", lead_officer="Kirsty Dunn", ben=("", "", "✓", "", "✓"), benefit_detail="Fewer ASB referrals; early help for young people.", benefit_kind="Soft",
         direct=3500, budgeted="yes", risk=(2, 2), risks="Youth clubs close.", controls="Small grants scheme.",
         opp=(2, 4), opportunities="Youth investment fund.", council_role="member", statutory=N,
         start=D(2019, 9, 1), last_review=D(2026, 8, 14), status="Active"),
    dict(ref="HDC-014", name="Leicestershire Resilience Forum", partners="Leicestershire Police; Leicestershire Fire and Rescue Service; East Midlands Ambulance Service; Leicester City Council; " + LCC + "; Environment Agency; UK Health Security Agency",
         arrangement="Partnership", purpose="Multi-agency emergency planning and response under the Civil Contingencies Act 2004.", priority=COMMUNITY,
         service_area="Corporate Services", lead_officer="Neil Watson", ben=("", "", "", Y, Y), benefit_detail="Shared emergency planning team; tested multi-agency plans; mutual aid.", benefit_kind="Soft",
         direct=18500, budgeted=Y, risk=(3, 5), risks="Major incident overwhelms local capacity; flooding.", controls="Tested plans; 24/7 duty officer rota; mutual aid agreements.",
         opp=(2, 3), opportunities="Community resilience volunteers.", governance="LRF constitution; Civil Contingencies Act 2004.", council_role="Member", statutory="yes",
         start=D(2005, 1, 1), last_review="Oct 2026", status="Active"),
    dict(ref="HDC-015", name="Welland Valley Partnership", partners="Environment Agency; Anglian Water; Welland Rivers Trust; Lincolnshire County Council; North Northamptonshire Council",
         arrangement="Partnership", purpose="Improve water quality and reduce flood risk in the Welland catchment.", priority=PLACE,
         service_area="Environment", lead_officer="David Marsh", ben=(Y, "", "", "", Y), benefit_detail="Catchment funding for natural flood management upstream of Market Harborough.", benefit_kind="Both",
         direct=1500, budgeted=Y, risk=(1, 5), risks="Flood event before schemes complete.", controls="Catchment plan with the Environment Agency.",
         opp=(3, 3), opportunities="Biodiversity net gain sites.", council_role="Member", statutory=N,
         start=D(2012, 6, 1), last_review="18/05/2026", status="Active"),
    dict(ref="HDC-016", name="Welland Procurement Unit", partners="Melton Borough Council\nRutland County Council\nSouth Kesteven District Council",
         arrangement="Shared service", purpose="Shared procurement advice and contract management.", priority=COUNCIL,
         service_area="Finance", lead_officer="Raj Patel", ben=("", Y, Y, "", ""), benefit_detail="Lower procurement costs; compliant contracts.", benefit_kind="Hard",
         direct="£9,200", budgeted=Y, risk=(2, 2), risks="Loss of key procurement staff.", controls="Cross-trained team.",
         opp=(2, 2), opportunities="Collaborative contracts.", governance="Service level agreement between the councils.", council_role="Member", statutory=N,
         start=D(2006, 4, 1), last_review=D(2026, 10, 2), status="Active"),
    dict(ref="HDC-017", name="Lightbulb (housing adaptations)", partners=LCC + "; " + DISTRICTS,
         arrangement="Shared service", purpose="Joined-up housing adaptations and disabled facilities grants.", priority=PEOPLE,
         service_area="Housing", lead_officer="Aisha Begum", ben=(Y, "", Y, Y, ""), benefit_detail="Better Care Fund money for adaptations; faster hospital discharge.", benefit_kind="Both",
         direct=0, indirect="Technical officer", risk=(2, 4), risks="DFG allocation cut.", controls="Annual Better Care Fund plan.",
         opp=(3, 3), opportunities="Home improvement agency income.", governance="Lightbulb partnership agreement and board.", council_role="Member", statutory=N,
         start=D(2016, 4, 1), last_review=D(2026, 6, 30), status="Active", funding_ends=D(2027, 3, 31)),
    dict(ref="HDC-018", name="Leicester and Leicestershire Business Rates Pool", partners="Leicester City Council; " + LCC + "; " + DISTRICTS + "; Leicestershire Fire and Rescue Service",
         arrangement="Partnership", purpose="Pool business rates growth and invest the retained levy in economic growth.", priority=PROSPERITY,
         service_area="Finance", lead_officer="Raj Patel", ben=("", Y, "", "", ""), benefit_detail="Retained levy (about £250k to the district in 2025/26).", benefit_kind="Hard",
         direct=0, risk=(3, 3), risks="Pool makes a loss if growth falls.", controls="Monitoring by the pool's finance officers; safety net.",
         opp=(4, 3), opportunities="Growth fund for district projects.", governance="Pooling agreement.", council_role="Member", statutory=N,
         start=D(2013, 4, 1), last_review=D(2026, 1, 12), status="Active", notes="Pool renewed each year"),
    dict(ref="HDC-019", name="Leicestershire Climate Change Officers' Network", partners=LCC + "; " + DISTRICTS,
         arrangement="Officer group", purpose="Share best practice on climate action and carbon reporting.",
         service_area="Environment", lead_officer="Owen Price", ben=("", "", Y, "", ""), benefit_detail="Shared carbon reporting method.", benefit_kind="Soft",
         direct=0, risk=(1, 2), risks="Low attendance.", controls="Chair rotates.",
         council_role="Member", statutory=N, start=D(2019, 7, 1), last_review=D(2026, 4, 9), status="Active"),
    dict(ref="HDC-021", name="Harborough Community Lottery", partners="Gatherwell Ltd (external lottery manager)",
         arrangement="Outsourced", purpose="Weekly online lottery raising money for local good causes.", priority=COMMUNITY,
         service_area="Community & Wellbeing", lead_officer="Tom Hale", ben=("Y", "", "", "", ""), benefit_detail="About £30k a year to local good causes.", benefit_kind="Hard",
         direct="£1,200", budgeted=Y, risk=(1, 3), controls="Gambling Commission licence; contract management.",
         opp=(3, 2), opportunities="More good causes signed up.", council_role="Member", statutory=N,
         start=D(2020, 10, 1), last_review=D(2026, 3, 19), status="Active"),
    dict(ref="HDC-022", name="East Midlands Councils", partners="East Midlands councils (40 member authorities)",
         arrangement="Outside body", purpose="Regional voice for local government; member development and HR support.", priority=COUNCIL,
         service_area="Corporate Services", lead_officer="Helen Brackley", ben=("", "", Y, "", ""), benefit_detail="Member training and regional lobbying.", benefit_kind="Soft",
         direct=3900, budgeted=Y, risk=(1, 2), risks="Subscription rises.", controls="Annual subscription review.",
         council_role="Member", statutory=N, start=D(2000, 4, 1), last_review=D(2025, 12, 18), next_review="18/12/2026", status="Active"),
    dict(ref="HDC-023", name="Foxton Locks Partnership", partners="Canal & River Trust; Foxton Inclined Plane Trust; Foxton Parish Council; " + LCC,
         arrangement="Partnership", purpose="Conserve and promote Foxton Locks as a heritage visitor attraction.", priority=PROSPERITY,
         service_area="Regeneration", lead_officer="Gemma Lloyd", ben=(Y, "", Y, "", ""), benefit_detail="Heritage lottery funding; visitor spend in the district.", benefit_kind="Both",
         direct=2500, budgeted=Y, risk=(2, 2), risks="Visitor numbers fall.", controls="Joint marketing plan.",
         opp=(3, 3), opportunities="Visitor centre upgrade.", council_role="Observer", statutory=N,
         start=D(2009, 4, 1), last_review=D(2026, 5, 27), status="Active"),
    dict(ref="HDC-024", name="Harborough and Melton Shared Legal Service", partners="Melton Borough Council",
         arrangement="Shared service", purpose="Shared legal team for both councils.", priority=COUNCIL,
         service_area="Corporate Services", lead_officer="Helen Brackley", ben=("", Y, "", "", Y), benefit_detail="Salary savings and cover for specialist work.", benefit_kind="Hard",
         direct=6000, budgeted=Y, risk=(3, 3), risks="Loss of capacity during transition.", controls="Interim locum budget; case handover list.",
         opp=(2, 2), governance="Section 113 agreement.", council_role="Member", statutory=N,
         start=D(2018, 4, 1), end=D(2027, 3, 31), last_review=D(2026, 9, 15), status="Exiting", rag="A",
         notes="Melton giving notice to end the arrangement"),
    dict(ref="HDC-025", name="Leicestershire Supporting Families Partnership", partners=LCC + "; Leicestershire Police; Department for Work and Pensions",
         arrangement="Partnership", purpose="Whole-family support for families with multiple needs.", priority=PEOPLE,
         service_area="Community & Wellbeing", lead_officer="Kirsty Dunn", ben=(Y, "", Y, "", ""), benefit_detail="Payment-by-results funding; fewer families in crisis.", benefit_kind="Both",
         direct="-", risk=(2, 2), risks="Families lose support at closure.",
         opp=(1, 2), governance="County programme board.", council_role="Member", statutory=N,
         start=D(2015, 4, 1), end=D(2026, 9, 30), last_review=D(2026, 9, 30), status="Closed",
         exit_reason="Time limited or superseded", exit_strategy="Cases transferred to the county's early help service.", exit_decided_by="CMT", rag="G"),
    dict(ref="HDC-026", name="Leicestershire Tourism Partnership (Visit Leicestershire)", partners="Leicester Shire Promotions Ltd; Leicester City Council; " + LCC + "; Leicestershire district councils",
         arrangement="Partnership", purpose="Promote the county as a visitor destination.", priority=PROSPERITY,
         service_area="Regeneration", lead_officer="Gemma Lloyd", ben=("", "", Y, "", ""), benefit_detail="Regional marketing reach for Harborough attractions.", benefit_kind="Soft",
         direct=4000, budgeted=Y, risk=(2, 2), risks="Campaigns favour the city.", controls="Annual marketing plan agreed with districts.",
         opp=(3, 3), opportunities="Local visitor economy partnership status.", council_role="Member", statutory=N,
         start=D(2011, 4, 1), last_review="2026-06-03", status="Active"),
    dict(ref="HDC-027", name="Harborough Dementia Action Alliance", partners="Alzheimer's Society; Age UK Leicestershire and Rutland; Harborough Primary Care Network",
         arrangement="Partnership", purpose="Make the district dementia-friendly.", priority=PEOPLE,
         service_area="Community & Wellbeing", lead_officer="Priya Sharma", ben=("", "", Y, "", ""), benefit_detail="Dementia-friendly businesses and staff training.", benefit_kind="Soft",
         direct=0, risk=(1, 2), risks="Volunteer coordinator leaves.", controls="Alliance action plan.",
         council_role="Member", statutory="Partly", start=D(2016, 5, 1), last_review=D(2025, 6, 10), next_review="Mar 2027", status="Active",
         notes="Review postponed"),
    dict(ref="HDC-029", name="Harborough Cost of Living Partnership", partners="Citizens Advice LeicesterShire; Harborough Foodbank; Voluntary Action LeicesterShire",
         arrangement="Partnership", purpose="Coordinated help with money, food and energy costs.", priority=PEOPLE,
         service_area="Community & Wellbeing", lead_officer="Sarah Whitfield", ben=("", "", Y, Y, ""), benefit_detail="One referral route for residents in hardship.", benefit_kind="Soft",
         direct=6000, budgeted=N, risk=(2, 4), risks="Demand exceeds advice capacity.", controls="Monthly referral data; triage.",
         opp=(2, 2), council_role="Member", statutory=N, start="Autumn 2022", last_review=D(2026, 7, 7), status="Active",
         notes="Contribution from reserves - check approval"),
    dict(ref="HDC-030", name="Leicestershire Domestic Abuse Local Partnership Board", partners=LCC + "; Leicestershire Police; Juniper Lodge; Living Without Abuse",
         arrangement="Partnership", purpose="Safe accommodation and support for victims of domestic abuse (Domestic Abuse Act 2021).", priority=COMMUNITY,
         service_area="Housing", lead_officer="Aisha Begum", ben=(Y, "", Y, "", Y), benefit_detail="New burdens funding; safe accommodation units.", benefit_kind="Both",
         direct=15000, budgeted="no", approved_by="CMT", approval_date=D(2026, 5, 6), risk=(3, 3), risks="Refuge capacity; funding ends.", controls="Needs assessment; commissioning plan.",
         opp=(2, 3), governance="Board terms of reference under the Domestic Abuse Act 2021.", council_role="Member", statutory="Y",
         start=D(2021, 10, 1), last_review="15/12/2026", status="Active"),
    dict(ref="HDC-031", name="Leicestershire Gypsy and Traveller Partnership", partners=LCC + "; " + DISTRICTS + "; Leicestershire Police",
         arrangement="Partnership", purpose="Joint management of unauthorised encampments and transit provision.", priority=COMMUNITY,
         service_area="Environment", lead_officer="Owen Price", ben=("", "", Y, Y, ""), benefit_detail="One county unit handles encampments; faster responses.", benefit_kind="Soft",
         direct=8800, budgeted=Y, risk=(4, 4), risks="No transit site; legal challenge; community tension.",
         opp=(2, 2), governance="Joint protocol and county member group.", council_role="Member", statutory=N,
         start=D(2010, 4, 1), last_review=D(2026, 8, 26), status="Active", rag="G"),
    dict(ref="HDC-032", name="Leicestershire Armed Forces Covenant Partnership", partners=LCC + "; Royal British Legion; Leicestershire district councils; SSAFA",
         arrangement="Partnership", purpose="Deliver the Armed Forces Covenant for veterans and service families.", priority=COMMUNITY,
         service_area="Corporate Services", lead_officer="Helen Brackley", ben=("", "", "x", "", ""), benefit_detail="Priority housing and advice for veterans.", benefit_kind="Soft",
         direct=0, risk=(1, 2), risks="Covenant duty not met.", controls="Annual covenant action plan.",
         council_role="Member", statutory="Y", start=D(2012, 6, 1), last_review=D(2026, 4, 17), status="Active"),
    dict(ref="HDC-033", name="Harborough Walking for Health", partners="Ramblers; Leicestershire County Council Public Health",
         arrangement="Partnership", purpose="Free led health walks across the district.", priority=PEOPLE,
         service_area="Community & Wellbeing", lead_officer="Tom Hale", ben=("", "", Y, "", ""), benefit_detail="About 400 regular walkers.", benefit_kind="Soft",
         direct=1200, budgeted=Y, risk=(1, 2), risks="Walk leaders drop out.", controls="Volunteer training.",
         council_role="Member", statutory=N, start=D(2010, 5, 1), last_review=D(2026, 5, 5), status="Active"),
    dict(ref="HDC-034", name="Strategic Growth Plan Members' Advisory Group", partners="Leicester City Council; " + LCC + "; " + DISTRICTS,
         arrangement="Joint committee", purpose="Oversee the Strategic Growth Plan for Leicester and Leicestershire.", priority=PLACE,
         service_area="Planning", lead_officer="Mark Thornton", ben=("", "", Y, "", Y), benefit_detail="Agreed housing distribution; duty to cooperate met.", benefit_kind="Soft",
         direct="£4,500", budgeted=Y, risk=(3, 3), risks="Unmet need from the city disputed.", controls="Statement of common ground.",
         opp=(3, 3), governance="Joint committee terms of reference.", council_role="Member", statutory=N,
         start=D(2015, 1, 1), last_review=D(2026, 2, 11), status="Active"),
    dict(ref="HDC-035", name="Leicestershire Counter Fraud Partnership", partners=LCC + "; " + DISTRICTS,
         arrangement="Shared service", purpose="Shared data-matching and fraud investigation.", priority=COUNCIL,
         service_area="Finance", lead_officer="Raj Patel", ben=("", Y, "", "", Y), benefit_detail="Single person discount fraud recovered (about £60k a year).", benefit_kind="Hard",
         direct=3000, budgeted=Y, risk=(2, 2), risks="Data-sharing breach.", controls="Data sharing agreement; DPIA.",
         opp=(3, 3), governance="Data sharing agreement and steering group.", council_role="Member", statutory=N,
         start=D(2014, 4, 1), last_review=D(2026, 10, 20), status="Active"),
    dict(ref="HDC-036", name="UKSPF Harborough Business Support Programme", partners="Leicestershire Business Voice; Harborough Innovation Centre; East Midlands Chamber",
         arrangement="Partnership", purpose="Business advice and grants funded by the UK Shared Prosperity Fund.", priority=PROSPERITY,
         service_area="Regeneration", lead_officer="Emma Collins", ben=(Y, "", Y, "", ""), benefit_detail="UKSPF grants to 60 local businesses.", benefit_kind="Hard",
         direct=0, risk=(2, 2), risks="Grant underspend.", controls="Monthly spend monitoring.",
         opp=(3, 3), council_role="Lead or accountable body", governance="UKSPF investment plan and local partnership group.", statutory=N,
         start=D(2027, 4, 1), end="15/01/2027", last_review=D(2026, 10, 13), status="Active", funding_ends=D(2027, 1, 15),
         notes="Programme extended to mid-January"),
    dict(ref="HDC-037", name="Leicestershire Rural Partnership", partners="Leicestershire Rural Community Council; National Farmers' Union; CLA",
         arrangement="Partnership", priority=PROSPERITY, service_area="Regeneration", ben=(N, N, "", "", ""),
         direct=0, risk=(1, 3), risks="Unclear what the partnership is for.", controls="Attend annual meeting only.",
         council_role="Observer", statutory=N, start=D(2009, 1, 1), last_review=D(2026, 3, 24), status="Active", rag="A"),
    # New since November 2025
    dict(ref="HDC-038", name="Harborough Food Partnership", partners="Harborough Foodbank; FareShare East Midlands; Sustainable Food Places",
         arrangement="Partnership", purpose="A healthy, sustainable local food system.", priority=PEOPLE,
         service_area="Community & Wellbeing", lead_officer="Sarah Whitfield", ben=("Y", "", "Y", "", ""), benefit_detail="Sustainable Food Places grant; community fridges.", benefit_kind="Soft",
         direct=2000, budgeted=Y, risk=(2, 2), risks="Volunteer capacity.", controls="Coordinator post funded for two years.",
         opp=(3, 3), council_role="Member", statutory=N, start=D(2026, 1, 15), last_review=D(2026, 7, 30), status="Active", funding_ends=D(2028, 1, 14)),
    dict(ref="HDC-039", name="Net Zero Leicestershire", partners=LCC + "; Leicester City Council; " + DISTRICTS + "; De Montfort University",
         arrangement="Partnership", purpose="County-wide programme to reach net zero carbon.", priority=PLACE,
         service_area="Environment", lead_officer="Owen Price", ben=(Y, "", "", "", Y), benefit_detail="Joint bids for decarbonisation funding; shared retrofit programme.", benefit_kind="Both",
         direct=10500, budgeted=N, approved_by="Executive", approval_date="26.02.26", risk=(2, 4), risks="Targets missed; funding competition.", controls="Joint action plan; annual carbon report.",
         opp=(4, 4), opportunities="Public sector decarbonisation funding.", governance="Memorandum of understanding and member board.", council_role="Member", statutory=N,
         start=D(2026, 4, 1), last_review=D(2026, 9, 29), status="Active"),
    dict(ref="HDC-040", name="Leicestershire Warm Homes Partnership", partners=LCC + "; National Energy Action; " + DISTRICTS,
         arrangement="Partnership", purpose="Retrofit and energy advice for low-income households.", priority=PLACE,
         service_area="Housing", lead_officer="Aisha Begum", ben=("Y", "", "", "", "Y"), benefit_detail="Warm Homes Local Grant for Harborough households.", benefit_kind="Hard",
         direct=0, risk=(3, 3), risks="Installer capacity.", controls="Framework installers; monthly monitoring.",
         opp=(4, 3), opportunities="More households reached.", governance="Grant agreement with the lead council.", council_role="Member", statutory=N,
         start=D(2026, 4, 1), end=D(2028, 3, 31), last_review="Jun 2026", status="Active", funding_ends=D(2028, 3, 31)),
    dict(ref="HDC-041", name="Harborough Community Grants Panel", partners="Harborough District Council",
         arrangement="Partnership", purpose="Award small grants to community groups.", priority=COMMUNITY,
         service_area="Community & Wellbeing", lead_officer="Kirsty Dunn", ben=("", "", Y, "", ""), benefit_kind="Soft",
         direct=0, risk=(1, 2), risks="Grants not spent as agreed.", controls="Monitoring returns.",
         council_role="Member", statutory=N, start=D(2026, 2, 1), last_review=D(2026, 6, 9), status="Active"),
    dict(ref="HDC-042", name="Harborough Heritage Partnership", partners="Market Harborough Civic Society; Lutterworth Museum; Harborough Museum",
         arrangement="Partnership", purpose="Heritage Open Days and a joint heritage programme.", priority=PROSPERITY,
         service_area="Regeneration", lead_officer="Gemma Lloyd", ben=("", "", Y, "", ""), benefit_detail="More visitors to heritage venues.", benefit_kind="Soft",
         direct=0, risk=(2, None), risks="Venues close.", controls="Shared volunteer pool.",
         council_role="Member", statutory=N, start=D(2026, 3, 1), status="Active"),
    dict(ref="HDC-043", name="Harborough Innovation Centre Partnership", partners=LCC + "; University of Leicester",
         arrangement="Partnership", purpose="Grow start-up businesses at the Harborough Innovation Centre.", priority=PROSPERITY,
         service_area="Regeneration", lead_officer="Emma Collins", ben=("", Y, "", "", ""), benefit_detail="Rental income share; start-up jobs.", benefit_kind="Hard",
         direct="£20,000", budgeted=Y, risk=(2, 4), risks="Occupancy falls.", controls="Occupancy monitoring.",
         opp=("High", 4), opportunities="Innovation grants.", council_role="Member", statutory=N,
         start=D(2026, 2, 1), last_review=D(2026, 8, 4), status="Active"),
    dict(ref="HDC-044", name="Market Harborough Station Improvement Partnership", partners="Network Rail; East Midlands Railway; " + LCC,
         arrangement="Partnership", purpose="Improve access and facilities at Market Harborough station.", priority=PLACE,
         service_area="Regeneration", lead_officer="Mark Thornton", ben=(Y, "", Y, "", ""), benefit_detail="Rail industry investment in the station forecourt.", benefit_kind="Hard",
         direct="nil", risk=(2, 2), risks="Rail funding reprioritised.", controls="Joint project board.",
         opp=(3, 3), council_role="Member", statutory=N, start=D(2026, 5, 1), last_review=D(2026, 11, 2), status="Active"),
    dict(ref="HDC-033", name="Parish and Community Led Planning Partnership", partners="Leicestershire and Rutland Association of Local Councils; parish councils",
         arrangement="Partnership", purpose="Support neighbourhood plans and community-led planning.", priority=PLACE,
         service_area="Planning", lead_officer="Chris Rowley", ben=("", "", Y, Y, ""), benefit_detail="Neighbourhood plans adopted faster.", benefit_kind="Soft",
         direct=2500, budgeted=Y, risk=(2, 2), risks="Parishes lack capacity.", controls="Toolkit and officer support.",
         council_role="Member", statutory=N, start=D(2026, 4, 1), last_review=D(2026, 10, 6), status="Active"),
    dict(ref="HDC-045", name="Harborough Local Nature Recovery Partnership", partners="Leicestershire and Rutland Wildlife Trust; Natural England; " + LCC,
         arrangement="Partnership", purpose="Deliver the Local Nature Recovery Strategy in the district.", priority=PLACE,
         service_area="Environment", lead_officer="David Marsh", ben=(Y, "", "", "", Y), benefit_detail="Biodiversity net gain credits; external habitat funding.", benefit_kind="Both",
         direct="nil", risk=(2, 2), risks="Landowner take-up low.", controls="Landowner engagement plan.",
         opp=(3, 4), opportunities="Habitat bank income.", council_role="Member", statutory=N, start=D(2027, 4, 1), status="Proposed",
         notes="Report to Executive in January"),
]

# Every code each row should get when checked as of AS_OF with the default settings (SPEC §3-5).
# Overdue reviews and past end dates are not "due soon" (PP503/PP907 look forward from AS_OF).
INTENDED: dict[str, list[str]] = {
    "HDC-001": [], "HDC-002": ["PP802"], "HDC-003": [], "HDC-004": [], "HDC-005": [], "HDC-006": [],
    "HDC-007": [], "HDC-008": ["PP802"], "HDC-009": [], "HDC-010": [], "HDC-011": ["PP901", "PP906"],
    "HDC-013": [], "HDC-014": ["PP802"], "HDC-015": [], "HDC-016": [], "HDC-017": [], "HDC-018": ["PP503"],
    "HDC-019": ["PP201", "PP401"], "HDC-021": ["DQ002", "PP202"], "HDC-022": ["PP203", "PP503"], "HDC-023": [],
    "HDC-024": ["PP902", "PP904", "PP905"], "HDC-025": ["PP903"], "HDC-026": [], "HDC-027": ["DQ005", "PP501"],
    "HDC-029": ["DQ003", "PP602"], "HDC-030": ["DQ011", "PP603"], "HDC-031": ["PP702", "PP802"], "HDC-032": [],
    "HDC-033": ["DQ006"],  # two rows share this ref, both otherwise clean
    "HDC-034": [], "HDC-035": [], "HDC-036": ["DQ010", "PP907"], "HDC-037": ["DQ002", "PP301", "PP801"],
    "HDC-038": [], "HDC-039": [], "HDC-040": [], "HDC-041": ["PP204", "PP302"], "HDC-042": ["PP502", "PP601"],
    "HDC-043": ["DQ004", "PP701"], "HDC-044": [], "HDC-045": [],
}
INTENDED_SHEET_LEVEL: list[str] = ["DQ009"]  # "Officer RAG rating" ("Contact email" is lead_officer_email, SPEC §2.1)

# --- Last year's register (as it stood in November 2025), derived by explicit edits ---------------
NEW_SINCE_2025 = {"HDC-038", "HDC-039", "HDC-040", "HDC-041", "HDC-042", "HDC-043", "HDC-044", "HDC-045"}
NEW_SINCE_2025_NAMES = {"Parish and Community Led Planning Partnership"}  # shares HDC-033 with an older row
EDITS_2025: dict[str, dict] = {
    "HDC-014": dict(ref="LRF-01"),  # renumbered in 2026; same partnership
    "HDC-024": dict(status="Active", end=None, rag="G", notes=None, risk=(2, 4)),
    "HDC-025": dict(status="Exiting", rag="A", exit_decided_by=None),
    "HDC-010": dict(status="Under review"),
    "HDC-002": dict(risk=(2, 4)),   # risk up in 2026
    "HDC-007": dict(risk=(4, 4)),   # risk down in 2026
    "HDC-031": dict(risk=(3, 3)),   # risk up in 2026
    "HDC-011": dict(risk=(2, 2), notes=None),
    "HDC-008": dict(risk=(3, 5)),
    "HDC-036": dict(start=D(2025, 4, 1), end=D(2026, 3, 31), funding_ends=D(2026, 3, 31), notes=None),
}
GONE_SINCE_2025 = {  # inserted after the given ref; removed from the register during 2026
    "HDC-011": dict(ref="HDC-012", name="Harborough Together (Local Strategic Partnership)", partners="Voluntary Action LeicesterShire; Leicestershire Police; " + LCC,
                    arrangement="Partnership", purpose="District-wide strategic partnership.", priority=COMMUNITY, service_area="Corporate Services",
                    lead_officer="Helen Brackley", ben=("", "", Y, "", ""), benefit_detail="Shared community plan.", direct=0, risk=(1, 2), risks="Duplication with other boards.",
                    controls="Annual review of purpose.", council_role="Lead or accountable body", governance="Terms of reference.", start=D(2004, 4, 1),
                    last_review=D(2025, 3, 4), status="Exiting", exit_reason="No longer relevant", exit_strategy="Functions absorbed by the Community Safety and Health and Wellbeing partnerships.", exit_decided_by="Cabinet"),
    "HDC-019": dict(ref="HDC-020", name="Harborough and Melton Shared CCTV Monitoring", partners="Melton Borough Council; Leicestershire Police",
                    arrangement="Shared service", purpose="Joint CCTV control room.", priority=COMMUNITY, service_area="Community & Wellbeing", lead_officer="Sarah Whitfield",
                    ben=("", Y, "", "", Y), benefit_detail="Shared control room staffing.", direct="£11,000", budgeted=Y, risk=(2, 4), risks="Camera failures.",
                    controls="Maintenance contract.", governance="Service level agreement.", council_role="Member", start=D(2012, 4, 1), last_review=D(2025, 5, 14), status="Active"),
    "HDC-027": dict(ref="HDC-028", name="Leicestershire Business Voice Partnership", partners="Leicestershire Business Voice; East Midlands Chamber",
                    arrangement="Partnership", purpose="Business engagement forum for the district.", priority=PROSPERITY, service_area="Regeneration", lead_officer="Emma Collins",
                    ben=("", "", Y, "", ""), benefit_detail="Business intelligence.", direct=1000, budgeted=Y, risk=(1, 2), risks="Low engagement.",
                    controls="Annual survey.", council_role="Member", start=D(2014, 4, 1), last_review=D(2025, 7, 1), status="Active"),
}
TEXT_DATE_FORMATS = ("%d/%m/%Y", "%d.%m.%y", "%d-%b-%Y", "%b %Y", "%Y-%m-%d")


def _year_earlier(value: object) -> object:
    """A review date one year earlier, kept in the form the officer typed it."""
    if isinstance(value, date):
        return value.replace(year=value.year - 1)
    if isinstance(value, str):
        for fmt in TEXT_DATE_FORMATS:
            try:
                parsed = datetime.strptime(value, fmt)
            except ValueError:
                continue
            return parsed.replace(year=parsed.year - 1).strftime(fmt)
    return value


def rows_2025() -> list[dict]:
    """Last year's register: this year's rows minus the new ones, with EDITS_2025 and the gone rows."""
    rows = []
    for p in PARTNERSHIPS:
        if p["ref"] in NEW_SINCE_2025 or p["name"] in NEW_SINCE_2025_NAMES:
            continue
        row = {**p, "last_review": _year_earlier(p.get("last_review")), "next_review": _year_earlier(p.get("next_review"))}
        row.update(EDITS_2025.get(p["ref"], {}))
        rows.append(row)
        if p["ref"] in GONE_SINCE_2025:
            rows.append(GONE_SINCE_2025[p["ref"]])
    return rows


def _cells(p: dict) -> dict:
    """One partnership as cell values by column key (tuples spread, derived columns filled)."""
    cells = {k: v for k, v in p.items() if k not in ("ben", "risk", "opp")}
    for i, v in enumerate(p.get("ben", ("",) * 5)):
        cells[f"ben{i}"] = v
    cells["rl"], cells["ri"] = p.get("risk", (None, None))
    cells["ol"], cells["oi"] = p.get("opp", (None, None))
    cells.setdefault("lead_member", PORTFOLIO.get(p.get("service_area", "")))
    officer = p.get("lead_officer")
    cells["email"] = officer.lower().replace(" ", ".") + "@harborough.gov.uk" if officer else None
    cells.setdefault("rag", "G")
    return cells


GUIDANCE = [
    "How to keep the Partnership Register",
    "",
    "Every partnership the council is in has one row on the 'Partnership Register' sheet (Partnership Policy §5).",
    "A partnership is two or more independent organisations working to a common goal (§2). Officer networks,",
    "contracts and outside bodies are not partnerships: record them, but say so in 'Arrangement type'.",
    "Tick at least one of the five benefit columns and describe the benefit (§3).",
    "Score risk likelihood and impact from 1 to 5 using the Risk and Opportunity Framework (§6).",
    "Contributions not in an existing budget need approval by the Executive or Portfolio Holder (§6).",
    "Review your rows at least once a year and update 'Last reviewed' (§5).",
    "Leaving a partnership needs an exit reason, an exit strategy and a CMT/Executive decision (§9).",
    "",
    "Questions: Community Partnerships Service Manager, ext. 2231.",
]
LOOKUPS = {
    "Arrangement types": ["Partnership", "Shared service", "Joint committee", "Officer network or forum", "Consultation group",
                          "Contract or outsourced service", "External or governing body"],
    "Approval bodies": ["Executive", "Portfolio Holder", "Corporate Management Team", "Council", "Not required"],
    "Statuses": ["Proposed", "Active", "Under review", "Exiting", "Closed"],
    "Exit reasons": ["Outcomes achieved", "Not delivering outcomes", "No longer relevant", "Time limited or superseded",
                     "External funding ceased", "Legal basis changed"],
    "Exit decision bodies": ["Corporate Management Team", "Executive", "Council"],
    "Council roles": ["Lead or accountable body", "Member", "Observer"],
    "Yes / No": ["Yes", "No"],
}
VALIDATED = {"arrangement": "Arrangement types", "approved_by": "Approval bodies", "status": "Statuses",
             "exit_reason": "Exit reasons", "exit_decided_by": "Exit decision bodies", "council_role": "Council roles"}


def write_register(path: Path, rows: list[dict], year: str, updated: date) -> None:
    """Write one register workbook: Guidance, Partnership Register and Lookups sheets."""
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False})
    wb.set_properties({"title": f"Partnership Register {year}", "author": "Community Partnerships",
                       "company": "Harborough District Council",
                       "created": datetime(updated.year, updated.month, updated.day, 9, 0, 0)})
    title = wb.add_format({"bold": True, "font_size": 14})
    header = wb.add_format({"bold": True, "bg_color": "#1F4E78", "font_color": "#FFFFFF", "text_wrap": True,
                            "valign": "top", "border": 1})
    text = wb.add_format({"text_wrap": True, "valign": "top"})
    when = wb.add_format({"num_format": "dd/mm/yyyy", "valign": "top"})
    money = wb.add_format({"num_format": "£#,##0", "valign": "top"})
    note = wb.add_format({"italic": True})

    guide = wb.add_worksheet("Guidance")
    guide.set_column(0, 0, 110)
    for r, line in enumerate(GUIDANCE):
        guide.write_string(r, 0, line, title if r == 0 else text)

    ws = wb.add_worksheet("Partnership Register")
    ws.activate()
    ws.write_string(0, 0, f"Harborough District Council — Partnership Register {year}", title)
    ws.write_string(1, 0, f"Last updated {updated.day} {updated:%B %Y} by Community Partnerships. Owner: Community Partnerships Service Manager.", note)
    h = HEADER_ROW - 1
    ws.set_row(h, 45)
    for c, (head, _key, width) in enumerate(COLUMNS):
        ws.set_column(c, c, width)
        ws.write_string(h, c, head, header)
    for r, p in enumerate(rows, start=h + 1):
        cells = _cells(p)
        for c, (_, key, _) in enumerate(COLUMNS):
            v = cells.get(key)
            if v is None or v == "":
                continue
            if isinstance(v, date):
                ws.write_datetime(r, c, datetime(v.year, v.month, v.day), when)
            elif isinstance(v, (int, float)):
                ws.write_number(r, c, v, money if key in MONEY_KEYS else text)
            else:
                ws.write_string(r, c, v, text)
    last = h + len(rows)
    ws.write_string(last + 2, 0, "Note: contributions exclude VAT and are per financial year.", note)
    ws.write_string(last + 3, 0, "Risk score = likelihood × impact (Risk and Opportunity Framework).", note)
    ws.freeze_panes(h + 1, 2)
    ws.autofilter(h, 0, last, len(COLUMNS) - 1)
    keys = [k for _, k, _ in COLUMNS]
    for key, lookup in VALIDATED.items():
        col, lcol = keys.index(key), list(LOOKUPS).index(lookup)
        letter = xlsxwriter.utility.xl_col_to_name(lcol)
        ws.data_validation(h + 1, col, last, col, {"validate": "list", "show_error": False,
                                                    "source": f"=Lookups!${letter}$2:${letter}${len(LOOKUPS[lookup]) + 1}"})

    lk = wb.add_worksheet("Lookups")
    for c, (head, values) in enumerate(LOOKUPS.items()):
        lk.set_column(c, c, 28)
        lk.write_string(0, c, head, header)
        for r, v in enumerate(values, start=1):
            lk.write_string(r, c, v)
    wb.close()


def build(root: Path = REPO_ROOT) -> list[Path]:
    """Write both sample registers under ``root``; return their paths."""
    this_year = root / "sample_register.xlsx"
    last_year = root / "samples" / "sample_register_2025.xlsx"
    write_register(this_year, PARTNERSHIPS, "2026/27", D(2026, 11, 18))
    write_register(last_year, rows_2025(), "2025/26", D(2025, 11, 20))
    return [this_year, last_year]


if __name__ == "__main__":
    for written in build():
        print(f"wrote {written.relative_to(REPO_ROOT)}")
