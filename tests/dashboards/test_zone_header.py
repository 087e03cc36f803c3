"""The zone page's header speaks of the zone as people know it: its level and county, never its machine code."""

import re


def test_it_shows_no_machine_code_in_the_zone_header(client_for, olga, plan):
    html = client_for(olga).get("/zones/lufeng/").content.decode()
    header = html[html.index("<h1") :].split("</p>", 1)[0]
    assert "禄丰产业园区" in header and "属地" in header
    assert "lufeng" not in re.sub(r"<[^>]+>", "", header) and "代码" not in header
