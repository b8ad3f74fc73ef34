"""Input formats for 简体中文 (settings.FORMAT_MODULE_PATH points here).

Django renders a date or datetime widget's value with the *first* input format of the locale;
Django's own zh_Hans list starts with %Y/%m/%d, which <input type="date"> cannot take, so the
picker showed blank (签署日期 pre-filled as “2026/11/27”). ISO comes first here; the forms
officials type (2018/9/30, 2018年9月30日) are still accepted. Display formats
(DATE_FORMAT …) are left to Django's zh_Hans.
"""

DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # '2016-09-05' — what <input type="date"> sends and shows
    "%Y/%m/%d",  # '2016/09/05'
    "%Y年%m月%d日",  # '2016年9月5日'
]

DATETIME_INPUT_FORMATS = [
    "%Y-%m-%dT%H:%M",  # '2016-09-05T20:45' — what <input type="datetime-local"> sends and shows
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y年%m月%d日 %H:%M",
    "%Y年%m月%d日 %H:%M:%S",
]
