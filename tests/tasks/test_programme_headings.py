"""The task pages head a programme as the plan does: （三）实施主导产业壮大工程, not （3）."""


def test_the_task_page_heads_its_programme_with_the_plan_s_numeral(plan, client_for, olga):
    page = client_for(olga).get("/tasks/9/").content.decode()
    assert "（三）实施主导产业壮大工程" in page and "（3）" not in page


def test_the_task_list_heads_the_six_programmes_as_the_plan_does(plan, client_for, olga):
    page = client_for(olga).get("/tasks/").content.decode()
    headings = ["（一）实施党建质量提升工程", "（二）实施体制机制创新工程", "（六）实施要素保障能力提升工程"]
    assert all(heading in page for heading in headings)
