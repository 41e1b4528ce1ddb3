def test_admin_login_goes_through_the_rate_limited_login_page(client, db):
    response = client.get("/admin/")
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2F"
