"""What happens in a year of e-banking incidents: titles, descriptions and follow-ups."""

from __future__ import annotations

from ebconsole.incidents.enums import Category

# category → list of (subtype code, title template, description template, affected services)
SCENARIOS: dict[Category, list[tuple[str, str, str, list[str]]]] = {
    Category.SYSTEM_FAILURE: [
        (
            "server_down",
            "手机银行应用服务器宕机",
            "监控发现手机银行应用集群{n}台服务器无响应，客户登录失败率升至{p}%。",
            ["手机银行"],
        ),
        (
            "database_crash",
            "核心账务数据库主库异常重启",
            "核心数据库主库发生异常重启，期间转账交易超时，已切换至备库。",
            ["网上银行", "手机银行", "跨行转账"],
        ),
        (
            "operational_failure",
            "网银批量代发任务运行失败",
            "企业网银批量代发任务中断，{n}笔代发未入账，需人工核对后重发。",
            ["企业网银"],
        ),
        (
            "hardware_failure",
            "数据中心存储阵列硬盘故障",
            "主数据中心存储阵列出现硬盘告警，部分交易查询缓慢。",
            ["网上银行"],
        ),
    ],
    Category.NETWORK_ATTACK: [
        (
            "hacker_attack",
            "网银登录接口遭撞库攻击",
            "安全监测发现来自境外IP的高频登录尝试，疑似撞库攻击，已启用验证码并封禁来源地址。",
            ["网上银行"],
        ),
        (
            "virus_intrusion",
            "网点终端发现勒索病毒",
            "{branch}一台业务终端检测到勒索病毒样本，已断网隔离。",
            ["柜面业务"],
        ),
        (
            "ddos",
            "手机银行遭受流量攻击",
            "手机银行入口流量突增至平时{n}倍，疑似DDoS攻击，已启动流量清洗。",
            ["手机银行"],
        ),
        (
            "data_leak",
            "疑似客户信息泄露线索",
            "外部监测发现疑似本行客户信息在网络上传播，涉及约{n}条记录，正在核实。",
            ["手机银行", "短信通知"],
        ),
        (
            "phishing_site",
            "发现仿冒本行网银的钓鱼网站",
            "客户举报收到短信链接，指向仿冒本行网银页面，已提交关停。",
            ["网上银行"],
        ),
    ],
    Category.NATURAL_DISASTER: [
        (
            "flood",
            "暴雨导致{city}网点机房进水",
            "{city}连续暴雨，{branch}机房进水，网点业务暂停。",
            ["柜面业务", "ATM"],
        ),
        (
            "earthquake",
            "地震影响{city}分行通信线路",
            "{city}发生地震，分行至数据中心专线中断，已切换备用线路。",
            ["网上银行", "ATM"],
        ),
        ("typhoon", "台风导致{city}地区ATM停机", "台风过境，{city}地区{n}台ATM断电停机。", ["ATM"]),
        (
            "power_outage",
            "{city}数据中心市电中断",
            "{city}数据中心市电中断，UPS与柴油发电机已接管供电。",
            ["网上银行", "手机银行"],
        ),
    ],
    Category.CUSTOMER_FRAUD: [
        (
            "telecom_fraud",
            "客户遭冒充公检法电信诈骗",
            "客户来电称接到冒充公安的电话，被要求将资金转入“安全账户”，已转出{n}笔。",
            ["手机银行"],
        ),
        (
            "account_theft",
            "客户手机银行账户被盗刷",
            "客户发现手机银行账户有非本人操作的转账，疑似验证码泄露。",
            ["手机银行", "快捷支付"],
        ),
        (
            "phishing",
            "客户点击钓鱼短信后资金被转走",
            "客户点击“积分兑换”短信链接并输入卡号密码，随后资金被转走。",
            ["网上银行"],
        ),
        (
            "suspected_fraud",
            "客户疑似遭遇刷单返利诈骗",
            "客户参与网络刷单，多次向陌生账户转账后无法提现。",
            ["手机银行", "跨行转账"],
        ),
    ],
    Category.OTHER: [
        ("other", "短信通知平台延迟", "短信网关延迟，动账通知平均延迟{n}分钟。", ["短信通知"]),
    ],
}

CATEGORY_WEIGHTS = {
    Category.CUSTOMER_FRAUD: 45,
    Category.SYSTEM_FAILURE: 25,
    Category.NETWORK_ATTACK: 15,
    Category.NATURAL_DISASTER: 8,
    Category.OTHER: 7,
}

ACTIONS = [
    ("action", "已暂停相关交易通道，防止损失扩大"),
    ("action", "技术组完成日志取证并保全证据"),
    ("notification", "已通知客户服务中心统一答复口径"),
    ("notification", "已向应急领导小组报告事件进展"),
    ("decision", "领导小组决定启动应急响应"),
    ("action", "已切换至备份系统，业务逐步恢复"),
    ("note", "客户情绪稳定，已告知后续处理流程"),
    ("notification", "已报告人民银行当地分支机构"),
]

OUT_OF_SCOPE_REASONS = [
    ("涉嫌刑事案件，已移交公安机关处理", "市公安局经侦支队"),
    ("疑似恐怖袭击威胁，按反恐预案处置", "市公安局反恐支队"),
]

REVIEW = {
    "cause": "根本原因为{cause}；事件暴露出监控告警阈值设置不合理的问题。",
    "handling": "响应及时，处置流程符合预案要求，客户沟通较为到位。",
    "lessons": "一是优化监控阈值；二是加强客户反诈宣传；三是完善备份切换演练。",
}
CAUSES = [
    "配置变更未经充分测试",
    "第三方线路故障",
    "客户安全意识不足导致验证码泄露",
    "硬件老化未及时更换",
    "外部攻击利用已知漏洞",
]
