"""One rule for ?page= on every list page: a page that does not exist is a 404 with a Chinese reason.

Django's Paginator.get_page() quietly shows page 1 for "abc" and the last page for 99999999999999999999;
a person who typed or bookmarked such an address should be told the page is not there instead.
"""

from django.core.paginator import Page, Paginator
from django.http import Http404


def page_or_404(paginator: Paginator, value: str | None) -> Page:
    """The requested page; no value means the first. Anything else that is not a page number raises 404."""
    if value in (None, ""):
        return paginator.page(1)
    if not value.isascii() or not value.isdigit() or len(value) > 9:
        raise Http404(f"页码“{value[:20]}”不正确：请填写 1 到 {paginator.num_pages} 之间的整数。")
    number = int(value)
    if not 1 <= number <= paginator.num_pages:
        raise Http404(f"第 {number} 页不存在：共 {paginator.num_pages} 页。")
    return paginator.page(number)
