"""``tunewise worker`` refuses a configuration that cannot work before it leases anything,
with a message that names what to fix."""

from __future__ import annotations

from click.testing import CliRunner

from tunewise.cli import cli


def test_an_api_address_that_is_not_http_is_refused_naming_the_option() -> None:
    result = CliRunner().invoke(cli, ["worker", "--api", "ftp://head:21", "--token", "t"])
    assert result.exit_code == 2
    assert "api_url" in result.output and "Traceback" not in result.output


def test_help_says_where_the_token_comes_from() -> None:
    result = CliRunner().invoke(cli, ["worker", "--help"])
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    assert "TUNEWISE_API_TOKEN" in text and "tunewise token create --scope worker" in text


def test_a_batch_that_is_neither_auto_nor_1_to_64_is_refused_naming_the_option() -> None:
    for bad in ("0", "65", "many"):
        result = CliRunner().invoke(cli, ["worker", "--api", "http://head", "--batch", bad])
        assert result.exit_code == 2, bad
        assert "--batch" in result.output and "1 to 64" in result.output
