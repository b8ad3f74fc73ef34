from django import template

from zuofeng.core import cn

register = template.Library()
register.filter("cn_date", cn.cn_date)
register.filter("cn_datetime", cn.cn_datetime)
