def test_manager_creates_and_lists_personas(api):
    caller = api("manager")
    res = caller.post("/api/v1/personas", json={"key": "cfo", "name": "CFO / finance lead",
                                                "description": "Owns the budget",
                                                "title_keywords": ["CFO", "Finansų direktorius"]})
    assert res.status_code == 201
    assert res.json["key"] == "cfo" and res.json["title_keywords"] == ["CFO", "Finansų direktorius"]
    listed = api("rep").get("/api/v1/personas").json
    assert [(p["key"], p["name"]) for p in listed] == [("cfo", "CFO / finance lead")]


def test_duplicate_persona_key_is_409(api):
    caller = api("manager")
    first = caller.post("/api/v1/personas", json={"key": "cto", "name": "CTO"})
    again = caller.post("/api/v1/personas", json={"key": "cto", "name": "Other"})
    assert again.status_code == 409 and again.json["error"]["existing_id"] == first.json["id"]


def test_bad_persona_key_is_422(api):
    res = api("manager").post("/api/v1/personas", json={"key": "Head of Sales", "name": "HoS"})
    assert res.status_code == 422
    assert res.json["error"]["details"][0]["field"] == "key"


def test_reps_cannot_create_personas(api):
    assert api("rep").post("/api/v1/personas", json={"key": "x", "name": "X"}).status_code == 403
