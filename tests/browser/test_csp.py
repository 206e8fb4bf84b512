"""The Content-Security-Policy in a real browser: the desk works and Chromium reports no violation."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("roles")]


def _ecouter_violations(page) -> list[str]:
    violations: list[str] = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "console.error('Content Security Policy: ' + e.violatedDirective + ' ' + e.blockedURI));"
    )
    return violations


def test_the_desk_runs_under_the_content_security_policy_without_a_violation(live_server, page, accueil_user):
    violations = _ecouter_violations(page)
    reponse = page.goto(f"{live_server.url}/accounts/login/")
    assert "script-src 'self'" in reponse.headers["content-security-policy"]
    expect(page.locator("input[name=username]")).to_be_focused()  # autofocus applied: typing goes there
    page.keyboard.type("benevole")
    page.keyboard.press("Tab")
    page.keyboard.type("mot-de-passe-test")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/accueil/")
    # htmx is loaded and swaps the search results (a script and the swap both under the policy).
    page.keyboard.type("dupont")
    # The results of "dupont" swapped in by htmx (the search box's debounce passed, the request answered).
    page.locator('#resultats-contenu[data-q="dupont"]').wait_for(state="attached")
    page.wait_for_function("() => !document.querySelector('.htmx-request')")
    page.wait_for_timeout(300)  # a violation is reported a moment after it happens: give it that moment
    # Bootstrap's stylesheet applies (a vendored file), and our own rules replace the style attributes.
    assert page.evaluate("getComputedStyle(document.querySelector('nav')).display") == "flex"
    assert page.evaluate("getComputedStyle(document.getElementById('recherche')).minWidth") == "0px"
    assert violations == []


def test_a_progress_bar_takes_its_width_from_its_data_attribute_after_an_htmx_swap(live_server, page, db):
    violations = _ecouter_violations(page)
    page.goto(f"{live_server.url}/accounts/login/")
    largeur = page.evaluate(
        "() => { const zone = document.createElement('div');"
        ' zone.innerHTML = \'<div class="progress">'
        '<div class="progress-bar" data-progression="40"></div></div>\';'
        " document.body.appendChild(zone);"
        " zone.dispatchEvent(new CustomEvent('htmx:afterSettle', {bubbles: true}));"
        " return zone.querySelector('.progress-bar').style.width; }"
    )
    assert largeur == "40%"
    assert violations == []
