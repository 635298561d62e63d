"""URL identity: tracking parameters, scheme, www. and trailing slashes never make a different page."""

from __future__ import annotations

from detector.urls import host_of, same_url, without_tracking


def test_tracking_parameters_and_parameter_order_do_not_make_another_page():
    post = "https://blog.example/2024/tides/"
    assert same_url(post, "http://www.blog.example/2024/tides?utm_source=rss&utm_medium=rss#comments")
    assert same_url(post + "?fbclid=IwAR0x&gclid=abc", post)
    assert same_url("https://blog.example/?p=12&lang=en", "https://blog.example/?lang=en&p=12&utm_campaign=x")


def test_other_query_parameters_name_other_pages():
    assert not same_url("https://blog.example/?p=12", "https://blog.example/?p=13")
    assert not same_url("https://blog.example/?p=12", "https://blog.example/")
    assert not same_url("https://blog.example/tides/", "https://other.example/tides/")


def test_urls_urllib_cannot_split_equal_only_themselves_and_never_raise():
    for broken in ("http://[zz/x", "http://b.example:99999/", "http://b.example:port/"):
        assert not same_url(broken, "https://blog.example/")
        assert host_of(broken) in ("", "b.example")
        assert without_tracking(broken) == broken
    assert same_url("http://[zz/x", "http://[zz/x")


def test_without_tracking_keeps_the_rest_of_the_url_as_written():
    assert without_tracking("https://blog.example/tides/?utm_source=rss&utm_medium=rss") == "https://blog.example/tides/"
    assert without_tracking("https://blog.example/?p=12&utm_source=rss#top") == "https://blog.example/?p=12"
    assert without_tracking("https://blog.example/?b=2&a=1") == "https://blog.example/?b=2&a=1"
    assert without_tracking("https://blog.example/tides/") == "https://blog.example/tides/"


def test_a_folders_index_file_names_the_folder():
    assert same_url("https://blog.example/own/index.html", "https://blog.example/own/")
    assert same_url("https://blog.example/index.php", "https://blog.example")
    assert not same_url("https://blog.example/own/index-of-posts.html", "https://blog.example/own/")
