"""Pools of realistic Chinese data for the demo dataset and the tests."""

from __future__ import annotations

import random
from datetime import date

from ebconsole.validation import id_check_digit

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史黎贺顾毛郝龚邵万钱覃武戴孔汤庞樊兰殷施陶洪翟安颜倪严牛温芦季俞章鲁葛伍申尤毕聂柴焦向柳邢岳齐沿梅莫庄辛管祝左涂谷祁时舒耿牟卜路詹关苗凌费纪靳盛童欧甄项曲成游阳裴席卫查屈鲍位覃霍翁隋植甘景薄单包司柏宁柯阮桂闵欧阳解强丛华车冉房边辜吉饶刁瞿戚丘古米池滕晋苑邬臧畅宫来嵺苟全褚廉简娄盖符奚木穆党燕郎邸冀谈姬屠连郜晏栾郁商蒙计喻揭窦迟宇敖糜鄢冷卓花艾蓝都巩稽井练仲乐虞卞封竺冼原官衣楚佟栗匡宗应台巫鞠僧桑荆谌银扬明沙薄伏岑习胥保和蔺"
GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀英",
    "霞",
    "平",
    "刚",
    "桂英",
    "建华",
    "文",
    "华",
    "金凤",
    "玉兰",
    "红梅",
    "建国",
    "建军",
    "志强",
    "海燕",
    "丹",
    "萍",
    "鹏",
    "辉",
    "玲",
    "宇",
    "浩",
    "凯",
    "欣怡",
    "子涵",
    "梓轩",
    "雨桐",
    "思远",
    "晓东",
    "晓燕",
    "春梅",
    "国强",
    "海涛",
    "丽华",
    "文静",
    "雪梅",
    "立新",
    "志伟",
    "俊杰",
    "婷婷",
    "宏伟",
    "永刚",
]

CITIES = [
    ("北京", "110105"),
    ("上海", "310104"),
    ("广州", "440106"),
    ("深圳", "440305"),
    ("杭州", "330106"),
    ("南京", "320102"),
    ("成都", "510104"),
    ("武汉", "420102"),
    ("西安", "610113"),
    ("天津", "120101"),
    ("重庆", "500103"),
    ("苏州", "320505"),
    ("郑州", "410105"),
    ("长沙", "430103"),
    ("济南", "370102"),
    ("青岛", "370202"),
]
BRANCH_SUFFIXES = [
    "分行营业部",
    "中关村支行",
    "朝阳支行",
    "高新区支行",
    "金融街支行",
    "开发区支行",
    "人民路支行",
    "滨江支行",
    "东城支行",
    "西湖支行",
]
DEPARTMENTS = [
    "电子银行部",
    "信息科技部",
    "运营管理部",
    "风险管理部",
    "客户服务中心",
    "办公室",
    "法律合规部",
    "安全保卫部",
    "个人金融部",
    "网点运营",
]
TITLES = [
    "柜员",
    "大堂经理",
    "值班长",
    "系统管理员",
    "网络工程师",
    "数据库管理员",
    "客服专员",
    "部门负责人",
    "副行长",
    "安全工程师",
]
BANKS = [
    "中国工商银行",
    "中国农业银行",
    "中国银行",
    "中国建设银行",
    "交通银行",
    "招商银行",
    "浦发银行",
    "中信银行",
    "兴业银行",
    "民生银行",
    "平安银行",
    "邮储银行",
]
PAYMENT_COMPANIES = ["某第三方支付公司", "某网络支付平台", "某聚合支付商户"]
SERVICES = [
    "手机银行",
    "网上银行",
    "电话银行",
    "微信银行",
    "企业网银",
    "快捷支付",
    "跨行转账",
    "ATM",
    "POS 收单",
    "短信通知",
    "网联支付",
    "银联交易",
]
MOBILE_PREFIXES = [
    "138",
    "139",
    "136",
    "137",
    "150",
    "151",
    "152",
    "158",
    "159",
    "186",
    "187",
    "188",
    "177",
    "180",
    "189",
]
CARD_BINS = ["622202", "622848", "621700", "622588", "622260", "621483", "622609", "623668"]


def person(rng: random.Random) -> str:
    return rng.choice(SURNAMES[:120]) + rng.choice(GIVEN)


def branch(rng: random.Random) -> str:
    city = rng.choice(CITIES)[0]
    return city + rng.choice(BRANCH_SUFFIXES)


def mobile(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def office_phone(rng: random.Random) -> str:
    return f"010-{rng.randrange(6000_0000, 8999_9999)}"


def account(rng: random.Random) -> str:
    return rng.choice(CARD_BINS) + f"{rng.randrange(10**13):013d}"


def id_number(rng: random.Random) -> str:
    """A syntactically valid mainland ID number (GB 11643 check digit) for a made-up person."""
    region = rng.choice(CITIES)[1]
    born = date(rng.randint(1950, 2004), rng.randint(1, 12), rng.randint(1, 28))
    first17 = f"{region}{born:%Y%m%d}{rng.randrange(1000):03d}"
    return first17 + id_check_digit(first17)
