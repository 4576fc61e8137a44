"""What the original README tells a person to do on /docs, done in a real browser."""

import json

from conftest import OUTPUT, post_json
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ready
from selenium.webdriver.support.ui import WebDriverWait

OPERATIONS = [
    ("users", "createUser"), ("users", "listUsers"), ("users", "readCurrentUser"), ("auth", "login"),
    ("tasks", "listTasks"), ("tasks", "createTask"), ("tasks", "readTask"), ("tasks", "replaceTask"),
    ("tasks", "updateTask"), ("tasks", "deleteTask"), ("health", "checkHealth"), ("health", "checkReadiness"),
]


def wait(browser, condition, seconds=20):
    return WebDriverWait(browser, seconds).until(condition)


def css(browser, selector):
    return wait(browser, ready.element_to_be_clickable((By.CSS_SELECTOR, selector)))


def open_docs(browser, api_url):
    browser.get(f"{api_url}/docs")
    wait(browser, ready.presence_of_element_located((By.ID, "operations-tasks-createTask")))


def authorize(browser, fill):
    """Opens the Authorize dialog, lets `fill` log in through one of its schemes, and closes it."""
    css(browser, ".auth-wrapper button.authorize").click()
    wait(browser, ready.presence_of_element_located((By.CSS_SELECTOR, ".modal-ux")))
    fill()
    wait(browser, ready.presence_of_element_located((By.XPATH, "//div[contains(@class,'modal-ux')]//button[contains(., 'Logout')]")))
    css(browser, ".modal-ux button.btn-done").click()


def try_out(browser, operation_id, tag, body=None):
    """Expands an operation, uses "Try it out" and Execute, and returns the live response's status and body."""
    block = f"#operations-{tag}-{operation_id}"
    css(browser, f"{block} .opblock-summary").click()
    css(browser, f"{block} .try-out__btn").click()
    if body is not None:
        text = css(browser, f"{block} textarea.body-param__text")
        text.clear()
        text.send_keys(json.dumps(body))
    css(browser, f"{block} button.execute").click()
    status = wait(browser, ready.presence_of_element_located(
        (By.CSS_SELECTOR, f"{block} .live-responses-table .response .response-col_status")))
    response = browser.find_element(By.CSS_SELECTOR, f"{block} .live-responses-table .response-col_description pre")
    return status.text.strip(), response.text


def test_docs_show_every_operation(browser, api_url):
    open_docs(browser, api_url)
    for tag, operation_id in OPERATIONS:
        assert browser.find_elements(By.ID, f"operations-{tag}-{operation_id}"), operation_id
    # The assets came from the configured local copies, not a CDN.
    scripts = [element.get_attribute("src") for element in browser.find_elements(By.TAG_NAME, "script")]
    assert any(src and src.endswith("/swagger-ui-dist/swagger-ui-bundle.js") and "127.0.0.1" in src for src in scripts)


def test_password_login_in_authorize_then_try_it_out_creates_and_lists_a_task(browser, api_url):
    open_docs(browser, api_url)

    def log_in_with_the_oauth2_form():
        css(browser, "#oauth_username").send_keys("testuser")
        css(browser, "#oauth_password").send_keys("test123")
        css(browser, ".modal-ux .auth-btn-wrapper button.authorize").click()

    authorize(browser, log_in_with_the_oauth2_form)
    status, body = try_out(browser, "createTask", "tasks", {"title": "Created from Swagger UI"})
    assert status == "201", body
    assert json.loads(body)["title"] == "Created from Swagger UI"
    status, body = try_out(browser, "listTasks", "tasks")
    assert status == "200", body
    assert [task["title"] for task in json.loads(body)] == ["Created from Swagger UI"]
    browser.save_screenshot(str(OUTPUT / "docs-swagger-ui.png"))


def test_pasted_bearer_token_in_authorize_works(browser, api_url):
    token = post_json(f"{api_url}/auth/login", {"username": "testuser", "password": "test123"})["access_token"]
    open_docs(browser, api_url)

    def paste_the_token():
        field = css(browser, "#auth-bearer-value")
        field.send_keys(token)
        field.find_element(By.XPATH, "ancestor::div[contains(@class,'auth-container')]//button[contains(@class,'authorize')]").click()

    authorize(browser, paste_the_token)
    status, body = try_out(browser, "readCurrentUser", "users")
    assert status == "200", body
    assert json.loads(body) == {"id": 1, "username": "testuser"}
    browser.save_screenshot(str(OUTPUT / "docs-pasted-token.png"))


def test_redoc_renders_the_document(browser, api_url):
    browser.get(f"{api_url}/redoc")
    wait(browser, ready.presence_of_element_located((By.XPATH, "//h2[contains(., 'Create a task')]")), seconds=30)
    assert "Task API" in browser.find_element(By.TAG_NAME, "h1").text
    browser.save_screenshot(str(OUTPUT / "redoc.png"))
