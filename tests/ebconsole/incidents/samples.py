"""Realistic intake objects for the incident tests (fresh copies on every call)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from ebconsole.timeutil import local_zone, utcnow

# GB 11643 numbers with correct check digits
ID_WANG = "110105198503150027"
ID_CHEN = "44030619780921351X"


def local_iso(*, hours_ago: float = 0, minutes_ago: float = 0) -> str:
    """A naive local time string (read in the workstation's zone), some time ago."""
    at = utcnow().astimezone(local_zone()) - timedelta(hours=hours_ago, minutes=minutes_ago)
    return at.replace(tzinfo=None).isoformat(timespec="seconds")


def fraud_intake(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "客户反映手机银行账户被盗刷三笔",
        "category": "customer_fraud",
        "subcategory": "account_theft",
        "occurred_at": local_iso(hours_ago=3),
        "reported_at": local_iso(hours_ago=2),
        "reporter": {"name": "张丽", "department": "北京分行营业部", "phone": "010-66012345"},
        "branch": "北京分行营业部",
        "description": "客户王秀英来电称其手机银行在未经本人操作的情况下发生三笔转账，"
        "怀疑手机感染木马，要求立即止付。",
        "affected_services": ["手机银行"],
        "fraud": {
            "customer_name": "王秀英",
            "id_number": ID_WANG,
            "phone": "13812345678",
            "account_number": "6222 0212 3456 7890 123",
            "channel": "mobile_banking",
            "transactions": [
                {
                    "time": local_iso(hours_ago=3),
                    "amount": "4999.00",
                    "currency": "CNY",
                    "counterparty_name": "李强",
                    "counterparty_account": "6217000010012345678",
                    "counterparty_bank": "中国建设银行",
                    "reference": "TX202611280912001",
                },
                {
                    "time": local_iso(hours_ago=2.9),
                    "amount": "20000",
                    "currency": "CNY",
                    "counterparty_name": "刘伟",
                    "counterparty_account": "6228480012345678901",
                    "counterparty_bank": "中国农业银行",
                    "reference": "TX202611280915002",
                },
                {
                    "time": local_iso(hours_ago=2.8),
                    "amount": 1500,
                    "counterparty_name": "深圳某科技有限公司",
                    "counterparty_account": "pay@example.com",
                    "counterparty_bank": "某第三方支付平台",
                    "reference": "TX202611280917003",
                },
            ],
            "police_report_no": "京公朝立字〔2026〕1234号",
        },
    }
    data.update(overrides)
    return data


def outage_intake(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "网上银行登录页面无法访问",
        "category": "system_failure",
        "subcategory": "server_down",
        "channel": "system_monitoring",
        "occurred_at": local_iso(hours_ago=1),
        "reporter": {"name": "李明", "department": "电子银行部", "phone": "13911112222"},
        "branch": "总行数据中心",
        "description": "监控系统告警：网银应用服务器集群两台节点宕机，登录成功率降至12%。",
        "affected_services": ["网上银行", "手机银行"],
    }
    data.update(overrides)
    return data


def ddos_intake(**overrides: Any) -> dict[str, Any]:
    data = outage_intake(
        title="网银遭受DDoS攻击，响应缓慢",
        category="network_attack",
        subcategory="ddos",
        branch="上海分行营业部",
    )
    data.update(overrides)
    return data


def at(text: str) -> datetime:
    """An aware time from a naive local ISO string."""
    return datetime.fromisoformat(text).replace(tzinfo=local_zone())
