"""Who did what (issue 15, docs/security.md "Where to read who did what"): each action is
performed for real and its record is found where the docs say it is.

- Keycloak's login events: a successful login and a failed one (realm *Events*).
- Keycloak's admin events: a user created through the admin API (realm *Admin events*).
- The plugin's audit log in MLflow's log: a login, an access token made, and a permission
  granted on an experiment.
"""

from __future__ import annotations

import json
import time
import uuid

import pytest

from mlflow_oidc_stack.keycloak.admin import LoginError, http_login

pytestmark = pytest.mark.stack
API = "/api/2.0/mlflow"


def audit_records(stack) -> list[dict]:
    """The plugin's audit lines (one JSON object each) in MLflow's recent log."""
    out = []
    for line in stack.runtime.logs(["mlflow"], lines=3000).splitlines():
        start = line.find('{"timestamp"')
        if start >= 0:
            try:
                out.append(json.loads(line[start:]))
            except json.JSONDecodeError:
                continue
    return out


def test_logins_failures_admin_changes_tokens_and_permissions_are_recorded(stack, kc_admin, make_user, groups):
    url, realm = stack.mlflow_url, stack.rendered.realm
    owner = make_user(groups["users"], prefix="auditor")
    reader = make_user(groups["users"], prefix="reader")

    with pytest.raises(LoginError):
        http_login(url, owner.username, f"wrong-{uuid.uuid4().hex}", timeout=60)
    session, final = http_login(url, owner.username, owner.password, timeout=60)
    assert final.url.endswith("/oidc/ui/user")
    http_login(url, reader.username, reader.password, timeout=60)  # MLflow knows the reader now
    token = session.patch(f"{url}{API}/users/access-token", json={}, timeout=60)
    assert token.status_code == 200, token.text
    exp = session.post(f"{url}{API}/experiments/create", json={"name": f"audit-{uuid.uuid4().hex[:8]}"}, timeout=60)
    assert exp.status_code == 200, exp.text
    exp_id = exp.json()["experiment_id"]
    reader_name = reader.email.lower()
    grant = session.post(
        f"{url}{API}/permissions/users/{reader_name}/experiments/{exp_id}", json={"permission": "READ"}, timeout=60
    )
    assert grant.status_code in (200, 201), grant.text

    # Keycloak: login events of the user, and the admin event that created them.
    events = kc_admin.connection.raw_get(f"admin/realms/{realm}/events", user=owner.id, max=50).json()
    seen = {(e["type"], e.get("error")) for e in events}
    assert ("LOGIN", None) in seen, seen
    assert ("LOGIN_ERROR", "invalid_user_credentials") in seen, seen
    admin_events = kc_admin.connection.raw_get(
        f"admin/realms/{realm}/admin-events", resourceTypes="USER", operationTypes="CREATE", max=500
    ).json()
    assert any(e.get("resourcePath") == f"users/{owner.id}" for e in admin_events), "no admin event for the user"

    # The plugin's audit log, in MLflow's log (`make logs SERVICE=mlflow`).
    wanted = {
        "auth.login": lambda r: r["actor"] == owner.email.lower(),
        "user.token_rotate": lambda r: r["actor"] == owner.email.lower(),
        "permission.create": lambda r: r["actor"] == owner.email.lower() and str(r.get("resource_id")) == exp_id,
    }
    found: dict[str, dict] = {}
    for _ in range(10):  # log lines reach the file (or Docker) a moment after the response
        for record in audit_records(stack):
            check = wanted.get(record.get("event"))
            if check and check(record):
                found.setdefault(record["event"], record)
        if set(found) == set(wanted):
            break
        time.sleep(1)
    for event, record in sorted(found.items()):
        print(f"[{stack.mode}] {event}: {json.dumps(record)}")
    assert set(found) == set(wanted), f"missing audit records: {set(wanted) - set(found)}"
    assert found["permission.create"]["detail"].get("permission") == "READ"
