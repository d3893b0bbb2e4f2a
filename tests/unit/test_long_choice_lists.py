"""The calendar's list of centres, rendered once per list (web.options)."""

from web.options import options


def test_the_chosen_centre_is_selected_names_are_escaped_and_a_new_list_is_rendered_anew():
    centres = [{"id": "a1", "name": "Младежки център <Враца>"}, {"id": "b2", "name": "Перник & Co"}]
    html = options(centres, "b2")
    assert html == ('<option value="a1">Младежки център &lt;Враца&gt;</option>'
                    '<option value="b2" selected>Перник &amp; Co</option>')
    assert "selected" not in options(centres)  # the kept markup was not changed by the choice
    assert options([{"id": "c3", "name": "Добрич"}], "c3") == '<option value="c3" selected>Добрич</option>'
