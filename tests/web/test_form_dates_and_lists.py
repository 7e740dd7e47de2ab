"""The department's form: a date fact as a date input, a list fact as a box of lines."""

from __future__ import annotations

from fastapi.testclient import TestClient

from scoring.web import form

PAGE = "/rulesets/illustrative.project-timeliness@2022.1"
FILLED = {
    "subject.unit": "某县水利局",
    "fact.已完成项目": "东村供水站\r\n西村供水站\r\n南村管网改造\r\n北村管网改造\r\n水质检测室",
    "fact.完成时间": "2023-01-05",
    "fact.计划完成时间": "2022-12-31",
    "fact.报送时间": "2023-01-15",
    "fact.报送期限": "2023-01-15",
    "fact.预算数": "500",
    "fact.执行数": "500",
    "fact.附件": "绩效自评表；绩效自评报告；项目验收报告；资金拨付凭证",
}


def test_a_date_has_a_date_input_and_a_list_a_box_of_lines(client: TestClient):
    page = client.get(PAGE).text
    assert '<input type="date" id="fact.完成时间" name="fact.完成时间" value="">' in page
    assert '<textarea id="fact.附件" name="fact.附件" rows="4"' in page


def test_dates_and_items_typed_in_score_as_the_command_line_does(client: TestClient):
    page = client.post(PAGE, data=FILLED)
    assert page.status_code == 200, page.text
    assert '<strong id="total">95.00</strong>' in page.text  # 5 days late: 5 of 20 lost
    assert "逾期 5 天，每天扣 1 分，扣 5 分" in page.text
    assert (
        "已完成项目 5 项（东村供水站、西村供水站、南村管网改造、北村管网改造、水质检测室）"
        in page.text
    )


def test_a_duplicated_item_is_refused_at_its_field(client: TestClient):
    page = client.post(PAGE, data=FILLED | {"fact.附件": "绩效自评表\n绩效自评表"})
    assert page.status_code == 422
    error = page.text.split('data-field="fact.附件">', 1)[1].split("<", 1)[0]
    assert "绩效自评表" in error
    assert "列了两次" in error


def test_a_saved_list_comes_back_into_the_form_one_item_a_line():
    values, _chosen = form.form_values({"facts": {"附件": ["绩效自评表", "绩效自评报告"]}})
    assert values["fact.附件"] == "绩效自评表\n绩效自评报告"
