"""Payloads shared by the sequence and enrolment API tests."""


def four_step_ab(name: str = "Q1 CFO outbound") -> dict:
    return {
        "name": name,
        "schedule": {"days": ["mon", "tue", "wed", "thu", "fri"], "window_start": "09:00",
                     "window_end": "17:00", "holidays": "prospect", "fallback_timezone": "Europe/Vilnius"},
        "exit_on_reply": True,
        "steps": [
            {"type": "auto_email", "wait_days": 0, "variants": [
                {"label": "A", "weight": 50, "subject": "Closing the books at {{ company.name }}",
                 "body": "Hi {{ prospect.first_name }},\n\nquick question about {{ company.name }}.",
                 "by_persona": {"cfo": {"subject": "Month-end close at {{ company.name }}",
                                        "body": "Hi {{ prospect.first_name }}, CFO to CFO..."}}},
                {"label": "B", "weight": 50, "subject": "{{ prospect.first_name | default('Hi') }}, 3 days faster close?",
                 "body": "Hello {{ prospect.first_name | default('there') }}",
                 "by_persona": {"cto": {"body": "Hi {{ prospect.first_name }}, about your ERP security"}}}]},
            {"type": "call", "wait_days": 2, "instructions": "Ask about their month-end close."},
            {"type": "auto_email", "wait_days": 3, "thread": True,
             "variants": [{"label": "A", "body": "Following up, {{ prospect.first_name }}."}]},
            {"type": "linkedin_connect", "wait_days": 1, "instructions": "Connect with a short note."},
        ],
    }
