"""Static demo data: the seller, its team, target companies and the names/titles prospects are drawn from.

Every company is fictional and uses a `-demo.com` domain so no real business is emailed by accident.
Phones use ranges that read as real E.164 numbers (US ones sit in the fictional 555-01xx block).
"""
from __future__ import annotations

SELLER_NAME = "Kvitas UAB"
SELLER_PRODUCT = "Kvitas"
SELLER_DOMAIN = "kvitas-demo.com"
SELLER_ADDRESS = "Kvitas UAB\nŠvitrigailos g. 11M\nLT-03228 Vilnius\nLithuania"

# (email, role, name, title, timezone, mailbox local part or None)
TEAM = [
    ("admin@example.com", "admin", "Tomas Jankauskas", "Head of Revenue Operations", "Europe/Vilnius", None),
    ("manager@example.com", "manager", "Laura Petrauskienė", "Sales Manager, Baltics & DACH", "Europe/Vilnius", None),
    ("rep@example.com", "rep", "Rūta Kazlauskaitė", "Account Executive", "Europe/Vilnius", "ruta.kazlauskaite"),
    ("rep2@example.com", "rep", "Emily Carter", "Account Executive, North America", "America/New_York",
     "emily.carter"),
]
# the profile language each chose; the others follow their browser
LOCALES = {"rep@example.com": "lt"}

# country -> (timezone by city, phone prefix by city, language)
CITIES = {
    "LT": {"Vilnius": "Europe/Vilnius", "Kaunas": "Europe/Vilnius", "Klaipėda": "Europe/Vilnius",
           "Šiauliai": "Europe/Vilnius", "Panevėžys": "Europe/Vilnius", "Alytus": "Europe/Vilnius",
           "Palanga": "Europe/Vilnius"},
    "DE": {"Berlin": "Europe/Berlin", "München": "Europe/Berlin", "Hamburg": "Europe/Berlin",
           "Köln": "Europe/Berlin", "Frankfurt am Main": "Europe/Berlin", "Stuttgart": "Europe/Berlin",
           "Leipzig": "Europe/Berlin", "Düsseldorf": "Europe/Berlin", "Hannover": "Europe/Berlin",
           "Freiburg": "Europe/Berlin", "Nürnberg": "Europe/Berlin"},
    "US": {"New York": "America/New_York", "Boston": "America/New_York", "Atlanta": "America/New_York",
           "Chicago": "America/Chicago", "Austin": "America/Chicago", "Denver": "America/Denver",
           "San Francisco": "America/Los_Angeles", "Los Angeles": "America/Los_Angeles",
           "Seattle": "America/Los_Angeles"},
}
AREA_CODES = {
    "Berlin": "30", "München": "89", "Hamburg": "40", "Köln": "221", "Frankfurt am Main": "69",
    "Stuttgart": "711", "Leipzig": "341", "Düsseldorf": "211", "Hannover": "511", "Freiburg": "761",
    "Nürnberg": "911", "New York": "212", "Boston": "617", "Atlanta": "404", "Chicago": "312",
    "Austin": "512", "Denver": "303", "San Francisco": "415", "Los Angeles": "213", "Seattle": "206",
}
LANGUAGE = {"LT": "lt", "DE": "de", "US": "en"}

# (name, industry, size, country, city)
COMPANIES = [
    ("Baltijos Krovinių Linija", "Logistics & freight", "201-500", "LT", "Klaipėda"),
    ("Nemuno Baldų Fabrikas", "Furniture manufacturing", "501-1000", "LT", "Kaunas"),
    ("Aukštaitijos Pienas", "Dairy & food production", "201-500", "LT", "Panevėžys"),
    ("Vilkmergės Statybos Grupė", "Construction", "51-200", "LT", "Vilnius"),
    ("Šiaurės Vėjo Energija", "Renewable energy", "51-200", "LT", "Šiauliai"),
    ("Rasų Sveikatos Centras", "Healthcare clinics", "201-500", "LT", "Vilnius"),
    ("Žaliasis Kelias Transportas", "Road transport", "201-500", "LT", "Vilnius"),
    ("Debesų Programa", "Software / SaaS", "51-200", "LT", "Vilnius"),
    ("Kuršių Žuvininkystė", "Seafood processing", "201-500", "LT", "Klaipėda"),
    ("Medžio Meistrai", "Timber & wood products", "51-200", "LT", "Kaunas"),
    ("Dzūkijos Uogos", "Agriculture & food export", "11-50", "LT", "Alytus"),
    ("Verslo Ratas Konsultacijos", "Professional services", "51-200", "LT", "Vilnius"),
    ("Ąžuolų Namai", "Real estate development", "51-200", "LT", "Vilnius"),
    ("Lino Audiniai", "Textile manufacturing", "201-500", "LT", "Panevėžys"),
    ("Pajūrio Viešbučiai", "Hospitality", "201-500", "LT", "Palanga"),
    ("Elektros Tinklų Servisas", "Electrical engineering", "501-1000", "LT", "Kaunas"),
    ("Saulėtekio Mokymai", "Education & training", "11-50", "LT", "Vilnius"),
    ("Marių Laivų Remontas", "Ship repair", "501-1000", "LT", "Klaipėda"),
    ("Trakų Prekyba", "Wholesale distribution", "201-500", "LT", "Vilnius"),
    ("Apskaitos Ritmas", "Accounting & payroll services", "51-200", "LT", "Kaunas"),
    ("Spreewerk Logistik GmbH", "Logistics", "501-1000", "DE", "Berlin"),
    ("Isartaler Maschinenbau GmbH", "Industrial machinery", "1001-5000", "DE", "München"),
    ("Elbkontor Handels AG", "Wholesale trade", "201-500", "DE", "Hamburg"),
    ("Rheinblick Versicherungsmakler GmbH", "Insurance brokerage", "51-200", "DE", "Köln"),
    ("Mainufer Finanzsysteme GmbH", "Fintech", "51-200", "DE", "Frankfurt am Main"),
    ("Neckarstahl Komponenten GmbH", "Automotive components", "1001-5000", "DE", "Stuttgart"),
    ("Sachsenholz Bau GmbH", "Construction", "201-500", "DE", "Leipzig"),
    ("Königsallee Mode GmbH", "Fashion retail", "201-500", "DE", "Düsseldorf"),
    ("Alpenquell Getränke GmbH", "Beverages", "201-500", "DE", "München"),
    ("Nordlicht Software GmbH", "Software", "51-200", "DE", "Hamburg"),
    ("Hafenkran Service GmbH", "Port services", "201-500", "DE", "Hamburg"),
    ("Grünfeld Agrartechnik GmbH", "Agricultural technology", "51-200", "DE", "Hannover"),
    ("Weißdorn Pflegedienste GmbH", "Healthcare services", "501-1000", "DE", "Berlin"),
    ("Schwarzwald Präzision GmbH", "Precision engineering", "201-500", "DE", "Freiburg"),
    ("Brückner & Söhne Druckerei KG", "Printing", "51-200", "DE", "Nürnberg"),
    ("Hudson Freightworks Inc.", "Logistics", "501-1000", "US", "New York"),
    ("Lakeshore Dental Partners", "Healthcare", "201-500", "US", "Chicago"),
    ("Redwood Ledger Labs", "Fintech", "51-200", "US", "San Francisco"),
    ("Prairie Grain Cooperative", "Agriculture", "201-500", "US", "Chicago"),
    ("Copperline Manufacturing", "Manufacturing", "1001-5000", "US", "Denver"),
    ("Bluebonnet Staffing Group", "Staffing", "501-1000", "US", "Austin"),
    ("Harborview Hospitality", "Hospitality", "201-500", "US", "Boston"),
    ("Cascade Outdoor Supply", "Retail", "201-500", "US", "Seattle"),
    ("Peachtree Property Management", "Real estate", "51-200", "US", "Atlanta"),
    ("Silverpine Analytics", "Software", "51-200", "US", "Seattle"),
    ("Granite Harbor Insurance Brokers", "Insurance", "51-200", "US", "Boston"),
    ("Mesa Solar Installers", "Renewable energy", "201-500", "US", "Los Angeles"),
    ("Ironbridge Construction", "Construction", "501-1000", "US", "Chicago"),
    ("Keystone Medical Billing", "Healthcare services", "201-500", "US", "New York"),
    ("Golden Gate Robotics", "Robotics", "51-200", "US", "San Francisco"),
]
PROSPECTS_PER_SIZE = {"11-50": 3, "51-200": 4, "201-500": 4, "501-1000": 5, "1001-5000": 5}
EMPLOYEES = {"11-50": (12, 50), "51-200": (55, 200), "201-500": (210, 500), "501-1000": (520, 1000),
             "1001-5000": (1100, 4800)}

# Named people the demo (and its tests) rely on: (company index, first, last, gender, persona slot)
FIXED_PEOPLE = [
    (0, "Šarūnas", "Žukauskas", "m", "cfo"),
    (0, "Jūratė", "Čepulienė", "f", "head_of_sales"),
    (1, "Dalia", "Grybauskienė", "f", "cfo"),
    (1, "Mindaugas", "Ąžuolas", "m", "cto"),
    (20, "Jürgen", "Müller", "m", "cfo"),
    (20, "Käthe", "Groß", "f", "head_of_sales"),
]

FIRST_NAMES = {
    ("LT", "m"): ["Šarūnas", "Mindaugas", "Tomas", "Darius", "Žygimantas", "Andrius", "Vytautas", "Gediminas",
                  "Rimantas", "Arūnas", "Justinas", "Kęstutis", "Paulius", "Marius", "Linas", "Giedrius",
                  "Audrius", "Rokas", "Laurynas", "Algirdas"],
    ("LT", "f"): ["Jūratė", "Dalia", "Eglė", "Ieva", "Agnė", "Gintarė", "Aušra", "Rasa", "Neringa", "Živilė",
                  "Skaistė", "Vaida", "Goda", "Indrė", "Daiva", "Kristina", "Laima", "Milda", "Austėja", "Rūta"],
    ("DE", "m"): ["Jürgen", "Stefan", "Matthias", "Jörg", "Andreas", "Michael", "Thomas", "Klaus", "Tobias",
                  "Sebastian", "Florian", "Björn", "Lukas", "Maximilian", "Uwe"],
    ("DE", "f"): ["Käthe", "Ursula", "Sabine", "Julia", "Anja", "Stefanie", "Katrin", "Jana", "Sophie", "Lena",
                  "Brigitte", "Claudia", "Miriam", "Hannah", "Jördis"],
    ("US", "m"): ["James", "Michael", "Robert", "David", "Daniel", "Marcus", "Kevin", "Brian", "Jason", "Ryan",
                  "Andre", "Carlos"],
    ("US", "f"): ["Jennifer", "Emily", "Sarah", "Jessica", "Ashley", "Megan", "Rachel", "Lauren", "Maria",
                  "Priya", "Keisha", "Olivia"],
}
LAST_NAMES = {
    ("LT", "m"): ["Žukauskas", "Ąžuolas", "Kazlauskas", "Jankauskas", "Petrauskas", "Stankevičius",
                  "Vasiliauskas", "Žemaitis", "Butkus", "Paulauskas", "Urbonas", "Navickas", "Balčiūnas",
                  "Šimkus", "Kairys", "Mockus", "Jonaitis", "Čepulis", "Grybauskas", "Vaitkus"],
    ("LT", "f"): ["Čepulienė", "Grybauskienė", "Kazlauskienė", "Jankauskienė", "Petrauskaitė", "Stankevičiūtė",
                  "Vasiliauskienė", "Žemaitytė", "Butkienė", "Paulauskaitė", "Urbonienė", "Navickaitė",
                  "Balčiūnienė", "Šimkutė", "Kairienė", "Mockutė", "Jonaitienė", "Žukauskienė", "Vaitkutė",
                  "Ąžuolienė"],
    ("DE", "m"): ["Müller", "Groß", "Schäfer", "Weiß", "Schröder", "Köhler", "Hoffmann", "Becker", "Wagner",
                  "Schulz", "Krüger", "Lehmann", "Böhm", "Fuchs", "Hartmann", "Jäger", "Vogel", "Braun",
                  "Zimmermann", "Kößler"],
    ("US", "m"): ["Smith", "Johnson", "Williams", "Brown", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
                  "Anderson", "Taylor", "Thomas", "Moore", "Jackson", "Lee", "Patel", "Nguyen", "O'Connor",
                  "Kim", "Walker"],
}
LAST_NAMES[("DE", "f")] = LAST_NAMES[("DE", "m")]
LAST_NAMES[("US", "f")] = LAST_NAMES[("US", "m")]

# Titles by (country, persona slot) -> (masculine/neutral, feminine); slot "other" has no persona.
TITLES = {
    ("LT", "cfo"): (["Finansų direktorius", "Vyriausiasis finansininkas", "CFO"],
                    ["Finansų direktorė", "Vyriausioji finansininkė", "CFO"]),
    ("LT", "cto"): (["IT direktorius", "IT vadovas", "CTO"], ["IT direktorė", "IT vadovė", "CTO"]),
    ("LT", "head_of_sales"): (["Pardavimų vadovas", "Komercijos direktorius", "Pardavimų direktorius"],
                              ["Pardavimų vadovė", "Komercijos direktorė"]),
    ("LT", "other"): (["Generalinis direktorius", "Pirkimų vadovas"], ["Generalinė direktorė", "Pirkimų vadovė"]),
    ("DE", "cfo"): (["Leiter Finanzen", "Kaufmännischer Leiter", "CFO"],
                    ["Leiterin Finanzen", "Kaufmännische Leiterin", "CFO"]),
    ("DE", "cto"): (["IT-Leiter", "Leiter IT-Sicherheit", "CTO"], ["IT-Leiterin", "Leiterin IT-Sicherheit", "CTO"]),
    ("DE", "head_of_sales"): (["Vertriebsleiter", "Leiter Vertrieb"], ["Vertriebsleiterin", "Leiterin Vertrieb"]),
    ("DE", "other"): (["Geschäftsführer", "Leiter Einkauf"], ["Geschäftsführerin", "Leiterin Einkauf"]),
    ("US", "cfo"): (["CFO", "VP Finance", "Finance Director", "Controller"],) * 2,
    ("US", "cto"): (["CTO", "Head of IT", "CISO", "VP Engineering"],) * 2,
    ("US", "head_of_sales"): (["VP Sales", "Head of Sales", "Sales Director"],) * 2,
    ("US", "other"): (["CEO", "Head of Procurement", "Accounts Payable Manager"],) * 2,
}
PERSONA_SLOTS = ["cfo", "head_of_sales", "cto", "other", "cfo"]

ERPS = {
    "LT": ["Rivilė", "Directo", "Microsoft Dynamics NAV", "SAP Business One", "Būtenta"],
    "DE": ["DATEV", "SAP S/4HANA", "Microsoft Dynamics 365", "Sage 100", "abas ERP"],
    "US": ["NetSuite", "QuickBooks Online", "Sage Intacct", "Microsoft Dynamics 365", "Acumatica"],
}
LEAD_SOURCES = ["LinkedIn Sales Navigator", "Webinar: closing the books in 3 days", "FinTech Baltic trade fair",
                "Partner referral", "Website: pricing page", "White paper: AP automation"]

PERSONAS = [
    ("cfo", "CFO / finance lead",
     "Owns the close, cash and controls. Cares about days-to-close, audit findings and headcount in AP; "
     "reads peer case studies and the auditor's management letter.",
     ["CFO", "Chief Financial Officer", "Finance Director", "VP Finance", "Head of Finance", "Controller",
      "Finansų direktorius", "Finansų direktorė", "Vyriausiasis finansininkas", "Vyriausioji finansininkė",
      "Leiter Finanzen", "Leiterin Finanzen", "Kaufmännischer Leiter", "Finanzvorstand"]),
    ("cto", "CTO / IT-security lead",
     "Signs off on anything touching SSO, data residency and the ERP integration. Buying criteria: ISO 27001, "
     "SCIM provisioning, EU hosting, an audit log and an API that will not break the ERP.",
     ["CTO", "Chief Technology Officer", "CIO", "CISO", "Head of IT", "IT Director", "IT Security",
      "IT direktorius", "IT direktorė", "IT vadovas", "IT-Leiter", "Leiter IT", "Leiter IT-Sicherheit"]),
    ("head_of_sales", "Head of Sales",
     "Runs a field or inside-sales team with travel and client entertainment spend. Wants reps reimbursed "
     "fast and no expense-report admin; motivated by team productivity, not finance controls.",
     ["Head of Sales", "VP Sales", "Sales Director", "Chief Revenue Officer", "Pardavimų vadovas",
      "Pardavimų vadovė", "Pardavimų direktorius", "Komercijos direktorius", "Vertriebsleiter",
      "Vertriebsleiterin", "Leiter Vertrieb"]),
]
